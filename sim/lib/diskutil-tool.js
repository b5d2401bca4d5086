// diskutil simulator: only `diskutil info [-plist] <mount point | device | UUID>`.
// Facts: plist keys and the "Could not find disk: <path>" error plist with exit 1
// (docs/platform-facts.md, verified). Assumed: the human-layout error goes to stderr; other verbs
// and bad arguments print a short usage on stderr and exit 1.

import { runTool, ToolExit, usageExit } from './cli.js';
import { formatInfo } from './diskutil-format.js';
import { findVolume } from './diskutil-volumes.js';
import { toPlistXml } from './plist-xml.js';

const USAGE = [
  'usage: diskutil info [-plist] <mount point | disk identifier | device node | volume UUID | volume name>',
  '(this simulator implements only the info verb)',
].join('\n');

/** @param {string[]} args the arguments after the verb */
function info(args) {
  const plist = args[0] === '-plist';
  const rest = plist ? args.slice(1) : args;
  if (rest.length !== 1 || rest[0] === '') usageExit(USAGE);
  const target = /** @type {string} */ (rest[0]);
  const volume = findVolume(target);
  const message = `Could not find disk: ${target}`;
  if (plist) {
    if (volume === undefined) {
      throw new ToolExit(1, { stdout: toPlistXml({ Error: true, ErrorMessage: message, ExitCode: 1 }) });
    }
    process.stdout.write(toPlistXml(volume));
    return 0;
  }
  if (volume === undefined) throw new ToolExit(1, { stderr: `${message}\n` });
  process.stdout.write(formatInfo(volume));
  return 0;
}

/** @param {string[]} argv */
export function diskutilMain(argv) {
  const [verb, ...args] = argv;
  if (verb === 'info' || verb === 'information') return info(args);
  return usageExit(USAGE);
}

export function run() {
  return runTool('diskutil', diskutilMain);
}
