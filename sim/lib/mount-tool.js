// mount simulator: only `mount` with no arguments, which lists what is mounted as macOS's
// mount(8) does (docs/platform-facts.md): one line per file system,
// `<device> on <mount point> (<type>, <option>, ...)`. The list is the diskutil section's
// volumes (each as a local disk) followed by the "mount" section's other mounts (network
// shares, which diskutil does not know). Anything else (mounting, -t, -v) prints a usage line and
// exits 1: this simulator shadows Linux's mount on the simulators' PATH only, and mounts nothing.

import { runTool, SimulatorFault, usageExit } from './cli.js';
import { loadVolumes, normalizeMountPoint } from './diskutil-volumes.js';
import { loadState, section } from './state.js';

const USAGE = ['usage: mount', '(this simulator implements only the listing: mount with no arguments)'].join('\n');

/** No other mounts by default: only the diskutil volumes are listed. */
export const MOUNT_DEFAULTS = { mounts: [] };

/** @typedef {{ device: string, mountPoint: string, type: string, options: string[] }} MountEntry */

/** @param {unknown} entry @param {number} i @returns {MountEntry} */
function checkEntry(entry, i) {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw new SimulatorFault(`mount.mounts[${i}] must be a JSON object`);
  const e = /** @type {Record<string, unknown>} */ (entry);
  for (const k of ['device', 'mountPoint', 'type']) {
    if (typeof e[k] !== 'string' || e[k] === '') throw new SimulatorFault(`mount.mounts[${i}].${k} must be a non-empty string`);
  }
  const options = e['options'] ?? [];
  if (!Array.isArray(options) || options.some((o) => typeof o !== 'string')) throw new SimulatorFault(`mount.mounts[${i}].options must be a list of strings`);
  return {
    device: /** @type {string} */ (e['device']),
    mountPoint: normalizeMountPoint(/** @type {string} */ (e['mountPoint'])),
    type: /** @type {string} */ (e['type']),
    options: /** @type {string[]} */ (options),
  };
}

/** Every listed mount: the diskutil volumes, then the "mount" section's. @returns {MountEntry[]} */
export function loadMounts() {
  const own = section(loadState(), 'mount', MOUNT_DEFAULTS);
  const mounts = own.mounts ?? [];
  if (!Array.isArray(mounts)) throw new SimulatorFault('mount.mounts must be a JSON list');
  const disks = loadVolumes().map((v) => ({
    device: v.DeviceNode,
    mountPoint: v.MountPoint,
    type: v.FilesystemType,
    // "noowners" is how mount(8) shows a volume whose ownership is ignored.
    options: ['local', ...(v.MountPoint === '/' ? [] : ['nodev', 'nosuid']), ...(v.WritableVolume ? [] : ['read-only']), ...(v.GlobalPermissionsEnabled ? [] : ['noowners'])],
  }));
  return [...disks, ...mounts.map(checkEntry)];
}

/** @param {MountEntry} m */
export function formatMount(m) {
  return `${m.device} on ${m.mountPoint} (${[m.type, ...m.options].join(', ')})`;
}

/** @param {string[]} argv */
export function mountMain(argv) {
  if (argv.length !== 0) usageExit(USAGE);
  const lines = loadMounts().map(formatMount);
  process.stdout.write(lines.length === 0 ? '' : `${lines.join('\n')}\n`);
  return 0;
}

export function run() {
  return runTool('mount', mountMain);
}
