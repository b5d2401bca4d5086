import { ProvisionError } from '../../errors.js';
import type { Host } from '../../host/host.js';

/**
 * Steps that change the machine's own settings (Time Machine, File Sharing) need root. Apply
 * stops at the first of them without it, after the changes before it; a dry run (the plan's
 * simulation) goes on, so the plan can show them with a note instead.
 */
export function requireRoot(host: Host, what: string): void {
  if (host.kind === 'dry-run' || process.getuid?.() === 0) return;
  throw new ProvisionError('NEEDS_ROOT', `${what} needs root`, { hint: 'run sudo provision apply; everything before this step was applied' });
}
