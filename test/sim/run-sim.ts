import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

/** The repository's sim/bin, to put first on PATH or to run a simulator by path. */
export const SIM_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../sim/bin');

export interface SimResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A temp dir holding a state file; remove() it in afterEach. */
export interface SimSandbox {
  dir: string;
  statePath: string;
  writeState(state: unknown): Promise<void>;
  readState(): Promise<unknown>;
  /** Runs sim/bin/<tool> as a real process with this sandbox's state file. */
  run(tool: string, args: readonly string[], options?: { env?: Record<string, string>; input?: string }): Promise<SimResult>;
  remove(): Promise<void>;
}

export async function createSimSandbox(): Promise<SimSandbox> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-sim-'));
  const statePath = path.join(dir, 'state.json');
  return {
    dir,
    statePath,
    writeState: (state) => fs.writeFile(statePath, JSON.stringify(state)),
    readState: async () => JSON.parse(await fs.readFile(statePath, 'utf8')) as unknown,
    async run(tool, args, options = {}) {
      const r = await execa(path.join(SIM_BIN, tool), args, {
        env: { PROVISION_SIM_STATE: statePath, ...options.env },
        reject: false,
        stripFinalNewline: false,
        ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
      });
      return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
    },
    remove: () => fs.rm(dir, { recursive: true, force: true }),
  };
}
