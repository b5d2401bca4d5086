import { describe, expect, it } from 'vitest';
import { planAppLibrary } from '../../../src/kinds/app-library/plan.js';
import type { AppLibraryDesired, AppLibraryObserved } from '../../../src/kinds/app-library/types.js';
import { planLinkedFolder } from '../../../src/kinds/linked-folder/plan.js';
import type { LinkedFolderObserved, PathState } from '../../../src/kinds/linked-folder/types.js';
import { ALEX_MOBILESYNC } from './mobilesync-desired.js';

const LIB = 'Photos Library.photoslibrary';
const photos: AppLibraryDesired = {
  ...ALEX_MOBILESYNC,
  id: `alex/photos/${LIB}`,
  kind: 'photos',
  title: `Photos library ${LIB}`,
  links: [{ machine: `/Users/alex/Pictures/${LIB}`, host: `/r/Users/alex/Pictures/${LIB}` }],
  target: { machine: `/Volumes/A/Photos/alex/${LIB}`, host: `/r/Volumes/A/Photos/alex/${LIB}` },
  targetSegments: ['Photos', 'alex', LIB],
  ignorableDuplicates: [],
  entryNoun: 'item',
  merge: false,
  wholeNoun: 'photo library',
  family: 'photos',
  apps: ['Photos', 'iPhoto'],
  declared: false,
  appleDriveRules: true,
  onTimeMachineDrive: false,
  databases: ['database', '*.sqlite*'],
  backgroundWriters: ['photolibraryd'],
  keepOriginal: { opened: { domain: '/Users/alex/Library/Containers/com.apple.photolibraryd/Data/Library/Preferences/com.apple.photolibraryd', key: 'SystemLibraryPath' } },
};
const IPHOTO = 'iPhoto Library.photolibrary';
const iphoto: AppLibraryDesired = {
  ...photos,
  id: `alex/photos/${IPHOTO}`,
  family: 'iphoto',
  links: [{ machine: `/Users/alex/Pictures/${IPHOTO}`, host: `/r/Users/alex/Pictures/${IPHOTO}` }],
  target: { machine: `/Volumes/A/Photos/alex/${IPHOTO}`, host: `/r/Volumes/A/Photos/alex/${IPHOTO}` },
  targetSegments: ['Photos', 'alex', IPHOTO],
  preference: { domain: 'com.apple.iPhoto', key: 'RootDirectory', asUser: 'alex' },
};

const library: PathState = {
  kind: 'directory',
  entries: ['database', 'originals'],
  summary: { files: 40, bytes: 40_000, largestFile: 5000, unreadable: [] },
};
const emptyTarget = { kind: 'absent' as const, entries: [], leftovers: [], writable: true, missing: [] };

function observed(d: AppLibraryDesired, link: PathState, over: Partial<LinkedFolderObserved> = {}, extra: Partial<AppLibraryObserved> = {}): AppLibraryObserved {
  return {
    folder: {
      homeExists: true,
      links: [{ path: d.links[0]!, state: link, missingParents: [] }],
      drive: { kind: 'mounted', freeBytes: 1e12, fsType: 'apfs' },
      target: emptyTarget,
      writers: { ok: true, writers: [], background: [] },
      ...over,
    },
    apps: { ok: true, running: [] },
    ...extra,
  };
}

const linked = (d: AppLibraryDesired): PathState => ({
  kind: 'symlink',
  raw: d.target.machine,
  resolved: d.target,
  pointsAtTarget: true,
  at: library,
});

