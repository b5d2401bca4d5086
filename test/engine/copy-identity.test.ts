import { chmod, mkdir, open, rename, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { copyIdentity, sameAsVerified, verifiedIdentity } from '../../src/engine/apply/copy-identity.js';
import { DryRunHost } from '../../src/host/dry-run-host.js';
import { ReadOnlyHost } from '../../src/host/read-only-host.js';
import { RealHost } from '../../src/host/real-host.js';
import type { TreeFingerprint } from '../../src/host/host.js';
import { makeTempDir, removeTempDir } from '../host/fs/temp-dir.js';

/**
 * A copy verified in its partial folder is known again at its final names by the identity of
 * its entries (engine/apply/copy-identity.ts), instead of a second comparison with the original.
 * These tests use the real disk: a rename, a rewrite in place with the time put back, a chmod.
 */
const host = new RealHost();
let dir: string;
let partial: string;
let dest: string;

beforeEach(async () => {
  dir = await makeTempDir();
  dest = join(dir, 'drive', 'MobileSync', 'alex');
  partial = join(dest, '.provision-partial-x');
  await mkdir(join(partial, 'device1', 'ab'), { recursive: true });
  await writeFile(join(partial, 'device1', 'Manifest.db'), 'page-1 page-2 ');
  await writeFile(join(partial, 'device1', 'ab', 'abcdef'), 'x'.repeat(100));
  await writeFile(join(partial, 'loose.txt'), 'loose');
  // Another entry of the shared folder, not the move's.
  await writeFile(join(dest, 'someone-else.txt'), 'theirs');
});
afterEach(async () => {
  await removeTempDir(dir);
});

/** The promote step: each entry renamed from the partial folder to its final name. */
async function promote(): Promise<void> {
  for (const e of ['device1', 'loose.txt']) await rename(join(partial, e), join(dest, e));
}

async function atFinalPlace(): Promise<TreeFingerprint> {
  return copyIdentity(host, dest, ['device1', 'loose.txt']);
}

describe('a verified copy known again at its final names', () => {
  it('is the same after the rename that promotes it (which moves the renamed entries’ change times)', async () => {
    const verified = await copyIdentity(host, partial);
    await sleep(20);
    const ctimeBefore = (await stat(join(partial, 'device1'))).ctimeMs;
    await promote();
    // The rename itself is a change of the renamed entry: what a plain fingerprint would see.
    expect((await stat(join(dest, 'device1'))).ctimeMs).toBeGreaterThan(ctimeBefore);
    expect(sameAsVerified(verified, await atFinalPlace())).toEqual({ same: true, rewritten: new Set() });
  });

  it('is recorded by the verification itself: each entry as judged, the same records a fingerprint there reads', async () => {
    // A faithful copy of the partial folder's entries stands for the original.
    const original = join(dir, 'home', 'Backup');
    await mkdir(original, { recursive: true });
    for (const e of ['device1', 'loose.txt']) await execa('cp', ['-a', join(partial, e), join(original, e)]);
    const judged = new Map<string, string>();
    const diff = await host.compareTrees(original, partial, { onCopyEntry: (rel, record) => void judged.set(rel, record) });
    expect(diff).toBeUndefined();
    expect([...judged.keys()].sort()).toEqual(['device1', 'device1/Manifest.db', 'device1/ab', 'device1/ab/abcdef', 'loose.txt']);
    const verified = verifiedIdentity(judged, ['device1', 'loose.txt']);
    expect(verified?.digest).toBe((await copyIdentity(host, partial)).digest);
    await promote();
    expect(verified === undefined ? undefined : sameAsVerified(verified, await atFinalPlace()).same).toBe(true);
    // A moved entry the comparison gave no record for (a host that does not read the disk): no identity.
    expect(verifiedIdentity(new Map(), ['device1'])).toBeUndefined();
  });

  it('names a file rewritten in place at the same size with its time put back, whose bytes the comparison then reads', async () => {
    const file = join(partial, 'device1', 'Manifest.db');
    await utimes(file, 1_000_000, 1_000_000);
    const verified = await copyIdentity(host, partial);
    await sleep(20);
    await promote();
    const moved = join(dest, 'device1', 'Manifest.db');
    const handle = await open(moved, 'r+');
    await handle.write('PAGE-1', 0);
    await handle.close();
    await utimes(moved, 1_000_000, 1_000_000);
    expect(sameAsVerified(verified, await atFinalPlace())).toEqual({ same: false, rewritten: new Set(['device1/Manifest.db']) });
  });

  it('sees a mode changed on a top-level entry, whose own change time it leaves out', async () => {
    const verified = await copyIdentity(host, partial);
    await promote();
    await chmod(join(dest, 'loose.txt'), 0o600);
    const seen = sameAsVerified(verified, await atFinalPlace());
    expect(seen.same).toBe(false);
  });

  it('sees an entry added or removed after verification, and a file replaced by another (a new inode: not named, the comparison decides)', async () => {
    const verified = await copyIdentity(host, partial);
    await promote();
    await writeFile(join(dest, 'device1', 'ab', 'new'), 'n');
    expect(sameAsVerified(verified, await atFinalPlace()).same).toBe(false);
    const before = await atFinalPlace();
    // An atomic save: another file renamed over it, same size.
    await writeFile(join(dest, 'device1', 'tmp'), 'page-1 page-X ');
    await rename(join(dest, 'device1', 'tmp'), join(dest, 'device1', 'Manifest.db'));
    expect(sameAsVerified(before, await atFinalPlace())).toEqual({ same: false, rewritten: new Set() });
  });

  it('leaves out the shared folder’s other entries', async () => {
    const verified = await copyIdentity(host, partial);
    await promote();
    await writeFile(join(dest, 'someone-else.txt'), 'changed by its owner');
    expect(sameAsVerified(verified, await atFinalPlace()).same).toBe(true);
  });

  it('on the dry-run host: a simulated copy renamed is the same, and a simulated change inside it shows', async () => {
    const source = join(dir, 'home', 'Backup');
    await mkdir(join(source, 'device1'), { recursive: true });
    await writeFile(join(source, 'device1', 'Info.plist'), '<plist/>');
    const sim = new DryRunHost(new ReadOnlyHost(host));
    const simPartial = join(dest, '.provision-partial-sim');
    await sim.mkdir(simPartial, 0o700);
    await sim.copyTree(source, simPartial, { entries: ['device1'] });
    const verified = await copyIdentity(sim, simPartial);
    await sim.rename(join(simPartial, 'device1'), join(dest, 'device1'));
    expect(sameAsVerified(verified, await copyIdentity(sim, dest, ['device1'])).same).toBe(true);
    // Something simulated inside it: walked, and different.
    await sim.unlink(join(dest, 'device1', 'Info.plist'));
    expect(sameAsVerified(verified, await copyIdentity(sim, dest, ['device1'])).same).toBe(false);
  });
});
