// dscl simulator: only what provision needs to mark a share point as a Time Machine
// destination, on the local node "." and its /SharePoints records (the share points of the
// sharing simulator, see sharing-store.js):
//   dscl . -list /SharePoints
//   dscl . -read /SharePoints/<name> [<key>...]
//   dscl . -create /SharePoints/<name> <key> <value>      (root)
//   dscl . -delete /SharePoints/<name> <key>              (root)
// Facts (Apple's published dscl source, and transcripts in other projects): a failed command
// prints `<dscl_cmd> DS Error: <status> (<name>)` on stderr and exits with minus the status
// truncated to 8 bits (-14136 eDSRecordNotFound -> 56, -14120 eDSPermissionError -> 40, as
// seen in CI logs); a failed attribute change first prints `<main> attribute status: <name>`;
// -read prints `key: value` lines, a key given without prefix meaning dsAttrTypeStandard:<key>
// when that is a standard type and dsAttrTypeNative:<key> otherwise, printed as given; with no
// keys, every attribute sorted without regard to case, the dsAttrTypeStandard: prefix stripped;
// a value holding a space goes on its own line after `key:`, indented by one space; an
// attribute the record lacks prints `No such key: <key>` on stdout and is no error.
// Assumed: that last point still holds on current macOS (the source is the 10.5 one); removing
// an attribute the record lacks fails with -14134 eDSAttributeNotFound (exit 54); the order of
// -list (sorted by code point); the usage text and its exit status 1.
// Not simulated (a simulator fault, exit 70): any other node or path, options such as -plist,
// other commands, -create/-delete of a whole record, several values, attributes derived from
// the share (path, smb name and flags: change those with sharing) and standard attributes.

import { runTool, SimulatorFault, ToolExit, usageExit } from './cli.js';
import { isRoot } from './privilege.js';
import {
  DERIVED_ATTRIBUTES,
  NATIVE_PREFIX,
  STANDARD_PREFIX,
  findShare,
  loadShares,
  recordAttributes,
  updateShares,
} from './sharing-store.js';

const USAGE = [
  'usage: dscl . <command> <path> [<key> [<value>]]',
  '  -list   /SharePoints',
  '  -read   /SharePoints/<name> [<key>...]',
  '  -create /SharePoints/<name> <key> <value>',
  '  -delete /SharePoints/<name> <key>',
  '(this simulator implements only these)',
].join('\n');

/** @returns {never} */
function usage() {
  usageExit(USAGE);
  throw new Error('usageExit returned'); // not reached: usageExit throws
}

const DS_ERRORS = {
  recordNotFound: { status: -14136, name: 'eDSRecordNotFound' },
  permission: { status: -14120, name: 'eDSPermissionError' },
  attributeNotFound: { status: -14134, name: 'eDSAttributeNotFound' },
};

/** Standard attribute types a bare key can mean; any other bare key is a native one. */
const STANDARD_TYPES = ['RecordName', 'RecordType'];

/**
 * Ends dscl as a failed directory-service call does.
 * @param {{ status: number, name: string }} error
 * @param {boolean} [attributeChange] whether an attribute change failed (adds the `<main>` line)
 * @returns {never}
 */
function dsError(error, attributeChange = false) {
  const first = attributeChange ? `<main> attribute status: ${error.name}\n` : '';
  throw new ToolExit(-error.status & 0xff, { stderr: `${first}<dscl_cmd> DS Error: ${error.status} (${error.name})\n` });
}

/** @param {string} what @returns {never} */
function notSimulated(what) {
  throw new SimulatorFault(`${what} is not simulated (only "dscl . -list|-read|-create|-delete" on /SharePoints)`);
}

/**
 * The record name in /SharePoints/<name>, or undefined for the /SharePoints container itself.
 * @param {string | undefined} p
 */
function sharePointName(p) {
  if (p === undefined) return usage();
  const m = /^\/SharePoints(?:\/([^/]+))?\/?$/.exec(p);
  if (m === null) return notSimulated(`the path ${JSON.stringify(p)}`);
  return m[1];
}

/** @param {string | undefined} p */
function recordName(p) {
  const name = sharePointName(p);
  if (name === undefined) return notSimulated('this command on /SharePoints itself');
  return name;
}

