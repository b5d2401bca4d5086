/**
 * Checks beyond the schema's reach: names that must refer to something declared, hostnames and
 * folders that must not be shared, paths that must make sense on each machine. Every check runs
 * and all problems are reported together. They read the declaration through effective.ts, the
 * same functions the resolver uses, so what passes here is what gets planned.
 * Runs only on a declaration that passed the schema: the checks rely on its shape.
 */

import type { Problem } from '../../errors.js';
import type { Check, CheckContext } from './check-context.js';
import { checkDrives } from './check-drives.js';
import { checkHostnames } from './check-hostnames.js';
import { checkLibraries } from './check-libraries.js';
import { checkLocations } from './check-locations.js';
import { checkMachineUsers } from './check-machine-users.js';
import { checkReferences } from './check-references.js';
import { checkTimeMachine } from './check-timemachine.js';
import { checkServers } from './check-servers.js';
import type { DeclaredConfig } from '../model/declared.js';
import type { ConfigLocator } from '../read/yaml-locator.js';

const CHECKS: readonly Check[] = [checkReferences, checkHostnames, checkMachineUsers, checkLocations, checkLibraries, checkDrives, checkServers, checkTimeMachine];

export function checkSemantics(config: DeclaredConfig, where: ConfigLocator): Problem[] {
  const ctx: CheckContext = { config, where };
  return CHECKS.flatMap((check) => check(ctx));
}
