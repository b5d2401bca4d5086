// sw_vers simulator: the macOS version of the simulated Mac.
// Facts: sw_vers(1) (https://www.unix.com/man-page/osx/1/sw_vers): without options it prints
// `ProductName:`, `ProductVersion:` and `BuildVersion:` lines; `-productName`,
// `-productVersion` and `-buildVersion` print just that value. Assumed: a tab after each label
// (recent releases align with tabs), and exit 1 with a usage line for any other argument.

import { runTool, ToolExit } from './cli.js';
import { loadState, section } from './state.js';

/** A current Mac unless the state says otherwise. */
export const SW_VERS_DEFAULTS = { productName: 'macOS', productVersion: '15.1', buildVersion: '24B83' };

const USAGE = 'usage: sw_vers [-productName|-productVersion|-buildVersion]\n';

/** @param {string[]} argv */
export function swVersMain(argv) {
  const v = section(loadState(), 'sw_vers', SW_VERS_DEFAULTS);
  const field = (/** @type {string} */ key) => String(v[key] ?? '');
  if (argv.length === 0) {
    process.stdout.write(`ProductName:\t\t${field('productName')}\nProductVersion:\t\t${field('productVersion')}\nBuildVersion:\t\t${field('buildVersion')}\n`);
    return 0;
  }
  const only = { '-productName': 'productName', '-productVersion': 'productVersion', '-buildVersion': 'buildVersion' }[argv[0] ?? ''];
  if (argv.length !== 1 || only === undefined) throw new ToolExit(1, { stderr: USAGE });
  process.stdout.write(`${field(only)}\n`);
  return 0;
}

export function run() {
  return runTool('sw_vers', swVersMain);
}
