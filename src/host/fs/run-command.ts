/**
 * Runs an external command with an argument array (never a shell string) and always resolves
 * with an exit code and the output, like a shell would report it: 127 when the command is not
 * found, 126 when it cannot be executed, 128+N when killed by signal N.
 */

import { constants } from 'node:os';
import type { RunOptions, RunResult } from '../host.js';

export async function runCommand(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  // Loaded on first use: execa and the stream modules it pulls in cost a converged plan, which
  // runs no command, a fifth of its start-up.
  const { execa } = await import('execa');
  const subprocess = execa(command, args, {
    reject: false,
    // Without input, standard input is /dev/null: a command that prompts must fail, not hang.
    ...(options.interactive === true ? { stdin: 'inherit' as const } : options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  if (subprocess.pid !== undefined) options.onSpawned?.();
  const result = await subprocess;
  const stdout = typeof result.stdout === 'string' ? result.stdout : '';
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  if (result.exitCode !== undefined) return { exitCode: result.exitCode, stdout, stderr };
  if (result.signal !== undefined) {
    const number = (constants.signals as Record<string, number | undefined>)[result.signal] ?? 0;
    return { exitCode: 128 + number, stdout, stderr: stderr || `${command}: killed by ${result.signal}` };
  }
  const code = 'code' in result && typeof result.code === 'string' ? result.code : undefined;
  if (code === 'ENOENT') return { exitCode: 127, stdout, stderr: `${command}: command not found` };
  if (code === 'EACCES') return { exitCode: 126, stdout, stderr: `${command}: permission denied` };
  return { exitCode: 1, stdout, stderr: stderr || `${command}: ${result.message}` };
}
