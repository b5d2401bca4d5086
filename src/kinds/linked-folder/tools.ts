import type { Platform } from '../../config/model/declared.js';
import type { ToolNeed } from '../../engine/kind.js';

/**
 * What every kind that moves a folder on a Mac calls: lsof (machine/open-writers.ts) and ditto,
 * the copier (host/fs/copy-with-ditto.ts). Without ditto the move cannot copy what a Mac file
 * carries (Finder tags, resource forks, ACLs, hard links), so it does not start.
 */
export const MOVE_TOOLS: ToolNeed[] = [
  { command: 'lsof', neededFor: 'checking that no app is writing into a folder before it is moved', ifMissing: 'problem' },
  { command: 'ditto', neededFor: 'copying a folder with everything its files carry (extended attributes, ACLs, resource forks, hard links)', ifMissing: 'problem' },
];

/**
 * On Linux: GNU cp copies (host/fs/copy-with-cp.ts); getfattr lets verification compare extended
 * attributes and ACLs (host/fs/compare-metadata.ts), which it skips when getfattr is missing.
 */
export const LINUX_MOVE_TOOLS: ToolNeed[] = [
  { command: 'cp', neededFor: 'copying a folder with its modes, times, owners, extended attributes, ACLs and hard links (GNU coreutils)', ifMissing: 'problem' },
  { command: 'getfattr', neededFor: 'verifying extended attributes and ACLs of a copy (package attr); without it they are copied but not checked', ifMissing: 'warning' },
];

/** The tools a move needs on this platform (Windows: none; the copy is Node's own). */
export function moveTools(platform: Platform): ToolNeed[] {
  if (platform === 'macos') return MOVE_TOOLS;
  if (platform === 'linux') return LINUX_MOVE_TOOLS;
  return [];
}
