// mountvol simulator: the volume name (its GUID) mounted at a drive letter or folder.
// Facts (Microsoft Learn, "mountvol", windows-commands): `mountvol [<drive>:]<path> /l` "Lists
// the mounted volume name for the specified folder"; a volume name has the form
// \\?\Volume{GUID}\ (the braces are part of it). Assumed (no sample found): the name printed
// alone on its line, indented by four spaces as in mountvol's list without arguments; for a
// path with no volume mounted there (a plain folder, a network letter) a message on stderr and
// exit 1. provision only looks for the \\?\Volume{...}\ form in what is printed.
// State: { "mountvol": { "volumes": { "<path as given>": "{GUID}" } } }, paths compared ignoring
// case and a trailing separator.

import { runTool, ToolExit } from './cli.js';
import { loadState, section } from './state.js';

const USAGE = 'Creates, deletes, or lists a volume mount point.\n\nMOUNTVOL [drive:]path VolumeName\nMOUNTVOL [drive:]path /D\nMOUNTVOL [drive:]path /L\n';

/** @param {string} p */
const key = (p) => p.replace(/[\\/]+$/, '').toLowerCase();

/** @param {string[]} argv */
export function mountvolMain(argv) {
  const [where, flag] = argv;
  if (argv.length !== 2 || where === undefined || flag === undefined || flag.toLowerCase() !== '/l') throw new ToolExit(1, { stderr: USAGE });
  const volumes = /** @type {Record<string, unknown>} */ (section(loadState(), 'mountvol', { volumes: {} }).volumes ?? {});
  const found = Object.entries(volumes).find(([p]) => key(p) === key(where));
  if (found === undefined || typeof found[1] !== 'string') {
    throw new ToolExit(1, { stderr: 'The file or directory is not a reparse point.\n' });
  }
  process.stdout.write(`    \\\\?\\Volume${found[1]}\\\n`);
  return 0;
}

export function run() {
  return runTool('mountvol', mountvolMain);
}
