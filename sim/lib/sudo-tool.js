// sudo simulator: `sudo -n -u <user> [--] <command> [args...]`, the one form provision uses, to
// run defaults(1) as the user whose preferences it reads or writes. It runs the command as that
// user by setting PROVISION_SIM_UID for it, so the other simulators act on that user's state.
// Facts (sudo(8)): -n never prompts and fails when a password would be needed, with "sudo: a
// password is required" and exit 1; an unknown user is "sudo: unknown user <name>", exit 1; a
// command not on PATH is "sudo: <command>: command not found", exit 1; otherwise sudo exits with
// the command's status. Assumed: root needs no password (the default sudoers); any other caller
// would, so without -n the simulator refuses rather than prompt.

import { spawnSync } from 'node:child_process';
import { runTool, SimulatorFault, ToolExit, usageExit } from './cli.js';
import { effectiveUid } from './privilege.js';
import { loadState, section } from './state.js';

const USAGE = [
  'usage: sudo -n -u user [--] command [args...]',
  '  (this simulator implements only this form)',
].join('\n');

/** No accounts unless the state lists them: a test says which users exist. */
export const SUDO_DEFAULTS = { users: {} };

/** @param {string} name @returns {number | undefined} */
function uidOf(name) {
  const users = section(loadState(), 'sudo', SUDO_DEFAULTS).users ?? {};
  if (users === null || typeof users !== 'object' || Array.isArray(users)) throw new SimulatorFault('sudo.users must be a JSON object (name -> uid)');
  if (name.startsWith('#')) {
    const uid = Number(name.slice(1));
    return Number.isInteger(uid) && uid >= 0 ? uid : undefined;
  }
  if (!Object.prototype.hasOwnProperty.call(users, name)) return undefined;
  const uid = users[name];
  if (!Number.isInteger(uid) || uid < 0) throw new SimulatorFault(`sudo.users.${name} must be a non-negative integer uid`);
  return uid;
}

/** @param {string[]} argv */
function parseArgs(argv) {
  let nonInteractive = false;
  let user;
  let i = 0;
  for (; i < argv.length; i += 1) {
    const arg = /** @type {string} */ (argv[i]);
    if (arg === '--') {
      i += 1;
      break;
    }
    if (arg === '-n') nonInteractive = true;
    else if (arg === '-u') {
      user = argv[i + 1];
      if (user === undefined) usageExit(USAGE);
      i += 1;
    } else if (arg.startsWith('-u') && arg.length > 2) user = arg.slice(2);
    else if (arg.startsWith('-')) usageExit(USAGE);
    else break;
  }
  const command = argv.slice(i);
  if (user === undefined || command.length === 0) usageExit(USAGE);
  return { nonInteractive, user: /** @type {string} */ (user), command };
}

/** @param {string[]} argv */
function main(argv) {
  const { nonInteractive, user, command } = parseArgs(argv);
  const uid = uidOf(user);
  if (uid === undefined) throw new ToolExit(1, { stderr: `sudo: unknown user ${user}\nsudo: error initializing audit plugin sudoers_audit\n` });
  if (effectiveUid() !== 0 && uid !== effectiveUid()) {
    if (nonInteractive) throw new ToolExit(1, { stderr: 'sudo: a password is required\n' });
    throw new SimulatorFault('sudo would prompt for a password here; pass -n or run as root (PROVISION_SIM_UID=0)');
  }
  const [file, ...args] = /** @type {[string, ...string[]]} */ (command);
  const child = spawnSync(file, args, { stdio: 'inherit', env: { ...process.env, PROVISION_SIM_UID: String(uid) } });
  if (child.error !== undefined) {
    const code = /** @type {NodeJS.ErrnoException} */ (child.error).code;
    if (code === 'ENOENT') throw new ToolExit(1, { stderr: `sudo: ${file}: command not found\n` });
    throw new SimulatorFault(`cannot run ${file}: ${child.error.message}`);
  }
  // A command killed by a signal: the shell convention, as sudo reports it to its caller.
  return child.status ?? 128 + 1;
}

export function run() {
  return runTool('sudo', main);
}
