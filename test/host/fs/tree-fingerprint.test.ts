import { link, mkdir, open, rename, rm, stat, symlink, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DryRunHost } from '../../../src/host/dry-run-host.js';
import { ReadOnlyHost } from '../../../src/host/read-only-host.js';
import { RealHost } from '../../../src/host/real-host.js';
import { RecordingReads } from '../../../src/host/recording-reads.js';
import { firstDifference, narrowFingerprint } from '../../../src/host/fs/tree-fingerprint.js';
import { RECORDED_ENTRIES_MAX } from '../../../src/host/fs/tree-fingerprint.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

const host = new RealHost();
let dir: string;
let backup: string;

beforeEach(async () => {
  dir = await makeTempDir();
  backup = join(dir, 'Backup');
  await mkdir(join(backup, 'device1', 'ab'), { recursive: true });
  await writeFile(join(backup, 'device1', 'Manifest.db'), 'page-1 page-2 ');
  await writeFile(join(backup, 'device1', 'ab', 'abcdef'), 'x'.repeat(100));
  await symlink('Manifest.db', join(backup, 'device1', 'link'));
  await writeFile(join(backup, '.DS_Store'), 'finder');
});
afterEach(async () => {
  await removeTempDir(dir);
});

/** Waits until the clock has moved on, so that a change gets another change time even on coarse clocks. */
async function tick(): Promise<void> {
  await sleep(20);
}

