// tmutil isexcluded ITEM...: whether Time Machine backs an item up.
// Facts (docs/platform-facts.md): the verb and its arguments (man page, verified); one line per
// item, `[Excluded]` or `[Included]`, four spaces, then the path (fixture: an apple.stackexchange
// transcript on 10.15, question 387003); external volumes are excluded automatically unless the
// user removes them from the list in Options, and destination volumes are always excluded
// (fixture: pondini.org, "How Time Machine works its magic: inclusions and exclusions").
// Assumed: an item on an external volume reports the volume's exclusion (provision relies on
// this only in the safe direction: anything but [Included] counts as not backed up); no Full
// Disk Access is needed to ask. Paths are the simulated Mac's (as provision passes them under
// --root), so the simulator does not look them up on this computer's disk.

import { usageExit } from './cli.js';
import { loadTmutil } from './tmutil-store.js';

/**
 * The mount point of the external volume an item is on, or undefined for the startup disk.
 * @param {string} item
 */
function externalVolumeOf(item) {
  const m = /^\/Volumes\/[^/]+/.exec(item);
  return m === null ? undefined : m[0];
}

/**
 * @param {string[]} args
 * @param {string} usage
 */
export function isExcludedVerb(args, usage) {
  if (args.length === 0 || args.some((a) => a.startsWith('-'))) usageExit(usage);
  const { destinations, includedVolumes } = loadTmutil();
  const destinationMounts = new Set(destinations.filter((d) => d.Kind === 'Local' && d.MountPoint !== undefined).map((d) => d.MountPoint));
  let out = '';
  for (const item of args) {
    const volume = externalVolumeOf(item);
    const excluded = volume !== undefined && (destinationMounts.has(volume) || !includedVolumes.includes(volume));
    out += `${excluded ? '[Excluded]' : '[Included]'}    ${item}\n`;
  }
  process.stdout.write(out);
  return 0;
}
