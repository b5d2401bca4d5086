import { writeDefault } from '../../macos/defaults.js';
import type { SetPreferenceStep } from './steps.js';
import type { StepContext } from '../../engine/apply/step-context.js';

/**
 * Writes one preference and reads it back (writeDefault does both): defaults can exit 0 without
 * storing the value. Idempotent: writing the same value again changes nothing, so a crash
 * before or after it is mended by the next apply, which observes the preference again.
 */
export async function runSetPreference(ctx: StepContext, step: SetPreferenceStep): Promise<void> {
  await writeDefault(ctx.host, step.domain, step.key, step.value, step.asUser);
}
