// The simulated Mac's state: one JSON file named by PROVISION_SIM_STATE, one top-level
// section per tool ("scutil", "diskutil", later "tmutil", ...). A section present in the file
// replaces that tool's defaults whole, so a test states exactly the world it means; a section
// absent (or no file at all) means "a Mac with defaults".

import fs from 'node:fs';
import path from 'node:path';
import { SimulatorFault } from './cli.js';

export const STATE_ENV = 'PROVISION_SIM_STATE';

/** The state file's path, or undefined when the simulator runs without one. */
export function statePath() {
  const p = process.env[STATE_ENV];
  return p === undefined || p === '' ? undefined : p;
}

/**
 * Reads the whole state object; {} when no file is configured or it does not exist yet.
 * @returns {Record<string, unknown>}
 */
export function loadState() {
  const file = statePath();
  if (file === undefined) return {};
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (e && typeof e === 'object' && 'code' in e && e.code === 'ENOENT') return {};
    throw new SimulatorFault(`cannot read state file ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new SimulatorFault(`state file ${file} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SimulatorFault(`state file ${file} must hold a JSON object`);
  }
  return parsed;
}

/**
 * One tool's section of the state, or a copy of its defaults when the section is absent.
 * @template T
 * @param {Record<string, unknown>} state
 * @param {string} name
 * @param {T} defaults
 * @returns {T}
 */
export function section(state, name, defaults) {
  const value = state[name];
  if (value === undefined) return structuredClone(defaults);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SimulatorFault(`state section "${name}" must be a JSON object`);
  }
  return /** @type {T} */ (value);
}

/**
 * Writes the whole state atomically: a temporary file in the same folder, then rename, so a
 * reader never sees half a file even when two simulated commands race.
 * @param {Record<string, unknown>} state
 */
export function saveState(state) {
  const file = statePath();
  if (file === undefined) {
    throw new SimulatorFault(`${STATE_ENV} is not set, so a change cannot be saved`);
  }
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'w', 0o644);
    try {
      fs.writeFileSync(fd, `${JSON.stringify(state, null, 2)}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new SimulatorFault(`cannot save state file ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Reads the state, lets `change` edit one section in place, and saves the whole file.
 * @template T
 * @param {string} name
 * @param {T} defaults
 * @param {(section: T) => void} change
 */
export function updateSection(name, defaults, change) {
  const state = loadState();
  const current = section(state, name, defaults);
  change(current);
  state[name] = current;
  saveState(state);
}
