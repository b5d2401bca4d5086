import type { Step } from '../types.js';
import { runLink } from './run-link.js';
import { runMkdir } from './run-mkdir.js';
import { runRelocate } from './run-relocate.js';
import { runRestore } from './run-restore.js';
import { runRememberDrive } from './run-remember-drive.js';
import { runMacShareStep } from '../../kinds/shares/mac/run-mac-share.js';
import { runSambaConfig } from '../../kinds/shares/samba/run-samba-config.js';
import { runSetPreference } from '../../kinds/app-library/run-set-preference.js';
import { runTimeMachineStep } from '../../kinds/timemachine/run-timemachine.js';
import type { StepContext } from './step-context.js';

export async function runStep(ctx: StepContext, step: Step, index: number): Promise<void> {
  switch (step.op) {
    case 'mkdir':
      return runMkdir(ctx, step);
    case 'link':
      return runLink(ctx, step, `${ctx.change.id.replace(/[^A-Za-z0-9._-]/g, '_')}.${index}`);
    case 'relocate':
      return runRelocate(ctx, step);
    case 'restore':
      return runRestore(ctx, step);
    case 'remember-drive':
      return runRememberDrive(ctx, step);
    case 'set-preference':
      return runSetPreference(ctx, step);
    case 'samba-config':
      return runSambaConfig(ctx, step);
    case 'mac-share-add':
    case 'mac-share-edit':
    case 'mac-share-timemachine':
      return runMacShareStep(ctx, step);
    case 'tm-add-destination':
    case 'tm-remove-destination':
    case 'tm-set-quota':
      return runTimeMachineStep(ctx, step);
  }
}
