import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MachineFacts } from '../../../src/desired/machine-context.js';
import { DryRunHost } from '../../../src/host/dry-run-host.js';
import type { HostReads, RunOptions, RunResult, TreeSummary } from '../../../src/host/host.js';
import { ReadOnlyHost } from '../../../src/host/read-only-host.js';
import { RealHost } from '../../../src/host/real-host.js';
import { observeLinkedFolder, refineLinkedFolder } from '../../../src/kinds/linked-folder/observe.js';
import type { LinkedFolderDesired } from '../../../src/kinds/linked-folder/types.js';
import { createPathMapper } from '../../../src/machine/path-mapper.js';
import { makeTempDir, removeTempDir } from '../../host/fs/temp-dir.js';

/**
 * A folder to move is walked while the processes its plan will refine with (lsof, and diskutil
 * for a mounted drive) already run: they are started before the walk, through the same host,
 * and refine gets their answers from it. Only when the caller says refine follows.
 */
let root: string;
let calls: string[];
let host: HostReads;
let d: LinkedFolderDesired;
let ctx: MachineFacts;

beforeEach(async () => {
  root = await makeTempDir();
  const backup = '/Users/alex/Library/Application Support/MobileSync/Backup';
  await mkdir(join(root, backup, 'device1'), { recursive: true });
  await writeFile(join(root, backup, 'device1', 'Manifest.db'), 'x');
  await mkdir(join(root, 'Volumes', 'A'), { recursive: true });
  calls = [];
  const inner = new ReadOnlyHost(new RealHost());
  const recording = Object.create(inner) as ReadOnlyHost;
  recording.summarize = (p: string): Promise<TreeSummary> => (calls.push(`summarize ${p.slice(root.length)}`), inner.summarize(p));
  recording.query = (c: string, a: readonly string[], o?: RunOptions): Promise<RunResult> => (calls.push(`query ${c}`), inner.query(c, a, o));
  // The plan's host: a dry run, which gives a query asked again its first answer.
  host = new DryRunHost(recording);
  const paths = createPathMapper('macos', root);
  ctx = { name: 'imac', platform: 'macos', paths, runningAsRoot: false, invoker: { name: 'alex' } };
  const dual = (m: string) => ({ machine: m, host: paths.toHost(m) });
  d = {
    id: 'alex/mobilesync',
    kind: 'mobilesync',
    title: 'iOS device backups',
    user: 'alex',
    platform: 'macos',
    home: dual('/Users/alex'),
    links: [dual(backup)],
    linkType: 'symlink',
    drive: { name: 'archive', mountPoint: dual('/Volumes/A'), pins: [] },
    target: dual('/Volumes/A/MobileSync/alex'),
    targetSegments: ['MobileSync', 'alex'],
    ignorableDuplicates: ['.DS_Store'],
    entryNoun: 'device backup',
    merge: true,
    wholeNoun: 'backup folder',
  };
});
afterEach(async () => {
  await removeTempDir(root);
});

describe('observeLinkedFolder, a folder to move', () => {
  it('with refine to follow: lsof is started before the folder is walked, and refine gets that listing', async () => {
    const o = await observeLinkedFolder(host, ctx, d, { refineFollows: true });
    const walk = calls.indexOf('summarize /Users/alex/Library/Application Support/MobileSync/Backup');
    expect(calls.indexOf('query lsof')).toBeGreaterThanOrEqual(0);
    expect(calls.indexOf('query lsof')).toBeLessThan(walk);
    const refined = await refineLinkedFolder(host, ctx, d, o);
    expect(refined.writers?.ok).toBe(true);
    expect(calls.filter((c) => c === 'query lsof')).toEqual(['query lsof']);
  });

  it('otherwise (status, restore): no process is started', async () => {
    await observeLinkedFolder(host, ctx, d);
    expect(calls.filter((c) => c.startsWith('query'))).toEqual([]);
  });
});
