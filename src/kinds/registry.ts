import type { MachineContext } from '../desired/machine-context.js';
import type { ResolvedUser } from '../desired/resolve-users.js';
import { bindKind, bindMachineKind, type BoundResource } from '../engine/kind.js';
import { mobilesync } from './mobilesync/index.js';
import { music } from './music/index.js';
import { photos } from './photos/index.js';
import { samba } from './shares/samba/index.js';
import { macShares } from './shares/mac/index.js';
import { timemachine } from './timemachine/index.js';

/**
 * Every resource kind provision manages; adding a kind means adding it here. The users' come
 * first, then the machine's own (Time Machine, shares), which are left out when the run is
 * narrowed to one user with --user.
 */
export function bindAllResources(ctx: MachineContext, users: ResolvedUser[], options: { machineLevel: boolean }): BoundResource[] {
  const perUser = users.flatMap((u) => [...bindKind(mobilesync, ctx, u), ...bindKind(photos, ctx, u), ...bindKind(music, ctx, u)]);
  return options.machineLevel ? [...perUser, ...bindMachineKind(timemachine, ctx), ...bindMachineKind(samba, ctx), ...bindMachineKind(macShares, ctx)] : perUser;
}
