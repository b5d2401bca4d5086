import type { Platform } from '../../config/model/declared.js';

/**
 * Where Finder, iTunes and Apple Devices keep iOS device backups, relative to the home folder
 * (docs/platform-facts.md, verified): one place on a Mac; two on Windows, one for iTunes from Apple's
 * site (%APPDATA%) and one for the Microsoft Store iTunes and Apple Devices (%USERPROFILE%).
 */
export function mobileSyncFolders(platform: Platform): string[][] {
  switch (platform) {
    case 'macos':
      return [['Library', 'Application Support', 'MobileSync', 'Backup']];
    case 'windows':
      return [
        ['AppData', 'Roaming', 'Apple Computer', 'MobileSync', 'Backup'],
        ['Apple', 'MobileSync', 'Backup'],
      ];
    case 'linux':
      return [];
  }
}
