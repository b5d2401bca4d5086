import { formatBytes, plural } from '../../text/units.js';
import type { Change } from '../../engine/types.js';
import type { LinkedFolderDesired, PathState } from './types.js';

/** What a path is, in words, for plans and messages. */
export function describeState(
  s: PathState | { kind: 'symlink-chain' } | { kind: 'unreachable'; code: string },
  entryNoun = 'item',
): string {
  switch (s.kind) {
    case 'absent':
      return 'nothing';
    case 'file':
      return 'a file';
    case 'other':
      return 'a special file';
    case 'unreadable':
      return `unreadable (${s.code})`;
    case 'unreachable':
      return `unreachable (${s.code})`;
    case 'symlink-chain':
      return 'a link to another link';
    case 'directory':
      return s.entries.length === 0
        ? 'an empty folder'
        : `a folder with ${plural(s.entries.length, entryNoun)} (${formatBytes(s.summary.bytes)} in ${plural(s.summary.files, 'file')})`;
    case 'symlink':
      return s.at.kind === 'absent' || s.at.kind === 'unreachable'
        ? `a dangling link to ${s.resolved.machine}`
        : `a link to ${s.resolved.machine}`;
  }
}

/** What every change of a linked folder says about which folder it is. */
export function changeHeader(d: LinkedFolderDesired): Pick<Change, 'id' | 'kind' | 'user' | 'title' | 'path'> {
  return { id: d.id, kind: d.kind, user: d.user, title: d.title, path: d.links.map((l) => l.machine).join(', ') };
}
