// launchctl simulator: the launchctl 2 verbs provision uses for its LaunchAgent:
// bootstrap <domain> <plist>..., bootout <service-target> | <domain> <plist>..., print <service-target>.
// Facts (public transcripts and other projects' tests, see sim/README.md): targets `gui/<uid>`,
// `user/<uid>`, `<domain>/<label>`; a loaded job prints its block and exits 0; a job not loaded
// prints `Could not find service "<label>" in domain for user gui: <uid>` on stderr and exits
// 113; a missing domain `Could not find domain for user gui: <uid>`, 112; a malformed target
// `Unrecognized target specifier.`, 64; bootout of a job not loaded `Boot-out failed: 3: No such
// process`, 3; bootstrap of a loaded job, unprivileged, `Bootstrap failed: 5: Input/output error`
// and a hint to retry as root, 5, and as root `Bootstrap failed: 37: Operation already in
// progress`, 37; bootstrap into a gui domain with no login session `Bootstrap failed: 125: Domain
// does not support specified action`, 125. Exit status = the error number throughout.
// Assumed (no source): `Bad request.` before the not-found line going to stdout; the numbers and
// texts for a missing file (2), a damaged plist or one with bad ownership or mode (5), another
// user's domain without root (1); bootout in a missing domain answering like print (112); the
// usage texts, with 64 as the source of an older launchctl returns for usage errors.

import fs from 'node:fs';
import path from 'node:path';
import plist from 'plist';
import { runTool, SimulatorFault, ToolExit } from './cli.js';
import { formatService } from './launchctl-format.js';
import { effectiveUid } from './privilege.js';
import { loadState, section, updateSection } from './state.js';

/** No GUI sessions listed means every user is logged in; no job is loaded. */
export const LAUNCHCTL_DEFAULTS = { services: {} };

const USAGE = [
  'Usage: launchctl <subcommand> ... | help [subcommand]',
  '  bootstrap <domain-target> <service-path> [...]',
  '  bootout <service-target> | <domain-target> <service-path> [...]',
  '  print <service-target>',
  '(this simulator implements only these subcommands, for gui/<uid> and user/<uid>)',
].join('\n');

const HINT_AS_ROOT = 'Try re-running the command as root for richer errors.';

/** @param {string} text */
function usage(text = USAGE) {
  throw new ToolExit(64, { stderr: `${text}\n` });
}

function unrecognizedTarget() {
  throw new ToolExit(64, {
    stderr:
      'Unrecognized target specifier. <service-target> takes a form of <domain-target>/<service-id>.\n' +
      'Please refer to `man launchctl` for explanation of the <domain-target> specifiers.\n',
  });
}

/**
 * `gui/501` or `user/501`; the other domain kinds are not modelled.
 * @param {string} text
 * @returns {{ domain: string, kind: 'gui' | 'user', uid: number }}
 */
function parseDomain(text) {
  const m = /^(gui|user)\/(\d+)$/.exec(text);
  if (m) return { domain: text, kind: /** @type {'gui' | 'user'} */ (m[1]), uid: Number(m[2]) };
  if (/^(system|login|pid)(\/|$)/.test(text)) throw new SimulatorFault(`domain ${text} is not modelled (only gui/<uid> and user/<uid>)`);
  return unrecognizedTarget();
}

/**
 * @param {string} text `gui/501/org.example.job`
 */
function parseServiceTarget(text) {
  const m = /^((?:gui|user)\/\d+)\/(.+)$/.exec(text);
  if (!m) {
    parseDomain(text); // a bare domain is valid launchctl, just not a service
    throw new SimulatorFault(`a whole domain (${text}) is not modelled here; give <domain>/<label>`);
  }
  return { ...parseDomain(/** @type {string} */ (m[1])), label: /** @type {string} */ (m[2]) };
}

/**
 * The section, checked: a wrongly shaped fixture is the test's fault, not the Mac's answer.
 * @returns {{ guiSessions?: number[], services: Record<string, Record<string, import('./launchctl-format.js').Service>> }}
 */
function loadLaunchctl() {
  const s = section(loadState(), 'launchctl', LAUNCHCTL_DEFAULTS);
  checkSection(s);
  return s;
}

