import { describe, expect, it } from 'vitest';
import { planLinkedFolder } from '../../../src/kinds/linked-folder/plan.js';
import { ALEX_MOBILESYNC } from './mobilesync-desired.js';
import type { LinkedFolderDesired, LinkedFolderObserved, PathState } from '../../../src/kinds/linked-folder/types.js';

const desired: LinkedFolderDesired = ALEX_MOBILESYNC;

const GiB = 1024 ** 3;
const dir = (entries: string[], bytes = 1000, largestFile = 100, unreadable: { path: string; code: string }[] = []): PathState => ({
  kind: 'directory',
  entries,
  summary: { files: entries.length * 10, bytes, largestFile, unreadable },
});

function observed(link: PathState, over: Partial<LinkedFolderObserved> = {}): LinkedFolderObserved {
  return {
    homeExists: true,
    links: [{ path: desired.links[0]!, state: link, missingParents: [] }],
    drive: { kind: 'mounted', freeBytes: 100 * GiB, fsType: 'apfs' },
    target: { kind: 'directory', entries: [], leftovers: [], missing: [], writable: true },
    // What refine found: nobody writing (writer-blockers.test.ts covers the rest).
    writers: { ok: true, writers: [], background: [] },
    ...over,
  };
}

const linkToTarget: PathState = {
  kind: 'symlink',
  raw: '/Volumes/A/MobileSync/alex',
  resolved: desired.target,
  pointsAtTarget: true,
  at: { kind: 'directory', entries: [], summary: { files: 0, bytes: 0, largestFile: 0, unreadable: [] } },
};

