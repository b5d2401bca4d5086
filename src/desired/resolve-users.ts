import { machineUsers, type EffectiveUser } from '../config/model/effective.js';
import { ProvisionError } from '../errors.js';
import { defaultHome } from './default-home.js';
import { dual, type MachineContext } from './machine-context.js';
import type { DualPath } from '../machine/path-mapper.js';

/** A user's account on this machine: name and home. */
export interface UserPlace {
  name: string;
  home: DualPath;
  /** Where the user is listed for this machine in the declaration. */
  configPath: (string | number)[];
}

export interface ResolvedUser {
  effective: EffectiveUser;
  desired: UserPlace;
}

/**
 * Which users this run provisions: --user when given; when running as root, every user
 * declared on the machine; otherwise the invoking user, who must be declared there.
 */
export function resolveUsers(ctx: MachineContext, only: string | undefined): ResolvedUser[] {
  const all = machineUsers(ctx.loaded.config, ctx.name);
  const names = all.map((u) => u.name);
  let chosen: EffectiveUser[];
  if (only !== undefined) {
    chosen = all.filter((u) => u.name === only);
    if (chosen.length === 0) {
      throw new ProvisionError('USER_UNKNOWN', `user ${only} is not declared on machine ${ctx.name}`, {
        hint: `users on ${ctx.name}: ${names.join(', ') || '(none)'}; pass one of them to --user`,
      });
    }
  } else if (ctx.runningAsRoot) {
    chosen = all;
  } else {
    chosen = all.filter((u) => u.name === ctx.invoker.name);
    // A machine with its own resources (shares, Time Machine) has work without any user.
    const machine = ctx.loaded.config.machines[ctx.name];
    const ownWork = (machine?.shares?.length ?? 0) > 0 || machine?.timemachine !== undefined;
    if (chosen.length === 0 && !ownWork) {
      throw new ProvisionError('NO_USERS', `you (${ctx.invoker.name}) are not declared on machine ${ctx.name}`, {
        hint: `users on ${ctx.name}: ${names.join(', ') || '(none)'}; use --user NAME, run as root to provision all of them, or add ${ctx.invoker.name} to the machine's users`,
      });
    }
  }
  return chosen.map((effective) => ({ effective, desired: desiredUser(ctx, effective) }));
}

function desiredUser(ctx: MachineContext, u: EffectiveUser): UserPlace {
  // Without --root the invoking user's real home is known; everyone else's follows the
  // platform's convention unless the declaration names it.
  const ownHome = u.name === ctx.invoker.name ? ctx.invoker.home : undefined;
  const home = u.home ?? ownHome ?? defaultHome(ctx.platform, u.name);
  return { name: u.name, home: dual(ctx, home), configPath: u.path };
}
