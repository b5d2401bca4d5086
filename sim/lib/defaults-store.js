// The simulated user defaults: the "defaults" state section, one set of domains per user,
// keyed by uid (as a string), because the real defaults(1) acts on the invoking user's
// preferences and provision reaches another user's with `sudo -u <user> defaults ...`.
// Values are strings, numbers or booleans: all that provision writes (paths) and a little more.

import { SimulatorFault } from './cli.js';
import { effectiveUid } from './privilege.js';
import { loadState, section, updateSection } from './state.js';

/** A fresh Mac: no user has any preference set. */
export const DEFAULTS_DEFAULTS = { users: {} };

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** @param {unknown} value @param {string} where */
function checkValue(value, where) {
  if (typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number' && Number.isFinite(value)) return;
  throw new SimulatorFault(`defaults value ${where} must be a string, number or boolean`);
}

/**
 * The invoking user's domains, checked: uid -> domain -> key -> value.
 * @returns {Record<string, Record<string, string | number | boolean>>}
 */
export function userDomains() {
  const store = section(loadState(), 'defaults', DEFAULTS_DEFAULTS);
  const users = store.users ?? {};
  if (!isObject(users)) throw new SimulatorFault('defaults.users must be a JSON object keyed by uid');
  const uid = String(effectiveUid());
  const domains = users[uid] ?? {};
  if (!isObject(domains)) throw new SimulatorFault(`defaults.users.${uid} must be a JSON object keyed by domain`);
  for (const [domain, keys] of Object.entries(domains)) {
    if (!isObject(keys)) throw new SimulatorFault(`defaults.users.${uid}.${domain} must be a JSON object`);
    for (const [key, value] of Object.entries(keys)) checkValue(value, `${uid}/${domain}/${key}`);
  }
  return domains;
}

/**
 * Changes one domain of the invoking user and saves the whole state atomically. `change` gets
 * the domain's keys (created empty when absent); a domain left empty is removed, as a deleted
 * preferences file would be.
 * @param {string} domain
 * @param {(keys: Record<string, string | number | boolean>) => void} change
 */
export function updateDomain(domain, change) {
  const uid = String(effectiveUid());
  updateSection('defaults', DEFAULTS_DEFAULTS, (store) => {
    if (!isObject(store.users)) store.users = {};
    const domains = isObject(store.users[uid]) ? store.users[uid] : {};
    const keys = isObject(domains[domain]) ? domains[domain] : {};
    change(keys);
    if (Object.keys(keys).length === 0) delete domains[domain];
    else domains[domain] = keys;
    store.users[uid] = domains;
  });
}
