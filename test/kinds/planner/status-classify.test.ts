import { describe, expect, it } from 'vitest';
import { classifyLinkedFolder } from '../../../src/kinds/linked-folder/classify-status.js';
import type { LinkedFolderDesired, LinkedFolderObserved, PathState, TargetObserved } from '../../../src/kinds/linked-folder/types.js';
import { ALEX_MOBILESYNC } from './mobilesync-desired.js';

const desired: LinkedFolderDesired = ALEX_MOBILESYNC;
const link = desired.links[0]!;

const dir = (entries: string[], bytes = 1000): Extract<PathState, { kind: 'directory' }> => ({
  kind: 'directory',
  entries,
  summary: { files: entries.length * 10, bytes, largestFile: 100, unreadable: [] },
});
const target = (entries: string[], over: Partial<TargetObserved> = {}): TargetObserved => ({
  kind: 'directory',
  entries,
  leftovers: [],
  missing: [],
  writable: true,
  ...over,
});
const linkTo = (resolved: { machine: string; host: string }, at: Extract<PathState, { kind: 'symlink' }>['at']): PathState => ({
  kind: 'symlink',
  raw: resolved.machine,
  resolved,
  pointsAtTarget: resolved.host === desired.target.host,
  at,
});
const ELSEWHERE = { machine: '/Volumes/Old/MobileSync', host: '/r/Volumes/Old/MobileSync' };

function observed(state: PathState, over: Partial<LinkedFolderObserved> = {}): LinkedFolderObserved {
  return {
    homeExists: true,
    links: [{ path: link, state, missingParents: [] }],
    drive: { kind: 'mounted', freeBytes: 1e12 },
    target: target([]),
    ...over,
  };
}

