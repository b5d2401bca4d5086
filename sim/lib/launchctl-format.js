// How `launchctl print <domain>/<label>` lays out a loaded job, as far as published transcripts
// show it (macOS 13 to 26): the service target, ` = {`, one tab before each key, `key = value`,
// nested blocks as `name = {` ... `}` one tab deeper, blank lines between groups, `}` last.
// Only the keys those transcripts agree on are printed, in their order: active count, path,
// type, state; program and arguments; stdout and stderr path; the default and the job's
// environment (launchd adds XPC_SERVICE_NAME); domain and asid; minimum runtime (the job's
// ThrottleInterval, 10 by default; assumed to be what that line shows), exit timeout, runs, pid
// while running, last exit code (`(never exited)` before the first exit). Left out: inherited
// environment, event triggers (how StartOnMount shows there is not known), endpoints,
// properties, spawn type, jetsam and the rest that no adapter of provision reads.

/** launchd's PATH for a job that sets none (transcripts: `PATH => /usr/bin:/bin:/usr/sbin:/sbin`). */
export const DEFAULT_PATH = '/usr/bin:/bin:/usr/sbin:/sbin';

/** A GUI login's audit session id; any number will do, transcripts show 1000xx. */
const ASID = 100003;

/**
 * @typedef {object} Service
 * @property {string} path the plist bootstrapped, as given to bootstrap
 * @property {Record<string, unknown>} plist the job's dictionary as read at bootstrap
 * @property {number} runs
 * @property {number | null} lastExitCode null: never exited
 * @property {number | null} pid null: not running
 */

/**
 * @param {string} domain e.g. gui/501
 * @param {string} label
 * @param {Service} s
 * @returns {string}
 */
export function formatService(domain, label, s) {
  const p = s.plist;
  const args = Array.isArray(p.ProgramArguments) ? p.ProgramArguments.map(String) : [];
  const program = typeof p.Program === 'string' ? p.Program : (args[0] ?? '');
  const env = p.EnvironmentVariables !== null && typeof p.EnvironmentVariables === 'object' ? p.EnvironmentVariables : {};
  const throttle = typeof p.ThrottleInterval === 'number' ? p.ThrottleInterval : 10;
  const lines = [`${domain}/${label} = {`];
  const add = (text = '') => lines.push(text === '' ? '' : `\t${text}`);
  add(`active count = ${s.pid === null ? 0 : 1}`);
  add(`path = ${s.path}`);
  add(`type = ${domain.startsWith('gui/') || domain.startsWith('user/') ? 'LaunchAgent' : 'LaunchDaemon'}`);
  add(`state = ${s.pid === null ? 'not running' : 'running'}`);
  add();
  add(`program = ${program}`);
  if (args.length > 0) {
    add('arguments = {');
    for (const a of args) add(`\t${a}`);
    add('}');
  }
  add();
  if (typeof p.StandardOutPath === 'string') add(`stdout path = ${p.StandardOutPath}`);
  if (typeof p.StandardErrorPath === 'string') add(`stderr path = ${p.StandardErrorPath}`);
  add('default environment = {');
  add(`\tPATH => ${DEFAULT_PATH}`);
  add('}');
  add();
  add('environment = {');
  for (const [k, v] of Object.entries(env)) add(`\t${k} => ${String(v)}`);
  add(`\tXPC_SERVICE_NAME => ${label}`);
  add('}');
  add();
  add(domain.startsWith('gui/') ? `domain = ${domain} [${ASID}]` : `domain = ${domain}`);
  if (domain.startsWith('gui/')) add(`asid = ${ASID}`);
  add(`minimum runtime = ${throttle}`);
  add('exit timeout = 5');
  add(`runs = ${s.runs}`);
  if (s.pid !== null) add(`pid = ${s.pid}`);
  add(`last exit code = ${s.lastExitCode === null ? '(never exited)' : s.lastExitCode}`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
