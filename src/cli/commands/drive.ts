/**
 * `provision drive adopt <user>`: gives a person's own folders on the declared drives to their
 * uid on this machine (app/drive-adopt.ts), when plan blocked with OWNER_MISMATCH. Root only;
 * shows what would change and asks on the terminal, or, without one, goes ahead only when
 * --confirm names the same user. Taken under the apply lock, so that no apply moves meanwhile.
 */

import os from 'node:os';
import { ProvisionError } from '../../errors.js';
import { createHost } from '../../host/create-host.js';
import { acquireApplyLock, lockPath } from '../../engine/lock/apply-lock.js';
import { applyAdopt, planAdopt } from '../../app/drive-adopt.js';
import { openSession } from '../../app/session.js';
import type { Style } from '../../text/style.js';
import { confirm } from '../confirm.js';

export interface DriveAdoptOptions {
  config?: string;
  machine?: string;
  root?: string;
  /** The user again: consent without a terminal. */
  confirm?: string;
}

export async function driveAdoptCommand(user: string, opts: DriveAdoptOptions, style: Style): Promise<number> {
  if (opts.confirm !== undefined && opts.confirm !== user) {
    throw new ProvisionError('USAGE', `--confirm ${opts.confirm} does not name the user to adopt for (${user})`, { hint: `pass --confirm ${user}` });
  }
  if (process.getuid?.() !== 0) {
    throw new ProvisionError('NEEDS_ROOT', `giving ${user}'s folders on a drive to ${user} changes their owner, which only root may do`, {
      hint: `run sudo provision drive adopt ${user}`,
    });
  }
  const reads = createHost('read-only');
  const run = await openSession({ ...opts, user }, reads);
  if (run.ctx.platform === 'windows') {
    throw new ProvisionError('USAGE', 'Windows keeps no Unix owners on a drive: there is nothing to adopt', { hint: 'use the folder\'s Properties > Security on Windows' });
  }
  const host = createHost('real');
  const lock = await acquireApplyLock(host, lockPath(run.ctx.platform, run.ctx.paths.toHost), {
    command: `provision drive adopt ${user}`,
    user: os.userInfo().username,
    ...(run.ctx.paths.root === undefined ? {} : { root: run.ctx.paths.root }),
  });
  try {
    const plan = await planAdopt(reads, run, user);
    const lines: string[] = [];
    for (const f of plan.folders) {
      lines.push(
        f.others.length === 0
          ? `${f.folder.machine} on drive ${f.drive.name}: already ${user}'s (uid ${plan.uid})`
          : `${f.folder.machine} on drive ${f.drive.name}: ${f.others.length} item(s) owned by uid ${f.fromUids.join(', ')} -> ${user} (uid ${plan.uid})`,
      );
    }
    for (const s of plan.skipped) lines.push(style.dim(`left alone: ${s}`));
    process.stdout.write(lines.length === 0 ? `${user} has no folder declared on a drive of machine ${run.ctx.name}.\n` : `${lines.join('\n')}\n`);
    const todo = plan.folders.reduce((n, f) => n + f.others.length, 0);
    if (todo === 0) {
      process.stdout.write('Nothing to change.\n');
      return 0;
    }
    if (opts.confirm === undefined) {
      if (!process.stdin.isTTY) {
        throw new ProvisionError('NEEDS_YES', `giving ${todo} item(s) to ${user} needs confirmation, and there is no terminal to ask on`, {
          hint: `check the list above, then run again with --confirm ${user}`,
        });
      }
      const ok = await confirm(`Give these ${todo} item(s) to ${user} (uid ${plan.uid})? Only the owner changes; nothing of anyone else is touched.`);
      if (!ok) throw new ProvisionError('DECLINED', 'drive adopt cancelled: nothing was changed');
    }
    const changed = await applyAdopt(host, plan);
    process.stdout.write(style.bold(`Gave ${changed} item(s) to ${user} (uid ${plan.uid}).\n`));
    return 0;
  } finally {
    await lock.release();
  }
}
