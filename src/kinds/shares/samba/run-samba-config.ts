import path from 'node:path';
import { ProvisionError } from '../../../errors.js';
import { withInclude, withIncludeMoved } from './smb-conf-include.js';
import { checkSambaConfig } from './testparm.js';
import type { SambaConfigStep } from './steps.js';
import type { StepContext } from '../../../engine/apply/step-context.js';

/**
 * Never leaves Samba with a broken configuration: the new provision.conf is written beside the
 * old one and testparm checks smb.conf as it will read it (a copy whose include names the new
 * file); only then is it renamed into place. smb.conf gets its include line once, by an atomic
 * rewrite that keeps every other byte. A crash anywhere leaves either the old or the new file,
 * and the next apply sees what is missing.
 */
export async function runSambaConfig(ctx: StepContext, step: SambaConfigStep): Promise<void> {
  const { host } = ctx;
  const dir = path.dirname(step.conf);
  const candidate = path.join(dir, '.provision-new.conf');
  const check = path.join(path.dirname(step.smbConf), '.provision-check-smb.conf');
  const smbConf = (await host.readFile(step.smbConf)).toString('utf8');
  await host.writeFileAtomic(candidate, step.content);
  await host.writeFileAtomic(check, withIncludeMoved(smbConf, step.confMachine, candidate));
  try {
    // testparm reads the files just written; a dry run wrote none, and answers that they pass.
    const result = await host.readBack(() => checkSambaConfig((cmd, args) => host.query(cmd, args), check), { ok: true as const, warnings: [] });
    if (!result.ok) {
      await host.unlink(candidate);
      throw new ProvisionError('COMMAND_FAILED', `the new Samba configuration does not pass testparm: ${result.message}`, {
        hint: `nothing was switched in; check ${step.smbConf} with "testparm -s" and fix what it reports, then apply again`,
      });
    }
  } finally {
    await host.unlink(check);
  }
  await host.rename(candidate, step.conf);
  const included = withInclude(smbConf, step.confMachine);
  if (included !== undefined) await host.writeFileAtomic(step.smbConf, included);
  if (step.reload) {
    // A stopped smbd reads the new file when it starts; only a running one needs telling. (A dry
    // run records the command and answers success.)
    const r = await host.mutate('smbcontrol', ['smbd', 'reload-config']);
    if (r.exitCode !== 0 && !/Can't find pid|No such file|not running/i.test(r.stderr + r.stdout)) {
      throw new ProvisionError('COMMAND_FAILED', `smbcontrol smbd reload-config failed: ${(r.stderr || r.stdout).trim()}`, {
        hint: 'the new configuration is in place; restart Samba (sudo systemctl restart smbd)',
      });
    }
  }
}

