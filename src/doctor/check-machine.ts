import { hostnames, machinePlatform } from '../config/model/effective.js';
import type { LoadedConfig } from '../config/model/declared.js';
import { ownEntry } from '../config/model/own-entry.js';
import type { HostReads } from '../host/host.js';
import { computerNames } from '../machine/computer-names.js';
import { matchMachine } from '../machine/match-machine.js';
import type { DoctorCheck } from './types.js';

/**
 * Which declared machine this computer is, and by which of its names; or why none is. Found
 * exactly as plan finds it (computer-names.ts, match-machine.ts), so what doctor says here is
 * what plan does. The machine found is returned for the checks that follow.
 */
export async function checkMachine(loaded: LoadedConfig, wanted: string | undefined, reads: HostReads): Promise<{ check: DoctorCheck; machine?: string }> {
  const title = 'This machine';
  const machines = loaded.config.machines;
  const table = Object.fromEntries(Object.entries(machines).map(([k, m]) => [k, { hostname: hostnames(m) }]));
  const declared = Object.keys(machines).join(', ');
  const platformOf = (name: string): string => {
    const m = ownEntry(machines, name);
    return m === undefined ? '' : ` (${machinePlatform(m)})`;
  };

  if (wanted !== undefined) {
    if (ownEntry(machines, wanted) !== undefined) {
      return { machine: wanted, check: { id: 'machine', title, status: 'ok', found: `${wanted}${platformOf(wanted)}, chosen with --machine`, details: [] } };
    }
    const byHost = matchMachine(table, [wanted]);
    if (byHost.ok) {
      return { machine: byHost.machine, check: { id: 'machine', title, status: 'ok', found: `${byHost.machine}${platformOf(byHost.machine)}, whose hostname is ${wanted} (given with --machine)`, details: [] } };
    }
    return {
      check: {
        id: 'machine',
        title,
        status: 'problem',
        code: 'MACHINE_UNKNOWN',
        found: `--machine ${wanted} is not declared in ${loaded.file}`,
        details: [],
        fix: `name one of the declared machines: ${declared}`,
      },
    };
  }

  const names = await computerNames(reads, process.platform);
  const match = matchMachine(table, names);
  if (match.ok) {
    // The name that made the match: the first that matches that machine on its own.
    const by = names.find((n) => {
      const one = matchMachine(table, [n]);
      return one.ok && one.machine === match.machine;
    });
    return {
      machine: match.machine,
      check: { id: 'machine', title, status: 'ok', found: `${match.machine}${platformOf(match.machine)}, matched by this computer's name ${by ?? names[0] ?? ''}`, details: [] },
    };
  }
  const known = names.length > 0 ? names.join(', ') : 'unknown';
  return {
    check: {
      id: 'machine',
      title,
      status: 'problem',
      code: match.reason === 'ambiguous' ? 'MACHINE_AMBIGUOUS' : 'MACHINE_NOT_DETECTED',
      found:
        match.reason === 'ambiguous'
          ? `this computer (${known}) matches several machines: ${match.candidates.join(', ')}`
          : `this computer's names (${known}) match no declared machine's hostname`,
      details: [],
      fix:
        match.reason === 'ambiguous'
          ? `pass --machine NAME, or make the hostnames of ${match.candidates.join(' and ')} tell them apart`
          : `pass --machine NAME (declared: ${declared}), or add one of this computer's names to that machine's hostname`,
    },
  };
}
