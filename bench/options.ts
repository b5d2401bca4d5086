/** The command line of `npm run bench -- [options]`. */

import { parseArgs } from 'node:util';
import { DEFAULT_NODES } from './node-runtimes.js';
import { PRESETS } from './presets.js';

export const BENCHMARKS = ['relocate', 'noop', 'scale', 'memory'] as const;
export type BenchmarkName = (typeof BENCHMARKS)[number];

export interface BenchOptions {
  presets: string[];
  only: BenchmarkName[];
  pairs: number;
  seed: string;
  sizes: number[];
  skip: string[];
  nodes: string[];
  clean: boolean;
  help: boolean;
}

export const USAGE = `usage: npm run bench -- [options]

  --preset NAMES   tree sizes for relocate and memory, comma-separated (default small):
                   small (2,000 files, 200 MiB), large (20,000 files, 2 GiB),
                   many (100,000 files, 3.4 GiB: a real iPad backup's shape)
  --only NAMES     benchmarks to run, comma-separated (default all):
                   relocate  provision apply vs cp -a/rm/ln (floor), rsync, Ansible
                   noop      no-op plan on a converged machine vs node -e 0 (floor), ansible --check
                   scale     validate and plan of declarations of 10, 100, 1000 machines x 5 users
                   memory    peak memory (GNU time -v) of each relocation
  --pairs N        timed rounds after the warm-up (default 5; noop and scale run at least 10)
  --skip NAMES     competitors to leave out: rsync, ansible (Ansible is slow on large trees)
  --sizes LIST     machine counts for scale (default 10,100,1000)
  --node LIST      Node versions the measured commands run on, comma-separated (default
                   22,26, the versions CI tests: each installed once from the npm registry
                   into bench/.work/node); a path to a node binary; current: this one
  --seed S         seed of the generated trees (default 1)
  --clean          remove bench/.work (generated trees, leftovers) and exit
`;

function list(value: string | undefined, fallback: string[]): string[] {
  if (value === undefined) return fallback;
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      preset: { type: 'string' },
      only: { type: 'string' },
      pairs: { type: 'string' },
      sizes: { type: 'string' },
      skip: { type: 'string' },
      seed: { type: 'string' },
      node: { type: 'string' },
      clean: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const presets = list(values.preset, ['small']);
  for (const p of presets) if (!(p in PRESETS)) throw new Error(`unknown preset ${p}; choose from ${Object.keys(PRESETS).join(', ')}`);
  const only = list(values.only, [...BENCHMARKS]);
  const known = new Set<string>(BENCHMARKS);
  for (const b of only) if (!known.has(b)) throw new Error(`unknown benchmark ${b}; choose from ${BENCHMARKS.join(', ')}`);
  const pairs = Number(values.pairs ?? '5');
  if (!Number.isInteger(pairs) || pairs < 1) throw new Error('--pairs must be a whole number, 1 or more');
  const skip = list(values.skip, []);
  for (const s of skip) if (s !== 'rsync' && s !== 'ansible') throw new Error(`unknown competitor ${s} for --skip; choose from rsync, ansible`);
  const sizes = list(values.sizes, ['10', '100', '1000']).map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 9999)) throw new Error('--sizes must be whole numbers from 1 to 9999');
  const nodes = list(values.node, DEFAULT_NODES);
  if (nodes.length === 0) throw new Error('--node needs at least one version');
  return {
    presets,
    only: BENCHMARKS.filter((b) => only.includes(b)),
    pairs,
    seed: values.seed ?? '1',
    sizes,
    skip,
    nodes,
    clean: values.clean === true,
    help: values.help === true,
  };
}
