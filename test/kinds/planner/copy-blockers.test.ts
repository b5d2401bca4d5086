import { describe, expect, it } from 'vitest';
import { awkwardName, nameRefusedBy } from '../../../src/host/fs/name-limits.js';
import { planLinkedFolder } from '../../../src/kinds/linked-folder/plan.js';
import type { TreeSummaryLite } from '../../../src/kinds/linked-folder/tree-summary-lite.js';
import type { LinkedFolderObserved } from '../../../src/kinds/linked-folder/types.js';
import type { DriveObserved } from '../../../src/drives/types.js';
import { ALEX_MOBILESYNC } from './mobilesync-desired.js';

const desired = ALEX_MOBILESYNC;
const MiB = 1024 ** 2;

function observed(summary: Partial<TreeSummaryLite>, drive: Extract<DriveObserved, { kind: 'mounted' }>): LinkedFolderObserved {
  return {
    homeExists: true,
    links: [
      {
        path: desired.links[0]!,
        state: { kind: 'directory', entries: ['aaa'], summary: { files: 10, bytes: 1000, largestFile: 100, unreadable: [], ...summary } },
        missingParents: [],
      },
    ],
    // refine found nobody writing (writer-blockers.test.ts covers the rest).
    writers: { ok: true, writers: [], background: [] },
    drive,
    target: { kind: 'directory', entries: [], leftovers: [], missing: [], writable: true },
  };
}

const codes = (o: LinkedFolderObserved): string[] => planLinkedFolder(desired, o).blockers.map((b) => b.code);

describe('what the copy would meet too late, found by the plan', () => {
  it("space is counted in the drive's allocation units, files and folders alike", () => {
    // 200 files and 56 folders of 1 KiB: 256 KiB of data, 32 MiB in 128 KiB clusters.
    const summary = { files: 200, directories: 56, bytes: 200 * 1024 };
    expect(codes(observed(summary, { kind: 'mounted', freeBytes: 30 * MiB, totalBytes: 32 * MiB, blockSize: 128 * 1024, fsType: 'exfat' }))).toEqual(['NOT_ENOUGH_SPACE']);
    // The same on a 4 KiB drive fits easily (what the old rule assumed everywhere).
    expect(codes(observed(summary, { kind: 'mounted', freeBytes: 30 * MiB, totalBytes: 32 * MiB, blockSize: 4096, fsType: 'apfs' }))).toEqual([]);
  });

  it('a drive that reports no size (fusefat says 0 of 0) is not called full', () => {
    expect(codes(observed({ files: 10 }, { kind: 'mounted', freeBytes: 0, totalBytes: 0, blockSize: 1024, fsType: 'msdos' }))).toEqual([]);
  });

  it('a fifo blocks on any drive, naming it and how many more', () => {
    const o = observed({ uncopyable: [{ path: 'aaa/pipe', what: 'a named pipe (fifo)' }, { path: 'aaa/sock', what: 'a socket' }] }, { kind: 'mounted', freeBytes: 1e12 });
    const b = planLinkedFolder(desired, o).blockers;
    expect(b.map((x) => x.code)).toEqual(['SOURCE_UNCOPYABLE']);
    expect(b[0]?.reason).toMatch(/aaa\/pipe is a named pipe \(fifo\), which a copy cannot carry \(and 1 other found\)/);
  });

  it('a name over 255 bytes blocks on a byte-limited drive, with a rename fix and no Full Disk Access hint', () => {
    // 130 "é": 260 bytes of UTF-8, 130 UTF-16 units: too long for APFS or ext4, fine for exFAT.
    const name = 'é'.repeat(130);
    const awkward = awkwardName(`aaa/${name}`, name);
    expect(awkward).toEqual({ path: `aaa/${name}`, bytes: 260, units: 130, fatUnsafe: false });
    const o = (fsType: string) => observed({ awkwardNames: [awkward!] }, { kind: 'mounted', freeBytes: 1e12, fsType });
    const b = planLinkedFolder(desired, o('apfs')).blockers;
    expect(b.map((x) => x.code)).toEqual(['NAME_NOT_ALLOWED_ON_DRIVE']);
    expect(b[0]?.reason).toMatch(/260 bytes long/);
    expect(b[0]?.fix).toMatch(/rename it/);
    expect(JSON.stringify(b)).not.toMatch(/Full Disk Access/);
    expect(codes(o('exfat'))).toEqual([]);
  });

  it('FAT and exFAT refuse some characters and links; other drives take them', () => {
    expect(nameRefusedBy('exfat', awkwardName('a:b', 'a:b')!)).toMatch(/character/);
    expect(nameRefusedBy('apfs', awkwardName('a:b', 'a:b')!)).toBeUndefined();
    expect(awkwardName('ok name.txt', 'ok name.txt')).toBeUndefined();
    expect(codes(observed({ firstLink: 'aaa/l' }, { kind: 'mounted', freeBytes: 1e12, fsType: 'msdos' }))).toEqual(['LINKS_NOT_ALLOWED_ON_DRIVE']);
    expect(codes(observed({ firstLink: 'aaa/l' }, { kind: 'mounted', freeBytes: 1e12, fsType: 'apfs' }))).toEqual([]);
  });
});
