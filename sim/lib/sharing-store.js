// The simulated Mac's share points: the "sharing" state section, shared by the sharing simulator
// (which adds, edits, removes and lists them) and the dscl simulator (which reads them as
// /SharePoints records and sets extra attributes on them, such as the Time Machine flag). On a
// real Mac both tools act on the same records in the local directory node; here both act on
// this one list, so a share added with `sharing -a` is the record `dscl . -read` finds.

import { SimulatorFault } from './cli.js';
import { loadState, section, updateSection } from './state.js';

/**
 * A fresh Mac: no share points.
 * @type {Record<string, unknown>}
 */
export const SHARING_DEFAULTS = { shares: [] };

/**
 * The attributes provision sets to make a share a Time Machine destination. Neither is
 * documented for `sharing`; both are ASSUMED (docs/platform-facts.md calls the flag unverified):
 * - flag: "1" on, "0" off (the name used by scripts and other projects);
 * - quota: the size limit in bytes as a decimal string; the name is the one other projects
 *   report the File Sharing settings pane using, the unit is a guess (Apple's neighbouring
 *   quota settings count bytes).
 * The simulator stores them like any other native attribute; they are named here, once, so
 * tests and the README use the same spelling.
 */
export const TIME_MACHINE_ATTRIBUTES = Object.freeze({
  flag: 'dsAttrTypeNative:timeMachineBackup',
  quotaBytes: 'dsAttrTypeNative:backupQuotaSize',
});

export const NATIVE_PREFIX = 'dsAttrTypeNative:';
export const STANDARD_PREFIX = 'dsAttrTypeStandard:';

/**
 * Attributes every share-point record has, derived from the share itself rather than stored:
 * they change only through `sharing`. Names from OS X Server-era share-point records and other
 * projects' dumps (assumed to hold on Big Sur and later).
 */
export const DERIVED_ATTRIBUTES = Object.freeze([
  `${STANDARD_PREFIX}RecordName`,
  `${STANDARD_PREFIX}RecordType`,
  `${NATIVE_PREFIX}directory_path`,
  `${NATIVE_PREFIX}smb_name`,
  `${NATIVE_PREFIX}smb_shared`,
  `${NATIVE_PREFIX}smb_guestaccess`,
]);

/**
 * @typedef {{
 *   name: string,
 *   path: string,
 *   smbName?: string,
 *   shared: boolean,
 *   guest: boolean,
 *   readOnly: boolean,
 *   encrypted: boolean,
 *   attributes: Record<string, string>,
 * }} Share
 */

/** @param {unknown} v @returns {v is Record<string, unknown>} */
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** @param {unknown} v @param {string} where @param {boolean} fallback */
function optionalBoolean(v, where, fallback) {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new SimulatorFault(`${where} must be true or false`);
  return v;
}

/**
 * @param {unknown} raw
 * @param {string} where
 * @returns {Record<string, string>}
 */
function checkAttributes(raw, where) {
  if (raw === undefined) return {};
  if (!isObject(raw)) throw new SimulatorFault(`${where} must be a JSON object`);
  for (const [key, value] of Object.entries(raw)) {
    if (!key.startsWith(NATIVE_PREFIX) || key.length === NATIVE_PREFIX.length) {
      throw new SimulatorFault(`${where}: attribute "${key}" must be named "${NATIVE_PREFIX}<name>"`);
    }
    if (DERIVED_ATTRIBUTES.includes(key)) {
      throw new SimulatorFault(`${where}: "${key}" comes from the share itself; set it through the share's fields`);
    }
    if (typeof value !== 'string') throw new SimulatorFault(`${where}["${key}"] must be a string`);
  }
  return /** @type {Record<string, string>} */ (raw);
}

/**
 * Checks one share as read from the state file (or about to be saved) and fills in the
 * per-field defaults, which are those of `sharing -a` with no options.
 * @param {unknown} s
 * @param {number} i
 * @returns {Share}
 */
