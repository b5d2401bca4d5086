/**
 * Every fact provision relies on that docs/platform-facts.md marks unverified, or does not cover,
 * named here and nowhere else so that each can be checked (and changed) in one place. The
 * docs/assumptions.md lists the same ones.
 */

/**
 * Photos opens a library whose package path in ~/Pictures is a symlink to the package on a
 * drive (docs/platform-facts.md: "Whether a symlinked library is safe: unverified"). provision links by
 * default and tells the user, once, to open the library from its real place with Option held.
 */
export const PHOTOS_FOLLOWS_LIBRARY_SYMLINK = true;

/**
 * The processes that hold a photo library's database open and write to it even when Photos has
 * quit (docs/platform-facts.md: photolibraryd and photoanalysisd, from osxphotos and gallerist
 * reports, a fixture, not Apple's word). They are not asked to stop (nothing tells them to, and
 * they start again on their own); what they write during a move is caught by comparing the
 * database files byte for byte and the library's fingerprint right before the original goes
 * aside, and the copy then starts over on a later run.
 */
export const PHOTOS_BACKGROUND_WRITERS: readonly string[] = ['photolibraryd', 'photoanalysisd'];

/**
 * Where Photos records the System Photo Library: `SystemLibraryPath` in photolibraryd's container
 * preferences (docs/platform-facts.md, verified), read with defaults as the library's owner.
 * That it names the library's real place once the owner has made the moved library the System
 * Photo Library (Apple's step for iCloud Photos, HT201517) is assumed: it is the only sign of
 * "opened from its new place" that provision reads. Without it (no iCloud Photos, the preference
 * unreadable without Full Disk Access), the owner says so with `provision confirm-library`.
 */
export const PHOTOS_SYSTEM_LIBRARY_PREFERENCE = {
  domainInHome: ['Library', 'Containers', 'com.apple.photolibraryd', 'Data', 'Library', 'Preferences', 'com.apple.photolibraryd'],
  key: 'SystemLibraryPath',
} as const;

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
 * File system type names (the type macOS's `mount` lists on a Mac, statfs's on Linux) that are
 * network or cloud storage, where Apple says a photo library must not live. diskutil answers
 * "Could not find disk" for such a mount and Node's statfs names no type on macOS, so on a Mac
 * the type comes from the mount listing (macos/mount-type.ts).
 */
export const NETWORK_FS_TYPES: readonly string[] = ['smbfs', 'afpfs', 'nfs', 'nfs4', 'webdav', 'cifs', 'smb3', 'fuse.sshfs', 'ftp', '9p'];

/**
 * Off a Mac (where diskutil's GlobalPermissionsEnabled says it), whether a drive keeps files'
 * owners apart is decided from its format: FAT and exFAT have no owners at all, and Linux's
 * drivers show every file as owned by whoever mounted them (uid= option); FUSE file systems
 * (statfs names them all "fuse": ntfs-3g, exfat-fuse, fusefat) do the same unless mounted with
 * permission options, which household drives are not; NTFS through the kernel's ntfs3 driver
 * is treated alike. ext4, btrfs, xfs, APFS, HFS+ and tmpfs honour owners. Not tested on
 * every driver: the tests here see tmpfs, ext4 and FUSE's FAT and exFAT only.
 */
export const OWNERSHIP_IGNORED_FS_TYPES: readonly string[] = ['msdos', 'vfat', 'exfat', 'ntfs', 'fuse'];
export const OWNERSHIP_HONOURED_FS_TYPES: readonly string[] = ['ext4', 'btrfs', 'xfs', 'zfs', 'f2fs', 'apfs', 'hfs', 'tmpfs'];

/**
 * Finder (and iTunes before it) follows a MobileSync/Backup folder that is a symlink (Windows:
 * a junction) to a drive: community practice, not documented by Apple.
 */
export const MOBILESYNC_FOLLOWS_LINK = true;

