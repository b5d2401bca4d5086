import { describe, expect, it } from 'vitest';
import { planLinkedFolder } from '../../../src/kinds/linked-folder/plan.js';
import { planLinkedFolderRestore, type LinkedFolderRestoreObserved, type LinkRestoreObserved } from '../../../src/kinds/linked-folder/plan-restore.js';
import type { DualPath } from '../../../src/machine/path-mapper.js';
import { ALEX_MOBILESYNC } from './mobilesync-desired.js';
import type { LinkedFolderDesired, PathState } from '../../../src/kinds/linked-folder/types.js';

const LINK = '/Users/alex/Library/Application Support/MobileSync/Backup';
const desired: LinkedFolderDesired = ALEX_MOBILESYNC;

const GiB = 1024 ** 3;
type Dir = Extract<PathState, { kind: 'directory' }>;
const dir = (entries: string[], bytes = 1000, unreadable: { path: string; code: string }[] = []): Dir => ({
  kind: 'directory',
  entries,
  summary: { files: entries.length * 10, bytes, largestFile: 100, unreadable },
});
const linkTo = (to: DualPath, at: Extract<PathState, { kind: 'symlink' }>['at'], pointsAtTarget = to.host === desired.target.host): PathState => ({
  kind: 'symlink',
  raw: to.machine,
  resolved: to,
  pointsAtTarget,
  at,
});
const holder = (over: Partial<NonNullable<LinkRestoreObserved['holder']>> = {}): LinkRestoreObserved => ({
  holder: { dev: 1, freeBytes: 100 * GiB, writable: true, ...over },
  targetParentWritable: true,
});

function observed(state: PathState, over: Partial<LinkedFolderRestoreObserved> = {}, d = desired): LinkedFolderRestoreObserved {
  return {
    homeExists: true,
    links: d.links.map((p) => ({ path: p, state, missingParents: [] })),
    drive: { kind: 'mounted', freeBytes: 100 * GiB, fsType: 'apfs' },
    target: { kind: 'directory', entries: [], leftovers: [], missing: [], writable: true },
    restore: d.links.map(() => holder()),
    ...over,
  };
}

const codes = (c: { blockers: { code: string }[] }): string[] => c.blockers.map((b) => b.code).sort();