function checkShare(s, i) {
  const where = `sharing.shares[${i}]`;
  if (!isObject(s)) throw new SimulatorFault(`${where} must be a JSON object`);
  if (typeof s.name !== 'string' || s.name === '') throw new SimulatorFault(`${where}.name must be a non-empty string`);
  if (typeof s.path !== 'string' || !s.path.startsWith('/')) throw new SimulatorFault(`${where}.path must be an absolute path`);
  if (s.smbName !== undefined && (typeof s.smbName !== 'string' || s.smbName === '')) {
    throw new SimulatorFault(`${where}.smbName must be a non-empty string when given`);
  }
  /** @type {Share} */
  const share = {
    name: s.name,
    path: s.path,
    ...(typeof s.smbName === 'string' ? { smbName: s.smbName } : {}),
    shared: optionalBoolean(s.shared, `${where}.shared`, true),
    guest: optionalBoolean(s.guest, `${where}.guest`, true),
    readOnly: optionalBoolean(s.readOnly, `${where}.readOnly`, false),
    encrypted: optionalBoolean(s.encrypted, `${where}.encrypted`, false),
    attributes: { ...checkAttributes(s.attributes, `${where}.attributes`) },
  };
  return share;
}

/**
 * @param {Record<string, unknown>} raw the section as stored
 * @returns {Share[]}
 */
function checkSection(raw) {
  const shares = raw.shares ?? [];
  if (!Array.isArray(shares)) throw new SimulatorFault('sharing.shares must be a JSON array');
  const checked = shares.map(checkShare);
  const seen = new Set();
  for (const s of checked) {
    if (seen.has(s.name)) throw new SimulatorFault(`sharing.shares: two share points are named "${s.name}"`);
    seen.add(s.name);
  }
  return checked;
}

/** Whether the state asks for an older release's listing, with afp and ftp blocks (`sharing.olderRelease`). */
export function loadOlderRelease() {
  const raw = section(loadState(), 'sharing', SHARING_DEFAULTS);
  return /** @type {{ olderRelease?: unknown }} */ (raw).olderRelease === true;
}

/** The share points as the state file (or the defaults) has them, in list order. */
export function loadShares() {
  return checkSection(section(loadState(), 'sharing', SHARING_DEFAULTS));
}

/**
 * Lets `change` edit the list of share points, then saves the whole state atomically.
 * @param {(shares: Share[]) => Share[] | void} change may edit in place or return a new list
 */
export function updateShares(change) {
  updateSection('sharing', SHARING_DEFAULTS, (raw) => {
    const current = checkSection(raw);
    const next = change(current) ?? current;
    raw.shares = next.map((s, i) => checkShare(s, i));
  });
}

/**
 * @param {Share[]} shares
 * @param {string} name the record name, matched exactly (assumed: case-sensitive)
 */
export function findShare(shares, name) {
  return shares.find((s) => s.name === name);
}

/** The name clients see over SMB: the -S name, else the record name. */
export function smbNameOf(/** @type {Share} */ share) {
  return share.smbName ?? share.name;
}

/**
 * The share point as a directory record: every attribute with its full name and its one
 * value, the derived ones first and the stored ones after.
 * @param {Share} share
 * @returns {[string, string][]}
 */
export function recordAttributes(share) {
  const flag = (/** @type {boolean} */ b) => (b ? '1' : '0');
  /** @type {[string, string][]} */
  const derived = [
    [`${STANDARD_PREFIX}RecordName`, share.name],
    [`${STANDARD_PREFIX}RecordType`, 'dsRecTypeStandard:SharePoints'],
    [`${NATIVE_PREFIX}directory_path`, share.path],
    [`${NATIVE_PREFIX}smb_name`, smbNameOf(share)],
    [`${NATIVE_PREFIX}smb_shared`, flag(share.shared)],
    [`${NATIVE_PREFIX}smb_guestaccess`, flag(share.guest)],
  ];
  return [...derived, ...Object.entries(share.attributes)];
}