/**
 * launchctl's exit statuses (each the error number it prints), seen in transcripts and other
 * projects' tests, not in Apple's documentation: `print` of a job not loaded exits 113 ("Could
 * not find service"), of a gui/<uid> domain with no login session 112 ("Could not find
 * domain"); `bootstrap` into such a domain 125 ("Domain does not support specified action"),
 * an unprivileged one launchd refuses for another reason 5 ("Input/output error", the reason
 * only shown to root); `bootout` of a job not loaded 3 ("No such process"). The lines of `print`
 * read (`path`, `state`, `arguments`, `runs`, `pid`, `last exit code`) are what recent macOS
 * prints; Apple calls that output not API.
 */
export const LAUNCHCTL_EXIT = { serviceNotFound: 113, domainNotFound: 112, noSession: 125, inputOutput: 5, noSuchProcess: 3 } as const;

/**
 * A user's gui/<uid> launchd domain is found by the uid that owns the user's home folder (macOS
 * makes each home owned by its user); under sudo and under --root this is the only account
 * record provision can read without Directory Services.
 */
export const HOME_OWNER_IS_USER = true;

/**
 * The folders `provision doctor` lists to tell whether the terminal has Full Disk Access,
 * relative to a home. The MobileSync Backup folder is verified (docs/platform-facts.md: EPERM without
 * it); that its parent `MobileSync` and `~/Library/Mail` and `~/Library/Safari` are refused the
 * same way is assumed (widely reported, not in a primary source). Listing one that is not
 * protected only makes the check say ok where it cannot tell.
 */
export const FULL_DISK_ACCESS_PROBES: readonly (readonly string[])[] = [
  ['Library', 'Application Support', 'MobileSync'],
  ['Library', 'Application Support', 'MobileSync', 'Backup'],
  ['Library', 'Mail'],
  ['Library', 'Safari'],
];

/**
 * The Mac processes that write into MobileSync/Backup while a device backs up, by the process
 * name lsof reports, with the app to name to the user. Partly unverified: AMPDevicesAgent is
 * the Finder-era service that talks to devices (macOS 10.15 and later; the Retroactive project's
 * issue #33 has users quit it to free a device from Finder), and AppleMobileBackup is iTunes'
 * backup helper inside MobileDevice.framework (a 2009 user's notes). That these are the
 * processes holding the backup files open is assumed, not read in Apple's documentation.
 * idevicebackup2 (libimobiledevice) and iMazing write the same folder layout when pointed at it.
 */
export const MOBILESYNC_BACKUP_WRITERS: Readonly<Record<string, string>> = {
  AMPDevicesAgent: 'Finder (its device service AMPDevicesAgent) is backing up a device',
  AppleMobileBackup: 'iTunes (its backup helper AppleMobileBackup) is backing up a device',
  iTunes: 'iTunes is backing up or syncing a device',
  MobileDeviceUpdater: "Apple's device updater (MobileDeviceUpdater) is updating a device and backing it up",
  idevicebackup2: 'idevicebackup2 (libimobiledevice) is backing up a device',
  iMazing: 'iMazing is backing up a device',
};

/**
 * The processes that write a person's device backups and libraries (Finder's backup agent,
 * Photos and photolibraryd, Music) run as that person, so a run without root, whose lsof sees
 * only its own account's processes, still sees them. Unverified as a rule (no source lists every
 * writer); on that assumption, not seeing other accounts' processes is a warning, not a blocker
 * (a scheduled run is never root). What another account writes before the original goes aside
 * is caught by the fingerprint comparison either way.
 */
export const WRITERS_RUN_AS_THEIR_USER = true;

/**
 * On macOS a copy made by ditto whose exit status is 0 holds every extended attribute, ACL,
 * resource fork, mode, owner and hard link ditto(1) says it keeps: verification there checks
 * names, kinds, sizes, link targets and times (and bytes when asked), not xattrs or ACLs (no
 * getfattr on a Mac; `xattr` per file would cost a process each). Not testable here: the ditto
 * simulator is GNU cp underneath.
 */
