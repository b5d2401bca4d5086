import type { Action } from '../../engine/types.js';

/** One table from action to symbol and verb (docs/design.md, note 7). */
export const ACTION_SYMBOL: Record<Action, string> = {
  create: '+',
  update: '~',
  relocate: '>',
  resume: '*',
  restore: '<',
  blocked: '!',
  none: ' ',
};

export const ACTION_VERB: Record<Action, string> = {
  create: 'create',
  update: 'update',
  relocate: 'relocate',
  resume: 'resume',
  restore: 'restore',
  blocked: 'blocked',
  none: 'unchanged',
};