describe('classifyLinkedFolder (pure)', () => {
  it('ok: a link to the declared folder, the drive mounted, the folder there; the declared folder is the data place', () => {
    const c = classifyLinkedFolder(desired, observed(linkTo(desired.target, dir(['A'])), { target: target(['A']) }));
    expect(c.state).toBe('ok');
    expect(c.hint).toBeUndefined();
    expect(c.links).toEqual([{ path: link.machine, state: 'ok', found: `a link to ${desired.target.machine}` }]);
    expect(c.places).toEqual([{ path: desired.target, where: 'declared' }]);
  });

  it('drive not mounted: the link in place, the drive absent or a stale folder', () => {
    for (const drive of [{ kind: 'absent' }, { kind: 'not-mounted' }, { kind: 'not-a-folder' }] as const) {
      const c = classifyLinkedFolder(
        desired,
        observed(linkTo(desired.target, { kind: 'absent' }), { drive, target: { kind: 'unknown', entries: [], leftovers: [], missing: [], writable: false } }),
      );
      expect(c.state, drive.kind).toBe('drive-not-mounted');
      expect(c.hint).toContain('connect drive archive');
      expect(c.places).toEqual([]);
    }
  });

  it('link broken: a link to the declared folder that is missing on the mounted drive', () => {
    const c = classifyLinkedFolder(desired, observed(linkTo(desired.target, { kind: 'absent' }), { target: { kind: 'absent', entries: [], leftovers: [], missing: [desired.target], writable: true } }));
    expect(c.state).toBe('link-broken');
    expect(c.places).toEqual([]);
  });

  it('link broken: a link elsewhere that dangles, or is unreachable', () => {
    for (const at of [{ kind: 'absent' }, { kind: 'unreachable', code: 'ELOOP' }] as const) {
      expect(classifyLinkedFolder(desired, observed(linkTo(ELSEWHERE, at))).state).toBe('link-broken');
    }
  });

  it('linked elsewhere: a link to another folder that exists; that folder is a data place', () => {
    const at = dir(['B'], 5000);
    const c = classifyLinkedFolder(desired, observed(linkTo(ELSEWHERE, at)));
    expect(c.state).toBe('linked-elsewhere');
    expect(c.words).toContain(ELSEWHERE.machine);
    // The declared folder is empty and no link leads there: it holds nothing worth a line.
    expect(c.places).toEqual([{ path: ELSEWHERE, where: 'elsewhere', summary: at.summary }]);
  });

  it('replaced by a real folder: a folder (even an empty one) at the link path while the drive folder holds data', () => {
    for (const here of [dir([]), dir(['NEW'])]) {
      const c = classifyLinkedFolder(desired, observed(here, { target: target(['A', 'B']) }));
      expect(c.state).toBe('replaced-by-folder');
      expect(c.words).toContain('2 device backups');
    }
    const both = classifyLinkedFolder(desired, observed(dir(['NEW']), { target: target(['A']) }));
    expect(both.places.map((p) => p.where)).toEqual(['link', 'declared']);
  });

  it('not yet moved: a real folder with data, nothing on the drive', () => {
    const c = classifyLinkedFolder(desired, observed(dir(['A', 'B'])));
    expect(c.state).toBe('not-moved');
    expect(c.words).toContain('2 device backups');
    expect(c.places[0]).toMatchObject({ path: link, where: 'link' });
  });

  it('not yet moved with the drive unplugged: still not moved, with a note that the drive could not be looked at', () => {
    const c = classifyLinkedFolder(desired, observed(dir(['A']), { drive: { kind: 'absent' }, target: { kind: 'unknown', entries: [], leftovers: [], missing: [], writable: false } }));
    expect(c.state).toBe('not-moved');
    expect(c.hint).toMatch(/^connect drive archive, then run provision apply/);
    expect(c.notes.join(' ')).toContain('not mounted');
  });

  it('not set up: nothing there, or an empty folder, and nothing on the drive', () => {
    expect(classifyLinkedFolder(desired, observed({ kind: 'absent' })).state).toBe('not-set-up');
    expect(classifyLinkedFolder(desired, observed(dir([]))).state).toBe('not-set-up');
    expect(classifyLinkedFolder(desired, observed({ kind: 'absent' }, { target: { kind: 'absent', entries: [], leftovers: [], missing: [desired.target], writable: true } })).state).toBe('not-set-up');
  });

  it('link missing: nothing at the link path while the declared folder holds data', () => {
    expect(classifyLinkedFolder(desired, observed({ kind: 'absent' }, { target: target(['A']) })).state).toBe('link-missing');
  });

  it('conflict: a file at the link path, a link to a file, a link chain, a link on the way on the drive', () => {
    expect(classifyLinkedFolder(desired, observed({ kind: 'file' })).state).toBe('conflict');
    expect(classifyLinkedFolder(desired, observed({ kind: 'other' })).state).toBe('conflict');
    expect(classifyLinkedFolder(desired, observed(linkTo(ELSEWHERE, { kind: 'file' }))).state).toBe('conflict');
    expect(classifyLinkedFolder(desired, observed(linkTo(desired.target, { kind: 'symlink-chain' }))).state).toBe('conflict');
    const onTheWay = classifyLinkedFolder(desired, observed({ kind: 'absent' }, { target: { kind: 'other', entries: [], leftovers: [], missing: [], writable: true, linkOnTheWay: '/Volumes/A/MobileSync' } }));
    expect(onTheWay.state).toBe('conflict');
    expect(onTheWay.words).toContain('/Volumes/A/MobileSync');
  });

  it('conflict: the home folder is missing', () => {
    const c = classifyLinkedFolder(desired, observed({ kind: 'absent' }, { homeExists: false }));
    expect(c.state).toBe('conflict');
    expect(c.words).toContain('/Users/alex');
  });

  it('unreadable: the link path, the folder a link leads to, or the declared folder', () => {
    expect(classifyLinkedFolder(desired, observed({ kind: 'unreadable', code: 'EPERM' })).state).toBe('unreadable');
    expect(classifyLinkedFolder(desired, observed(linkTo(desired.target, { kind: 'unreadable', code: 'EACCES' }))).state).toBe('unreadable');
    const t = classifyLinkedFolder(desired, observed(linkTo(desired.target, dir([])), { target: { kind: 'unreadable', code: 'EACCES', entries: [], leftovers: [], missing: [], writable: false } }));
    expect(t.state).toBe('unreadable');
    expect(t.hint).toContain('Full Disk Access');
  });

  it('a leftover partial copy on the drive is a note', () => {
    const c = classifyLinkedFolder(desired, observed(linkTo(desired.target, dir(['A'])), { target: target(['A'], { leftovers: ['.provision-partial-x'] }) }));
    expect(c.state).toBe('ok');
    expect(c.notes.join(' ')).toContain('.provision-partial-x');
  });

  describe('two link paths (Windows)', () => {
    const second = { machine: 'C:\\Users\\sam\\Apple\\MobileSync\\Backup', host: '/r/C/Users/sam/Apple/MobileSync/Backup' };
    const win: LinkedFolderDesired = { ...desired, links: [link, second] };
    const both = (a: PathState, b: PathState, over: Partial<LinkedFolderObserved> = {}): LinkedFolderObserved => ({
      ...observed(a, over),
      links: [
        { path: link, state: a, missingParents: [] },
        { path: second, state: b, missingParents: [] },
      ],
    });

    it('the worst path wins, and the words say which path', () => {
      const c = classifyLinkedFolder(win, both(linkTo(desired.target, dir(['A'])), dir(['B']), { target: target([]) }));
      expect(c.state).toBe('not-moved');
      expect(c.words.startsWith(`${second.machine}: `)).toBe(true);
      expect(c.links.map((l) => l.state)).toEqual(['ok', 'not-moved']);
    });

    it('a link to the other declared path (left by a restore) follows that path\'s state', () => {
      const c = classifyLinkedFolder(win, both(dir(['A']), linkTo(link, { kind: 'symlink-chain' })));
      expect(c.state).toBe('not-moved');
      expect(c.links).toEqual([
        { path: link.machine, state: 'not-moved', found: 'a folder with 1 device backup' },
        { path: second.machine, state: 'not-moved', found: `a link to ${link.machine}` },
      ]);
    });
  });
});