describe('planLinkedFolder (pure)', () => {
  it('nothing there: creates the target folders (the last one private) and the link', () => {
    const c = planLinkedFolder(
      desired,
      observed({ kind: 'absent' }, {
        target: { kind: 'absent', entries: [], leftovers: [], writable: true, missing: [{ machine: '/Volumes/A/MobileSync', host: '/r/Volumes/A/MobileSync' }, desired.target] },
      }),
    );
    expect(c.action).toBe('create');
    expect(c.steps).toEqual([
      { op: 'mkdir', path: '/r/Volumes/A/MobileSync', mode: 0o755 },
      { op: 'mkdir', path: '/r/Volumes/A/MobileSync/alex', mode: 0o700 },
      { op: 'link', path: desired.links[0]!.host, target: '/Volumes/A/MobileSync/alex', type: 'symlink', replaces: 'absent' },
    ]);
  });

  it('linked right: no change', () => {
    const c = planLinkedFolder(desired, observed(linkToTarget));
    expect(c.action).toBe('none');
    expect(c.steps).toEqual([]);
  });

  it('linked right with the drive unplugged: no change, but a warning', () => {
    const c = planLinkedFolder(desired, observed(linkToTarget, { drive: { kind: 'absent' } }));
    expect(c.action).toBe('none');
    expect(c.warnings.map((w) => w.code)).toEqual(['DRIVE_NOT_MOUNTED']);
  });

  it('a folder with backups: one relocate step, then nothing else', () => {
    const c = planLinkedFolder(desired, observed(dir(['aaa', 'bbb'], 5000)));
    expect(c.action).toBe('relocate');
    expect(c.moves).toEqual({ files: 20, bytes: 5000 });
    expect(c.steps).toHaveLength(1);
    expect(c.steps[0]).toMatchObject({ op: 'relocate', source: desired.links[0]!.host, dest: desired.target.host, entries: ['aaa', 'bbb'], discard: [] });
  });

  it('.DS_Store on both sides is not a conflict: the drive keeps its own', () => {
    const c = planLinkedFolder(desired, observed(dir(['.DS_Store', 'aaa']), { target: { kind: 'directory', entries: ['.DS_Store', 'ccc'], leftovers: [], missing: [], writable: true } }));
    expect(c.blockers).toEqual([]);
    expect(c.steps[0]).toMatchObject({ entries: ['aaa'], discard: ['.DS_Store'] });
  });

  it('the same device on both sides blocks, case-insensitively', () => {
    const c = planLinkedFolder(desired, observed(dir(['ABC']), { target: { kind: 'directory', entries: ['abc'], leftovers: [], missing: [], writable: true } }));
    expect(c.action).toBe('blocked');
    expect(c.blockers.map((b) => b.code)).toEqual(['SAME_ENTRY_BOTH_SIDES']);
    expect(c.steps).toEqual([]);
  });

  it.each([
    ['absent', { kind: 'absent' as const }, 'DRIVE_NOT_MOUNTED'],
    ['stale folder', { kind: 'not-mounted' as const }, 'DRIVE_STALE_FOLDER'],
    ['not a folder', { kind: 'not-a-folder' as const }, 'DRIVE_NOT_A_FOLDER'],
  ])('drive %s blocks a move', (_, drive, code) => {
    const c = planLinkedFolder(desired, observed(dir(['aaa']), { drive }));
    expect(c.blockers.map((b) => b.code)).toEqual([code]);
  });

  it('not enough space, FAT32 with a file over 4 GiB, unwritable, unreadable all block together', () => {
    const c = planLinkedFolder(
      desired,
      observed(dir(['aaa'], 6 * GiB, 5 * GiB, [{ path: 'aaa/x', code: 'EPERM' }]), {
        drive: { kind: 'mounted', freeBytes: 1 * GiB, fsType: 'msdos' },
        target: { kind: 'directory', entries: [], leftovers: [], missing: [], writable: false },
      }),
    );
    // EPERM on a Mac is the privacy system's refusal: its own code, so a scheduled run can name it.
    expect(c.blockers.map((b) => b.code).sort()).toEqual(['DRIVE_NOT_WRITABLE', 'FAT32_FILE_TOO_LARGE', 'NEEDS_FULL_DISK_ACCESS', 'NOT_ENOUGH_SPACE']);
    expect(c.blockers.find((b) => b.code === 'NEEDS_FULL_DISK_ACCESS')?.fix).toContain('Full Disk Access');
  });

  it('a link elsewhere with backups: moves from there and re-points', () => {
    const other = { machine: '/Volumes/Old/MobileSync', host: '/r/Volumes/Old/MobileSync' };
    const c = planLinkedFolder(
      desired,
      observed({ kind: 'symlink', raw: other.machine, resolved: other, pointsAtTarget: false, at: dir(['aaa']) as Extract<PathState, { kind: 'directory' }> }),
    );
    expect(c.action).toBe('relocate');
    expect(c.steps[0]).toMatchObject({ op: 'relocate', source: other.host, link: { path: desired.links[0]!.host, target: desired.target.machine } });
  });

  it('a dangling link is re-pointed with a note', () => {
    const other = { machine: '/Volumes/Gone/x', host: '/r/Volumes/Gone/x' };
    const c = planLinkedFolder(desired, observed({ kind: 'symlink', raw: other.machine, resolved: other, pointsAtTarget: false, at: { kind: 'absent' } }));
    expect(c.action).toBe('update');
    expect(c.steps).toEqual([{ op: 'link', path: desired.links[0]!.host, target: desired.target.machine, type: 'symlink', replaces: 'symlink' }]);
    expect(c.warnings.map((w) => w.code)).toEqual(['OLD_LINK_DANGLING']);
  });

  it('a file where the folder should be, or a target that is a link, blocks', () => {
    expect(planLinkedFolder(desired, observed({ kind: 'file' })).blockers.map((b) => b.code)).toEqual(['UNEXPECTED_ENTRY']);
    const t = planLinkedFolder(desired, observed(dir(['a']), { target: { kind: 'symlink', entries: [], leftovers: [], missing: [], writable: true, linkOnTheWay: desired.target.machine } }));
    expect(t.blockers.map((b) => b.code)).toEqual(['TARGET_THROUGH_LINK']);
  });

  it('a missing home blocks; when running as root the user owns what is created', () => {
    expect(planLinkedFolder(desired, observed({ kind: 'absent' }, { homeExists: false })).blockers.map((b) => b.code)).toContain('HOME_MISSING');
    const c = planLinkedFolder(desired, observed({ kind: 'absent' }, { chownTo: { uid: 501, gid: 20 } }));
    expect(c.steps.at(-1)).toMatchObject({ op: 'link', owner: { uid: 501, gid: 20 } });
  });

  it('a target folder that cannot be listed blocks', () => {
    const c = planLinkedFolder(desired, observed(dir(['a']), { target: { kind: 'unreadable', code: 'EACCES', entries: [], leftovers: [], missing: [], writable: true } }));
    expect(c.blockers.map((b) => b.code)).toEqual(['TARGET_UNREADABLE']);
  });
});
