import type { MachineContext } from '../desired/machine-context.js';
import type { ResolvedUser } from '../desired/resolve-users.js';
import { bindKind, type BoundResource } from '../engine/resource-kind.js';
import { mobilesync } from './mobilesync/index.js';
import { music } from './music/index.js';
import { photos } from './photos/index.js';

/** Every resource kind provision manages; adding a kind means adding it here. */
export function bindAllResources(ctx: MachineContext, users: ResolvedUser[]): BoundResource[] {
  return users.flatMap((u) => [...bindKind(mobilesync, ctx, u), ...bindKind(photos, ctx, u), ...bindKind(music, ctx, u)]);
}