describe('planLinkedFolderRestore (pure)', () => {
  it('a link to the drive folder with backups: one restore step that copies everything back', () => {
    const c = planLinkedFolderRestore(desired, observed(linkTo(desired.target, dir(['aaa', 'bbb'], 5000))));
    expect(c.action).toBe('restore');
    expect(c.id).toBe('alex/mobilesync');
    expect(c.moves).toEqual({ files: 20, bytes: 5000 });
    expect(c.steps).toEqual([
      {
        op: 'restore',
        id: 'alex_mobilesync.restore.0',
        link: `/r${LINK}`,
        linkTarget: desired.target.machine,
        source: desired.target.host,
        entries: ['aaa', 'bbb'],
        mode: 0o755,
        volume: { files: 20, bytes: 5000 },
        // The drive it comes from: the end of the restore removes the folder from that drive only.
        drive: { name: 'archive', mount: '/r/Volumes/A' },
      },
    ]);
  });

  it('run as root: the restored folder gets the owner of the home', () => {
    const c = planLinkedFolderRestore(desired, observed(linkTo(desired.target, dir(['aaa'])), { chownTo: { uid: 501, gid: 20 } }));
    expect(c.steps[0]).toMatchObject({ op: 'restore', owner: { uid: 501, gid: 20 } });
  });

  it('a link to any other folder (an older drive): the data comes back from there', () => {
    const old = { machine: '/Volumes/Old/MobileSync', host: '/r/Volumes/Old/MobileSync' };
    const c = planLinkedFolderRestore(desired, observed(linkTo(old, dir(['aaa']))));
    expect(c.action).toBe('restore');
    expect(c.steps[0]).toMatchObject({ op: 'restore', source: old.host, linkTarget: old.machine, entries: ['aaa'] });
  });

  it.each([
    ['empty', dir([], 0)],
    ['absent', { kind: 'absent' as const }],
  ])('a link to the drive folder, %s, on a mounted drive: replaced by an empty folder', (_, at) => {
    const c = planLinkedFolderRestore(desired, observed(linkTo(desired.target, at)));
    expect(c.action).toBe('restore');
    expect(c.moves).toEqual({ files: 0, bytes: 0 });
    expect(c.steps).toEqual([expect.objectContaining({ op: 'restore', entries: [], source: desired.target.host })]);
  });

  it.each([
    ['a real folder', dir(['aaa'])],
    ['an empty folder', dir([])],
    ['nothing', { kind: 'absent' as const }],
    ['a file', { kind: 'file' as const }],
  ])('%s at the link path: nothing to do', (_, state) => {
    const c = planLinkedFolderRestore(desired, observed(state, { restore: [{ targetParentWritable: false }] }));
    expect(c.action).toBe('none');
    expect(c.steps).toEqual([]);
    expect(c.blockers).toEqual([]);
  });

  it.each([
    ['absent', { kind: 'absent' as const }, 'DRIVE_NOT_MOUNTED'],
    ['a stale folder', { kind: 'not-mounted' as const }, 'DRIVE_STALE_FOLDER'],
    ['not a folder', { kind: 'not-a-folder' as const }, 'DRIVE_NOT_A_FOLDER'],
  ])('the drive %s while the link points there: blocked (the data is on the drive)', (_, drive, code) => {
    const c = planLinkedFolderRestore(desired, observed(linkTo(desired.target, { kind: 'absent' }), { drive }));
    expect(c.action).toBe('blocked');
    expect(codes(c)).toEqual([code]);
    expect(c.blockers[0]?.fix).not.toBe('');
    expect(c.steps).toEqual([]);
  });

  it('a dangling link to somewhere else: blocked, the data may be on a drive not connected', () => {
    const gone = { machine: '/Volumes/Gone/MobileSync', host: '/r/Volumes/Gone/MobileSync' };
    const c = planLinkedFolderRestore(desired, observed(linkTo(gone, { kind: 'absent' })));
    expect(codes(c)).toEqual(['LINK_TARGET_MISSING']);
  });

  it('a link to a file or to another link: blocked', () => {
    expect(codes(planLinkedFolderRestore(desired, observed(linkTo(desired.target, { kind: 'file' }))))).toEqual(['LINK_TO_UNEXPECTED']);
    expect(codes(planLinkedFolderRestore(desired, observed(linkTo(desired.target, { kind: 'symlink-chain' }))))).toEqual(['LINK_TO_UNEXPECTED']);
  });

  it('not enough space on the internal disk: bytes plus 4 KiB per file', () => {
    // 20 files of 1000 bytes in all need 1000 + 20 * 4096 bytes.
    const need = 1000 + 20 * 4096;
    const tight = (free: number) => observed(linkTo(desired.target, dir(['aaa', 'bbb'], 1000)), { restore: [holder({ freeBytes: free })] });
    expect(codes(planLinkedFolderRestore(desired, tight(need - 1)))).toEqual(['NOT_ENOUGH_SPACE']);
    expect(codes(planLinkedFolderRestore(desired, tight(need)))).toEqual([]);
  });

  it('unreadable source, unwritable home folder, drive folder that cannot be removed: all block together', () => {
    const c = planLinkedFolderRestore(
      desired,
      observed(linkTo(desired.target, dir(['aaa'], 10, [{ path: 'aaa/x', code: 'EACCES' }])), {
        restore: [{ holder: { dev: 1, freeBytes: GiB, writable: false }, targetParentWritable: false }],
      }),
    );
    expect(codes(c)).toEqual(['INTERNAL_NOT_WRITABLE', 'SOURCE_NOT_REMOVABLE', 'SOURCE_UNREADABLE']);
    expect(c.blockers.find((b) => b.code === 'SOURCE_UNREADABLE')?.fix).toContain('Full Disk Access');
  });

  it('an unreadable link path or link target blocks', () => {
    expect(codes(planLinkedFolderRestore(desired, observed({ kind: 'unreadable', code: 'EPERM' })))).toEqual(['NEEDS_FULL_DISK_ACCESS']);
    expect(codes(planLinkedFolderRestore(desired, observed({ kind: 'unreadable', code: 'EACCES' })))).toEqual(['SOURCE_UNREADABLE']);
    expect(codes(planLinkedFolderRestore(desired, observed(linkTo(desired.target, { kind: 'unreachable', code: 'EACCES' }))))).toEqual([
      'SOURCE_UNREADABLE',
    ]);
  });

  it("provision's leftovers in the drive folder block: they would be carried home or deleted", () => {
    const c = planLinkedFolderRestore(desired, observed(linkTo(desired.target, dir(['.provision-partial-x.0', 'aaa']))));
    expect(codes(c)).toEqual(['LEFTOVER_PARTIAL']);
  });

  describe('Windows: two link paths', () => {
    const win: LinkedFolderDesired = {
      ...desired,
      platform: 'windows',
      linkType: 'junction',
      home: { machine: 'C:\\Users\\sam', host: '/r/C/Users/sam' },
      links: [
        { machine: 'C:\\Users\\sam\\AppData\\Roaming\\Apple Computer\\MobileSync\\Backup', host: '/r/C/Users/sam/AppData/Roaming/Apple Computer/MobileSync/Backup' },
        { machine: 'C:\\Users\\sam\\Apple\\MobileSync\\Backup', host: '/r/C/Users/sam/Apple/MobileSync/Backup' },
      ],
      target: { machine: 'E:\\MobileSync\\sam', host: '/r/E/MobileSync/sam' },
    };
    const first = win.links[0]!;
    const second = win.links[1]!;

    it('both linked to the drive: the data goes into the first; the second is pointed at the first, before', () => {
      const c = planLinkedFolderRestore(win, observed(linkTo(win.target, dir(['aaa']), true), {}, win));
      expect(c.action).toBe('restore');
      expect(c.moves).toEqual({ files: 10, bytes: 1000 });
      expect(c.steps).toEqual([
        { op: 'link', path: second.host, target: first.machine, type: 'junction', replaces: 'symlink' },
        expect.objectContaining({ op: 'restore', link: first.host, source: win.target.host, entries: ['aaa'] }),
      ]);
    });

    it('after a restore (a folder, and a link to it): nothing to do', () => {
      const o = observed(dir(['aaa']), {}, win);
      o.links[1] = { path: second, state: linkTo(first, dir(['aaa']), false), missingParents: [] };
      o.restore = [{ targetParentWritable: false }, { ...holder(), pointsAtLink: 0 }];
      const c = planLinkedFolderRestore(win, o);
      expect(c.action).toBe('none');
      expect(c.steps).toEqual([]);
    });

    it('apply after a restore moves the first back and re-points the link to it: no conflict with itself', () => {
      const o = observed(dir(['aaa']), {}, win);
      o.links[1] = { path: second, state: linkTo(first, dir(['aaa']), false), missingParents: [] };
      const c = planLinkedFolder(win, { ...o, writers: { ok: true, writers: [], background: [] } });
      expect(c.action).toBe('relocate');
      expect(c.blockers).toEqual([]);
      expect(c.steps).toEqual([
        expect.objectContaining({ op: 'relocate', source: first.host, entries: ['aaa'] }),
        { op: 'link', path: second.host, target: win.target.machine, type: 'junction', replaces: 'symlink' },
      ]);
    });

    it('only the second is a link: its data goes back there', () => {
      const o = observed(dir(['bbb']), {}, win);
      o.links[1] = { path: second, state: linkTo(win.target, dir(['aaa']), true), missingParents: [] };
      const c = planLinkedFolderRestore(win, o);
      expect(c.steps).toEqual([expect.objectContaining({ op: 'restore', link: second.host, entries: ['aaa'] })]);
    });

    it('the space of both places on one disk is counted together', () => {
      const old = { machine: 'D:\\Old', host: '/r/D/Old' };
      const o = observed(linkTo(win.target, dir(['aaa'], 600)), { restore: [holder({ freeBytes: 1000 + 20 * 4096 }), holder({ freeBytes: 1000 + 20 * 4096 })] }, win);
      o.links[1] = { path: second, state: linkTo(old, dir(['bbb'], 600), false), missingParents: [] };
      // Each alone fits (600 + 10 * 4096 bytes); together they do not.
      expect(codes(planLinkedFolderRestore(win, o))).toEqual(['NOT_ENOUGH_SPACE']);
      o.restore = [holder({ freeBytes: 1000 + 20 * 4096 }), holder({ dev: 2, freeBytes: 1000 + 20 * 4096 })];
      const apart = planLinkedFolderRestore(win, o);
      expect(codes(apart)).toEqual([]);
      expect(apart.steps.filter((s) => s.op === 'restore')).toHaveLength(2);
    });
  });
});
