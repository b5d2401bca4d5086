/**
 * launchctl, as the agent needs it: the launchctl 2 verbs `bootstrap <domain> <plist>`,
 * `bootout <domain>/<label>` and `print <domain>/<label>`, through the Host seam. `print` is the
 * only way to ask launchd about one job; its output is "not API" (Apple), so only a few lines
 * of it are read, each on its own, and anything unexpected is reported rather than guessed at.
 */

import { ProvisionError } from '../errors.js';
import type { HostReads, HostWrites, RunResult } from '../host/host.js';
import { LAUNCHCTL_EXIT } from '../assumptions.js';

export type LaunchdJob =
  | {
      kind: 'loaded';
      /** The plist launchd loaded it from, as given to bootstrap. */
      path: string | undefined;
      /** `running`, `not running`, ... as launchd says it. */
      state: string | undefined;
      arguments: string[] | undefined;
      runs: number | undefined;
      /** undefined before the first exit. */
      lastExitCode: number | undefined;
      pid: number | undefined;
    }
  | { kind: 'not-loaded' }
  /** The user has no GUI login session now: launchd loads the agent at the next login. */
  | { kind: 'no-session' }
  /** No launchctl on this computer (not a Mac, and no simulator on PATH). */
  | { kind: 'no-launchctl' };

export function guiDomain(uid: number): string {
  return `gui/${uid}`;
}

export async function hasLaunchctl(reads: HostReads): Promise<boolean> {
  return reads.hasCommand('launchctl');
}

/** What launchd knows of the job now. */
export async function printJob(reads: HostReads, domain: string, label: string): Promise<LaunchdJob> {
  if (!(await hasLaunchctl(reads))) return { kind: 'no-launchctl' };
  const r = await reads.query('launchctl', ['print', `${domain}/${label}`]);
  if (r.exitCode === 0) return parsePrintedJob(r.stdout);
  const said = `${r.stdout}\n${r.stderr}`;
  if (r.exitCode === LAUNCHCTL_EXIT.serviceNotFound && said.includes('Could not find service')) return { kind: 'not-loaded' };
  if (r.exitCode === LAUNCHCTL_EXIT.domainNotFound && said.includes('Could not find domain')) return { kind: 'no-session' };
  throw failed(`launchctl print ${domain}/${label}`, r);
}

/**
 * Loads the plist into the domain. True when loaded; false when the domain has no login
 * session (launchd loads agents from ~/Library/LaunchAgents at the next login by itself).
 */
export async function bootstrapJob(host: HostWrites, domain: string, plistPath: string): Promise<boolean> {
  const r = await host.mutate('launchctl', ['bootstrap', domain, plistPath]);
  if (r.exitCode === 0) return true;
  if (r.exitCode === LAUNCHCTL_EXIT.noSession) return false;
  throw failed(`launchctl bootstrap ${domain} ${plistPath}`, r, {
    hint: r.exitCode === LAUNCHCTL_EXIT.inputOutput
      ? 'launchd refused the plist (it says why only to root: try the same with sudo); the plist is written, so running install again retries'
      : 'the plist is written; running install again retries the load',
  });
}

/** Unloads the job; a job that is already gone is fine (someone unloaded it meanwhile). */
export async function bootoutJob(host: HostWrites, domain: string, label: string): Promise<void> {
  const r = await host.mutate('launchctl', ['bootout', `${domain}/${label}`]);
  if (r.exitCode === 0 || r.exitCode === LAUNCHCTL_EXIT.noSuchProcess) return;
  throw failed(`launchctl bootout ${domain}/${label}`, r);
}

/**
 * bootout returns once launchd has accepted it, not once the job is gone, and a bootstrap of the
 * same label before then fails ("Bootstrap failed: 5"/"37", a known launchd race): wait until
 * print no longer finds it, a few seconds at most.
 */
export async function waitUntilGone(reads: HostReads, domain: string, label: string, tries = 50, delayMs = 100): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if ((await printJob(reads, domain, label)).kind !== 'loaded') return;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  throw new ProvisionError('COMMAND_FAILED', `launchd still has ${domain}/${label} after it was unloaded`, {
    hint: `wait a moment and run the command again; launchctl print ${domain}/${label} shows what launchd has`,
  });
}

function failed(command: string, r: RunResult, options: { hint?: string } = {}): ProvisionError {
  const said = [r.stderr.trim(), r.stdout.trim()].filter((s) => s !== '').join('; ') || 'no output';
  return new ProvisionError('COMMAND_FAILED', `${command} failed with exit code ${r.exitCode}: ${said}`, options);
}

/**
 * The top-level lines of `launchctl print <service>`: `\tkey = value` one tab in, and the
 * `arguments = {` block, one argument per line two tabs in. Nested blocks (environment, event
 * triggers) repeat keys such as `state`, so only lines at the first level count.
 */
export function parsePrintedJob(text: string): LaunchdJob {
  const top = new Map<string, string>();
  let args: string[] | undefined;
  let inArgs = false;
  for (const line of text.split('\n')) {
    if (inArgs) {
      if (line === '\t}') inArgs = false;
      else if (line.startsWith('\t\t')) args?.push(line.slice(2));
      continue;
    }
    if (line === '\targuments = {') {
      inArgs = true;
      args = [];
      continue;
    }
    const m = /^\t([^\t=][^=]*?) = (.*)$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined && !top.has(m[1])) top.set(m[1], m[2]);
  }
  const int = (key: string): number | undefined => {
    const v = top.get(key);
    return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : undefined;
  };
  return {
    kind: 'loaded',
    path: top.get('path'),
    state: top.get('state'),
    arguments: args,
    runs: int('runs'),
    lastExitCode: int('last exit code'),
    pid: int('pid'),
  };
}