describe('planAppLibrary (pure)', () => {
  it('leaves out a library that is nowhere, unless the declaration names it', () => {
    expect(planAppLibrary(photos, observed(photos, { kind: 'absent' }))).toBeUndefined();
    const named = planAppLibrary({ ...photos, declared: true }, observed(photos, { kind: 'absent' }));
    expect(named?.action).toBe('none');
    expect(named?.warnings.map((w) => w.code)).toEqual(['LIBRARY_NOT_FOUND']);
  });

  it('moves a library on APFS or Mac OS Extended, with the one-time instruction for Photos', () => {
    for (const fsType of ['apfs', 'hfs', 'APFS']) {
      const c = planAppLibrary(photos, observed(photos, library, { drive: { kind: 'mounted', freeBytes: 1e12, fsType } }));
      expect(c?.action, fsType).toBe('relocate');
      expect(c?.warnings.map((w) => w.code)).toEqual(['PHOTOS_CHOOSE_LIBRARY']);
    }
  });

  it('refuses network shares and other formats, and the Time Machine drive', () => {
    const on = (fsType: string, d = photos) => planAppLibrary(d, observed(d, library, { drive: { kind: 'mounted', freeBytes: 1e12, fsType } }));
    expect(on('smbfs')?.blockers.map((b) => b.code)).toEqual(['NETWORK_DRIVE']);
    expect(on('nfs')?.blockers.map((b) => b.code)).toEqual(['NETWORK_DRIVE']);
    expect(on('msdos')?.blockers.map((b) => b.code)).toEqual(['NOT_MAC_FORMAT']);
    expect(on('exfat')?.steps).toEqual([]);
    expect(on('apfs', { ...photos, onTimeMachineDrive: true })?.blockers.map((b) => b.code)).toEqual(['TIME_MACHINE_DRIVE']);
    // Music has no such rule.
    const music: AppLibraryDesired = { ...photos, family: 'music', appleDriveRules: false, apps: ['Music', 'iTunes'] };
    expect(on('exfat', music)?.action).toBe('relocate');
  });

  it('refuses removable media (an SD card, a USB stick) and case-sensitive formats, each with its fix', () => {
    const on = (drive: Partial<Extract<LinkedFolderObserved['drive'], { kind: 'mounted' }>>) =>
      planAppLibrary(photos, observed(photos, library, { drive: { kind: 'mounted', freeBytes: 1e12, fsType: 'apfs', ...drive } }));
    const card = on({ fsType: 'msdos', fsName: 'MS-DOS FAT32', removableMedia: true });
    expect(card?.blockers.map((b) => b.code)).toEqual(['NOT_MAC_FORMAT', 'REMOVABLE_MEDIA']);
    const stick = on({ fsType: 'apfs', fsName: 'APFS', removableMedia: true });
    expect(stick?.blockers.map((b) => b.code)).toEqual(['REMOVABLE_MEDIA']);
    expect(stick?.blockers[0]?.reason).toContain('removable media such as SD cards or USB sticks');
    expect(stick?.blockers[0]?.fix).toContain('hard disk or SSD');
    expect(stick?.steps).toEqual([]);
    for (const fsName of ['Case-sensitive APFS', 'Case-sensitive Journaled HFS+']) {
      const c = on({ fsType: fsName.includes('APFS') ? 'apfs' : 'hfs', fsName });
      expect(c?.blockers.map((b) => b.code), fsName).toEqual(['CASE_SENSITIVE_FORMAT']);
      expect(c?.blockers[0]?.fix).toContain('without "Case-sensitive"');
    }
    // An external drive that is not removable media, APFS not case-sensitive: allowed.
    expect(on({ fsName: 'APFS', removableMedia: false })?.action).toBe('relocate');
  });

  it('a library already on a drive that breaks the rules is left as it is, with a note', () => {
    const c = planAppLibrary(photos, observed(photos, linked(photos), { drive: { kind: 'mounted', freeBytes: 1e12, fsType: 'exfat' }, target: { ...emptyTarget, kind: 'directory', entries: ['database'] } }));
    expect(c?.action).toBe('none');
    expect(c?.warnings.map((w) => w.code)).toEqual(['NOT_MAC_FORMAT']);
  });

  it('a running app blocks a change; a failed check blocks too; a converged library needs no check', () => {
    const running = planAppLibrary(photos, observed(photos, library, {}, { apps: { ok: true, running: ['Photos'] } }));
    expect(running?.blockers.map((b) => b.code)).toEqual(['APP_RUNNING']);
    expect(running?.steps).toEqual([]);
    const failed = planAppLibrary(photos, observed(photos, library, {}, { apps: { ok: false, message: 'pgrep failed', hint: 'h' } }));
    expect(failed?.blockers.map((b) => b.code)).toEqual(['APP_CHECK_FAILED']);
    const converged = planAppLibrary(
      photos,
      observed(photos, linked(photos), { target: { ...emptyTarget, kind: 'directory', entries: ['database'] } }, { apps: undefined }),
    );
    expect(converged?.action).toBe('none');
    expect(converged?.blockers).toEqual([]);
  });

  it('never merges: a library on both sides is blocked, and a new empty one at home is explained', () => {
    const both = observed(photos, library, { target: { ...emptyTarget, kind: 'directory', entries: ['database', 'originals'] } });
    expect(planAppLibrary(photos, both)?.blockers.map((b) => b.code)).toEqual(['BOTH_SIDES']);
    const fresh = { ...both, homeLayout: { kind: 'photos' as const, mediaFiles: 0, looksNew: true, unreadable: [] } };
    const c = planAppLibrary(photos, fresh);
    expect(c?.blockers.map((b) => b.code)).toEqual(['NEW_LIBRARY_IN_PLACE']);
    expect(c?.blockers[0]?.reason).toContain('Your library is still at /Volumes/A/Photos/alex/Photos Library.photoslibrary');
  });

  it('iPhoto: the preference is set when unset or naming the old place, left alone when naming another library', () => {
    const withPref = (value: string | undefined) => planAppLibrary(iphoto, observed(iphoto, library, {}, { preference: { ok: true, value } }));
    const step = { op: 'set-preference', domain: 'com.apple.iPhoto', key: 'RootDirectory', value: iphoto.target.machine, asUser: 'alex' };
    expect(withPref(undefined)?.steps.at(-1)).toEqual(step);
    expect(withPref(`/Users/alex/Pictures/${IPHOTO}`)?.steps.at(-1)).toEqual(step);
    const other = withPref('/Users/alex/Desktop/Other.photolibrary');
    expect(other?.steps.some((s) => s.op === 'set-preference')).toBe(false);
    expect(other?.warnings.map((w) => w.code)).toEqual(['IPHOTO_OPENS_ANOTHER_LIBRARY']);
    // Already moved and pointed at: nothing to do.
    const done = planAppLibrary(
      iphoto,
      observed(iphoto, linked(iphoto), { target: { ...emptyTarget, kind: 'directory', entries: ['Masters'] } }, { preference: { ok: true, value: iphoto.target.machine } }),
    );
    expect(done?.action).toBe('none');
    const unreadable = planAppLibrary(iphoto, observed(iphoto, library, {}, { preference: { ok: false, message: 'sudo: a password is required', hint: 'h' } }));
    expect(unreadable?.blockers.map((b) => b.code)).toEqual(['PREFERENCE_UNREADABLE']);
  });
});

