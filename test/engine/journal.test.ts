import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal, readJournals, type RelocateEntry } from '../../src/engine/journal/journal.js';
import { RealHost } from '../../src/host/real-host.js';

const host = new RealHost();

function entry(id: string, phase: RelocateEntry['phase'] = 'copying'): Omit<RelocateEntry, 'version' | 'updatedAt' | 'pid'> {
  return {
    id,
    changeId: 'alex/mobilesync',
    user: 'alex',
    title: 'iOS device backups',
    path: '/Users/alex/Backup',
    phase,
    startedAt: '2026-11-22T00:00:00.000Z',
    step: {
      op: 'relocate',
      id,
      source: '/Users/alex/Backup',
      dest: '/Volumes/A/alex',
      entries: ['x'],
      discard: [],
      link: { path: '/Users/alex/Backup', target: '/Volumes/A/alex', type: 'symlink' },
      volume: { files: 1, bytes: 1 },
    },
  };
}

describe('Journal over several folders (root and the users)', () => {
  let dir: string;
  let rootDir: string;
  let userDir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-journal-unit-'));
    rootDir = path.join(dir, 'root');
    userDir = path.join(dir, 'user');
    await fs.mkdir(userDir);
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("updates an entry in the folder where it lives, keeping fields it does not know, and removes it there", async () => {
    await fs.writeFile(path.join(userDir, 'm.0.json'), JSON.stringify({ version: 1, ...entry('m.0'), updatedAt: 'x', pid: 1, driveIdentity: { uuid: 'U' } }));
    const journal = new Journal(host, { write: rootDir, read: [rootDir, userDir] });
    await journal.record({ ...entry('m.0'), phase: 'copied' });
    expect(await fs.readdir(rootDir).catch(() => [])).toEqual([]);
    const written = JSON.parse(await fs.readFile(path.join(userDir, 'm.0.json'), 'utf8')) as Record<string, unknown>;
    expect(written['phase']).toBe('copied');
    expect(written['driveIdentity']).toEqual({ uuid: 'U' });
    const scan = await readJournals(host, [rootDir, userDir]);
    expect(scan.entries.map((e) => [e.id, e.phase])).toEqual([['m.0', 'copied']]);
    await journal.remove('m.0');
    expect(await fs.readdir(userDir)).toEqual([]);
  });

  it('gives a rewritten entry back to the owner it had (root finishing a user\'s move)', async () => {
    if (process.getuid?.() !== 0) return;
    const file = path.join(userDir, 'm.0.json');
    await fs.writeFile(file, JSON.stringify({ version: 1, ...entry('m.0'), updatedAt: 'x', pid: 1 }));
    await fs.chown(file, 65534, 65534);
    await new Journal(host, { write: rootDir, read: [rootDir, userDir] }).record({ ...entry('m.0'), phase: 'promoted' });
    const st = await fs.stat(file);
    expect([st.uid, st.gid]).toEqual([65534, 65534]);
  });

  it('writes a new entry in its own folder, and removes an entry from every folder holding it', async () => {
    const journal = new Journal(host, { write: rootDir, read: [rootDir, userDir] });
    await journal.record(entry('n.0'));
    expect(await fs.readdir(rootDir)).toEqual(['n.0.json']);
    // Left twice by an older provision: once in each folder.
    await fs.copyFile(path.join(rootDir, 'n.0.json'), path.join(userDir, 'n.0.json'));
    await journal.remove('n.0');
    expect(await fs.readdir(rootDir)).toEqual([]);
    expect(await fs.readdir(userDir)).toEqual([]);
  });
});

describe('readJournals reports damaged entries', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-journal-damaged-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('names each file with its reason and what it still tells, and keeps the good ones', async () => {
    const good = { version: 1, ...entry('good.0'), updatedAt: 'x', pid: 1 };
    await fs.writeFile(path.join(dir, 'good.0.json'), JSON.stringify(good));
    await fs.writeFile(path.join(dir, 'torn.0.json'), '{"version": 1, "id": "to');
    await fs.writeFile(path.join(dir, 'empty.0.json'), '');
    await fs.writeFile(path.join(dir, 'newer.0.json'), JSON.stringify({ ...good, id: 'newer.0', version: 2 }));
    await fs.writeFile(path.join(dir, 'other.0.json'), JSON.stringify(good));
    await fs.writeFile(path.join(dir, 'phase.0.json'), JSON.stringify({ ...good, id: 'phase.0', phase: 'flying' }));
    await fs.writeFile(path.join(dir, 'gone.0.json.damaged-2026'), 'x');
    await fs.writeFile(path.join(dir, '.good.0.json.123.ab.tmp'), 'x');
    const scan = await readJournals(host, [dir]);
    expect(scan.entries.map((e) => e.id)).toEqual(['good.0']);
    const reasons = Object.fromEntries(scan.damaged.map((d) => [d.id, d.reason]));
    expect(reasons).toEqual({
      'empty.0': 'it is empty',
      'newer.0': 'its version is 2, and this provision knows only version 1 (a newer provision may have written it)',
      'other.0': 'it names move "good.0", not other.0 as its file name says',
      'phase.0': 'its phase "flying" is not one of a move\'s',
      'torn.0': 'it is not valid JSON',
    });
    const newer = scan.damaged.find((d) => d.id === 'newer.0');
    expect(newer?.user).toBe('alex');
    expect(newer?.paths).toEqual(['/Users/alex/Backup', '/Volumes/A/alex']);
    expect(newer?.file).toBe(path.join(dir, 'newer.0.json'));
    expect(scan.setAside).toEqual([{ id: 'gone.0', file: path.join(dir, 'gone.0.json.damaged-2026') }]);
  });
});
