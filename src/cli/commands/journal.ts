/**
 * `provision journal list|set-aside`: the way out of a damaged journal entry. list shows every
 * entry, damaged ones with what their move left behind; set-aside renames a damaged entry's
 * file to `<id>.json.damaged-<time>` so that plans are no longer blocked by it. Nothing here
 * deletes anything: an original the move had put aside stays where it is, and plan and status
 * keep showing it (LEFTOVER_ASIDE) until the user has checked it and dealt with it.
 */

import os from 'node:os';
import path from 'node:path';
import { errnoCode, ProvisionError } from '../../errors.js';
import { createHost } from '../../host/create-host.js';
import { acquireApplyLock, lockPath } from '../../engine/lock/apply-lock.js';
import { isRestoreEntry, readJournals, SET_ASIDE_MARK } from '../../engine/journal/journal.js';
import { damagedFix, damagedLeftBehind, describeTemp, findJournalProblems, orphanFix, orphanReason } from '../../engine/journal/journal-findings.js';
import type { Style } from '../../text/style.js';
import { openSession, type CommonOptions } from '../../app/session.js';

export async function journalListCommand(opts: CommonOptions, style: Style): Promise<number> {
  const reads = createHost('read-only');
  const run = await openSession(opts, reads);
  const users = run.users.map((u) => u.desired.name);
  const scan = await readJournals(reads, run.journalDirs.read);
  const problems = await findJournalProblems(reads, scan, run.resources, users);
  process.stderr.write(style.dim(`Using ${run.loaded.file} (${run.configSource}); journal folders: ${run.journalDirs.read.join(', ')}\n`));
  const out: string[] = [];
  for (const e of scan.entries) {
    const what = isRestoreEntry(e) ? 'restore' : 'move';
    out.push(`${e.id}: ${e.user}: ${e.title}, ${what} at phase ${e.phase}, started ${e.startedAt}: ${e.path}`);
    out.push(`  finish it: provision ${isRestoreEntry(e) ? 'restore' : 'apply'} (with the drive connected)`);
  }
  for (const d of problems.damaged) {
    out.push(style.red(`${d.entry.id === '' ? d.entry.file : d.entry.id}: damaged: ${d.entry.file}: ${d.entry.reason}`));
    out.push(`  ${damagedLeftBehind(d)}`);
    out.push(`  to do: ${damagedFix(d)}`);
  }
  for (const o of problems.orphans) {
    out.push(style.yellow(`left over: ${orphanReason(o)}`));
    out.push(`  to do: ${orphanFix(o)}`);
  }
  for (const s of scan.setAside) out.push(style.dim(`set aside earlier: ${s.file}`));
  process.stdout.write(out.length === 0 ? 'The journal is empty: no move or restore is unfinished.\n' : `${out.join('\n')}\n`);
  return problems.damaged.length + problems.orphans.length > 0 ? 1 : 0;
}

/**
 * Sets a damaged entry's file aside in every journal folder that holds it. Taken under the
 * apply lock, so that no apply is reading or finishing the journal meanwhile. An entry that can
 * be read is refused: apply or restore finishes it.
 */
export async function journalSetAsideCommand(id: string, opts: CommonOptions, style: Style): Promise<number> {
  const reads = createHost('read-only');
  const host = createHost('real');
  const run = await openSession(opts, reads);
  const lock = await acquireApplyLock(host, lockPath(run.ctx.platform, run.ctx.paths.toHost), {
    command: 'provision journal set-aside',
    user: os.userInfo().username,
    ...(run.ctx.paths.root === undefined ? {} : { root: run.ctx.paths.root }),
  });
  try {
    const scan = await readJournals(reads, run.journalDirs.read);
    const good = scan.entries.find((e) => e.id === id);
    if (good !== undefined) {
      throw new ProvisionError('USAGE', `journal entry ${id} is not damaged: it can be finished, so it is not set aside`, {
        hint: `run provision ${isRestoreEntry(good) ? 'restore' : 'apply'} with the drive connected; it is finished from where it stopped`,
      });
    }
    const damaged = scan.damaged.find((d) => d.id === id && id !== '');
    if (damaged === undefined) {
      const known = scan.damaged.map((d) => d.id).filter((d) => d !== '');
      throw new ProvisionError('USAGE', `no damaged journal entry ${id} in ${run.journalDirs.read.join(', ')}`, {
        hint: known.length > 0 ? `damaged entries: ${known.join(', ')}` : 'provision journal list shows the journal',
      });
    }
    const problems = await findJournalProblems(reads, scan, run.resources, run.users.map((u) => u.desired.name));
    const left = problems.damaged.find((d) => d.entry.id === id);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const moved: string[] = [];
    for (const dir of run.journalDirs.read) {
      const file = path.join(dir, `${id}.json`);
      if ((await reads.lstat(file)) === undefined) continue;
      const to = path.join(dir, `${id}${SET_ASIDE_MARK}${stamp}`);
      try {
        await host.rename(file, to);
      } catch (e) {
        const code = errnoCode(e);
        if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS') throw e;
        throw new ProvisionError(code === 'EROFS' ? 'IO' : 'PERMISSION', `Cannot rename ${file} (${code})${moved.length > 0 ? `; already set aside: ${moved.join(', ')}` : ''}.`, {
          hint: code === 'EROFS' ? `mount the disk holding ${dir} read-write, then run this again` : `run it as the owner of ${dir} (sudo provision journal set-aside ${id} for /var/db/provision)`,
          cause: e,
        });
      }
      moved.push(`${file} -> ${to}`);
    }
    const lines = [`Set aside the damaged journal entry ${id} (nothing was deleted):`, ...moved.map((m) => `  ${m}`)];
    const asideFolders = left?.found.filter((t) => t.role === 'aside') ?? [];
    if (asideFolders.length > 0) {
      lines.push(style.yellow('Its move had put these aside; plan and status show them until you have dealt with them:'));
      for (const t of asideFolders) lines.push(`  ${describeTemp(t)}`);
      const where = asideFolders.map((t) => t.compareWith).find((c) => c !== undefined) ?? 'the declared folder on the drive';
      lines.push(`Check that everything in them is in ${where}, copy there whatever is missing, then delete them yourself.`);
    }
    const partials = left?.found.filter((t) => t.role !== 'aside') ?? [];
    for (const t of partials) lines.push(`Also left: ${describeTemp(t)}: a copy only, not your original data; you may delete it.`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await lock.release();
  }
}
