/**
 * Runs one test file in a separate vitest process behind a prefix command (setpriv to drop to
 * nobody, unshare to get a private mount namespace). The child writes what it proved to a
 * marker file, so the parent knows the tests really ran there and were not skipped.
 */

import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface ChildRun {
  exitCode: number;
  output: string;
  markers: string[];
}

export async function runChildVitest(
  prefix: string[],
  testFile: string,
  env: Record<string, string>,
  markerFile: string,
  root: string = projectRoot,
): Promise<ChildRun> {
  const [command, ...args] = prefix;
  if (command === undefined) throw new Error('empty prefix');
  const vitest = join(root, 'node_modules', '.bin', 'vitest');
  // --configLoader runner: vite would otherwise write the bundled config into node_modules,
  // which an unprivileged child may not do.
  const result = await execa(command, [...args, vitest, 'run', '--configLoader', 'runner', testFile], {
    cwd: root,
    env: { ...env, PROVISION_TEST_MARKER: markerFile, FORCE_COLOR: '0', NO_COLOR: '1' },
    reject: false,
    all: true,
    stdin: 'ignore',
    timeout: 300_000,
  });
  const markers = (await readFile(markerFile, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '');
  return { exitCode: result.exitCode ?? -1, output: typeof result.all === 'string' ? result.all : '', markers };
}

/** Called by a child test when it finished proving something. */
export async function writeMarker(name: string): Promise<void> {
  const file = process.env.PROVISION_TEST_MARKER;
  if (file === undefined || file === '') return;
  const { appendFile } = await import('node:fs/promises');
  await appendFile(file, `${name}\n`);
}

/**
 * A copy of what the tests need in a folder every user may read, for a child that runs as
 * nobody when the checkout itself sits in a private folder (a clone under a 0700 temp dir).
 */
export async function readableProjectCopy(): Promise<{ root: string; dispose: () => Promise<void> }> {
  const { chmod, cp, mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const root = await mkdtemp(join(tmpdir(), 'provision-readable-'));
  await chmod(root, 0o755);
  const { existsSync } = await import('node:fs');
  for (const part of ['package.json', 'tsconfig.json', 'vitest.config.ts', 'src', 'test', 'schemas', 'node_modules', 'dist', 'bin', 'sim']) {
    if (!existsSync(join(projectRoot, part))) continue;
    await cp(join(projectRoot, part), join(root, part), { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  }
  await execa('chmod', ['-R', 'a+rX', root]);
  return { root, dispose: () => rm(root, { recursive: true, force: true }) };
}