describe('planLinkedFolder: a folder never moves into itself', () => {
  it('blocks when the old link points at a folder that holds the target, or inside it', () => {
    for (const [machine, host] of [
      ['/Volumes/A/Photos', '/r/Volumes/A/Photos'],
      [`/Volumes/A/Photos/alex/${LIB}/inner`, `/r/Volumes/A/Photos/alex/${LIB}/inner`],
    ] as const) {
      const link: PathState = { kind: 'symlink', raw: machine, resolved: { machine, host }, pointsAtTarget: false, at: library };
      const c = planLinkedFolder(photos, observed(photos, link).folder);
      expect(c.blockers.map((b) => b.code), machine).toContain('SOURCE_AND_TARGET_NESTED');
      expect(c.steps).toEqual([]);
    }
  });
});

describe('a photo library moved in Apple\'s order (pure)', () => {
  const KEPT = `/r/Users/alex/Pictures/${LIB} (original, kept by provision)`;
  const record = (over: Record<string, unknown> = {}) => ({
    ok: true as const,
    record: {
      version: 1 as const,
      keptAt: '2026-12-01T10:00:00.000Z',
      user: 'alex',
      title: photos.title,
      movedTo: photos.target.host,
      link: photos.links[0]!.host,
      linkTarget: photos.target.machine,
      entries: ['database', 'originals'],
      volume: { files: 40, bytes: 40_000 },
      context: { systemLibraryPath: `/Users/alex/Pictures/${LIB}` },
      ...over,
    },
  });
  const converged = (extra: Partial<AppLibraryObserved>) =>
    planAppLibrary(photos, observed(photos, linked(photos), { target: { ...emptyTarget, kind: 'directory', entries: ['database', 'originals'] } }, extra));

  it('the move compares the databases by content and keeps the original, noting the System Photo Library of the moment', () => {
    const c = planAppLibrary(photos, observed(photos, library, {}, { opened: { ok: true, value: `/Users/alex/Pictures/${LIB}` } }));
    const move = c?.steps.find((s) => s.op === 'relocate');
    expect(move).toMatchObject({
      databases: ['database', '*.sqlite*'],
      backgroundWriters: ['photolibraryd'],
      keepOriginal: { as: `${LIB} (original, kept by provision)`, context: { systemLibraryPath: `/Users/alex/Pictures/${LIB}` } },
    });
    // Music keeps no original.
    const music: AppLibraryDesired = { ...photos, family: 'music', appleDriveRules: false, apps: ['Music'], keepOriginal: undefined } as AppLibraryDesired;
    expect(planAppLibrary(music, observed(music, library))?.steps.find((s) => s.op === 'relocate')).not.toHaveProperty('keepOriginal');
  });

  it('a kept original waits for its owner, with its size and what to do; nothing is removed', () => {
    const c = converged({ kept: [{ path: KEPT, record: record() }], opened: { ok: true, value: `/Users/alex/Pictures/${LIB}` } });
    expect(c?.action).toBe('none');
    expect(c?.steps).toEqual([]);
    expect(c?.warnings.map((w) => w.code)).toEqual(['KEPT_ORIGINAL_WAITING']);
    expect(c?.warnings[0]?.message).toContain(`kept at /Users/alex/Pictures/${LIB} (original, kept by provision) (40 files`);
    expect(c?.warnings[0]?.message).toContain('provision confirm-library');
  });

  it('is removed once confirmed, or once Photos was made to use the moved library, but never by a scheduled run', () => {
    const confirmed = converged({ kept: [{ path: KEPT, record: record({ confirmedAt: '2026-12-02T09:00:00.000Z' }) }] });
    expect(confirmed?.action).toBe('update');
    expect(confirmed?.steps).toEqual([{ op: 'remove-kept-original', kept: KEPT, movedTo: photos.target.host, because: expect.stringContaining('you confirmed'), volume: { files: 40, bytes: 40_000 } }]);
    const opened = converged({ kept: [{ path: KEPT, record: record() }], opened: { ok: true, value: `${photos.target.machine}/` } });
    expect(opened?.steps.map((s) => s.op)).toEqual(['remove-kept-original']);
    // Named the drive's library already when the move was made: says nothing about this move.
    const before = converged({ kept: [{ path: KEPT, record: record({ context: { systemLibraryPath: photos.target.machine } }) }], opened: { ok: true, value: photos.target.machine } });
    expect(before?.steps).toEqual([]);
    const scheduled = converged({ kept: [{ path: KEPT, record: record({ confirmedAt: '2026-12-02T09:00:00.000Z' }) }], scheduled: true });
    expect(scheduled?.steps).toEqual([]);
    expect(scheduled?.warnings[0]?.message).toContain('a scheduled run never does');
  });

  it('an unreadable record is left alone, with a note', () => {
    const c = converged({ kept: [{ path: KEPT, record: { ok: false, reason: 'its .provision-kept.json is not valid JSON' } }] });
    expect(c?.steps).toEqual([]);
    expect(c?.warnings.map((w) => w.code)).toEqual(['KEPT_ORIGINAL_UNRECOGNISED']);
  });
});

describe('a Photos library migrated from iPhoto (pure)', () => {
  const sharing: PathState = {
    kind: 'directory',
    entries: ['database', 'originals'],
    summary: { files: 40, bytes: 40_000, largestFile: 5000, unreadable: [], linkedOutside: { files: 12, bytes: 24_000, first: 'originals/0/a.jpeg' } },
  };

  it('names the migrated library beside it and gives the choice', () => {
    const c = planAppLibrary(photos, observed(photos, sharing, {}, { migrated: ['iPhoto Library.migratedphotolibrary'] }));
    expect(c?.blockers.map((b) => b.code)).toEqual(['MIGRATED_LIBRARY_SHARES_FILES']);
    expect(c?.blockers[0]?.reason).toContain('/Users/alex/Pictures/iPhoto Library.migratedphotolibrary');
    expect(c?.blockers[0]?.fix).toContain('move /Users/alex/Pictures/iPhoto Library.migratedphotolibrary to the Trash');
    expect(c?.steps).toEqual([]);
  });

  it('keeps the general blocker when no migrated library is beside it', () => {
    expect(planAppLibrary(photos, observed(photos, sharing))?.blockers.map((b) => b.code)).toEqual(['HARD_LINKS_OUTSIDE']);
  });
});
