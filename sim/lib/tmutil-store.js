// The simulated Time Machine settings: the "tmutil" state section, checked and completed with
// defaults, plus the deterministic destination IDs. The real tool keeps destinations in
// /Library/Preferences/com.apple.TimeMachine.plist and passwords in the System keychain; here
// the keychain is only a list of "user@host" entries that have a saved password, and no
// password is ever stored.

import crypto from 'node:crypto';
import { SimulatorFault } from './cli.js';
import { loadState, section, updateSection } from './state.js';

/**
 * A fresh Mac: no Time Machine destination. The other keys default one by one (below).
 * @type {Record<string, unknown>}
 */
export const TMUTIL_DEFAULTS = { destinations: [] };

/** Values for keys a present section leaves out. */
const DEFAULT_FULL_DISK_ACCESS = true;
const DEFAULT_MACOS_VERSION = '15.0';

/** @param {unknown} v @returns {v is Record<string, unknown>} */
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * @typedef {{ ID: string, Name: string, Kind: 'Local' | 'Network', URL?: string, MountPoint?: string, QuotaGB?: number }} Destination
 * @typedef {{
 *   destinations: Destination[],
 *   fullDiskAccess: boolean,
 *   keychain: string[],
 *   setdestinationFailsSilently: boolean,
 *   macosVersion: string,
 *   macosMajor: number,
 *   includedVolumes: string[],
 * }} TmutilState
 */

/** @param {unknown} v @param {string} where */
function optionalString(v, where) {
  if (v !== undefined && typeof v !== 'string') throw new SimulatorFault(`${where} must be a string`);
}

/** @param {unknown} v @param {string} where @param {boolean} fallback */
function optionalBoolean(v, where, fallback) {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new SimulatorFault(`${where} must be true or false`);
  return v;
}

/**
 * @param {unknown} d
 * @param {number} i
 * @returns {Destination}
 */
function checkDestination(d, i) {
  const where = `tmutil.destinations[${i}]`;
  if (!isObject(d)) throw new SimulatorFault(`${where} must be a JSON object`);
  if (typeof d.ID !== 'string' || d.ID === '') throw new SimulatorFault(`${where}.ID must be a non-empty string`);
  if (typeof d.Name !== 'string') throw new SimulatorFault(`${where}.Name must be a string`);
  if (d.Kind !== 'Local' && d.Kind !== 'Network') throw new SimulatorFault(`${where}.Kind must be "Local" or "Network"`);
  optionalString(d.URL, `${where}.URL`);
  optionalString(d.MountPoint, `${where}.MountPoint`);
  // A password in a fixture would be printed by destinationinfo, which the real tool never does.
  if (typeof d.URL === 'string' && /^[a-z]+:\/\/[^/@]*:[^/@]*@/i.test(d.URL)) {
    throw new SimulatorFault(`${where}.URL must not carry a password`);
  }
  if (d.QuotaGB !== undefined && (typeof d.QuotaGB !== 'number' || !Number.isInteger(d.QuotaGB) || d.QuotaGB < 0)) {
    throw new SimulatorFault(`${where}.QuotaGB must be a whole number of GB`);
  }
  return /** @type {Destination} */ (d);
}

/** @param {string} version e.g. "15.0", "13.6.1", "14" */
export function macosMajor(version) {
  const m = /^(\d+)(\.\d+){0,2}$/.exec(version);
  if (m === null) throw new SimulatorFault(`tmutil.macosVersion must look like "15.0", got ${JSON.stringify(version)}`);
  return Number(m[1]);
}

/**
 * Checks a section (as read, or as about to be saved) and fills in the defaults.
 * @param {Record<string, unknown>} s
 * @returns {TmutilState}
 */
function complete(s) {
  const destinations = s.destinations ?? [];
  if (!Array.isArray(destinations)) throw new SimulatorFault('tmutil.destinations must be a JSON array');
  const keychain = s.keychain ?? [];
  if (!Array.isArray(keychain) || !keychain.every((k) => typeof k === 'string')) {
    throw new SimulatorFault('tmutil.keychain must be an array of "user@host" strings');
  }
  optionalString(s.macosVersion, 'tmutil.macosVersion');
  // External volumes the user took off Time Machine's exclusion list (Options), by mount point.
  const includedVolumes = s.includedVolumes ?? [];
  if (!Array.isArray(includedVolumes) || !includedVolumes.every((k) => typeof k === 'string')) {
    throw new SimulatorFault('tmutil.includedVolumes must be an array of mount points');
  }
  const macosVersion = /** @type {string | undefined} */ (s.macosVersion) ?? DEFAULT_MACOS_VERSION;
  return {
    destinations: destinations.map(checkDestination),
    fullDiskAccess: optionalBoolean(s.fullDiskAccess, 'tmutil.fullDiskAccess', DEFAULT_FULL_DISK_ACCESS),
    keychain,
    setdestinationFailsSilently: optionalBoolean(s.setdestinationFailsSilently, 'tmutil.setdestinationFailsSilently', false),
    macosVersion,
    macosMajor: macosMajor(macosVersion),
    includedVolumes,
  };
}

/** The Time Machine settings as the state file (or the defaults) has them. */
export function loadTmutil() {
  return complete(section(loadState(), 'tmutil', TMUTIL_DEFAULTS));
}

/**
 * Lets `change` edit the destinations and keychain, then saves the whole state atomically.
 * Only those two keys are written back; the test's other keys stay exactly as it wrote them.
 * @param {(s: { destinations: Destination[], keychain: string[] }) => void} change
 */
export function updateTmutil(change) {
  updateSection('tmutil', TMUTIL_DEFAULTS, (raw) => {
    const current = complete(raw);
    const edit = { destinations: current.destinations, keychain: current.keychain };
    change(edit);
    raw.destinations = edit.destinations;
    if (edit.keychain.length > 0 || raw.keychain !== undefined) raw.keychain = edit.keychain;
  });
}

/**
 * A destination's ID: an upper-case UUID derived from what identifies it (the normalized mount
 * point, or the password-free URL), so tests can predict it. The real tool makes a random one.
 * Formula: sha1("provision-sim-tmutil:" + key) in upper-case hex, cut 8-4-4-4-12.
 * @param {string} key
 */
export function destinationId(key) {
  const h = crypto.createHash('sha1').update(`provision-sim-tmutil:${key}`).digest('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * Where a destination is in the list, found by ID in any letter case (UUIDs are not
 * case-sensitive); -1 when absent.
 * @param {Destination[]} destinations
 * @param {string} id
 */
export function findById(destinations, id) {
  return destinations.findIndex((d) => d.ID.toUpperCase() === id.toUpperCase());
}
