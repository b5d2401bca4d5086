/**
 * What every benchmark shares: where to work, how many rounds, the seed, and a record of loud
 * failures. Sandboxes made through it are unmounted and removed at the end, also on Ctrl-C.
 */

import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Budgets } from './budgets.js';
import type { NodeRuntime } from './node-runtimes.js';
import { MacSandbox } from './sandbox.js';
import { presetNamed, type Preset } from './presets.js';
import { templateTree, type TemplateTree } from './template-trees.js';
import type { TreeSummary } from './backup-tree.js';
import { measuredEnv, runSequence, runWithPeakMemory, type Command, type RunResult } from './run-timed.js';

/** Thrown at the next checkpoint after Ctrl-C: the run stops, cleans up and exits 130. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
}

export class BenchContext {
  readonly failures: string[] = [];
  /** Each budget's measure, per Node version (printed together at the end). */
  readonly budgets = new Budgets();
  /** Aborted on Ctrl-C and at the end: stops the setup commands (cp -a of a fresh tree) still running. */
  private readonly aborter = new AbortController();
  private stopped = false;
  private readonly sandboxes = new Set<MacSandbox>();

  constructor(
    readonly workDir: string,
    readonly seed: string,
    /** Timed rounds after the warm-up round (each round runs every competitor once). */
    readonly pairs: number,
    /** Competitors left out (--skip): 'rsync', 'ansible'. */
    readonly skip: ReadonlySet<string> = new Set(),
    /** The Node version the measured commands run on now (main.ts runs every benchmark on each). */
    public node: NodeRuntime = { label: `Node ${process.versions.node}`, execPath: process.execPath, binDir: dirname(process.execPath) },
  ) {}

  get runDir(): string {
    return join(this.workDir, 'run');
  }

  get interrupted(): boolean {
    return this.stopped;
  }

  /** On a signal: the run stops at its next checkpoint. */
  interrupt(): void {
    this.stopped = true;
    this.aborter.abort();
  }

  /**
   * Lets a signal handler run (the measured commands run synchronously, which holds it off) and
   * stops the run if it was interrupted. Called before and after every measured command, so a
   * command killed by Ctrl-C is never counted as a failure.
   */
  async checkpoint(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.interrupted) throw new Interrupted();
  }

  async run(commands: readonly Command[]): Promise<RunResult> {
    await this.checkpoint();
    const result = runSequence(commands);
    await this.checkpoint();
    return result;
  }

  async runWithPeakMemory(commands: readonly Command[]): Promise<RunResult & { maxRssKiB: number }> {
    await this.checkpoint();
    const result = runWithPeakMemory(commands);
    await this.checkpoint();
    return result;
  }

  /** `node -e 0` on the Node version measured now: the floor of every start-up. */
  nodeFloor(): Command {
    return { file: this.node.execPath, args: ['-e', '0'], env: measuredEnv({ PATH: `${this.node.binDir}:${process.env['PATH'] ?? ''}` }) };
  }

  log(line: string): void {
    process.stdout.write(`${line}\n`);
  }

  /** A failure that must not pass unnoticed: printed at once, repeated at the end, exit code 1. */
  fail(message: string): void {
    this.failures.push(message);
    process.stdout.write(`\n!!!!! FAILURE !!!!!\n${message}\n!!!!!!!!!!!!!!!!!!!\n\n`);
  }

  async tree(preset: Preset | string): Promise<TemplateTree> {
    const p = typeof preset === 'string' ? presetNamed(preset) : preset;
    return templateTree(this.workDir, p, this.seed, (line) => this.log(line));
  }

  async sandbox(name: string, options: Parameters<typeof MacSandbox.create>[1]): Promise<MacSandbox> {
    const sb = await MacSandbox.create(join(this.runDir, name), { ...options, node: this.node, signal: this.aborter.signal });
    this.sandboxes.add(sb);
    return sb;
  }

  async release(sb: MacSandbox): Promise<void> {
    this.sandboxes.delete(sb);
    await sb.destroy();
  }

  /**
   * At the end, and on a signal: synchronous, best effort. The namespace's mounts go with the
   * process anyway. A setup command killed a moment ago may still be writing: retried a while.
   */
  releaseAllSync(): void {
    this.aborter.abort();
    for (const sb of this.sandboxes) spawnSync('umount', [sb.drive], { stdio: 'ignore' });
    this.sandboxes.clear();
    try {
      rmSync(this.runDir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
    } catch (error) {
      process.stderr.write(`bench: could not remove ${this.runDir} (${String(error)}); npm run bench -- --clean removes it\n`);
    }
  }
}

/** A drive that holds the tree with room to spare: tmpfs charges whole 4 KiB pages per file. */
export function driveBytesFor(summary: TreeSummary): number {
  return summary.bytes + (summary.files + summary.folders) * 8192 + 256 * 1024 * 1024;
}
