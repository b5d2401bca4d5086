import type { ToolNeed } from '../../engine/kind.js';

/** What every kind that moves a folder on a Mac calls: lsof (machine/open-writers.ts). */
export const MOVE_TOOLS: ToolNeed[] = [{ command: 'lsof', neededFor: 'checking that no app is writing into a folder before it is moved', ifMissing: 'problem' }];
