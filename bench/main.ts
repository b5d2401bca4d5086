/**
 * `npm run bench`: builds nothing itself (the npm script builds dist/ and this folder first),
 * enters a private mount namespace, and runs the chosen benchmarks on the chosen presets,
 * printing a table for each and how long each benchmark took. Exit 1 if anything failed loudly.
 */

import { existsSync, rmSync, statfsSync } from 'node:fs';
import { freemem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchMemory } from './bench-memory.js';
import { benchNoopPlan } from './bench-noop-plan.js';
import { benchRelocate } from './bench-relocate.js';
import { benchScale } from './bench-scale.js';
import { GENERATOR_VERSION } from './backup-tree.js';
import { BenchContext, Interrupted } from './context.js';
import { resolveRuntimes, type NodeRuntime } from './node-runtimes.js';
import { insideNamespace, rerunInNamespace } from './namespace.js';
import { parseOptions, USAGE, type BenchOptions } from './options.js';
import { presetNamed } from './presets.js';
import { CLI, REPO } from './sandbox.js';
import { formatBytes } from './table.js';

const WORK_DIR = join(REPO, 'bench', '.work');

async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(argv);
  } catch (error) {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (options.clean) {
    rmSync(WORK_DIR, { recursive: true, force: true });
    process.stdout.write(`removed ${WORK_DIR}\n`);
    return 0;
  }
  if (!existsSync(join(REPO, 'dist', 'cli', 'main.js'))) {
    process.stderr.write('bench: dist/ is missing: run `npm run build` (npm run bench does)\n');
    return 1;
  }
  if (!insideNamespace()) return rerunInNamespace(fileURLToPath(import.meta.url), argv);
  return runInside(options);
}

async function runInside(options: BenchOptions): Promise<number> {
  const ctx = new BenchContext(WORK_DIR, options.seed, options.pairs, new Set(options.skip));
  // The first signal stops the run at its next checkpoint, which then cleans up; another one
  // later cleans up and leaves at once. Ctrl-C on a terminal arrives twice (from the terminal and
  // passed on by the outer process), hence the grace period.
  let firstSignal = 0;
  const onSignal = (): void => {
    if (!ctx.interrupted) {
      firstSignal = Date.now();
      ctx.log('\ninterrupted: stopping and cleaning up ...');
      ctx.interrupt();
      return;
    }
    if (Date.now() - firstSignal < 2000) return;
    ctx.releaseAllSync();
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  if (!roomFor(ctx, options)) return 1;
  let runtimes: NodeRuntime[];
  try {
    runtimes = await resolveRuntimes(options.nodes, WORK_DIR, (line) => ctx.log(line));
  } catch (error) {
    ctx.log(`bench: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  ctx.log(`provision benchmarks: ${options.only.join(', ')}; presets ${options.presets.join(', ')}; on ${runtimes.map((r) => r.label).join(' and ')}; ${CLI}`);
  ctx.log('every measured command runs without NODE_EXTRA_CA_CERTS (as on a user\'s machine)');
  const took: string[] = [];
  const timed = async (label: string, run: () => Promise<void>): Promise<void> => {
    const started = performance.now();
    try {
      await run();
    } catch (error) {
      if (ctx.interrupted) throw new Interrupted();
      ctx.fail(`${label}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    took.push(`${label}: ${formatDuration(performance.now() - started)}`);
  };
  try {
    for (const runtime of runtimes) {
      ctx.node = runtime;
      if (runtimes.length > 1) ctx.log(`\n######## ${runtime.label} (${runtime.execPath}) ########`);
      const on = runtimes.length > 1 ? `, ${runtime.label}` : '';
      for (const bench of options.only) {
        if (ctx.interrupted) break;
        if (bench === 'relocate') for (const p of options.presets) await timed(`relocate ${p}${on}`, () => benchRelocate(ctx, presetNamed(p)));
        if (bench === 'noop') await timed(`noop${on}`, () => benchNoopPlan(ctx, presetNamed(options.presets[0] ?? 'small')));
        if (bench === 'scale') await timed(`scale${on}`, () => benchScale(ctx, options.sizes));
        if (bench === 'memory') await timed(`memory${on}`, () => benchMemory(ctx, options.presets.map(presetNamed)));
      }
    }
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
  } finally {
    ctx.releaseAllSync();
  }
  if (ctx.interrupted) {
    ctx.log(`interrupted; cleaned up. Finished before that: ${took.join('; ') || 'nothing'}`);
    return 130;
  }
  if (ctx.budgets.size > 0) ctx.log(`\n== budgets (docs/performance.md): the measure against its bar, per Node version ==\n${ctx.budgets.render()}`);
  ctx.log(`\ntime taken (tree generation included): ${took.join('; ')}`);
  ctx.log(`generated trees are kept in ${join(WORK_DIR, 'trees')}; \`npm run bench -- --clean\` removes them`);
  if (ctx.failures.length > 0) {
    ctx.log(`\n${ctx.failures.length} FAILURE(S):\n${ctx.failures.map((f) => `- ${f.split('\n')[0] ?? f}`).join('\n')}`);
    return 1;
  }
  return 0;
}

/**
 * Refuses to start when a preset cannot fit: its tree is kept on disk and copied afresh for each
 * run (twice its size on the work folder's file system), and the drive is a tmpfs in memory.
 */
function roomFor(ctx: BenchContext, options: BenchOptions): boolean {
  if (!options.only.includes('relocate') && !options.only.includes('memory') && !options.only.includes('noop')) return true;
  const fs = statfsSync(existsSync(WORK_DIR) ? WORK_DIR : REPO);
  const diskFree = fs.bavail * fs.bsize;
  let ok = true;
  for (const name of options.presets) {
    const p = presetNamed(name);
    const cached = existsSync(join(WORK_DIR, 'trees', `${name}-seed${options.seed}-v${GENERATOR_VERSION}`, 'summary.json'));
    const disk = (cached ? 1 : 2) * p.bytes * 1.1;
    if (disk > diskFree) {
      ctx.log(`bench: the ${name} preset needs about ${formatBytes(disk)} free on ${WORK_DIR}, and there is ${formatBytes(diskFree)}`);
      ok = false;
    }
    if (p.bytes * 1.2 > freemem()) {
      ctx.log(`bench: the ${name} preset's drive (a tmpfs) needs about ${formatBytes(p.bytes * 1.2)} of memory, and ${formatBytes(freemem())} is free`);
      ok = false;
    }
  }
  return ok;
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
