// defaults simulator: `read`, `write` and `delete` of one user's preferences, the surface
// provision uses (an app's library location, e.g. com.apple.iPhoto RootDirectory).
// Facts (public issue transcripts, see sim/README.md): a missing key prints
// "The domain/default pair of (<domain>, <key>) does not exist" on stderr after a log-style
// prefix line and exits 1; a missing domain prints "Domain <domain> does not exist"; a read of a
// whole domain prints old-style plist text and exits 0. Assumed: usage and refusal wording, exit 1
// for usage errors, the delete messages.

import { runTool, SimulatorFault, ToolExit, usageExit } from './cli.js';
import { formatDomain, formatValue } from './defaults-format.js';
import { updateDomain, userDomains } from './defaults-store.js';

const USAGE = [
  'usage: defaults read <domain> [<key>]',
  '       defaults write <domain> <key> [-string | -int | -integer | -float | -bool | -boolean] <value>',
  '       defaults delete <domain> [<key>]',
  '  (this simulator implements only these forms, for domain names, not paths or -host)',
].join('\n');

/** Real defaults reports through NSLog: a timestamped "defaults[pid:tid]" line, then the message. */
function logExit(message) {
  const now = new Date();
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  const stamp =
    `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ` +
    `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}.${pad(now.getMilliseconds(), 3)}`;
  throw new ToolExit(1, { stderr: `${stamp} defaults[${process.pid}:${process.pid}] \n${message}\n` });
}

/** @param {string | undefined} domain */
function checkDomain(domain) {
  if (domain === undefined || domain === '') usageExit(USAGE);
  const d = /** @type {string} */ (domain);
  // The real tool also takes the path of a plist file as the domain (defaults(1): "with or
  // without the .plist extension"); provision passes one for a container's preferences
  // (photolibraryd's), absolute and without the extension. Such a domain is kept under its path
  // in the state, like any other. A "~" is the shell's to expand, never the tool's.
  if (d.startsWith('~')) throw new SimulatorFault(`a domain starting with ~ reaches defaults only when no shell expanded it: ${d}`);
  if (d.startsWith('/') && d.endsWith('.plist')) return d.slice(0, -'.plist'.length);
  return d;
}

/** @param {string[]} args after the verb */
function read(args) {
  if (args.length < 1 || args.length > 2) usageExit(USAGE);
  const domain = checkDomain(args[0]);
  const keys = userDomains()[domain];
  if (args.length === 1) {
    if (keys === undefined) logExit(`Domain ${domain} does not exist`);
    process.stdout.write(formatDomain(/** @type {Record<string, string | number | boolean>} */ (keys)));
    return 0;
  }
  const key = /** @type {string} */ (args[1]);
  const value = keys?.[key];
  if (value === undefined) logExit(`The domain/default pair of (${domain}, ${key}) does not exist`);
  process.stdout.write(`${formatValue(/** @type {string | number | boolean} */ (value))}\n`);
  return 0;
}

/** @param {string} type @param {string} raw */
function typedValue(type, raw) {
  switch (type) {
    case '-string':
      return raw;
    case '-int':
    case '-integer':
      if (!/^-?\d+$/.test(raw)) usageExit(`defaults: ${raw} is not an integer\n${USAGE}`);
      return Number(raw);
    case '-float':
      if (raw.trim() === '' || !Number.isFinite(Number(raw))) usageExit(`defaults: ${raw} is not a number\n${USAGE}`);
      return Number(raw);
    case '-bool':
    case '-boolean': {
      const lower = raw.toLowerCase();
      if (['yes', 'true', '1'].includes(lower)) return true;
      if (['no', 'false', '0'].includes(lower)) return false;
      return usageExit(`defaults: ${raw} is not a boolean\n${USAGE}`);
    }
    default:
      return usageExit(USAGE);
  }
}

/** @param {string[]} args after the verb */
function write(args) {
  if (args.length !== 3 && args.length !== 4) usageExit(USAGE);
  const domain = checkDomain(args[0]);
  const key = /** @type {string} */ (args[1]);
  // Untyped values are taken as strings; the real tool would parse "(a, b)" or "{...}" as a
  // plist, which is why provision always passes -string.
  const value = args.length === 3 ? /** @type {string} */ (args[2]) : typedValue(/** @type {string} */ (args[2]), /** @type {string} */ (args[3]));
  updateDomain(domain, (keys) => {
    keys[key] = value;
  });
  return 0;
}

/** @param {string[]} args after the verb */
function remove(args) {
  if (args.length < 1 || args.length > 2) usageExit(USAGE);
  const domain = checkDomain(args[0]);
  const keys = userDomains()[domain];
  if (keys === undefined) logExit(`Domain (${domain}) not found.\nDefaults have not been changed.`);
  const key = args[1];
  if (key !== undefined && !(key in /** @type {object} */ (keys))) {
    logExit(`Domain (${domain}) not found.\nDefaults have not been changed.`);
  }
  updateDomain(domain, (current) => {
    for (const k of Object.keys(current)) if (key === undefined || k === key) delete current[k];
  });
  return 0;
}

/** @param {string[]} argv */
export function defaultsMain(argv) {
  const [verb, ...args] = argv;
  switch (verb) {
    case 'read':
      return read(args);
    case 'write':
      return write(args);
    case 'delete':
      return remove(args);
    default:
      return usageExit(USAGE);
  }
}

export function run() {
  return runTool('defaults', defaultsMain);
}
