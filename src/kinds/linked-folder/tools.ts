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
 * On Linux (host/fs/copy-files.ts): getfattr reads the extended attributes and ACLs to carry and
 * to verify, setfattr writes them into the copy; GNU cp copies instead when getfattr is missing
 * (then they are copied but not verified) or when there are attributes and provision is not root.
 */
export const LINUX_MOVE_TOOLS: ToolNeed[] = [
  { command: 'getfattr', neededFor: 'reading extended attributes and ACLs to copy and to verify (package attr); without it cp -a copies them and they are not verified', ifMissing: 'warning' },
  { command: 'setfattr', neededFor: 'writing extended attributes and ACLs into a copy (package attr)', ifMissing: 'problem' },
  { command: 'cp', neededFor: 'copying with attributes when getfattr is missing or provision is not root (GNU coreutils)', ifMissing: 'problem' },
];

/** The tools a move needs on this platform (Windows: none; the copy is Node's own). */
export function moveTools(platform: Platform): ToolNeed[] {
  if (platform === 'macos') return MOVE_TOOLS;
  if (platform === 'linux') return LINUX_MOVE_TOOLS;
  return [];
}
