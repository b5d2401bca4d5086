import path from 'node:path';
import { computePlan, runHeader } from '../app/plan.js';
import { changeNeedsRoot } from '../kinds/registry.js';
import { openSession, type CommonOptions, type Session } from '../app/session.js';
import { isProvisionError } from '../errors.js';
import type { HostReads } from '../host/host.js';
import { checkDeclaration } from './check-declaration.js';
import { checkDrives } from './check-drives.js';
import { checkFullDiskAccess } from './check-full-disk-access.js';
import { checkApplyLock, checkJournal } from './check-journal.js';
import { checkMachine } from './check-machine.js';
import { checkRoot } from './check-root.js';
import { checkScheduledRuns } from './check-scheduled-runs.js';
import { checkTools } from './check-tools.js';
import { checkUsers } from './check-users.js';
import type { DoctorCheck, DoctorReport } from './types.js';

/**
 * Runs every check, in the order a plan needs things: the declaration, this machine, its users,
 * then what reading and changing them takes (Full Disk Access, root, drives, tools) and what an
 * earlier apply left. A check that everything after it depends on stops the run when it fails.
 * Reads only: `reads` is the read-only host, and the plan is made exactly as `plan` makes it.
 */
export async function runDoctor(opts: CommonOptions, reads: HostReads): Promise<DoctorReport> {
  const report: DoctorReport = {
    formatVersion: 1,
    users: [],
    homes: {},
    runningAsRoot: process.getuid?.() === 0,
    checks: [],
    ...(opts.root === undefined ? {} : { root: path.resolve(opts.root) }),
  };
  const add = (c: DoctorCheck | undefined): void => {
    if (c !== undefined) report.checks.push(c);
  };

  const declaration = await checkDeclaration(opts.config);
  add(declaration.check);
  const loaded = declaration.loaded;
  if (loaded === undefined) return { ...report, stopped: 'the declaration could not be read, so nothing else was checked' };
  report.configFile = loaded.file;

  const found = await checkMachine(loaded, opts.machine, reads);
  add(found.check);
  if (found.machine === undefined) return { ...report, stopped: 'no declared machine is this one, so what it needs is not known' };

  const chosen: CommonOptions = { ...opts, machine: found.machine };
  let run: Session;
  try {
    run = await openSession(chosen, reads, { loaded, source: declaration.source ?? '' });
  } catch (e) {
    // The machine is known, but its users are not (or it is another platform's): say which.
    if (!isProvisionError(e) || e.code === 'ROOT_INVALID') throw e;
    const id = e.code === 'PLATFORM_MISMATCH' ? 'machine' : 'users';
    add({ id, title: id === 'machine' ? 'This machine' : 'Users', status: 'problem', code: e.code, found: e.message, details: [], ...(e.hint === undefined ? {} : { fix: e.hint }) });
    return { ...report, machine: found.machine, stopped: 'the users to look at are not known, so nothing else was checked' };
  }
  const header = runHeader(run);
  report.machine = header.machine;
  report.platform = run.ctx.platform;
  report.users = header.users;
  report.homes = header.homes;
  report.runningAsRoot = run.ctx.runningAsRoot;

  add(await checkUsers(run, opts.user, reads));
  add(await checkFullDiskAccess(run, reads));
  add(await rootCheck(run, reads));
  for (const c of await checkDrives(run, reads)) add(c);
  add(await checkTools(run, { machineGiven: opts.machine !== undefined }, reads));
  add(await checkJournal(run, reads));
  add(await checkApplyLock(run, reads));
  for (const c of await checkScheduledRuns(run, reads)) add(c);
  return report;
}

/** The root check needs the plan; a plan that cannot be made is reported there, not thrown. */
async function rootCheck(run: Session, reads: HostReads): Promise<DoctorCheck | undefined> {
  try {
    const { plan } = await computePlan(run, reads);
    return checkRoot(plan, run.ctx.runningAsRoot, (c) => changeNeedsRoot(c, run.desired));
  } catch (e) {
    if (!isProvisionError(e)) throw e;
    return {
      id: 'root',
      title: 'Root',
      status: 'warning',
      code: 'PLAN_FAILED',
      found: `could not tell whether the plan needs root: planning failed: ${e.message}`,
      details: [],
      fix: e.hint ?? 'run provision plan to see the error',
    };
  }
}
