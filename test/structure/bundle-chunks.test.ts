import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/sandbox.js';

const BUNDLE = path.join(REPO, 'dist', 'bundle');

/** The bundle files a start of `command` loads: the CLI's, and the command's with every chunk they import. */
function filesLoadedBy(command: string): string[] {
  const main = readFileSync(path.join(BUNDLE, 'provision.mjs'), 'utf8');
  const chunk = new RegExp(`import\\("\\./(chunk-[A-Z0-9]+\\.mjs)"\\)\\)\\.${command}\\b`).exec(main)?.[1];
  if (chunk === undefined) throw new Error(`no chunk for ${command} in provision.mjs`);
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(path.join(BUNDLE, file), 'utf8');
    for (const m of text.matchAll(/(?:^|;)\s*import\s*(?:[^"';]*?from\s*)?"\.\/(chunk-[A-Z0-9]+\.mjs)"/g)) visit(m[1] ?? '');
  };
  visit('provision.mjs');
  visit(chunk);
  return [...seen];
}

describe('the bundle (scripts/bundle.mjs)', () => {
  // Each file a start loads costs about 0.5 ms on top of its size: esbuild alone split a plan's
  // code into 21 files, and 53 once what a plan does not need was loaded on demand.
  it('a plan loads its code from a handful of files, none of the apply code', () => {
    const files = filesLoadedBy('planCommand');
    expect(files.length).toBeLessThanOrEqual(10);
    const text = files.map((f) => readFileSync(path.join(BUNDLE, f), 'utf8')).join('\n');
    // Words of the move's own code (engine/apply/run-relocate.ts, host/fs/copy-tree.ts).
    expect(text).not.toContain('putting the original aside');
    expect(text).not.toContain('not a file, folder or link (fifo, socket or device)');
  });
});
