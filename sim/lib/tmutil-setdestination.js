// `tmutil setdestination [-a] [-p] <mount point | smb://user[:pass]@host/share | afp://user[:pass]@host/share>`.
// Facts (docs/platform-facts.md): an AFP or SMB URL is accepted (tldr's tmutil page:
// "protocol://user[:password]@host/share"; users' gists with afp:// URLs); -a appends, otherwise the list is replaced; -p prompts for the
// password; a volume that is not APFS or HFS+ is refused with "<path>: Incompatible file system
// type: <type> (error 45)" then "The backup destination could not be set." (verified); on
// macOS 15 the command can print a failure and still exit 0 (fixture), which the state flag
// setdestinationFailsSilently reproduces.
// Assumed (no source): the prompt's wording; exit 1 for every refusal; the first line for a
// path that is no mounted volume; that a URL with no password is accepted when the keychain
// already holds one for user@host; that a successful password is remembered in the keychain;
// that -p is ignored for a mount point; that a destination already present is not added twice.
// A password is never stored, printed or echoed: a refused URL is never repeated in a message.

import fs from 'node:fs';
import { ToolExit } from './cli.js';
import { loadVolumes, normalizeMountPoint } from './diskutil-volumes.js';
import { destinationId, loadTmutil, updateTmutil } from './tmutil-store.js';

export const COULD_NOT_SET = 'The backup destination could not be set.';
export const PASSWORD_PROMPT = 'Destination password: ';

/** Time Machine backs up to APFS (Big Sur and later) or Journaled HFS+ volumes only. */
const BACKUP_FILE_SYSTEMS = ['apfs', 'hfs'];

/** @param {string} [first] an explanatory line printed before the standard one */
function refuse(first) {
  throw new ToolExit(1, { stderr: `${first === undefined ? '' : `${first}\n`}${COULD_NOT_SET}\n` });
}

/**
 * Flags (-a, -p, clustered as -ap) and the one destination argument; undefined on bad usage.
 * @param {string[]} args
 */
export function parseSetDestinationArgs(args) {
  let append = false;
  let prompt = false;
  const operands = [];
  for (const arg of args) {
    if (/^-[ap]+$/.test(arg)) {
      append ||= arg.includes('a');
      prompt ||= arg.includes('p');
    } else if (arg.startsWith('-')) return undefined;
    else operands.push(arg);
  }
  if (operands.length !== 1 || operands[0] === '') return undefined;
  return { append, prompt, target: /** @type {string} */ (operands[0]) };
}

/**
 * Reads one line from stdin without waiting for end of file, so a caller that writes the
 * password and keeps the pipe open is not blocked.
 * @returns {string | undefined} the line, or undefined at end of input with nothing read
 */
function readLineFromStdin() {
  const bytes = [];
  const one = Buffer.alloc(1);
  for (;;) {
    let n;
    try {
      n = fs.readSync(0, one, 0, 1, null);
    } catch (e) {
      const code = e && typeof e === 'object' && 'code' in e ? e.code : undefined;
      if (code === 'EAGAIN') {
        // A non-blocking stdin with nothing yet: wait a little and try again.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      if (code === 'EOF' || code === 'EBADF') break;
      throw e;
    }
    if (n === 0 || one[0] === 0x0a) {
      if (n === 0 && bytes.length === 0) return undefined;
      break;
    }
    bytes.push(one[0]);
  }
  return Buffer.from(bytes).toString('utf8').replace(/\r$/, '');
}

/**
 * A local destination: the volume diskutil knows at exactly this mount point.
 * @param {string} target as given
 */
function localDestination(target) {
  const mountPoint = normalizeMountPoint(target);
  const volume = loadVolumes().find((v) => v.MountPoint === mountPoint);
  if (volume === undefined) refuse(`${target}: No mounted volume at this path.`);
  const v = /** @type {NonNullable<typeof volume>} */ (volume);
  if (!BACKUP_FILE_SYSTEMS.includes(v.FilesystemType)) {
    refuse(`${target}: Incompatible file system type: ${v.FilesystemType} (error 45)`);
  }
  if (!v.WritableVolume) refuse(`${target}: The volume is read-only.`);
  return {
    key: mountPoint,
    entry: { ID: destinationId(mountPoint), Name: v.VolumeName, Kind: /** @type {const} */ ('Local'), MountPoint: mountPoint },
    rememberAccount: undefined,
  };
}

/**
 * smb:// or afp://user[:pass]@host/share (a trailing slash allowed). The password part is split
 * off here and goes no further than the "was one given" check.
 * @param {string} target
 */
function parseShareUrl(target) {
  const m = /^(smb|afp):\/\/([^/@:]+)(?::([^/@]*))?@([^/@]+)\/([^/]+)\/?$/i.exec(target);
  if (m === null) return undefined;
  const [, scheme, user, password, host, share] = /** @type {string[]} */ (m);
  let name;
  try {
    name = decodeURIComponent(share);
  } catch {
    return undefined;
  }
  return { scheme: scheme.toLowerCase(), user, host, share, name, hasPassword: password !== undefined && password !== '' };
}

/**
 * @param {string} target
 * @param {boolean} prompt
 * @param {string[]} keychain
 */
function networkDestination(target, prompt, keychain) {
  const url = parseShareUrl(target);
  if (url === undefined) refuse();
  const u = /** @type {NonNullable<typeof url>} */ (url);
  const account = `${u.user}@${u.host}`;
  let hasPassword = u.hasPassword;
  if (prompt) {
    process.stderr.write(PASSWORD_PROMPT);
    const typed = readLineFromStdin();
    process.stderr.write('\n');
    if (typed === undefined || typed === '') refuse();
    hasPassword = true;
  }
  if (!hasPassword && !keychain.includes(account)) refuse();
  const safeUrl = `${u.scheme}://${u.user}@${u.host}/${u.share}`;
  return {
    key: safeUrl,
    entry: { ID: destinationId(safeUrl), Name: u.name, Kind: /** @type {const} */ ('Network'), URL: safeUrl },
    // Remembered so a later setdestination without a password finds it, as the keychain would.
    rememberAccount: hasPassword ? account : undefined,
  };
}

/**
 * @param {{ append: boolean, prompt: boolean, target: string }} args
 * @returns {number} exit code
 */
export function setDestination(args) {
  const tm = loadTmutil();
  const wanted = args.target.startsWith('/')
    ? localDestination(args.target)
    : networkDestination(args.target, args.prompt, tm.keychain);
  if (tm.setdestinationFailsSilently) {
    // macOS 15's failure that still exits 0: nothing changes, and only re-reading shows it.
    process.stderr.write(`${COULD_NOT_SET}\n`);
    return 0;
  }
  updateTmutil((s) => {
    /** @param {import('./tmutil-store.js').Destination} d */
    const same = (d) => d.Kind === wanted.entry.Kind && (d.Kind === 'Local' ? d.MountPoint : d.URL) === wanted.key;
    // A destination already configured keeps its entry (ID, quota) instead of being added twice.
    const existing = s.destinations.find(same);
    const entry = existing ?? wanted.entry;
    s.destinations = args.append ? (existing === undefined ? [...s.destinations, entry] : s.destinations) : [entry];
    if (wanted.rememberAccount !== undefined && !s.keychain.includes(wanted.rememberAccount)) {
      s.keychain = [...s.keychain, wanted.rememberAccount];
    }
  });
  return 0;
}