export const DITTO_KEEPS_METADATA = true;

/**
 * `ditto -V` prints one line per file, link and device it copies; provision counts the lines (on
 * stdout and stderr) as files for the progress line, never for a decision. ditto(1) documents the
 * line, not where it goes or its words.
 */
export const DITTO_VERBOSE_LINES = true;

/**
 * `tmutil isexcluded <mount point>` of an external drive reports whether Time Machine backs the
 * drive up, automatic exclusion of external volumes included. The output's form is from a user's
 * transcript (docs/platform-facts.md); its coverage of volume exclusions is not confirmed. Used
 * only in the safe direction: nothing but an explicit [Included] counts as a second copy.
 */
export const TM_ISEXCLUDED_REPORTS_VOLUMES = true;

/**
 * macOS records each Time Machine destination's finished backups as `SnapshotDates` in
 * /Library/Preferences/com.apple.TimeMachine.plist (osquery and plaso read it there; whether the
 * newest releases still write it is not confirmed). Without the key, provision check says the
 * last backup is unknown (a warning) and never guesses it fine.
 */
export const TM_SNAPSHOT_DATES_RECORDED = true;

/**
 * A Time Machine backup that finishes rewrites something at the top level of its bundle on the
 * share (the bands folder when a band is added, Info.plist, the SnapshotHistory plist...), so
 * the newest top-level modification time is when the client last wrote. Not confirmed by Apple.
 * If a backup only rewrites bands, the bundle looks older than it is (a false warning); if a
 * client touches the top level without finishing a backup, it looks fresher, which that Mac's
 * own check (TIME_MACHINE_BACKUP_OLD, from its records) still catches.
 */
export const TM_BUNDLE_TOP_LEVEL_WRITTEN = true;

/**
 * A job launchd starts is judged for Full Disk Access by the program it runs, node, by its real
 * path (users' reports: nix-darwin #1334, restic #2051; not stated by Apple), and a refusal is
 * EPERM. So `schedule install` names that path, and a scheduled run refused with EPERM under
 * ~/Library records "needs Full Disk Access for <path>". Were macOS to judge another program
 * (the launcher, a link's path), the advice would name the wrong file but nothing would be lost:
 * the run still refuses before the first write, and says so in its record.
 */
export const LAUNCHD_JOB_JUDGED_BY_NODE_PATH = true;

/**
 * `display notification` run by osascript from the daily LaunchAgent (in the user's gui/<uid>
 * domain) shows a notification in that user's session. Not tested on a real Mac. Were it shown
 * nowhere, the check's exit code and record still say what was found, and `schedule status`
 * shows the last check's outcome.
 */
export const NOTIFICATION_FROM_AGENT_SHOWN = true;

/**
 * Recent `tmutil destinationinfo` may prefix the first line of the destination in use with "> "
 * (reported, not seen in a recorded sample). The parser drops the marker wherever it appears and
 * notes the destination as current; with or without it, the same destinations are read.
 */
export const TMUTIL_CURRENT_MARKER = true;

/**
 * A Mac's File Sharing "Limit backups to" quota is one limit for every Mac backing up to the
 * share together, as Samba's is (Apple does not say). provision warns when the clients' own
 * quotas add up to more: the cautious reading, since a false warning costs a look and a missed
 * one a failed backup.
 */
export const MAC_SHARE_QUOTA_SHARED = true;

/**
 * A `tmutil setdestination smb://user@host/share` run as root without `-p` finds the share's
 * password only where root looks: the System keychain. Whether it also searches the user's login
 * keychain (where Finder saves it) is not established by any source found. So provision offers
 * `-p` on a terminal and otherwise tells the user to save the password in the System keychain;
 * whatever happens, the destination is confirmed by reading destinationinfo back.
 */
