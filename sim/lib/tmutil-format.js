// What `tmutil destinationinfo [-X]` prints. Text layout (docs/platform-facts.md, fixture): a line
// of 52 "=" before each destination, labels padded to 14 columns then ": ", fields in the order
// Name, Kind, URL (network only), Mount Point (only when mounted), ID, Quota ("<n> GB", when
// set). -X: a plist dict whose "Destinations" array holds dicts with Kind, URL, Name, ID,
// MountPoint and, on one of them, the integer LastDestination.

import { toPlistXml } from './plist-xml.js';

const RULE = '='.repeat(52);

/** When nothing is configured (stdout, exit 0). */
export const NO_DESTINATIONS = 'tmutil: No destinations configured.\n';

/**
 * @typedef {import('./tmutil-store.js').Destination} Destination
 * @typedef {(d: Destination) => string | undefined} MountPointOf the mount point to show, if mounted
 */

/** @param {string} label @param {string} value */
const line = (label, value) => `${label.padEnd(14)}: ${value}`;

/**
 * @param {Destination[]} destinations
 * @param {MountPointOf} mountPointOf
 */
export function formatDestinationInfo(destinations, mountPointOf) {
  if (destinations.length === 0) return NO_DESTINATIONS;
  const lines = [];
  for (const d of destinations) {
    lines.push(RULE, line('Name', d.Name), line('Kind', d.Kind));
    if (d.Kind === 'Network' && d.URL !== undefined) lines.push(line('URL', d.URL));
    const mp = mountPointOf(d);
    if (mp !== undefined) lines.push(line('Mount Point', mp));
    lines.push(line('ID', d.ID));
    if (d.QuotaGB !== undefined) lines.push(line('Quota', `${d.QuotaGB} GB`));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The -X plist. LastDestination (1) marks the first destination in the list: the simulator runs
 * no backups, so "the last one used" is taken to be the first configured (an assumption).
 * Assumed too: with none configured, an empty Destinations array and exit 0.
 * @param {Destination[]} destinations
 * @param {MountPointOf} mountPointOf
 */
export function destinationInfoPlist(destinations, mountPointOf) {
  const entries = destinations.map((d, i) => ({
    Kind: d.Kind,
    URL: d.Kind === 'Network' ? d.URL : undefined,
    Name: d.Name,
    ID: d.ID,
    MountPoint: mountPointOf(d),
    LastDestination: i === 0 ? 1 : undefined,
  }));
  return toPlistXml({ Destinations: entries });
}
