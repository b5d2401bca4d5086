// What `sharing -l` prints. Layout (docs/platform-facts.md, fixture; whitespace from a captured
// Big Sur-era listing in another project's tests, see sim/README.md): an empty line, the
// header indented by three tabs, then per share point
//   name:<tab><tab><record name>
//   path:<tab><tab><path>
//   <tab>smb:<tab>{
//   <4 spaces><tab><tab>name:<tab><smb name>            (and shared, guest access, read-only)
//   <tab>}
// with 1/0 for the three flags. Only the smb block: AFP file sharing is gone since Big Sur.

const HEADER = '\n\t\t\tList of Share Points\n';
const INNER = '    \t\t';

/** @param {boolean} b */
const flag = (b) => (b ? '1' : '0');

/**
 * @param {import('./sharing-store.js').Share[]} shares
 * @param {(s: import('./sharing-store.js').Share) => string} smbNameOf
 */
export function formatShareList(shares, smbNameOf) {
  const lines = [];
  for (const s of shares) {
    lines.push(
      `name:\t\t${s.name}`,
      `path:\t\t${s.path}`,
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
