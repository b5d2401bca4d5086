import { errnoCode } from '../../errors.js';
import type { HostReads } from '../../host/host.js';

/**
 * What sits at a library's path in the home, read with lstat only. A link is reported with its
 * raw target and never followed here: a --root sandbox resolves links through the path mapper,
 * not the OS, so following is the caller's business.
 */
export type LibraryEntryState =
  | { kind: 'package' }
  | { kind: 'link'; raw: string }
  /** A file or a special file where a package folder was expected. */
  | { kind: 'not-a-folder' }
  | { kind: 'unreadable'; code: string };

/** lstat (and readlink for a link) of one path; undefined when nothing is there. */
export async function readLibraryEntry(host: HostReads, hostPath: string): Promise<LibraryEntryState | undefined> {
  let st;
  try {
    st = await host.lstat(hostPath);
  } catch (e) {
    return { kind: 'unreadable', code: errnoCode(e) ?? 'EIO' };
  }
  if (st === undefined) return undefined;
  switch (st.kind) {
    case 'directory':
      return { kind: 'package' };
    case 'symlink':
      try {
        return { kind: 'link', raw: await host.readlink(hostPath) };
      } catch (e) {
        return { kind: 'unreadable', code: errnoCode(e) ?? 'EIO' };
      }
    case 'file':
    case 'other':
      return { kind: 'not-a-folder' };
  }
}
