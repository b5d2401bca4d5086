import { isProvisionError } from '../../errors.js';
import { observeDrive, withDriveFormat } from '../../drives/observe-drive.js';
import type { MachineFacts } from '../../desired/machine-context.js';
import { stepRunner, type MachineKind } from '../../engine/kind.js';
import { TIME_MACHINE_OPS, type TimeMachineStep } from './steps.js';
import type { HostReads } from '../../host/host.js';
import { desireTimeMachine } from './desire.js';
import { planTimeMachine } from './plan.js';
import { relation } from './match.js';
import { serverAnswer } from './server-answer.js';
import { readDestinations } from './read-destinations.js';
import type { TimeMachineDesired, TimeMachineObserved } from './types.js';

async function observeTimeMachine(host: HostReads, ctx: MachineFacts, d: TimeMachineDesired): Promise<TimeMachineObserved> {
  let info: TimeMachineObserved['info'];
  try {
    info = { ok: true, destinations: await readDestinations(host) };
  } catch (e) {
    if (!isProvisionError(e)) throw e;
    info = { ok: false, message: e.message, hint: e.hint ?? 'run tmutil destinationinfo yourself' };
  }
  const drives = [];
  for (const want of d.destinations) drives.push(want.drive === undefined ? undefined : await observeDrive(host, want.drive));
  return { root: ctx.runningAsRoot, interactive: ctx.interactive === true, info, drives, answers: d.destinations.map(() => undefined) };
}

/**
 * Asked only when something is to change: a new destination's drive must be APFS or HFS, and a
 * server provision does not manage must answer before its share is added.
 */
async function refineTimeMachine(host: HostReads, _ctx: MachineFacts, d: TimeMachineDesired, o: TimeMachineObserved): Promise<TimeMachineObserved> {
  const drives = [];
  const answers = [];
  const listed = o.info.ok ? o.info.destinations : [];
  for (const [i, want] of d.destinations.entries()) {
    const seen = o.drives[i];
    drives.push(want.drive === undefined || seen === undefined ? seen : await withDriveFormat(host, want.drive, seen));
    const toAdd = want.unmanaged !== undefined && !listed.some((x) => relation(x, want.match) !== 'other');
    answers.push(toAdd && want.unmanaged !== undefined ? await serverAnswer(host, want.unmanaged) : undefined);
  }
  return { ...o, drives, answers };
}

/** This Mac's Time Machine destinations, set with tmutil (macOS). */
export const timemachine: MachineKind<TimeMachineDesired, TimeMachineObserved> = {
  kind: 'timemachine',
  scope: 'machine',
  // The step runner and health are loaded on use, not by a plan (engine/kind.ts).
  steps: stepRunner<TimeMachineStep>(TIME_MACHINE_OPS, async (ctx, step) => (await import('./run-timemachine.js')).runTimeMachineStep(ctx, step)),
  tools: (_machine, desired) => (desired.length > 0 ? [{ command: 'tmutil', neededFor: "reading and setting Time Machine's destinations", ifMissing: 'problem' }] : []),
  needsRoot: (change) => (change.warnings.some((w) => w.code === 'TM_NEEDS_ROOT') ? 'Time Machine' : undefined),
  drives: (d) => d.destinations.flatMap((t) => (t.drive === undefined ? [] : [{ drive: t.drive.name, usedBy: 'timemachine' }])),
  desire: desireTimeMachine,
  observe: observeTimeMachine,
  plan: planTimeMachine,
  refine: refineTimeMachine,
  health: async (host, machine, _d, now) => (await import('./health.js')).timeMachineFindings(host, machine, now),
};

export { readDestinations } from './read-destinations.js';