/** @param {string} key as given @returns {string} the full attribute type */
function fullKey(key) {
  if (key.startsWith(STANDARD_PREFIX) || key.startsWith(NATIVE_PREFIX)) return key;
  return STANDARD_TYPES.includes(key) ? `${STANDARD_PREFIX}${key}` : `${NATIVE_PREFIX}${key}`;
}

/** A key -create or -delete may change: a native one the share does not derive. @param {string} key */
function writableKey(key) {
  const full = fullKey(key);
  if (!full.startsWith(NATIVE_PREFIX) || DERIVED_ATTRIBUTES.includes(full)) {
    notSimulated(`changing ${full} with dscl (use sharing for the share's own settings)`);
  }
  return full;
}

/** @param {string} label @param {string} value */
function attributeLine(label, value) {
  if (value === '') return `${label}:\n`;
  return /\s/.test(value) ? `${label}:\n ${value}\n` : `${label}: ${value}\n`;
}

/** @param {string} name */
function existingShare(name) {
  const share = findShare(loadShares(), name);
  if (share === undefined) return dsError(DS_ERRORS.recordNotFound);
  return share;
}

/** @param {string[]} args */
function list(args) {
  if (args.length > 1) notSimulated('-list with a key');
  if (sharePointName(args[0]) !== undefined) notSimulated('-list of a record');
  const names = loadShares().map((s) => s.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  process.stdout.write(names.map((n) => `${n}\n`).join(''));
  return 0;
}

/** @param {string[]} args */
function read(args) {
  const [p, ...keys] = args;
  const share = existingShare(recordName(p));
  const attributes = recordAttributes(share);
  if (keys.length === 0) {
    const sorted = [...attributes].sort(([a], [b]) => {
      const [x, y] = [a.toLowerCase(), b.toLowerCase()];
      return x < y ? -1 : x > y ? 1 : 0;
    });
    process.stdout.write(sorted.map(([k, v]) => attributeLine(k.replace(STANDARD_PREFIX, ''), v)).join(''));
    return 0;
  }
  const byKey = new Map(attributes);
  let out = '';
  for (const key of keys) {
    const value = byKey.get(fullKey(key));
    out += value === undefined ? `No such key: ${key}\n` : attributeLine(key, value);
  }
  process.stdout.write(out);
  return 0;
}

/** @param {string[]} args */
function create(args) {
  const [p, key, ...values] = args;
  const name = recordName(p);
  if (key === undefined) notSimulated('-create of a whole record');
  const [value] = values;
  if (values.length !== 1 || value === undefined) notSimulated('-create with other than exactly one value');
  const full = writableKey(key);
  if (!isRoot()) dsError(DS_ERRORS.permission, true);
  updateShares((shares) => {
    const share = findShare(shares, name);
    // Real dscl would create a new, empty share-point record here; a share point is made with
    // sharing -a, so a simulated caller that gets here has the order wrong.
    if (share === undefined) return notSimulated(`-create on /SharePoints/${name}, which does not exist (add it with sharing -a first)`);
    share.attributes[full] = value;
  });
  return 0;
}

/** @param {string[]} args */
function remove(args) {
  const [p, key, ...values] = args;
  const name = recordName(p);
  if (key === undefined) notSimulated('-delete of a whole record (use sharing -r)');
  if (values.length > 0) notSimulated('-delete of single values');
  existingShare(name);
  const full = writableKey(key);
  if (!isRoot()) dsError(DS_ERRORS.permission, true);
  updateShares((shares) => {
    const share = findShare(shares, name);
    if (share === undefined) return dsError(DS_ERRORS.recordNotFound);
    if (!(full in share.attributes)) dsError(DS_ERRORS.attributeNotFound, true);
    delete share.attributes[full];
  });
  return 0;
}

/**
 * @param {string[]} argv
 * @returns {number}
 */
export function dsclMain(argv) {
  const [node, command, ...args] = argv;
  if (node === undefined || command === undefined) return usage();
  if (node !== '.') notSimulated(node.startsWith('-') ? `the option ${node}` : `the node ${JSON.stringify(node)}`);
  switch (command) {
    case '-list':
      return list(args);
    case '-read':
      return read(args);
    case '-create':
      return create(args);
    case '-delete':
      return remove(args);
    default:
      if (['-readall', '-append', '-merge', '-change', '-changei', '-search', '-passwd', '-auth', '-diff'].includes(command)) {
        notSimulated(`the command ${command}`);
      }
      return usage();
  }
}

export function run() {
  return runTool('dscl', dsclMain);
}
