import type { DriveObserved } from '../../../drives/types.js';
import type { Owner } from '../../../engine/types.js';
import type { ShareDesired } from '../types.js';
import type { SharePoint } from './sharing-list.js';

/** A Mac's shared folders, served by File Sharing (sharing, and dscl for the Time Machine flag). */
export interface MacSharesDesired {
  id: string;
  machine: string;
  shares: ShareDesired[];
}

export interface MacSharesObserved {
  root: boolean;
  list: { ok: true; shares: SharePoint[] } | { ok: false; message: string };
  drives: DriveObserved[];
  existing: boolean[][];
  /** Per share: the owner of its only user's home, for a folder one user owns. */
  owners: (Owner | undefined)[];
  /** Per share: its Time Machine flag and quota as dscl reads them (only for shares that exist). */
  flags: ({ flag: string | undefined; quota: string | undefined } | undefined)[];
}
