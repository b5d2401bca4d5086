/**
 * Every fact provision relies on that platform-facts.md marks unverified, or does not cover,
 * named here and nowhere else so that each can be checked (and changed) in one place. The
 * README's "Assumptions and limitations" lists the same ones.
 */

/**
 * Photos opens a library whose package path in ~/Pictures is a symlink to the package on a
 * drive (platform-facts: "Whether a symlinked library is safe: unverified"). provision links by
 * default and tells the user, once, to open the library from its real place with Option held.
 */
export const PHOTOS_FOLLOWS_LIBRARY_SYMLINK = true;

/**
 * When its library's drive is missing, Photos starts a new library that holds a database and
 * next to no media. A package with a database and at most this many media files (originals,
 * Masters and derivatives together) "looks new": provision then explains that this is probably
 * that new library rather than the user's. Derivatives count because with iCloud "Optimize Mac
 * Storage" a real library may keep few originals but has a thumbnail for every photo.
 */
export const NEW_LIBRARY_MAX_MEDIA_FILES = 5;

/**
 * iPhoto's RootDirectory preference (com.apple.iPhoto, verified as the key) holds the full POSIX
 * path of the library package, as a string.
 */
export const IPHOTO_PREFERENCE = { domain: 'com.apple.iPhoto', key: 'RootDirectory' } as const;

/**
 * The process names (the executable's name, what `pgrep -x` compares) of the apps that must be
 * quit before their library moves.
 */
export const APP_PROCESS_NAMES = {
  photos: ['Photos', 'iPhoto'],
  music: ['Music', 'iTunes'],
} as const;

/**
 * Where a Mac keeps music media, relative to the home: the iTunes era's whole ~/Music/iTunes
 * folder (library file and "iTunes Media"), and the Music app's ~/Music/Music/Media. Only these
 * two: a media folder moved elsewhere in the app's settings is not looked for.
 */
export const MUSIC_MEDIA_FOLDERS = [
  { layout: 'itunes', segments: ['Music', 'iTunes'] },
  { layout: 'music', segments: ['Music', 'Music', 'Media'] },
] as const;

/**
 * File system type names (statfs's f_fstypename on a Mac, /proc/mounts on Linux) that are
 * network or cloud storage, where Apple says a photo library must not live. diskutil answers
 * "Could not find disk" for such a mount, so the type comes from statfs.
 */
export const NETWORK_FS_TYPES: readonly string[] = ['smbfs', 'afpfs', 'nfs', 'nfs4', 'webdav', 'cifs', 'smb3', 'fuse.sshfs', 'ftp', '9p'];

/**
 * Finder (and iTunes before it) follows a MobileSync/Backup folder that is a symlink (Windows:
 * a junction) to a drive: community practice, not documented by Apple.
 */
export const MOBILESYNC_FOLLOWS_LINK = true;
