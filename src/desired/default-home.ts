import type { Platform } from '../config/model/declared.js';

/** Where an account's home folder is when the declaration does not say. */
export function defaultHome(platform: Platform, user: string): string {
  switch (platform) {
    case 'macos':
      return `/Users/${user}`;
    case 'windows':
      return `C:\\Users\\${user}`;
    case 'linux':
      return `/home/${user}`;
  }
}
