import type { MachineContext } from '../../desired/machine-context.js';
import type { ResolvedUser } from '../../desired/resolve-users.js';
import { defaultHome } from '../../desired/default-home.js';

/**
 * Where provision keeps its journal on the machine (under --root when given). Run as root it
 * uses /var/db/provision (the macOS place for system state); run as a user, that user's
 * ~/.local/state/provision; on Windows C:\ProgramData\provision. $PROVISION_STATE_DIR (a host
 * path) overrides both. When reading, the users' own folders are read as well, so a root run
 * sees a move that a user's run left unfinished.
 */
export function stateDirs(
  ctx: MachineContext,
  users: readonly ResolvedUser[],
  env: Record<string, string | undefined>,
): { write: string; read: string[] } {
  const override = env['PROVISION_STATE_DIR'];
  if (override !== undefined && override !== '') return { write: override, read: [override] };
  // Windows has one machine-wide place every user may create folders in.
  if (ctx.platform === 'windows') {
    const dir = ctx.paths.toHost('C:\\ProgramData\\provision');
    return { write: dir, read: [dir] };
  }
  const m = ctx.paths.machine;
  const userDir = (home: string): string => m.join(home, '.local', 'state', 'provision');
  const ownHome = ctx.invoker.home ?? defaultHome(ctx.platform, ctx.invoker.name);
  const write = ctx.runningAsRoot ? ctx.paths.toHost('/var/db/provision') : ctx.paths.toHost(userDir(ownHome));
  const read = [write, ...users.map((u) => ctx.paths.toHost(userDir(u.desired.home.machine)))];
  return { write, read: [...new Set(read)] };
}
