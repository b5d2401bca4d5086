import type { Host } from '../../src/host/host.js';
import { Journal } from '../../src/engine/journal/journal.js';
import type { StepContext } from '../../src/engine/apply/step-context.js';
import type { Change } from '../../src/engine/types.js';
import { STEP_RUNNERS } from '../../src/kinds/registry.js';

/** The change the crash tests' steps belong to. */
export const ALEX_CHANGE = { id: 'alex/mobilesync', title: 'iOS device backups', user: 'alex', path: '/Users/alex/x' } as Change;

/** A step context on `host` with its journal in `journalDir`, resuming the `pending` entries. */
export function stepContext(host: Host, journalDir: string, pending: StepContext['pending'] = new Map()): StepContext {
  return { host, runners: STEP_RUNNERS, journal: new Journal(host, journalDir), change: ALEX_CHANGE, pending };
}
