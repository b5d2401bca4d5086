import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RealHost } from '../../src/host/real-host.js';
import { observationDifferences, observationsDigest, RecordingReads } from '../../src/host/recording-reads.js';

describe('RecordingReads: the fingerprint of a saved plan', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-rec-'));
    await fs.mkdir(path.join(dir, 'a'));
    await fs.writeFile(path.join(dir, 'a', 'f'), 'hello');
    await fs.symlink('/Volumes/X', path.join(dir, 'link'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function observe(): Promise<Record<string, string>> {
    const r = new RecordingReads(new RealHost());
    await r.lstat(path.join(dir, 'a'));
    await r.lstat(path.join(dir, 'a', 'f'));
    await r.lstat(path.join(dir, 'missing'));
    await r.readlink(path.join(dir, 'link'));
    await r.readdir(dir);
    await r.summarize(path.join(dir, 'a'));
    await r.readdir(path.join(dir, 'gone')).catch(() => undefined);
    return r.observations();
  }

  it('records kinds, sizes, link targets, listings, walks and failures; the same world gives the same digest', async () => {
    const first = await observe();
    expect(first[`lstat ${path.join(dir, 'missing')}`]).toBe('nothing');
    expect(first[`readlink ${path.join(dir, 'link')}`]).toBe('link to /Volumes/X');
    expect(first[`readdir ${dir}`]).toBe('holds "a", "link"');
    expect(first[`walk ${path.join(dir, 'a')}`]).toBe('1 files, 0 folders, 0 links, 5 bytes');
    expect(first[`readdir ${path.join(dir, 'gone')}`]).toBe('error ENOENT');
    expect(first[`lstat ${path.join(dir, 'a', 'f')}`]).toMatch(/^file of 5 bytes, modified /);
    const again = await observe();
    expect(observationsDigest(again)).toBe(observationsDigest(first));
    expect(observationDifferences(first, again)).toEqual([]);
  });

  it('names each difference, and only counts the reads that follow from one', async () => {
    const before = await observe();
    await fs.rm(path.join(dir, 'link'));
    await fs.symlink('/Volumes/Y', path.join(dir, 'link'));
    await fs.appendFile(path.join(dir, 'a', 'f'), '!');
    const after = await observe();
    const diff = observationDifferences(before, after);
    expect(diff).toContain(`the link ${path.join(dir, 'link')}: was link to /Volumes/X, now link to /Volumes/Y`);
    expect(diff).toContain(`everything in ${path.join(dir, 'a')}: was 1 files, 0 folders, 0 links, 5 bytes, now 1 files, 0 folders, 0 links, 6 bytes`);
    expect(observationsDigest(after)).not.toBe(observationsDigest(before));

    const { [`lstat ${path.join(dir, 'missing')}`]: _dropped, ...fewer } = before;
    expect(observationDifferences(fewer, before)).toEqual(['planning now looks at other things than the saved plan did (1 differ): what it observed has changed']);
  });
});
