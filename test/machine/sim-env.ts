import path from 'node:path';
import { SIM_BIN } from '../sim/run-sim.js';

/** Environment for a host whose PATH finds the simulators first, with the given state file. */
export function simEnv(statePath: string): Record<string, string> {
  return { PATH: `${SIM_BIN}${path.delimiter}${process.env.PATH ?? ''}`, PROVISION_SIM_STATE: statePath };
}

/** Environment whose PATH holds no scutil or diskutil at all (an empty folder). */
export function bareEnv(emptyDir: string): Record<string, string> {
  return { PATH: emptyDir };
}
