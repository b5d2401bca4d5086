import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileStat, FingerprintOptions, RunOptions, RunResult, SummarizeOptions, TreeFingerprint, TreeSummary } from '../../src/host/host.js';
import { ReadOnlyHost } from '../../src/host/read-only-host.js';
import { RealHost } from '../../src/host/real-host.js';
import { RECENT_MS, RoundReads } from '../../src/host/round-reads.js';
import { makeTempDir, removeTempDir } from './fs/temp-dir.js';

/**
 * A real read-only host that counts the slow reads it is asked for, answers queries itself (a
 * number that grows, so a fresh answer differs from a kept one), and can be told that another
 * volume is now mounted at a path (its device number changes).
 */
class CountingReads extends ReadOnlyHost {
  readonly asked: string[] = [];
  readonly devs = new Map<string, number>();
  failNext = false;
  private answers = 0;

  constructor() {
    super(new RealHost());
  }
  override async summarize(path: string, options?: SummarizeOptions): Promise<TreeSummary> {
    this.asked.push(`summarize ${path}${options?.withFingerprint === true ? ' with fingerprint' : ''}`);
    return super.summarize(path, options);
  }
  override async fingerprint(path: string, options?: FingerprintOptions): Promise<TreeFingerprint> {
    this.asked.push(`fingerprint ${path}`);
    return super.fingerprint(path, options);
  }
  override async query(command: string, args: readonly string[], _options?: RunOptions): Promise<RunResult> {
    this.asked.push(`${command} ${args.join(' ')}`);
    if (this.failNext) {
      this.failNext = false;
      throw new Error('could not run');
    }
    return { exitCode: 0, stdout: String(++this.answers), stderr: '' };
  }
  override async lstat(path: string): Promise<FileStat | undefined> {
    const st = await super.lstat(path);
    const dev = this.devs.get(path);
    return st === undefined || dev === undefined ? st : { ...st, dev };
  }
}

let dir: string;
let tree: string;
let inner: CountingReads;
let clock: number;
let reads: RoundReads;
const now = (): number => clock;

beforeEach(async () => {
  dir = await makeTempDir();
  tree = join(dir, 'Backup');
  await mkdir(join(tree, 'device'), { recursive: true });
  await writeFile(join(tree, 'device', 'Manifest.db'), 'x'.repeat(100));
  await mkdir(join(dir, 'Volumes', 'Archive'), { recursive: true });
  inner = new CountingReads();
  clock = 1000;
  reads = new RoundReads(inner, now);
});
afterEach(async () => {
  await removeTempDir(dir);
});

const LSOF: [string, string[], RunOptions] = ['lsof', ['-F'], { volatile: true }];
const diskutil = (): [string, string[], RunOptions] => {
  const mount = join(dir, 'Volumes', 'Archive');
  return ['diskutil', ['info', '-plist', mount], { describesVolume: mount }];
};

