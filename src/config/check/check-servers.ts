/**
 * Servers provision does not manage (servers:): a name that is no machine's (a share reference
 * `name/share` must mean one thing), host names no machine claims (provision recognises the
 * machine it runs on by them), share names unique per server (SMB compares them ignoring case)
 * and users that are declared.
 */

import type { Problem } from '../../errors.js';
import { invalid, unknownNameHint, type CheckContext } from './check-context.js';
import { describePath } from './describe-path.js';
import { didYouMean } from './did-you-mean.js';
import { hostnames } from '../model/effective.js';
import { hasOwnEntry } from '../model/own-entry.js';
import { quoted } from '../../text/printable.js';

export function checkServers({ config, where }: CheckContext): Problem[] {
  const problems: Problem[] = [];
  const machineNames = new Map<string, string>();
  for (const [name, machine] of Object.entries(config.machines)) for (const h of hostnames(machine)) machineNames.set(h.toLowerCase(), name);
  const userNames = Object.keys(config.users ?? {});
  for (const [serverName, server] of Object.entries(config.servers ?? {})) {
    const base = ['servers', serverName];
    if (hasOwnEntry(config.machines, serverName)) {
      problems.push(
        invalid(
          `${quoted(serverName)} is declared both as a machine and as a server`,
          'a share is named as NAME/share, so each name must be one thing: rename the server',
          where.key(base),
        ),
      );
    }
    hostnames(server).forEach((h, i) => {
      const owner = machineNames.get(h.toLowerCase());
      if (owner === undefined) return;
      problems.push(
        invalid(
          `Host name ${quoted(h)} of server ${serverName} is also machine ${owner}'s`,
          `a server listed under servers: is one provision does not run on; if ${owner} is that machine, declare its shares under machines.${owner}.shares instead`,
          where.value(typeof server.hostname === 'string' ? [...base, 'hostname'] : [...base, 'hostname', i]),
        ),
      );
    });
    const seen = new Map<string, number>();
    server.shares.forEach((share, i) => {
      const key = share.name.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) {
        problems.push(
          invalid(
            `Server ${serverName} lists share ${quoted(share.name)} twice (share names ignore case)`,
            `list it once; the first is ${describePath([...base, 'shares', first])}`,
            where.value([...base, 'shares', i, 'name']),
          ),
        );
      } else seen.set(key, i);
      (share.users ?? []).forEach((u, j) => {
        if (hasOwnEntry(config.users, u)) return;
        problems.push(
          invalid(
            `Share ${quoted(share.name)} of server ${serverName} lists user ${quoted(u)}, who is not declared under users:`,
            unknownNameHint(u, userNames, 'users', didYouMean(u, userNames)),
            where.value([...base, 'shares', i, 'users', j]),
          ),
        );
      });
    });
  }
  return problems;
}