export const TM_PASSWORD_IN_SYSTEM_KEYCHAIN = true;

/**
 * `mountvol E:\ /L` prints the volume's name, \\?\Volume{GUID}\, somewhere in its output
 * (Microsoft documents what /L lists, not its layout): provision looks for that form alone, and a
 * drive whose GUID cannot be read is known by provision's marker, as on any platform.
 */
export const MOUNTVOL_LISTS_VOLUME_NAME = true;

/**
 * A mapped network drive's letter resolves, with Node's realpath, to its \\server\share (libuv's
 * realpath is GetFinalPathNameByHandleW; a Microsoft project reports that it answers the UNC path
 * for a mapped drive). Should it not on some Windows, the junction to it still fails when it is
 * made (libuv refuses UNC targets), and nothing has been moved before the link step.
 */
export const WINDOWS_NETWORK_LETTER_BY_REALPATH = true;

/**
 * Node writes its module compile cache at exit only for code it compiled anew, not for code it
 * read back from the cache (Node's src/compile_cache.cc: an entry is persisted only when
 * `refreshed`; NODE_DEBUG_NATIVE=COMPILE_CACHE says "skip ... because cache was the same"), and
 * V8 takes back code compiled by the same Node under the same flags. provision therefore turns
 * the cache on only once a separate process has compiled every file of the bundle into it, and
 * only for a Node started without options, so that a run, a refused one too, writes nothing
 * there (src/cli/compiled-cache.ts; test/cli/compiled-cache.test.ts checks it on each Node CI
 * runs). Set to false, the cache is never used.
 */
export const COMPILE_CACHE_WRITES_ONLY_NEW_CODE = true;

/**
 * A code cache V8 reads back is the one provision wrote: V8 checks a cache's version, flags,
 * length and the source's length, but not a checksum of its contents in release builds
 * (`--verify-snapshot-checksum` is off by default on Node 22 and 26), and hashing the ~0.5 MB
 * cache here costs 2-7 ms at start (loading node:crypto or node:zlib), what the cache saves. So
 * the CLI's script cache (src/cli/load-cli.ts) is written whole (a temporary file renamed),
 * made from the very script it is read back for (build, Node, size, modification time and inode
 * in its first line), and read back only from a file and folders no one else can write to. A
 * file damaged on the disk itself is not caught. Set to false, no script cache is kept.
 */
export const CODE_CACHE_READ_BACK_WHOLE = true;

/**
 * Every lsof takes `-d ^cwd,^rtd,^txt,^mem,^DEL` (docs/platform-facts.md#lsof): lsof up to 4.97,
 * whose line macOS ships (4.91), stores a descriptor name it is given and matches it as text, so a
 * name the Mac never prints matches nothing; 4.98 and later know these five names. Read from
 * lsof-org/lsof's source (arg.c of 4.92.1 and of today), not tried on a Mac. Should an lsof refuse
 * them, it exits non-zero and provision asks it again for the whole listing
 * (src/machine/open-writers.ts): slower, never blind. Set to false, -d is never given.
 */
export const LSOF_TAKES_FD_EXCLUSIONS = true;

/**
 * What `diskutil info` says of a mounted volume that provision reads (its UUID, format, medium)
 * stays the same while that volume stays mounted at its mount point: a volume's UUID is set when
 * it is created, and changing its format means erasing it. An apply round therefore gives the
 * plan's answer again to the drive remembered a moment later (at most RECENT_MS, the same device
 * number at the mount point: src/host/round-reads.ts). Were a drive erased or swapped in those
 * seconds without its device number changing, the UUID recorded for it would be the old one: the
 * next run then refuses the drive as not the one recorded; the move itself is still judged by
 * the drive's marker, read afresh. Set to false, every read of the drive asks diskutil.
 */
export const VOLUME_ANSWER_LASTS_WHILE_MOUNTED = true;
