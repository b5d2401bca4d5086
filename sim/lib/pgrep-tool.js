// pgrep simulator: `pgrep [-lx] [-U user[,user...]] [-u user[,...]] [pattern]`, the part BSD
// (macOS) and procps (Linux) pgrep agree on. Facts (pgrep(1) of both, see sim/README.md): pids
// one per line in ascending order, `-l` adds the name after a space; exit 0 when something
// matched, 1 when nothing did (and nothing printed), 2 for bad usage (including an unknown user
// name and a bad pattern). Without -x the pattern is an extended regular expression matched
// anywhere in the name; JavaScript's RegExp stands in for it.

import { runTool, ToolExit } from './cli.js';
import { loadProcessTable } from './pgrep-processes.js';

const USAGE = [
  'usage: pgrep [-lx] [-U uid[,uid...]] [-u euid[,euid...]] [pattern]',
  '  (this simulator implements only -l, -x, -U and -u)',
].join('\n');

const BAD_USAGE = 2;

/** @param {string} text */
function badUsage(text) {
  throw new ToolExit(BAD_USAGE, { stderr: `${text}\n` });
}

/** @param {string[]} argv */
function parseArgs(argv) {
  const options = { exact: false, long: false, /** @type {string[]} */ users: [], userGiven: false };
  const operands = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = /** @type {string} */ (argv[i]);
    if (arg === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      operands.push(arg);
      continue;
    }
    // Clustered flags ("-lx") and attached option values ("-Ualex") as getopt allows.
    for (let j = 1; j < arg.length; j += 1) {
      const flag = arg[j];
      if (flag === 'x') options.exact = true;
      else if (flag === 'l') options.long = true;
      else if (flag === 'U' || flag === 'u') {
        const value = j + 1 < arg.length ? arg.slice(j + 1) : argv[++i];
        if (value === undefined || value === '') badUsage(`pgrep: option requires an argument -- ${flag}\n${USAGE}`);
        options.users.push(...value.split(',').filter((u) => u !== ''));
        options.userGiven = true;
        break;
      } else badUsage(`pgrep: illegal option -- ${flag}\n${USAGE}`);
    }
  }
  if (operands.length > 1) badUsage(USAGE);
  return { ...options, pattern: operands[0] };
}

/** @param {string[]} argv */
export function pgrepMain(argv) {
  const args = parseArgs(argv);
  if (args.pattern === undefined && !args.userGiven) badUsage(`pgrep: no matching criteria specified\n${USAGE}`);
  const { processes, users } = loadProcessTable();
  for (const u of args.users) {
    const known = /^\d+$/.test(u) || users === undefined || u in users || processes.some((p) => p.user === u);
    if (!known) badUsage(`pgrep: Unknown user '${u}'`);
  }
  let matchName = () => true;
  if (args.pattern !== undefined) {
    const pattern = args.pattern;
    if (args.exact) matchName = (name) => name === pattern;
    else {
      let re;
      try {
        re = new RegExp(pattern);
      } catch {
        return badUsage(`pgrep: Cannot compile regular expression '${pattern}'`);
      }
      matchName = (name) => re.test(name);
    }
  }
  // A process's uid: its own field, else the users map, else another process of the same user
  // that states one; a user named by uid matches through it.
  const uids = new Map(Object.entries(users ?? {}));
  for (const p of processes) if (p.uid !== undefined && !uids.has(p.user)) uids.set(p.user, p.uid);
  const uidOf = (p) => p.uid ?? uids.get(p.user);
  const matchUser = (p) =>
    !args.userGiven || args.users.some((u) => u === p.user || (uidOf(p) !== undefined && u === String(uidOf(p))));
  const found = processes.filter((p) => matchUser(p) && matchName(p.name)).sort((a, b) => a.pid - b.pid);
  if (found.length === 0) return 1;
  process.stdout.write(found.map((p) => (args.long ? `${p.pid} ${p.name}\n` : `${p.pid}\n`)).join(''));
  return 0;
}

export function run() {
  return runTool('pgrep', pgrepMain);
}
