/**
 * What every benchmark shares: where to work, how many rounds, the seed, and a record of loud
 * failures. Sandboxes made through it are unmounted and removed at the end, also on Ctrl-C.
 */

import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { MacSandbox } from './sandbox.js';
import { presetNamed, type Preset } from './presets.js';
import { templateTree, type TemplateTree } from './template-trees.js';
import type { TreeSummary } from './backup-tree.js';

export class BenchContext {
  readonly failures: string[] = [];
  private readonly sandboxes = new Set<MacSandbox>();

  constructor(
    readonly workDir: string,
    readonly seed: string,
    /** Timed rounds after the warm-up round (each round runs every competitor once). */
    readonly pairs: number,
    /** Competitors left out (--skip): 'rsync', 'ansible'. */
    readonly skip: ReadonlySet<string> = new Set(),
  ) {}

  get runDir(): string {
    return join(this.workDir, 'run');
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
    const sb = await MacSandbox.create(join(this.runDir, name), options);
    this.sandboxes.add(sb);
    return sb;
  }

  async release(sb: MacSandbox): Promise<void> {
    this.sandboxes.delete(sb);
    await sb.destroy();
  }

  /** For a signal: synchronous, best effort. The namespace's mounts go with the process anyway. */
  releaseAllSync(): void {
    for (const sb of this.sandboxes) spawnSync('umount', [sb.drive], { stdio: 'ignore' });
    rmSync(this.runDir, { recursive: true, force: true });
  }
}

/** A drive that holds the tree with room to spare: tmpfs charges whole 4 KiB pages per file. */
export function driveBytesFor(summary: TreeSummary): number {
  return summary.bytes + (summary.files + summary.folders) * 8192 + 256 * 1024 * 1024;
}
