import { activeListings } from '../config/model/effective.js';
import type { HostReads } from '../host/host.js';
import type { Session } from '../app/session.js';
import type { DoctorCheck } from './types.js';

/**
 * The users this run looks at (chosen as plan chooses them: --user, everyone as root, else
 * you), and whether each one's home folder is there: every location of a user is a path in it.
 */
export async function checkUsers(run: Session, only: string | undefined, reads: HostReads): Promise<DoctorCheck> {
  const { ctx } = run;
  const declared = activeListings(ctx.loaded.config, ctx.name).map((l) => l.name);
  const how =
    only !== undefined
      ? 'chosen with --user'
      : ctx.runningAsRoot
        ? `every user of ${ctx.name}, since provision runs as root`
        : `you (${ctx.invoker.name}); run as root to look at every user of ${ctx.name}`;
  if (run.users.length === 0) {
    return {
      id: 'users',
      title: 'Users',
      status: 'ok',
      found: `none looked at: you (${ctx.invoker.name}) are not a user of ${ctx.name}, so only the machine's own resources are checked (its users: ${declared.join(', ') || 'none'})`,
      details: [],
    };
  }
  const details: string[] = [];
  const missing: string[] = [];
  for (const u of run.users) {
    const st = await reads.lstat(u.desired.home.host);
    if (st?.kind === 'directory') details.push(`${u.desired.name}: home ${u.desired.home.machine}`);
    else {
      missing.push(u.desired.name);
      details.push(`${u.desired.name}: home ${u.desired.home.machine} ${st === undefined ? 'does not exist' : 'is not a folder'}`);
    }
  }
  const names = run.users.map((u) => u.desired.name).join(', ');
  if (missing.length === 0) {
    return { id: 'users', title: 'Users', status: 'ok', found: `${names} (${how})`, details };
  }
  return {
    id: 'users',
    title: 'Users',
    status: 'problem',
    code: 'HOME_MISSING',
    found: `${names} (${how}); the home of ${missing.join(', ')} is missing`,
    details,
    fix: `every location is a path in the user's home: create the account on ${ctx.name}, or give its home in the declaration (users.${missing[0] ?? 'NAME'}.home)`,
  };
}
