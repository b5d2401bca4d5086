// sharing simulator: `sharing -a <path> [options]`, `sharing -e <name> [options]`,
// `sharing -r <name>`, `sharing -l`, with options -S <smb name>, -n <share point name>,
// -s <flags>, -g <flags>, -R 0|1, -E 0|1.
// Facts (docs/platform-facts.md "sharing", sharing(8) as published): the four commands and the
// options; -a names the share point after the folder unless -n is given, and the SMB name is
// the share point's unless -S is given; -s and -g are three-digit flag strings (100 afp,
// 010 ftp, 001 smb, 000 none) and by default a new share point is shared with guest access
// on; `sharing -l` works without root (other projects run it unprivileged).
// Interpretation: only the last digit (smb) of -s and -g means anything, since Big Sur
// removed AFP file sharing; the others are accepted and ignored.
// Assumed (no source): -R is the read-only flag shown as `read-only` by -l (another project
// passes `-R 1` to make a read-only share); -E turns SMB encryption on, not shown by -l;
// every refusal's wording, on stderr with exit 1; that the same folder cannot be shared twice;
// that -a resolves a relative path against the working directory; that -e with no options
// succeeds and changes nothing; the usage text.

import fs from 'node:fs';
import path from 'node:path';
import { runTool, SimulatorFault, ToolExit, usageExit } from './cli.js';
import { isRoot } from './privilege.js';
import { formatShareList } from './sharing-format.js';
import { findShare, loadOlderRelease, loadShares, smbNameOf, updateShares } from './sharing-store.js';

const USAGE = [
  'usage: sharing -a <path> [-S <smb name>] [-n <share point name>] [-s <flags>] [-g <flags>] [-R 0|1] [-E 0|1]',
  '       sharing -e <share point name> [-S <smb name>] [-n <new name>] [-s <flags>] [-g <flags>] [-R 0|1] [-E 0|1]',
  '       sharing -r <share point name>',
  '       sharing -l',
  '(this simulator implements only these)',
].join('\n');

/** Every refusal, worded here only (all assumed). */
const MESSAGES = {
  notRoot: 'sharing: must be run as root to add, edit or remove share points',
  /** @param {string} p */
  noSuchPath: (p) => `sharing: ${p}: No such file or directory`,
  /** @param {string} p */
  notDirectory: (p) => `sharing: ${p}: Not a directory`,
  /** @param {string} n */
  nameTaken: (n) => `sharing: a share point named "${n}" already exists`,
  /** @param {string} p @param {string} n */
  pathShared: (p, n) => `sharing: ${p} is already shared as "${n}"`,
  /** @param {string} n */
  noSuchShare: (n) => `sharing: no share point named "${n}"`,
};

/** @param {string} text @returns {never} */
function refuse(text) {
  throw new ToolExit(1, { stderr: `${text}\n` });
}

/** @returns {never} */
function usage() {
  usageExit(USAGE);
  throw new Error('usageExit returned'); // not reached: usageExit throws
}

const COMMANDS = ['-a', '-e', '-r', '-l'];
/** Options this simulator models, each taking a value, with the values it accepts. */
const OPTION_VALUES = {
  '-S': /^.+$/s,
  '-n': /^.+$/s,
  '-s': /^[01]{3}$/,
  '-g': /^[01]{3}$/,
  '-R': /^[01]$/,
  '-E': /^[01]$/,
};
/** Options the real tool has (afp name, ftp name, inherit, masks, oplocks, output format) but the simulator does not model. */
const NOT_SIMULATED = ['-A', '-F', '-i', '-c', '-o', '-f'];

/**
 * @typedef {{ command: string, operand?: string, options: Record<string, string> }} Parsed
 * @param {string[]} argv
 * @returns {Parsed}
 */
