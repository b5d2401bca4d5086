/**
 * Running the commands being measured. The clock wraps spawnSync and nothing else: execa's
 * promise and stream machinery (used for everything outside the timing) adds a few milliseconds
 * to a 30 ms Node start. Arguments are always arrays, never a shell string.
 *
 * Every measured command gets the caller's environment without NODE_EXTRA_CA_CERTS: this
 * environment exports it, and it makes each Node start parse a certificate bundle (0.04 s
 * becomes 0.12 s), which a user's machine does not do. The other side gets the same environment.
 */

import { spawnSync } from 'node:child_process';

export interface Command {
  file: string;
  args: readonly string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Exit codes that count as success; default [0]. */
  okCodes?: readonly number[];
}

export interface RunResult {
  ms: number;
  ok: boolean;
  /** The failing command and its output, when not ok. */
  failure?: string;
  stdout: string;
  stderr: string;
  exitCode: number;
}

export function measuredEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'NODE_EXTRA_CA_CERTS') env[key] = value;
  }
  return { ...env, ...extra };
}

/** Runs the commands one after another, stopping at the first failure; `ms` is their total wall time. */
export function runSequence(commands: readonly Command[]): RunResult {
  let ms = 0;
  let stdout = '';
  let stderr = '';
  let exitCode = 0;
  for (const command of commands) {
    const started = performance.now();
    const result = spawnSync(command.file, command.args, {
      env: command.env ?? measuredEnv(),
      cwd: command.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 512 * 1024 * 1024,
      encoding: 'utf8',
    });
    ms += performance.now() - started;
    stdout += result.stdout ?? '';
    stderr += result.stderr ?? '';
    exitCode = result.status ?? 128;
    const ok = result.error === undefined && (command.okCodes ?? [0]).includes(exitCode);
    if (!ok) {
      const why = result.error !== undefined ? result.error.message : result.signal !== null ? `killed by ${result.signal}` : `exit ${exitCode}`;
      const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
      return { ms, ok: false, failure: `${[command.file, ...command.args].join(' ')}: ${why}\n${output}`, stdout, stderr, exitCode };
    }
  }
  return { ms, ok: true, stdout, stderr, exitCode };
}

/** The same commands under GNU time -v; `maxRssKiB` is the largest of their peaks. */
export function runWithPeakMemory(commands: readonly Command[]): RunResult & { maxRssKiB: number } {
  const wrapped = commands.map((c) => ({ ...c, file: '/usr/bin/time', args: ['-v', c.file, ...c.args] }));
  const result = runSequence(wrapped);
  const peaks = [...result.stderr.matchAll(/Maximum resident set size \(kbytes\): (\d+)/g)].map((m) => Number(m[1]));
  return { ...result, maxRssKiB: peaks.length > 0 ? Math.max(...peaks) : NaN };
}
