import fs from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import type { HostReads, RunOptions, RunResult } from '../../src/host/host.js';

/**
 * A test-only HostReads that runs commands for real with execa, under an explicit environment
 * (so a test can put sim/bin first on PATH and name a state file without touching process.env).
 * Only query and hasCommand work; the filesystem reads throw, as the adapters under test must
 * not use them.
 */
export function createExecHost(env: Record<string, string>): HostReads {
  const unsupported = (name: string) => async (): Promise<never> => {
    throw new Error(`exec-host: ${name} is not implemented (test-only host)`);
  };
  return {
    lstat: unsupported('lstat'),
    readlink: unsupported('readlink'),
    readdir: unsupported('readdir'),
    readFile: unsupported('readFile'),
    statfs: unsupported('statfs'),
    canWrite: unsupported('canWrite'),
    summarize: unsupported('summarize'),
    manifest: unsupported('manifest'),
    compareTrees: unsupported('compareTrees'),
    fingerprint: unsupported('fingerprint'),
    tcpAnswers: unsupported('tcpAnswers'),
    realpath: unsupported('realpath'),
    async query(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
      const r = await execa(command, args, {
        env: { ...env, ...options.env },
        extendEnv: true,
        reject: false,
        stripFinalNewline: false,
        ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
      });
      if (r.failed && r.exitCode === undefined) throw r;
      return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
    },
    async hasCommand(command: string): Promise<boolean> {
      for (const dir of (env.PATH ?? process.env.PATH ?? '').split(path.delimiter)) {
        if (dir === '') continue;
        try {
          await fs.access(path.join(dir, command), fs.constants.X_OK);
          return true;
        } catch {
          // not in this folder
        }
      }
      return false;
    },
  };
}
