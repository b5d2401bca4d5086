import { ProvisionError } from '../../errors.js';
import type { HostReads } from '../../host/host.js';
import { parseDestinationInfo, type TmDestination } from './destination-info.js';

/** What tmutil prints when the terminal lacks Full Disk Access (docs/platform-facts.md, verified). */
const FULL_DISK_ACCESS = 'requires Full Disk Access';

export const FULL_DISK_ACCESS_HINT =
  'give your terminal Full Disk Access: System Settings > Privacy & Security > Full Disk Access, add Terminal (or your terminal app), restart it, and run provision again';

/** tmutil's answer as a ProvisionError: Full Disk Access recognised and explained. */
export function tmutilError(what: string, out: { exitCode: number; stdout: string; stderr: string }): ProvisionError {
  const text = `${out.stderr}\n${out.stdout}`.trim();
  if (text.includes(FULL_DISK_ACCESS)) return new ProvisionError('FULL_DISK_ACCESS', `${what}: tmutil needs Full Disk Access`, { hint: FULL_DISK_ACCESS_HINT });
  return new ProvisionError('COMMAND_FAILED', `${what} failed (exit ${out.exitCode})${text === '' ? '' : `: ${text.split('\n')[0] ?? ''}`}`, {
    hint: `run "tmutil destinationinfo" yourself to see Time Machine's state`,
  });
}

/** The destinations tmutil knows now. */
export async function readDestinations(host: HostReads): Promise<TmDestination[]> {
  const out = await host.query('tmutil', ['destinationinfo']);
  if (out.exitCode !== 0) throw tmutilError('tmutil destinationinfo', out);
  try {
    return parseDestinationInfo(out.stdout);
  } catch (e) {
    throw new ProvisionError('COMMAND_FAILED', `tmutil destinationinfo printed something provision cannot read: ${(e as Error).message}`, {
      hint: 'run "tmutil destinationinfo" yourself and report what it prints',
    });
  }
}
