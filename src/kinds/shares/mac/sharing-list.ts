/**
 * Reading `sharing -l` (docs/platform-facts.md, fixture layout): a header "List of Share Points",
 * then per share `name:` and `path:` lines and an indented `smb: { ... }` block with `name`,
 * `shared`, `guest access` and `read-only`. Keys are compared trimmed; tabs and spaces vary.
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
  let inSmb = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const m = /^([^:{}]+):\s*(.*)$/.exec(line);
    if (line === '}') {
      inSmb = false;
      continue;
    }
    if (m === null) continue;
    const key = (m[1] ?? '').trim();
    const value = (m[2] ?? '').trim();
    if (!inSmb && key === 'name') {
      current = { name: value, path: '', smbShared: false, smbGuest: false };
      shares.push(current);
    } else if (!inSmb && key === 'path' && current !== undefined) {
      current.path = value;
    } else if (key === 'smb' && value.startsWith('{')) {
      inSmb = true;
    } else if (inSmb && key === 'shared' && current !== undefined) {
      current.smbShared = value === '1';
    } else if (inSmb && key === 'guest access' && current !== undefined) {
      current.smbGuest = value === '1';
    }
  }
  return shares;
}
