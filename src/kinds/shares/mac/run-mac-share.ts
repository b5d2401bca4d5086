import { ProvisionError } from '../../../errors.js';
import { readShareAttribute, TIME_MACHINE_FLAG, TIME_MACHINE_QUOTA, timeMachineFlagCommands } from './timemachine-flag.js';
import { parseSharingList } from './sharing-list.js';
import type { MacShareStep } from './steps.js';
import type { StepContext } from '../../../engine/apply/step-context.js';


/**
 * Shares a folder with File Sharing (SMB on, guests off), or offers a share to Time Machine;
 * then reads the result back. Both need root: without it apply stops here, before the first.
 */
export async function runMacShareStep(ctx: StepContext, step: MacShareStep): Promise<void> {
  const { host } = ctx;
  host.requireRoot(`sharing ${step.name}`);
  const calls: [string, string[]][] =
    step.op === 'mac-share-add'
      ? [['sharing', ['-a', step.path, '-n', step.name, '-S', step.name, '-s', '001', '-g', '000']]]
      : step.op === 'mac-share-edit'
        ? [['sharing', ['-e', step.name, '-s', '001', '-g', '000']]]
        : timeMachineFlagCommands(step.name, step.quotaBytes);
  for (const [cmd, args] of calls) {
    const out = await host.mutate(cmd, args);
    if (out.exitCode !== 0) {
      throw new ProvisionError('COMMAND_FAILED', `${cmd} ${args.join(' ')} failed (exit ${out.exitCode}): ${(out.stderr || out.stdout).trim()}`, {
        hint: 'check System Settings > General > Sharing > File Sharing, then apply again',
      });
    }
  }
  const confirmed = await host.readBack(async () => {
    if (step.op !== 'mac-share-timemachine') {
      const list = await host.query('sharing', ['-l']);
      return parseSharingList(list.stdout).some((p) => p.name === step.name && p.path.replace(/\/+$/, '') === step.path && p.smbShared && !p.smbGuest);
    }
    const flag = await readShareAttribute(host, step.name, TIME_MACHINE_FLAG);
    const quota = step.quotaBytes === undefined ? undefined : await readShareAttribute(host, step.name, TIME_MACHINE_QUOTA);
    return flag === '1' && (step.quotaBytes === undefined || quota === String(step.quotaBytes));
  }, true);
  if (!confirmed) {
    throw new ProvisionError('NOT_CONFIRMED', `${step.op === 'mac-share-timemachine' ? 'dscl' : `sharing ${step.op === 'mac-share-add' ? '-a' : '-e'}`} reported success for ${step.name}, but reading it back does not show the change`, {
      hint: 'look at System Settings > General > Sharing > File Sharing, then apply again',
    });
  }
}