function parseArgs(argv) {
  const commands = [];
  /** @type {Record<string, string>} */
  const options = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = /** @type {string} */ (argv[i]);
    if (NOT_SIMULATED.includes(arg)) throw new SimulatorFault(`option ${arg} is not simulated`);
    if (COMMANDS.includes(arg)) {
      if (arg === '-l') commands.push({ command: arg });
      else {
        const operand = argv[++i];
        if (operand === undefined || operand === '') usage();
        commands.push({ command: arg, operand });
      }
    } else if (arg in OPTION_VALUES) {
      const value = argv[++i];
      const pattern = OPTION_VALUES[/** @type {keyof typeof OPTION_VALUES} */ (arg)];
      if (value === undefined || !pattern.test(value)) usage();
      options[arg] = value;
    } else usage();
  }
  if (commands.length !== 1) usage();
  const [first] = commands;
  const parsed = /** @type {Parsed} */ ({ ...first, options });
  if ((parsed.command === '-l' || parsed.command === '-r') && Object.keys(options).length > 0) usage();
  return parsed;
}

/**
 * The flags an -a or -e sets: only those given.
 * @param {Record<string, string>} options
 */
function flagChanges(options) {
  /** @type {Partial<Pick<import('./sharing-store.js').Share, 'shared' | 'guest' | 'readOnly' | 'encrypted' | 'smbName'>>} */
  const changes = {};
  // -s and -g: the last of the three digits is smb (see the header for why only smb counts).
  if (options['-s'] !== undefined) changes.shared = options['-s'].endsWith('1');
  if (options['-g'] !== undefined) changes.guest = options['-g'].endsWith('1');
  if (options['-R'] !== undefined) changes.readOnly = options['-R'] === '1';
  if (options['-E'] !== undefined) changes.encrypted = options['-E'] === '1';
  if (options['-S'] !== undefined) changes.smbName = options['-S'];
  return changes;
}

/** @param {string} given @param {Record<string, string>} options */
function addShare(given, options) {
  const resolved = path.resolve(given);
  let stat;
  try {
    stat = fs.statSync(resolved);
  } catch {
    return refuse(MESSAGES.noSuchPath(given));
  }
  if (!stat.isDirectory()) refuse(MESSAGES.notDirectory(given));
  const name = options['-n'] ?? (path.basename(resolved) || resolved);
  updateShares((shares) => {
    if (findShare(shares, name) !== undefined) refuse(MESSAGES.nameTaken(name));
    const samePath = shares.find((s) => s.path === resolved);
    if (samePath !== undefined) refuse(MESSAGES.pathShared(given, samePath.name));
    shares.push({
      name,
      path: resolved,
      shared: true,
      guest: true,
      readOnly: false,
      encrypted: false,
      attributes: {},
      ...flagChanges(options),
    });
  });
  return 0;
}

/** @param {string} name @param {Record<string, string>} options */
function editShare(name, options) {
  updateShares((shares) => {
    const share = findShare(shares, name);
    if (share === undefined) return refuse(MESSAGES.noSuchShare(name));
    const newName = options['-n'];
    if (newName !== undefined && newName !== name && findShare(shares, newName) !== undefined) refuse(MESSAGES.nameTaken(newName));
    // The record keeps its other attributes (the Time Machine flag among them) when renamed.
    Object.assign(share, flagChanges(options));
    if (newName !== undefined) share.name = newName;
  });
  return 0;
}

/** @param {string} name */
function removeShare(name) {
  updateShares((shares) => {
    if (findShare(shares, name) === undefined) refuse(MESSAGES.noSuchShare(name));
    return shares.filter((s) => s.name !== name);
  });
  return 0;
}

/**
 * @param {string[]} argv
 * @returns {number}
 */
export function sharingMain(argv) {
  const { command, operand, options } = parseArgs(argv);
  if (command === '-l') {
    process.stdout.write(formatShareList(loadShares(), smbNameOf, loadOlderRelease()));
    return 0;
  }
  if (!isRoot()) refuse(MESSAGES.notRoot);
  const target = /** @type {string} */ (operand);
  if (command === '-a') return addShare(target, options);
  if (command === '-e') return editShare(target, options);
  return removeShare(target);
}

export function run() {
  return runTool('sharing', sharingMain);
}
