// The simulated process table: the "pgrep" state section. Each process has a pid, the name of
// its owner, optionally the owner's uid, and its name (what `pgrep -x` compares, i.e. the
// executable's name, e.g. "Photos"). An optional "users" map (name -> uid) lists the accounts
// that exist; without it any user name is accepted, as if every account existed.

import { SimulatorFault } from './cli.js';
import { loadState, section } from './state.js';

/** A Mac with defaults runs nothing provision asks about. */
export const PGREP_DEFAULTS = { processes: [] };

/**
 * @typedef {{ pid: number, user: string, uid: number | undefined, name: string }} SimProcess
 */

/** @param {unknown} p @param {number} i @returns {SimProcess} */
function checkProcess(p, i) {
  if (p === null || typeof p !== 'object' || Array.isArray(p)) throw new SimulatorFault(`pgrep.processes[${i}] must be a JSON object`);
  const { pid, user, uid, name } = /** @type {Record<string, unknown>} */ (p);
  if (!Number.isInteger(pid) || /** @type {number} */ (pid) <= 0) throw new SimulatorFault(`pgrep.processes[${i}].pid must be a positive integer`);
  if (typeof user !== 'string' || user === '') throw new SimulatorFault(`pgrep.processes[${i}].user must be a non-empty string`);
  if (uid !== undefined && (!Number.isInteger(uid) || /** @type {number} */ (uid) < 0)) {
    throw new SimulatorFault(`pgrep.processes[${i}].uid must be a non-negative integer`);
  }
  if (typeof name !== 'string' || name === '') throw new SimulatorFault(`pgrep.processes[${i}].name must be a non-empty string`);
  return { pid: /** @type {number} */ (pid), user, uid: /** @type {number | undefined} */ (uid), name };
}

/** @returns {{ processes: SimProcess[], users: Record<string, number> | undefined }} */
export function loadProcessTable() {
  const table = section(loadState(), 'pgrep', PGREP_DEFAULTS);
  const list = table.processes ?? [];
  if (!Array.isArray(list)) throw new SimulatorFault('pgrep.processes must be a JSON array');
  const users = table.users;
  if (users !== undefined) {
    if (users === null || typeof users !== 'object' || Array.isArray(users)) throw new SimulatorFault('pgrep.users must be a JSON object (name -> uid)');
    for (const [n, u] of Object.entries(users)) {
      if (!Number.isInteger(u) || u < 0) throw new SimulatorFault(`pgrep.users.${n} must be a non-negative integer uid`);
    }
  }
  return { processes: list.map(checkProcess), users };
}
