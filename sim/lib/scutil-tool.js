// scutil simulator: only the --get / --set surface provision uses (machine names).
// Facts: scutil(8) synopsis `--get pref`, `--set pref [newval]` (newval read from stdin when
// omitted); an unset pref prints "<pref>: not set" on stderr and exits non-zero
// (docs/platform-facts.md, verified). Assumed: the exit status 1, the wording of the non-root
// refusal and of the usage text.

import fs from 'node:fs';
import { runTool, ToolExit, usageExit } from './cli.js';
import { isRoot } from './privilege.js';
import { loadState, section, updateSection } from './state.js';

export const SCUTIL_PREFS = ['ComputerName', 'LocalHostName', 'HostName'];

/** A fresh Mac: named by its model, no unicast HostName. */
export const SCUTIL_DEFAULTS = { ComputerName: 'iMac', LocalHostName: 'iMac', HostName: null };

const USAGE = [
  'usage: scutil',
  '       scutil --get pref',
  '       scutil --set pref [newval]',
  '  pref: ComputerName | LocalHostName | HostName',
  '  (this simulator implements only --get and --set)',
].join('\n');

/** @param {string | undefined} pref */
function checkPref(pref) {
  if (pref === undefined || !SCUTIL_PREFS.includes(pref)) usageExit(USAGE);
  return /** @type {string} */ (pref);
}

/** @param {string[]} argv */
function get(argv) {
  if (argv.length !== 2) usageExit(USAGE);
  const pref = checkPref(argv[1]);
  const prefs = section(loadState(), 'scutil', SCUTIL_DEFAULTS);
  const value = prefs[pref];
  if (typeof value !== 'string' || value === '') {
    throw new ToolExit(1, { stderr: `${pref}: not set\n` });
  }
  process.stdout.write(`${value}\n`);
  return 0;
}

/** @param {string[]} argv */
function set(argv) {
  if (argv.length !== 2 && argv.length !== 3) usageExit(USAGE);
  const pref = checkPref(argv[1]);
  if (!isRoot()) {
    throw new ToolExit(1, { stderr: `scutil: --set ${pref}: permission denied (must be run as root)\n` });
  }
  // Without newval the real tool reads the value from standard input (one line).
  const raw = argv[2] ?? fs.readFileSync(0, 'utf8').split('\n')[0] ?? '';
  const value = raw.trim();
  updateSection('scutil', SCUTIL_DEFAULTS, (prefs) => {
    // An empty value clears the preference, which then reads back as "not set".
    prefs[pref] = value === '' ? null : value;
  });
  return 0;
}

/** @param {string[]} argv */
export function scutilMain(argv) {
  switch (argv[0]) {
    case '--get':
      return get(argv);
    case '--set':
      return set(argv);
    default:
      return usageExit(USAGE);
  }
}

export function run() {
  return runTool('scutil', scutilMain);
}
