import { ProvisionError } from '../../errors.js';
import type { Host } from '../../host/host.js';
import { matches } from './match.js';
import { readDestinations, tmutilError } from './read-destinations.js';
import type { TimeMachineStep } from './steps.js';
import type { StepContext } from '../../engine/apply/step-context.js';

/**
 * One tmutil change, then Time Machine's state read again to confirm it: setdestination can
 * print a failure and still exit 0 (docs/platform-facts.md). tmutil's changes need root: without it
 * apply stops here, before the first of them, saying so.
 */
export async function runTimeMachineStep(ctx: StepContext, step: TimeMachineStep): Promise<void> {
  const { host } = ctx;
  host.requireRoot(`changing Time Machine (${step.label})`);
  const args = await tmutilArgs(host, step);
  const out = await host.mutate('tmutil', args, step.op === 'tm-add-destination' && step.prompt ? { interactive: true } : {});
  const what = `tmutil ${args[0] ?? ''} (${step.label})`;
  if (out.exitCode !== 0) throw tmutilError(what, out);
  const confirmed = await host.readBack(async () => {
    const now = await readDestinations(host);
    return step.op === 'tm-remove-destination'
      ? !now.some((d) => d.id.toLowerCase() === step.id.toLowerCase())
      : step.op === 'tm-add-destination'
        ? now.some((d) => matches(d, step.match))
        : now.some((d) => matches(d, step.match) && d.quotaGB === step.gb);
  }, true);
  if (!confirmed) {
    const said = `${out.stderr}\n${out.stdout}`.trim();
    throw new ProvisionError('NOT_CONFIRMED', `${what} reported success, but Time Machine does not show the change${said === '' ? '' : ` (tmutil said: ${said.split('\n')[0] ?? ''})`}`, {
      hint: "run tmutil destinationinfo to see the destinations; for a share, check that it is reachable and that its password is where root finds it (run provision apply in a terminal to type it, or save it in the System keychain: see docs/kinds.md, Passwords), then apply again",
    });
  }
}

async function tmutilArgs(host: Host, step: TimeMachineStep): Promise<string[]> {
  switch (step.op) {
    case 'tm-add-destination':
      return ['setdestination', ...(step.append ? ['-a'] : []), ...(step.prompt ? ['-p'] : []), step.target];
    case 'tm-remove-destination':
      return ['removedestination', step.id];
    case 'tm-set-quota': {
      // A destination added by this apply has no ID until now: look it up (a dry run added none).
      const id = await host.readBack(async () => (await readDestinations(host)).find((d) => matches(d, step.match))?.id, '(new destination)');
      if (id === undefined) {
        throw new ProvisionError('NOT_CONFIRMED', `the Time Machine destination ${step.label} is not there to set its quota`, {
          hint: 'run tmutil destinationinfo, then apply again',
        });
      }
      return ['setquota', id, String(step.gb)];
    }
  }
}
