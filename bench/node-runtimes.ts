/**
 * The Node versions the measured commands run on (`--node`). A major version (22, 26) is the
 * npm registry's `node` package of that line, installed once into bench/.work/node/<major> (as
 * .ci/run does for the tests); a path is a node binary; `current` is the node running the
 * benchmark. The benchmark itself runs on whichever node started it; only what is measured, the
 * floors included, runs on the chosen one, with its folder first on PATH so that the simulators
 * (`#!/usr/bin/env node`) start on it too.
 */

import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { execa } from 'execa';

export interface NodeRuntime {
  /** "Node 26.10.0", for tables. */
  label: string;
  execPath: string;
  /** The folder holding that node: first on PATH for everything measured. */
  binDir: string;
}

/** The versions CI runs the tests on (.ci/run): the floor of `engines` and the current LTS. */
export const DEFAULT_NODES = ['22', '26'];

export async function resolveRuntimes(specs: readonly string[], workDir: string, log: (line: string) => void): Promise<NodeRuntime[]> {
  const runtimes: NodeRuntime[] = [];
  for (const spec of specs) {
    const execPath = spec === 'current' ? process.execPath : /^\d+$/.test(spec) ? await registryNode(spec, workDir, log) : resolve(spec);
    if (!existsSync(execPath)) throw new Error(`--node ${spec}: ${execPath} does not exist`);
    const version = await execa(execPath, ['--version'], { reject: false });
    if (version.exitCode !== 0 || !/^v\d+\./.test(version.stdout.trim())) {
      throw new Error(`--node ${spec}: ${execPath} --version did not print a Node version (${version.shortMessage ?? version.stdout})`);
    }
    runtimes.push({ label: `Node ${version.stdout.trim().slice(1)}`, execPath, binDir: dirname(execPath) });
  }
  return runtimes;
}

/** node@major from the npm registry, installed into the work folder the first time. */
async function registryNode(major: string, workDir: string, log: (line: string) => void): Promise<string> {
  const dir = join(workDir, 'node', major);
  const bin = join(dir, 'node_modules', '.bin', 'node');
  if (existsSync(bin)) return bin;
  log(`installing node@${major} from the npm registry into ${dir} (once) ...`);
  await mkdir(dir, { recursive: true });
  const r = await execa('npm', ['install', '--no-audit', '--no-fund', '--silent', '--prefix', dir, `node@${major}`], { reject: false });
  if (r.exitCode !== 0 || !existsSync(bin)) {
    const why = `${r.stderr}${r.stdout}`.trim().split('\n').slice(-3).join(' / ');
    throw new Error(`could not install node@${major} from the npm registry (${why || `exit ${r.exitCode ?? '?'}`}); pass --node current, or a path to a node binary`);
  }
  return bin;
}
