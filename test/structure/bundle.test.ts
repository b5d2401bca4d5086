import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CLI, REPO } from '../helpers/sandbox.js';

const BUNDLE = path.join(REPO, 'dist', 'bundle');

/** The library bundles a run of the CLI required (NODE_DEBUG=module names each file the CommonJS loader loads). */
async function librariesLoaded(args: string[], cache: string): Promise<string[]> {
  const r = await execa(process.execPath, [CLI, ...args], { reject: false, extendEnv: false, env: { PATH: process.env['PATH'] ?? '', HOME: os.tmpdir(), PROVISION_CACHE_DIR: cache, NODE_DEBUG: 'module', NO_COLOR: '1' } });
  expect(r.exitCode, r.stderr.slice(-2000)).toBe(0);
  return [...new Set([...r.stderr.matchAll(/vendor-[a-z0-9]+\.cjs/g)].map((m) => m[0]))].sort();
}

describe('the bundle (scripts/bundle.mjs)', () => {
  it("provision's own code is one strict classic script, a function vm.Script compiles, with no import() (vm.Script cannot load a module without an experimental option)", async () => {
    const text = await readFile(path.join(BUNDLE, 'provision.cjs'), 'latin1');
    expect(text.startsWith('(function (exports, require, module, __filename, __dirname) {"use strict";\n')).toBe(true);
    expect(text.trimEnd().endsWith('})')).toBe(true);
    // ASCII only: load-cli.ts reads it as latin1.
    expect(/[^\x00-\x7f]/.test(text)).toBe(false);
    expect(text).not.toMatch(/\bimport\(/);
    // Words of the plan's own code and of the move's (cli/views/summary.ts, engine/apply/run-relocate.ts).
    expect(text).toContain('No changes. Everything is as declared.');
    expect(text).toContain('putting the original aside');
    // The large libraries are bundles of their own.
    expect((await readdir(BUNDLE)).filter((n) => n.startsWith('vendor-')).sort()).toEqual(['vendor-execa.cjs', 'vendor-listr2.cjs', 'vendor-plist.cjs', 'vendor-yaml.cjs']);
    // Words of yaml's own code, and of listr2's.
    expect(text).not.toContain('Nested mappings are not allowed in compact mappings');
    expect(text).not.toContain('ListrRendererError');
  });

  it('a start loads no library bundle; the YAML parser only for a declaration not checked before', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'provision-bundle-'));
    try {
      const cache = path.join(dir, 'cache');
      expect(await librariesLoaded(['--version'], 'off')).toEqual([]);
      const file = path.join(REPO, 'examples', 'household.yaml');
      expect(await librariesLoaded(['validate', '-c', file], cache)).toContain('vendor-yaml.cjs');
      expect(await librariesLoaded(['validate', '-c', file], cache)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
