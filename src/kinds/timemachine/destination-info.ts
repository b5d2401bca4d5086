/**
 * Reading `tmutil destinationinfo` (docs/platform-facts.md, fixture layout): a line of 52 "=" before
 * each destination, then "Label : value" lines with the label padded to 14 columns; Name, Kind
 * (Local or Network), URL (network only), Mount Point (when mounted), ID and, on newer macOS,
 * "Quota : <n> GB". The text form is read rather than -X because only it shows the quota.
 */

export interface TmDestination {
  name: string;
  kind: 'Local' | 'Network' | string;
  url?: string;
  mountPoint?: string;
  id: string;
  quotaGB?: number;
  /** The line was marked `> `: what recent tmutil may print for the destination in use (TMUTIL_CURRENT_MARKER). */
  current?: boolean;
}

const SEPARATOR = /^=+\s*$/;
const NONE = 'No destinations configured';

/** The destinations listed, in order; [] for "No destinations configured". Throws on a layout it does not know. */
export function parseDestinationInfo(text: string): TmDestination[] {
  if (text.includes(NONE)) return [];
  const blocks: Record<string, string>[] = [];
  const current = new Set<number>();
  for (const raw of text.split(/\r?\n/)) {
    if (SEPARATOR.test(raw)) {
      blocks.push({});
      continue;
    }
    // Recent tmutil may prefix the current destination's first line with "> " (an assumption,
    // TMUTIL_CURRENT_MARKER): the marker is dropped from the label and remembered, nothing more.
    const marked = /^>\s+/.exec(raw);
    const line = marked === null ? raw : raw.slice(marked[0].length);
    if (marked !== null && blocks.length > 0) current.add(blocks.length - 1);
    const colon = line.indexOf(':');
    const block = blocks[blocks.length - 1];
    if (colon < 0 || block === undefined) continue;
    block[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return blocks.map((b, i) => {
    const id = b['ID'];
    if (id === undefined || id === '') throw new Error(`destination ${i + 1} of tmutil destinationinfo has no ID`);
    const d: TmDestination = { name: b['Name'] ?? '', kind: b['Kind'] ?? '', id };
    if (b['URL'] !== undefined) d.url = b['URL'];
    if (b['Mount Point'] !== undefined) d.mountPoint = b['Mount Point'];
    const quota = /^(\d+(?:\.\d+)?)\s*GB$/i.exec(b['Quota'] ?? '');
    if (quota?.[1] !== undefined) d.quotaGB = Math.round(Number(quota[1]));
    if (current.has(i)) d.current = true;
    return d;
  });
}

/** A URL as it may be shown: any password removed (tmutil never shows one, but nothing else may either). */
export function withoutPassword(url: string): string {
  return url.replace(/^((?:smb|afp):\/\/[^:@/]*):[^@/]*@/i, '$1@');
}
