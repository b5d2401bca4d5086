/**
 * Reading `sharing -l` (docs/platform-facts.md, fixture layout): a header "List of Share Points",
 * then per share `name:` and `path:` lines and an indented `smb: { ... }` block with `name`,
 * `shared`, `guest access` and `read-only`. Older releases also print `afp: { ... }` and
 * `ftp: { ... }` blocks, each with a `name:` line of its own (other projects' fixtures): only a
 * `name:` outside every block starts a share, and only the smb block's flags are read. Keys are
 * compared trimmed; tabs and spaces vary.
 */

export interface SharePoint {
  name: string;
  path: string;
  smbShared: boolean;
  smbGuest: boolean;
}

export function parseSharingList(text: string): SharePoint[] {
  const shares: SharePoint[] = [];
  let current: SharePoint | undefined;
  // The protocol block the line is in (smb, afp, ftp...), or undefined at the share's level.
  let block: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const m = /^([^:{}]+):\s*(.*)$/.exec(line);
    if (line === '}') {
      block = undefined;
      continue;
    }
    if (m === null) continue;
    const key = (m[1] ?? '').trim();
    const value = (m[2] ?? '').trim();
    if (value.startsWith('{')) {
      block = key;
    } else if (block === undefined && key === 'name') {
      current = { name: value, path: '', smbShared: false, smbGuest: false };
      shares.push(current);
    } else if (block === undefined && key === 'path' && current !== undefined) {
      current.path = value;
    } else if (block === 'smb' && key === 'shared' && current !== undefined) {
      current.smbShared = value === '1';
    } else if (block === 'smb' && key === 'guest access' && current !== undefined) {
      current.smbGuest = value === '1';
    }
  }
  return shares;
}