describe('RoundReads', () => {
  it('gives a walk and a fingerprint again while recent, and walks afresh after RECENT_MS', async () => {
    const first = await reads.summarize(tree);
    const fp = await reads.fingerprint(tree, { skipTop: ['x'] });
    clock += RECENT_MS;
    expect(await reads.summarize(tree)).toBe(first);
    expect(await reads.fingerprint(tree, { skipTop: ['x'] })).toBe(fp);
    expect(inner.asked).toEqual([`summarize ${tree}`, `fingerprint ${tree}`]);
    // Other options are another fingerprint.
    await reads.fingerprint(tree);
    clock += 1;
    expect(await reads.summarize(tree)).toEqual(first);
    expect(inner.asked).toEqual([`summarize ${tree}`, `fingerprint ${tree}`, `fingerprint ${tree}`, `summarize ${tree}`]);
  });

  it("answers a fingerprint from a recent walk that fingerprinted the folder, as recent as that walk", async () => {
    await writeFile(join(tree, 'Info.plist'), 'y');
    await mkdir(join(tree, 'x'));
    await writeFile(join(tree, 'x', 'left out'), 'z');
    await reads.summarize(tree, { withFingerprint: true });
    clock += RECENT_MS - 10;
    const fromWalk = await reads.fingerprint(tree, { skipTop: ['x'] });
    const withRecords = await reads.recent().fingerprint(tree, { keepEntries: true });
    // And the walk itself, asked for without a fingerprint.
    expect((await reads.summarize(tree)).files).toBe(3);
    expect(inner.asked).toEqual([`summarize ${tree} with fingerprint`]);
    // Exactly what a walk of its own gives.
    const real = new RealHost();
    expect(fromWalk).toEqual(await real.fingerprint(tree, { skipTop: ['x'] }));
    expect(withRecords.records).toEqual((await real.fingerprint(tree, { keepEntries: true })).records);
    // A copy's identity at its final names is recorded otherwise: never from the walk.
    await reads.fingerprint(tree, { renamedTop: true });
    expect(inner.asked).toEqual([`summarize ${tree} with fingerprint`, `fingerprint ${tree}`]);
    // The answer is as old as the walk, not as the question: past RECENT_MS from the walk it is
    // read afresh.
    clock += 11;
    await reads.fingerprint(tree, { skipTop: ['x'] });
    expect(inner.asked.at(-1)).toBe(`fingerprint ${tree}`);
    expect(inner.asked.length).toBe(3);
  });

  it('answers no fingerprint from a walk made before a change of the round finished, or without one', async () => {
    await reads.summarize(tree);
    await reads.fingerprint(tree);
    expect(inner.asked).toEqual([`summarize ${tree}`, `fingerprint ${tree}`]);
    await reads.summarize(tree, { withFingerprint: true });
    clock += 1;
    reads.settle();
    clock += 1;
    await reads.fingerprint(tree, { skipTop: ['x'] });
    expect(inner.asked).toEqual([`summarize ${tree}`, `fingerprint ${tree}`, `summarize ${tree} with fingerprint`, `fingerprint ${tree}`]);
  });

  it('reads everything afresh once a change of the round has finished', async () => {
    await reads.summarize(tree);
    await reads.query(...diskutil());
    await reads.query(...LSOF);
    clock += 1;
    reads.settle();
    clock += 1;
    await reads.summarize(tree);
    await reads.query(...diskutil());
    await reads.recent().query(...LSOF);
    expect(inner.asked.filter((a) => a.startsWith('summarize')).length).toBe(2);
    expect(inner.asked.filter((a) => a.startsWith('diskutil')).length).toBe(2);
    expect(inner.asked.filter((a) => a.startsWith('lsof')).length).toBe(2);
  });

  it('keeps the listing of open files at any age for the look again, and only while recent for the steps', async () => {
    const listing = await reads.query(...LSOF);
    clock += 10 * RECENT_MS;
    expect(await reads.query(...LSOF)).toBe(listing);
    expect(inner.asked).toEqual(['lsof -F']);
    const fresh = await reads.recent().query(...LSOF);
    expect(fresh.stdout).not.toBe(listing.stdout);
    expect(inner.asked).toEqual(['lsof -F', 'lsof -F']);
    // The look again now gets the newer listing, and a step does too while it is recent.
    expect(await reads.query(...LSOF)).toBe(fresh);
    expect(await reads.recent().query(...LSOF)).toBe(fresh);
    expect(inner.asked.length).toBe(2);
  });

  it("gives the steps the plan's listing while it is recent", async () => {
    const listing = await reads.query(...LSOF);
    clock += RECENT_MS - 1;
    expect(await reads.recent().query(...LSOF)).toBe(listing);
    expect(inner.asked).toEqual(['lsof -F']);
  });

  it('gives an answer about a volume again only while the same volume is mounted there', async () => {
    const [command, args, options] = diskutil();
    const mount = options.describesVolume ?? '';
    inner.devs.set(mount, 41);
    const answer = await reads.query(command, args, options);
    expect(await reads.recent().query(command, args, options)).toBe(answer);
    // Another drive at the same path (the device number differs): asked again.
    inner.devs.set(mount, 42);
    const other = await reads.recent().query(command, args, options);
    expect(other.stdout).not.toBe(answer.stdout);
    expect(inner.asked.filter((a) => a.startsWith('diskutil')).length).toBe(2);
  });

  it('asks again for what failed, and never keeps other queries', async () => {
    inner.failNext = true;
    await expect(reads.query(...diskutil())).rejects.toThrow('could not run');
    await reads.query(...diskutil());
    await reads.query('scutil', ['--get', 'ComputerName']);
    await reads.query('scutil', ['--get', 'ComputerName']);
    expect(inner.asked.filter((a) => a.startsWith('diskutil')).length).toBe(2);
    expect(inner.asked.filter((a) => a.startsWith('scutil')).length).toBe(2);
    inner.failNext = true;
    await expect(reads.query(...LSOF)).rejects.toThrow('could not run');
    await reads.query(...LSOF);
    expect(inner.asked.filter((a) => a.startsWith('lsof')).length).toBe(2);
  });

  it('passes every other read through', async () => {
    expect(await reads.readdir(tree)).toEqual(['device']);
    expect(await reads.compareTrees(tree, tree)).toBeUndefined();
    expect(inner.asked).toEqual([]);
  });
});
