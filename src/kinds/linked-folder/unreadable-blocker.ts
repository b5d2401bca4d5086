import type { Blocker } from '../../engine/types.js';
import type { LinkedFolderDesired } from './types.js';

/**
 * A folder the plan cannot read. On a Mac, EPERM is how the privacy system refuses a program
 * without Full Disk Access (docs/platform-facts.md), so it gets its own code: a scheduled run
 * reports it as "needs Full Disk Access for <node>", not as an ordinary refusal. EACCES is an
 * ordinary permission: another account's folder.
 */
export function unreadableBlocker(d: LinkedFolderDesired, what: string, code: string): Blocker {
  if (d.platform === 'macos' && code === 'EPERM') {
    return {
      code: 'NEEDS_FULL_DISK_ACCESS',
      reason: `macOS refused to read ${what} (EPERM): the program running provision lacks Full Disk Access`,
      fix: 'give your terminal Full Disk Access: System Settings > Privacy & Security > Full Disk Access, add Terminal (or your terminal app), restart it, and plan again (a scheduled run needs it for its own node: provision schedule status names it)',
    };
  }
  return {
    code: 'SOURCE_UNREADABLE',
    reason: `${what} cannot be read (${code})`,
    fix:
      d.platform === 'macos'
        ? `run provision as the owner of ${what}, or with sudo; if it still cannot be read, give your terminal Full Disk Access (System Settings > Privacy & Security > Full Disk Access)`
        : `make ${what} readable for the account running provision, or run it as that folder's owner`,
  };
}
