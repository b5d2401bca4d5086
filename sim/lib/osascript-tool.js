// osascript simulator: only the one script provision runs, AppleScript's `display notification`
// with its text and title passed as arguments of the run handler. Each notification it
// "posts" is appended to the state's `osascript.notifications`, so a test can see what a
// person would have seen.
// Facts: osascript(1) (https://www.unix.com/man-page/osx/1/osascript/): `-e statement` may be
// given several times to build a multi-line script; "any arguments following the script will
// be passed as a list of strings to the direct parameter of the run handler". Apple's Mac
// Automation Scripting Guide, "Displaying Notifications": `display notification TEXT with
// title TITLE`, which returns nothing (osascript prints nothing, exit 0). Assumed: a script
// the simulator does not know ends as a compile error would, exit 1 with a message on stderr.

import { runTool, ToolExit } from './cli.js';
import { updateSection } from './state.js';

/** The script, line by line, that provision passes with -e. */
export const NOTIFY_LINES = ['on run argv', 'display notification (item 1 of argv) with title (item 2 of argv)', 'end run'];

/** @param {string[]} argv */
export function osascriptMain(argv) {
  /** @type {string[]} */
  const lines = [];
  let i = 0;
  while (i < argv.length && argv[i] === '-e') {
    const line = argv[i + 1];
    if (line === undefined) throw new ToolExit(1, { stderr: 'osascript: option requires an argument -- e\nusage: osascript [-l language] [-e script] [-i] [-s {ehso}] [programfile] [argument ...]\n' });
    lines.push(line);
    i += 2;
  }
  if (lines.length === 0) throw new ToolExit(1, { stderr: 'osascript (simulator): only scripts given with -e are simulated\n' });
  if (lines.length !== NOTIFY_LINES.length || lines.some((l, n) => l.trim() !== NOTIFY_LINES[n])) {
    throw new ToolExit(1, { stderr: `osascript (simulator): this script is not simulated: ${lines.join(' / ')}\n` });
  }
  const args = argv.slice(i);
  if (args.length < 2) {
    // item 2 of a shorter list: AppleScript's "Can't get item 2 of {...}" (-1728).
    throw new ToolExit(1, { stderr: `execution error: Can’t get item ${args.length + 1} of {${args.map((a) => `"${a}"`).join(', ')}}. (-1728)\n` });
  }
  const [text, title] = /** @type {[string, string]} */ (args);
  updateSection('osascript', { notifications: [] }, (s) => {
    if (!Array.isArray(s.notifications)) s.notifications = [];
    s.notifications.push({ text, title });
  });
  return 0;
}

export function run() {
  return runTool('osascript', osascriptMain);
}