/** @param {any} s */
function checkSection(s) {
  if (s.guiSessions !== undefined && (!Array.isArray(s.guiSessions) || !s.guiSessions.every((u) => Number.isInteger(u) && u >= 0))) {
    throw new SimulatorFault('launchctl.guiSessions must be a list of uids');
  }
  if (s.services === undefined) s.services = {};
  if (s.services === null || typeof s.services !== 'object' || Array.isArray(s.services)) throw new SimulatorFault('launchctl.services must be an object of domains');
  for (const [domain, jobs] of Object.entries(s.services)) {
    if (!/^(gui|user)\/\d+$/.test(domain)) throw new SimulatorFault(`launchctl.services: ${domain} is not gui/<uid> or user/<uid>`);
    if (jobs === null || typeof jobs !== 'object' || Array.isArray(jobs)) throw new SimulatorFault(`launchctl.services.${domain} must be an object of jobs`);
    for (const [label, job] of Object.entries(jobs)) {
      const ok =
        job !== null && typeof job === 'object' && typeof job.path === 'string' && job.plist !== null && typeof job.plist === 'object' &&
        Number.isInteger(job.runs) && (job.lastExitCode === null || Number.isInteger(job.lastExitCode)) && (job.pid === null || Number.isInteger(job.pid));
      if (!ok) throw new SimulatorFault(`launchctl.services.${domain}.${label} needs path, plist, runs, lastExitCode (or null) and pid (or null)`);
    }
  }
}

/** @param {{ guiSessions?: number[] }} s @param {{ kind: string, uid: number }} d */
function domainExists(s, d) {
  return d.kind === 'user' || s.guiSessions === undefined || s.guiSessions.includes(d.uid);
}

/** @param {{ kind: string, uid: number }} d */
function missingDomain(d) {
  throw new ToolExit(112, { stderr: `Could not find domain for user ${d.kind}: ${d.uid}\n` });
}

/** Only root, or the domain's own user, may change a user's domains (launchctl(1): "Root may modify any user's domain"). */
function mayChange(/** @type {{ uid: number }} */ d) {
  const uid = effectiveUid();
  return uid === 0 || uid === d.uid;
}

/**
 * A bootstrap failure as launchctl words it; unprivileged callers get the generic error 5 for the
 * failures launchd only explains to root, with the hint to retry as root.
 * @param {number} code @param {string} text
 */
function bootstrapFailed(code, text) {
  if (effectiveUid() !== 0 && (code === 37 || code === 5)) {
    throw new ToolExit(5, { stderr: `Bootstrap failed: 5: Input/output error\n${HINT_AS_ROOT}\n` });
  }
  throw new ToolExit(code, { stderr: `Bootstrap failed: ${code}: ${text}\n` });
}

/** Plist values made JSON: dates as ISO text, data as base64. @param {unknown} v @returns {unknown} */
function jsonable(v) {
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (Array.isArray(v)) return v.map(jsonable);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonable(x)]));
  return v;
}

/**
 * Reads a job's plist the way launchd refuses one: not there, not owned by the domain's user
 * (or root), writable by group or others, not a property list, or without a Label and a program.
 * @param {string} file @param {{ uid: number }} d
 * @returns {{ label: string, job: Record<string, unknown> }}
 */
function readJob(file, d, failed = bootstrapFailed) {
  let st;
  try {
    st = fs.statSync(file);
  } catch {
    return failed(2, 'No such file or directory');
  }
  // launchctl(1), load: "per-user configuration files (LaunchAgents) must be owned by the user
  // loading them ... must not be group- or world-writable".
  if (!st.isFile() || (st.uid !== d.uid && st.uid !== 0) || (st.mode & 0o022) !== 0) return failed(5, 'Input/output error');
  const reports = [];
  const original = console.error;
  console.error = (...args) => reports.push(args.map(String).join(' '));
  let value;
  try {
    value = plist.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    value = undefined;
  } finally {
    console.error = original;
  }
  const errors = reports.filter((r) => !r.startsWith('[xmldom warning]'));
  const ok =
    errors.length === 0 && value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value.Label === 'string' && value.Label !== '' &&
    (typeof value.Program === 'string' || (Array.isArray(value.ProgramArguments) && value.ProgramArguments.length > 0 && value.ProgramArguments.every((a) => typeof a === 'string')));
  if (!ok) return failed(5, 'Input/output error');
  return { label: value.Label, job: /** @type {Record<string, unknown>} */ (jsonable(value)) };
}

