import type { LinkedFolderDesired } from '../../../src/kinds/linked-folder/types.js';

/** Alex's MobileSync folder on a Mac whose root is /r, declared on drive "archive" at /Volumes/A. */
export const ALEX_MOBILESYNC: LinkedFolderDesired = {
  id: 'alex/mobilesync',
  kind: 'mobilesync',
  title: 'iOS device backups',
  user: 'alex',
  platform: 'macos',
  home: { machine: '/Users/alex', host: '/r/Users/alex' },
  links: [{ machine: '/Users/alex/Library/Application Support/MobileSync/Backup', host: '/r/Users/alex/Library/Application Support/MobileSync/Backup' }],
  linkType: 'symlink',
  drive: { name: 'archive', mountPoint: { machine: '/Volumes/A', host: '/r/Volumes/A' }, pins: [] },
  target: { machine: '/Volumes/A/MobileSync/alex', host: '/r/Volumes/A/MobileSync/alex' },
  targetSegments: ['MobileSync', 'alex'],
  ignorableDuplicates: ['.DS_Store'],
  entryNoun: 'device backup',
  merge: true,
  wholeNoun: 'backup folder',
};
