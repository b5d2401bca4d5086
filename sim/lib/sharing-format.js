// What `sharing -l` prints. Layout (docs/platform-facts.md, fixture; whitespace from a captured
// Big Sur-era listing in another project's tests, see sim/README.md): an empty line, the
// header indented by three tabs, then per share point
//   name:<tab><tab><record name>
//   path:<tab><tab><path>
//   <tab>smb:<tab>{
//   <4 spaces><tab><tab>name:<tab><smb name>            (and shared, guest access, read-only)
//   <tab>}
// with 1/0 for the three flags. Only the smb block by default: AFP file sharing is gone since
// Big Sur. With `olderRelease`, each share point also gets the afp and ftp blocks older releases
// print before smb, each with a name line of its own (layout from other projects' recorded
// fixtures; see sim/README.md), afp shared, ftp not.

const HEADER = '\n\t\t\tList of Share Points\n';
const INNER = '    \t\t';

/** @param {boolean} b */
const flag = (b) => (b ? '1' : '0');

/**
 * @param {import('./sharing-store.js').Share[]} shares
 * @param {(s: import('./sharing-store.js').Share) => string} smbNameOf
 */
export function formatShareList(shares, smbNameOf, olderRelease = false) {
  const lines = [];
  for (const s of shares) {
    lines.push(`name:\t\t${s.name}`, `path:\t\t${s.path}`);
    if (olderRelease) {
      lines.push('\tafp:\t{', `${INNER}name:\t${s.name}`, `${INNER}shared:\t1`, `${INNER}guest access:\t0`, '\t}');
      lines.push('\tftp:\t{', `${INNER}name:\t${s.name}`, `${INNER}shared:\t0`, `${INNER}guest access:\t0`, '\t}');
    }
    lines.push(
      '\tsmb:\t{',
      `${INNER}name:\t${smbNameOf(s)}`,
      `${INNER}shared:\t${flag(s.shared)}`,
      `${INNER}guest access:\t${flag(s.guest)}`,
      `${INNER}read-only:\t${flag(s.readOnly)}`,
      '\t}',
    );
  }
  return HEADER + lines.map((l) => `${l}\n`).join('');
}
