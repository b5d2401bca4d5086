/**
 * Generated trees are kept between runs in <work>/trees/<preset>-seed<seed>-v<generator>/Backup (git-ignored):
 * the large preset takes a while to write, and the same seed always gives the same tree. A tree
 * counts as there only once its summary.json is written, after the last byte.
 */

import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateBackupTree, GENERATOR_VERSION, type TreeSummary } from './backup-tree.js';
import type { Preset } from './presets.js';
import { formatBytes } from './table.js';

export interface TemplateTree {
  /** The Backup folder to copy from; never changed by a benchmark. */
  backupDir: string;
  summary: TreeSummary;
}

export async function templateTree(workDir: string, preset: Preset, seed: string, log: (line: string) => void): Promise<TemplateTree> {
  const dir = join(workDir, 'trees', `${preset.name}-seed${seed}-v${GENERATOR_VERSION}`);
  const summaryPath = join(dir, 'summary.json');
  if (existsSync(summaryPath)) {
    const summary = JSON.parse(await readFile(summaryPath, 'utf8')) as TreeSummary;
    return { backupDir: join(dir, 'Backup'), summary };
  }
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  log(`generating the ${preset.name} tree (seed ${seed}) in ${dir} ...`);
  const started = performance.now();
  const summary = await generateBackupTree(join(partial, 'Backup'), preset, seed);
  await writeFile(join(partial, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  await rename(partial, dir);
  log(
    `generated ${summary.files} files in ${summary.folders} folders, ${formatBytes(summary.bytes)} ` +
      `(Manifest.db ${summary.manifestDbBytes.map(formatBytes).join(', ')}) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return { backupDir: join(dir, 'Backup'), summary };
}
