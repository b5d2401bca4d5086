import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/sandbox.js';

const BUNDLE = path.join(REPO, 'dist', 'bundle');

/** The bundle files a start loads before any command runs: the CLI's and every chunk it imports. */
function filesLoadedAtStart(): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(path.join(BUNDLE, file), 'utf8');
    for (const m of text.matchAll(/(?:^|;)\s*import\s*(?:[^"';]*?from\s*)?"\.\/(chunk-[A-Z0-9]+\.mjs)"/g)) visit(m[1] ?? '');
  };
  visit('provision.mjs');
  return [...seen];
}

describe('the bundle (scripts/bundle.mjs)', () => {
  // Each file a start loads costs about 0.5 ms on top of its size: esbuild alone split a plan's
  // code into 21 files, and 53 once what a plan does not need was loaded on demand.
  it('a plan loads its code with the CLI, from a handful of files, none of the apply code', () => {
    const files = filesLoadedAtStart();
    expect(files.length).toBeLessThanOrEqual(6);
    // The plan command is linked with the CLI, not loaded on its own (src/cli/main.ts).
    expect(readFileSync(path.join(BUNDLE, 'provision.mjs'), 'utf8')).not.toMatch(/import\("\.\/chunk-[A-Z0-9]+\.mjs"\)\)\.planCommand\b/);
    const text = files.map((f) => readFileSync(path.join(BUNDLE, f), 'utf8')).join('\n');
    // Words of the move's own code (engine/apply/run-relocate.ts, host/fs/copy-tree.ts).
    expect(text).not.toContain('putting the original aside');
    expect(text).not.toContain('not a file, folder or link (fifo, socket or device)');
    // Words of the plan's own code (cli/views/summary.ts, cli/commands/plan.ts).
    expect(text).toContain('No changes. Everything is as declared.');
    expect(text).toContain('Apply exactly this plan with: provision apply');
  });
});
