import { describe, expect, it } from 'vitest';
import { planLinkedFolder } from '../../../src/kinds/linked-folder/plan.js';
import type { LinkedFolderObserved, PathState } from '../../../src/kinds/linked-folder/types.js';
import type { DriveObserved } from '../../../src/drives/types.js';
import { ALEX_MOBILESYNC } from './mobilesync-desired.js';

const d = ALEX_MOBILESYNC;
const backup: PathState = { kind: 'directory', entries: ['00008030-X'], summary: { files: 10, bytes: 1000, largestFile: 100, unreadable: [] } };

function observed(drive: Partial<Extract<DriveObserved, { kind: 'mounted' }>>, over: Partial<LinkedFolderObserved> = {}): LinkedFolderObserved {
  return {
    homeExists: true,
    personUid: 501,
    links: [{ path: d.links[0]!, state: backup, missingParents: [] }],
    drive: { kind: 'mounted', freeBytes: 1e12, fsType: 'apfs', ...drive },
    target: { kind: 'directory', entries: [], leftovers: [], missing: [], writable: true, ownerUid: 501 },
    writers: { ok: true, writers: [], background: [] },
    ...over,
  };
}

describe('a drive shared by the household: who owns the per-user folders', () => {
  it('ownership ignored on a Mac volume: a warning that the folder is not private, and how to untick "Ignore ownership"', () => {
    const c = planLinkedFolder(d, observed({ ownership: 'ignored' }));
    expect(c.action).toBe('relocate');
    expect(c.warnings.map((w) => w.code)).toEqual(['FOLDERS_NOT_PRIVATE']);
    expect(c.warnings[0]?.message).toContain('every account that uses the drive can open it');
    expect(c.warnings[0]?.message).toContain('untick "Ignore ownership on this volume"');
  });

  it('ownership ignored on FAT or exFAT: the remedy is a format that keeps owners', () => {
    for (const fsType of ['exfat', 'msdos', 'fuse']) {
      const c = planLinkedFolder(d, observed({ fsType, ownership: 'ignored' }));
      // FAT and exFAT also keep no xattrs or modes: METADATA_NOT_KEPT says so beside it.
      expect(c.warnings.map((w) => w.code).filter((w) => w !== 'METADATA_NOT_KEPT'), fsType).toEqual(['FOLDERS_NOT_PRIVATE']);
      expect(c.warnings.find((w) => w.code === 'FOLDERS_NOT_PRIVATE')?.message).toContain('a format that keeps owners');
    }
  });

  it('ownership honoured, the folder owned by another uid: blocked before anything moves, naming both uids and the command', () => {
    const c = planLinkedFolder(d, observed({ ownership: 'honoured' }, { target: { kind: 'directory', entries: [], leftovers: [], missing: [], writable: true, ownerUid: 502 } }));
    expect(c.action).toBe('blocked');
    expect(c.steps).toEqual([]);
    expect(c.blockers.map((b) => b.code)).toEqual(['OWNER_MISMATCH']);
    expect(c.blockers[0]?.reason).toContain('belongs to uid 502');
    expect(c.blockers[0]?.reason).toContain('alex is uid 501 on this machine');
    expect(c.blockers[0]?.fix).toContain('provision drive adopt alex');
  });

  it('ownership honoured and the folder is the person’s, or not made yet, or the mode unknown: nothing said', () => {
    expect(planLinkedFolder(d, observed({ ownership: 'honoured' })).warnings).toEqual([]);
    const absent = observed({ ownership: 'honoured' }, { target: { kind: 'absent', entries: [], leftovers: [], missing: [d.target], writable: true } });
    expect(planLinkedFolder(d, absent).blockers).toEqual([]);
    const unknown = planLinkedFolder(d, observed({}, { target: { kind: 'directory', entries: [], leftovers: [], missing: [], writable: true, ownerUid: 502 } }));
    expect([unknown.blockers, unknown.warnings]).toEqual([[], []]);
  });
});