/** @param {string[]} argv */
function bootstrap(argv) {
  if (argv.length < 3) usage('Usage: launchctl bootstrap <domain-target> [service-path, service-path2, ...]');
  const d = parseDomain(/** @type {string} */ (argv[1]));
  const state = loadLaunchctl();
  if (!mayChange(d)) bootstrapFailed(1, 'Operation not permitted');
  if (!domainExists(state, d)) bootstrapFailed(125, 'Domain does not support specified action');
  const jobs = [];
  for (const p of argv.slice(2)) {
    const file = path.resolve(p);
    const { label, job } = readJob(file, d);
    if (state.services[d.domain]?.[label] !== undefined || jobs.some((j) => j.label === label)) bootstrapFailed(37, 'Operation already in progress');
    jobs.push({ label, file, job });
  }
  updateSection('launchctl', LAUNCHCTL_DEFAULTS, (s) => {
    checkSection(s);
    const domainJobs = (s.services[d.domain] ??= {});
    for (const j of jobs) domainJobs[j.label] = { path: j.file, plist: j.job, runs: 0, lastExitCode: null, pid: null };
  });
  return 0;
}

/** @param {number} code @param {string} text */
function bootoutFailed(code, text) {
  throw new ToolExit(code, { stderr: `Boot-out failed: ${code}: ${text}\n` });
}

/** @param {string[]} argv */
function bootout(argv) {
  if (argv.length < 2) usage('Usage: launchctl bootout <domain-target> [service-path1, service-path2, ...] | <service-target>');
  /** @type {{ domain: string, kind: string, uid: number }} */
  let d;
  /** @type {string[]} */
  let labels;
  if (argv.length === 2) {
    const t = parseServiceTarget(/** @type {string} */ (argv[1]));
    d = t;
    labels = [t.label];
  } else {
    d = parseDomain(/** @type {string} */ (argv[1]));
    labels = argv.slice(2).map((p) => readJob(path.resolve(p), { uid: d.uid }, bootoutFailed).label);
  }
  const state = loadLaunchctl();
  if (!domainExists(state, d)) missingDomain(d);
  if (!mayChange(d)) bootoutFailed(1, 'Operation not permitted');
  for (const label of labels) if (state.services[d.domain]?.[label] === undefined) bootoutFailed(3, 'No such process');
  updateSection('launchctl', LAUNCHCTL_DEFAULTS, (s) => {
    checkSection(s);
    const domainJobs = s.services[d.domain] ?? {};
    for (const label of labels) delete domainJobs[label];
    if (Object.keys(domainJobs).length === 0) delete s.services[d.domain];
  });
  return 0;
}

/** @param {string[]} argv */
function print(argv) {
  if (argv.length !== 2) usage('Usage: launchctl print <domain-target> | <service-target>');
  const t = parseServiceTarget(/** @type {string} */ (argv[1]));
  const state = loadLaunchctl();
  if (!domainExists(state, t)) missingDomain(t);
  const job = state.services[t.domain]?.[t.label];
  if (job === undefined) {
    throw new ToolExit(113, { stdout: 'Bad request.\n', stderr: `Could not find service "${t.label}" in domain for user ${t.kind}: ${t.uid}\n` });
  }
  process.stdout.write(formatService(t.domain, t.label, job));
  return 0;
}

/** @param {string[]} argv */
export function launchctlMain(argv) {
  switch (argv[0]) {
    case 'bootstrap':
      return bootstrap(argv);
    case 'bootout':
      return bootout(argv);
    case 'print':
      return print(argv);
    case undefined:
      return usage();
    default:
      if (['load', 'unload', 'list', 'kickstart', 'enable', 'disable', 'start', 'stop', 'remove', 'submit'].includes(argv[0])) {
        throw new SimulatorFault(`launchctl ${argv[0]} is not modelled (only bootstrap, bootout and print)`);
      }
      throw new ToolExit(64, { stderr: `Unrecognized subcommand: ${argv[0]}\n${USAGE}\n` });
  }
}

export function run() {
  return runTool('launchctl', launchctlMain);
}
