import { readFileSync } from 'node:fs';
import { chmod, lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { metadataCheck } from '../../../src/host/fs/compare-metadata.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

/**
 * The metadata check's two economies for verification: the sizes it reads with each entry's
 * metadata serve the walk (no second lstat per file), and the attribute dumps start once the
 * top-level names are known, running while the walk goes on. A getfattr wrapper on PATH writes
 * down each run.
 */
let dir: string;
let log: string;
let savedPath: string | undefined;

beforeEach(async () => {
  dir = await makeTempDir();
  for (const side of ['a', 'b']) {
    await mkdir(join(dir, side, 'device'), { recursive: true });
    await writeFile(join(dir, side, 'device', 'Manifest.db'), side === 'a' ? 'x'.repeat(300) : 'y'.repeat(300));
  }
  const bin = join(dir, 'bin');
  await mkdir(bin);
  log = join(dir, 'getfattr.log');
  const real = (await execa('sh', ['-c', 'command -v getfattr'], { reject: false })).stdout.trim();
  const wrapper = real === '' ? `#!/bin/sh\necho run >> "${log}"\nexit 0\n` : `#!/bin/sh\necho run >> "${log}"\nexec "${real}" "$@"\n`;
  await writeFile(join(bin, 'getfattr'), wrapper);
  await chmod(join(bin, 'getfattr'), 0o755);
  savedPath = process.env['PATH'];
  process.env['PATH'] = `${bin}:${savedPath ?? ''}`;
});
afterEach(async () => {
  process.env['PATH'] = savedPath;
  await removeTempDir(dir);
});

/** The runs written down so far, read without yielding to the event loop. */
function runsNow(): number {
  try {
    return readFileSync(log, 'utf8').split('\n').filter((l) => l === 'run').length;
  } catch {
    return 0;
  }
}

async function runs(): Promise<number> {
  return (await readFile(log, 'utf8').catch(() => '')).split('\n').filter((l) => l === 'run').length;
}

describe('metadataCheck', () => {
  it('gives the sizes it read with an entry, for that entry only', async () => {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    const check = metadataCheck(a, b);
    const from = join(a, 'device', 'Manifest.db');
    expect(check.sizes(from)).toBeUndefined();
    check.entry('device/Manifest.db', from, join(b, 'device', 'Manifest.db'), 'file');
    expect(check.sizes(from)).toEqual([(await lstat(from)).size, 300]);
    expect(check.sizes(join(a, 'device'))).toBeUndefined();
  });

  it('starts getfattr within begin() and a few microtasks: a synchronous walk may follow at once', async (ctx) => {
    const check = metadataCheck(join(dir, 'a'), join(dir, 'b'));
    if (!check.unix) ctx.skip();
    check.begin(['device']);
    for (let i = 0; i < 50; i++) await Promise.resolve();
    // The walk that follows holds the thread, as a comparison does between its yields.
    const until = Date.now() + 1500;
    while (Date.now() < until && runsNow() < 2) {
      /* busy: no event loop turn */
    }
    expect(runsNow()).toBe(2);
    expect(await check.finish(['device'])).toBeUndefined();
  });

  it('starts both attribute dumps at begin(), and finish() uses them', async (ctx) => {
    const a = join(dir, 'a');
    const check = metadataCheck(a, join(dir, 'b'));
    if (!check.unix) ctx.skip(); // a temporary folder on a file system without Unix metadata
    check.begin(['device']);
    for (let i = 0; i < 500 && (await runs()) < 2; i++) await sleep(10);
    expect(await runs()).toBe(2);
    expect(await check.finish(['device'])).toBeUndefined();
    expect(await runs()).toBe(2);
    // Other names than those begun: dumped then.
    expect(await check.finish(['device', 'other'])).toBeUndefined();
    expect(await runs()).toBe(4);
  });

  it("takes the copier's read of the original (same root, same names) for the original's side: one getfattr, the copy's", async (ctx) => {
    const a = join(dir, 'a');
    // As the copier read it: an attribute neither side holds on disk now, so that the
    // difference found can only come from this read.
    const known = { root: a, names: ['device'], dump: new Map([['device/Manifest.db', new Map([['user.note', '0x31']])]]) };
    const check = metadataCheck(a, join(dir, 'b'), known);
    if (!check.unix) ctx.skip();
    check.begin(['device']);
    expect(await check.finish(['device'])).toBe('device/Manifest.db has extended attribute user.note in the original but not in the copy');
    expect(await runs()).toBe(1);
  });

  it("reads the original afresh when the copier's read is of other names or of another root", async (ctx) => {
    const a = join(dir, 'a');
    const stale = new Map([['device/Manifest.db', new Map([['user.note', '0x31']])]]);
    const otherNames = metadataCheck(a, join(dir, 'b'), { root: a, names: ['device', 'more'], dump: stale });
    if (!otherNames.unix) ctx.skip();
    expect(await otherNames.finish(['device'])).toBeUndefined();
    expect(await runs()).toBe(2);
    const otherRoot = metadataCheck(a, join(dir, 'b'), { root: join(dir, 'b'), names: ['device'], dump: stale });
    expect(await otherRoot.finish(['device'])).toBeUndefined();
    expect(await runs()).toBe(4);
  });
});
