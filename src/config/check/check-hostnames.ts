/**
 * provision recognises the machine it runs on by its name, so no name may belong to two
 * machines. Names compare case-insensitively: Windows and macOS treat them so.
 */

import type { Problem } from '../../errors.js';
import { invalid, type CheckContext } from './check-context.js';
import { hostnames } from '../model/effective.js';
import { quoted } from '../../text/printable.js';

export function checkHostnames({ config, where }: CheckContext): Problem[] {
  const problems: Problem[] = [];
  const owner = new Map<string, string>();
  for (const [machineName, machine] of Object.entries(config.machines)) {
    const names = hostnames(machine);
    names.forEach((name, i) => {
      const key = name.toLowerCase();
      const first = owner.get(key);
      if (first === undefined) {
        owner.set(key, machineName);
      } else if (first !== machineName) {
        const path = typeof machine.hostname === 'string' ? ['machines', machineName, 'hostname'] : ['machines', machineName, 'hostname', i];
        problems.push(
          invalid(
            `Host name ${quoted(name)} is claimed by both machine ${first} and machine ${machineName}`,
            `a computer must match only one machine: remove ${quoted(name)} from one of them`,
            where.value(path),
          ),
        );
      }
    });
  }
  return problems;
}