describe('fingerprint', () => {
  it('gives the same digest for an untouched tree, read twice', async () => {
    const a = await host.fingerprint(backup);
    const b = await host.fingerprint(backup);
    expect(a.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(b.digest).toBe(a.digest);
    // device1, ab, abcdef, Manifest.db, link, .DS_Store
    expect(a.entries).toBe(6);
    expect(a.records).toBeUndefined();
  });

  it('sees a same-size rewrite in place whose modification time was put back (the change time moves)', async () => {
    const file = join(backup, 'device1', 'Manifest.db');
    // Whole seconds, so that putting the time back is exact.
    await utimes(file, 1_000_000, 1_000_000);
    const before = await host.fingerprint(backup, { keepEntries: true });
    const old = await stat(file);
    await tick();
    // What SQLite does: pages rewritten in place, same size; then a tool puts the mtime back.
    const handle = await open(file, 'r+');
    await handle.write('PAGE-1', 0);
    await handle.close();
    await utimes(file, 1_000_000, 1_000_000);
    const now = await stat(file);
    expect([now.size, now.mtimeMs]).toEqual([old.size, old.mtimeMs]);
    const after = await host.fingerprint(backup, { keepEntries: true });
    expect(after.digest).not.toBe(before.digest);
    expect(firstDifference(before, after)).toEqual({ path: 'device1/Manifest.db', change: 'changed' });
    expect(after.newest?.path).toBe('device1/Manifest.db');
  });

  it('sees a new file and names it', async () => {
    const before = await host.fingerprint(backup, { keepEntries: true });
    await tick();
    await writeFile(join(backup, 'device1', 'ab', 'abc000'), 'new');
    const after = await host.fingerprint(backup, { keepEntries: true });
    expect(after.digest).not.toBe(before.digest);
    expect(after.entries).toBe(before.entries + 1);
    // The folder it went into changed first in path order, and then the file appears.
    expect(firstDifference(before, after)).toEqual({ path: 'device1/ab', change: 'changed' });
    const added = [...(after.records?.keys() ?? [])].filter((p) => !before.records?.has(p));
    expect(added).toEqual(['device1/ab/abc000']);
  });

  it('sees a removed file, and a rename', async () => {
    const before = await host.fingerprint(backup, { keepEntries: true });
    await tick();
    await unlink(join(backup, 'device1', 'ab', 'abcdef'));
    const removed = await host.fingerprint(backup, { keepEntries: true });
    expect(removed.digest).not.toBe(before.digest);
    expect(removed.entries).toBe(before.entries - 1);
    await rename(join(backup, 'device1', 'Manifest.db'), join(backup, 'device1', 'Manifest.old'));
    const renamed = await host.fingerprint(backup, { keepEntries: true });
    expect(renamed.digest).not.toBe(removed.digest);
    expect(firstDifference(removed, renamed)).toEqual({ path: 'device1', change: 'changed' });
  });

  it('leaves out the top-level names it is told to skip, and the root itself', async () => {
    const before = await host.fingerprint(backup, { skipTop: ['.DS_Store'] });
    expect(before.entries).toBe(5);
    await tick();
    await writeFile(join(backup, '.DS_Store'), 'finder wrote again');
    await writeFile(join(backup, '.DS_Store.tmp'), 'x');
    await rm(join(backup, '.DS_Store.tmp'));
    expect((await host.fingerprint(backup, { skipTop: ['.DS_Store'] })).digest).toBe(before.digest);
  });

  it('is made by the walk that sizes a folder when asked, exactly as a walk of its own makes it', async () => {
    await link(join(backup, 'device1', 'Manifest.db'), join(backup, 'device1', 'Manifest copy'));
    const both = await host.summarize(backup, { withFingerprint: true });
    const { fingerprint, ...summary } = both;
    expect(summary).toEqual(await host.summarize(backup));
    expect(fingerprint).toEqual(await host.fingerprint(backup, { keepEntries: true }));
    // Any other fingerprint is made from its records, without a walk: the same as a walk's.
    if (fingerprint === undefined) throw new Error('no fingerprint');
    for (const options of [{}, { keepEntries: true }, { skipTop: ['.DS_Store'] }, { onlyTop: ['device1'], keepEntries: true }, { skipTop: ['device1'] }]) {
      expect(narrowFingerprint(fingerprint, options)).toEqual(await host.fingerprint(backup, options));
    }
    // Nothing left out: the walk's own fingerprint, whose records are not lent out.
    const recorded = fingerprint.records?.size;
    expect(recorded).toBe(fingerprint.entries);
    narrowFingerprint(fingerprint, { keepEntries: true })?.records?.clear();
    expect(fingerprint.records?.size).toBe(recorded);
    // Not a copy's identity at its final names, whose records differ.
    expect(narrowFingerprint(fingerprint, { renamedTop: true })).toBeUndefined();
    // Without records (an ordinary fingerprint), nothing can be made of it.
    expect(narrowFingerprint(await host.fingerprint(backup), {})).toBeUndefined();
  });

  it('is not kept for a folder of more entries than RECORDED_ENTRIES_MAX (memory stays bounded)', async () => {
    const many = join(dir, 'many');
    for (let d = 0; d <= RECORDED_ENTRIES_MAX / 1000; d++) {
      await mkdir(join(many, `d${d}`), { recursive: true });
      await Promise.all(Array.from({ length: 999 }, (_, i) => writeFile(join(many, `d${d}`, `f${i}`), '')));
    }
    const big = await host.summarize(many, { withFingerprint: true });
    expect(big.files + big.directories).toBeGreaterThan(RECORDED_ENTRIES_MAX);
    expect(big.fingerprint).toBeUndefined();
    expect((await host.summarize(backup, { withFingerprint: true })).fingerprint?.entries).toBe(6);
  }, 60_000);

  it('throws for a missing folder and for a file', async () => {
    await expect(host.fingerprint(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(host.fingerprint(join(backup, 'device1', 'Manifest.db'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it('is forwarded by ReadOnlyHost and recorded by RecordingReads', async () => {
    const direct = await host.fingerprint(backup);
    expect((await new ReadOnlyHost(host).fingerprint(backup)).digest).toBe(direct.digest);
    const recorder = new RecordingReads(host);
    await recorder.fingerprint(backup);
    expect(recorder.observations()[`fingerprint ${backup}`]).toBe(`6 entries, sha256 ${direct.digest.slice(0, 16)}`);
  });

  it('on the dry-run host: the real fingerprint when nothing is simulated, and a simulated copy holds what its original held', async () => {
    const dry = new DryRunHost(new ReadOnlyHost(host));
    expect((await dry.fingerprint(backup)).digest).toBe((await host.fingerprint(backup)).digest);
    await mkdir(join(dir, 'drive'));
    await dry.copyTree(backup, join(dir, 'drive', 'Backup'));
    const copy = await dry.fingerprint(join(dir, 'drive', 'Backup'), { keepEntries: true });
    const original = await dry.fingerprint(backup, { keepEntries: true });
    expect(copy.entries).toBe(6);
    // Both read through the overlay's view of the same real entries: the same records.
    const viaOverlay = await dry.fingerprint(join(dir, 'drive', 'Backup'), { keepEntries: true });
    expect(firstDifference(copy, viaOverlay)).toBeUndefined();
    expect([...(copy.records?.keys() ?? [])]).toEqual([...(original.records?.keys() ?? [])]);
    // A simulated removal inside the copy is a difference.
    await dry.unlink(join(dir, 'drive', 'Backup', 'device1', 'link'));
    const after = await dry.fingerprint(join(dir, 'drive', 'Backup'), { keepEntries: true });
    expect(firstDifference(copy, after)).toEqual({ path: 'device1/link', change: 'removed' });
  });
});
