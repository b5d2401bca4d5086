/**
 * Time Machine destinations and shared folders: a destination names a drive or another
 * machine's Time Machine share (machine/name) that one of this Mac's users may use; Time
 * Machine is set up on Macs only, and shares on Macs and Linux; a machine's share names are
 * unique (SMB compares them ignoring case); each drive or share is a destination once.
 */

import type { Problem } from '../../errors.js';
import { invalid, type CheckContext } from './check-context.js';
import { describePath } from './describe-path.js';
import { didYouMean } from './did-you-mean.js';
import { machinePlatform } from '../model/effective.js';
import { ownEntry } from '../model/own-entry.js';
import { quoted } from '../../text/printable.js';
import { findShare, parseShareRef, serverShareAccount, shareAccount, type ShareRef } from '../model/share-refs.js';
import type { DeclaredConfig, DeclaredServer } from '../model/declared.js';
import type { ConfigLocator } from '../read/yaml-locator.js';

export function checkTimeMachine({ config, where }: CheckContext): Problem[] {
  const problems: Problem[] = [];
  for (const [machineName, machine] of Object.entries(config.machines)) {
    const platform = machinePlatform(machine);
    const base = ['machines', machineName];
    if (machine.timemachine !== undefined && platform !== 'macos') {
      problems.push(
        invalid(
          `Machine ${machineName} is ${platform}, but timemachine: is for Macs`,
          'declare Time Machine destinations on the Macs that back up; a Linux machine offers them a share with shares:',
          where.key([...base, 'timemachine']),
        ),
      );
    }
    if (machine.shares !== undefined && platform === 'windows') {
      problems.push(
        invalid(
          `Machine ${machineName} is Windows, where provision does not set up shared folders`,
          'share the folder from a Mac or a Linux machine instead',
          where.key([...base, 'shares']),
        ),
      );
    }

    const names = new Map<string, number>();
    (machine.shares ?? []).forEach((share, i) => {
      const key = share.name.toLowerCase();
      const first = names.get(key);
      if (first !== undefined) {
        problems.push(
          invalid(
            `Machine ${machineName} shares two folders as ${quoted(share.name)} (share names ignore case)`,
            `give one of them another name; the first is ${describePath([...base, 'shares', first])}`,
            where.value([...base, 'shares', i, 'name']),
          ),
        );
      } else {
        names.set(key, i);
      }
    });

    const seen = new Set<string>();
    (machine.timemachine?.destinations ?? []).forEach((dest, i) => {
      const path = [...base, 'timemachine', 'destinations', i];
      if ((dest.drive === undefined) === (dest.share === undefined)) {
        problems.push(
          invalid(
            `${describePath(path)} must name either a drive or a share`,
            'write `drive: <name>` for a drive plugged into this Mac, or `share: <machine>/<share>` for another machine\'s share',
            where.value(path),
          ),
        );
        return;
      }
      const key = dest.drive !== undefined ? `drive:${dest.drive}` : `share:${(dest.share ?? '').toLowerCase()}`;
      if (seen.has(key)) {
        problems.push(invalid(`${describePath(path)} is listed twice`, 'list each destination once', where.value(path)));
        return;
      }
      seen.add(key);
      if (dest.share === undefined) return;
      const ref = parseShareRef(dest.share);
      const sharePath = [...path, 'share'];
      const host = ownEntry(config.machines, ref.machine);
      const server = host === undefined ? ownEntry(config.servers, ref.machine) : undefined;
      if (server !== undefined) {
        problems.push(...checkServerDestination(config, machineName, ref, server, sharePath, where));
        return;
      }
      if (host === undefined) {
        const machines = [...Object.keys(config.machines), ...Object.keys(config.servers ?? {})];
        const guess = didYouMean(ref.machine, machines);
        problems.push(
          invalid(
            `${describePath(sharePath)} names machine ${quoted(ref.machine)}, which is not declared under machines: or servers:`,
            guess === undefined ? `declared machines and servers: ${machines.join(', ')}` : `did you mean ${quoted(`${guess}/${ref.name}`)}?`,
            where.value(sharePath),
          ),
        );
        return;
      }
      if (ref.machine === machineName) {
        problems.push(
          invalid(
            `${describePath(sharePath)} names a share of this same machine`,
            'a Mac backs up to its own drive directly: write `drive: <name>` instead',
            where.value(sharePath),
          ),
        );
        return;
      }
      const share = findShare(config, ref);
      if (share === undefined) {
        const offered = (host.shares ?? []).map((s) => s.name);
        const guess = didYouMean(ref.name, offered);
        problems.push(
          invalid(
            `${describePath(sharePath)}: machine ${ref.machine} shares no folder named ${quoted(ref.name)}`,
            guess !== undefined
              ? `did you mean ${quoted(`${ref.machine}/${guess}`)}?`
              : offered.length > 0
                ? `its shares: ${offered.join(', ')}`
                : `declare it under machines.${ref.machine}.shares`,
            where.value(sharePath),
          ),
        );
        return;
      }
      if (share.timemachine === undefined) {
        problems.push(
          invalid(
            `${describePath(sharePath)}: share ${quoted(share.name)} of machine ${ref.machine} is not offered to Time Machine`,
            `add \`timemachine: {}\` (or a quota) to that share`,
            where.value(sharePath),
          ),
        );
        return;
      }
      if (shareAccount(config, machineName, share) === undefined) {
        problems.push(
          invalid(
            `None of machine ${machineName}'s users may use share ${ref.machine}/${share.name}, which lets in ${share.users.join(', ')}`,
            `add one of ${machineName}'s users to that share's users, so this Mac can sign in to it`,
            where.value(sharePath),
          ),
        );
      }
    });
  }
  return problems;
}

/** A destination on a server provision does not manage: the share is declared there, and the Mac has an account to sign in as. */
function checkServerDestination(config: DeclaredConfig, machineName: string, ref: ShareRef, server: DeclaredServer, sharePath: (string | number)[], where: ConfigLocator): Problem[] {
  const share = server.shares.find((s) => s.name.toLowerCase() === ref.name.toLowerCase());
  if (share === undefined) {
    const offered = server.shares.map((s) => s.name);
    const guess = didYouMean(ref.name, offered);
    return [
      invalid(
        `${describePath(sharePath)}: server ${ref.machine} has no share named ${quoted(ref.name)}`,
        guess !== undefined ? `did you mean ${quoted(`${ref.machine}/${guess}`)}?` : `its shares: ${offered.join(', ')}; or declare it under servers.${ref.machine}.shares`,
        where.value(sharePath),
      ),
    ];
  }
  if (serverShareAccount(config, machineName, share) !== undefined) return [];
  return [
    share.users !== undefined
      ? invalid(
          `None of machine ${machineName}'s users has an account on ${ref.machine}/${share.name}, which lists ${share.users.join(', ')}`,
          `add one of ${machineName}'s users to that share's users, or give the share the one account every Mac signs in as (account: NAME)`,
          where.value(sharePath),
        )
      : invalid(
          `Machine ${machineName} lists no users, so provision cannot tell which account it signs in to ${ref.machine}/${share.name} as`,
          `give that share the account every Mac signs in as (account: NAME under servers.${ref.machine}.shares), or list its users`,
          where.value(sharePath),
        ),
  ];
}
