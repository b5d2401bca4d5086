import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPlan, type PlanHeader } from '../../src/engine/plan/build-plan.js';
import { STEP_RUNNERS } from '../../src/kinds/registry.js';
import type { JournalDirs, JournalScan, RelocateEntry } from '../../src/engine/journal/journal.js';
import type { BoundResource } from '../../src/engine/kind.js';
import type { Change, Step } from '../../src/engine/types.js';
import type { HostReads } from '../../src/host/host.js';
import { ReadOnlyHost } from '../../src/host/read-only-host.js';
import { RealHost } from '../../src/host/real-host.js';
import { planSamba } from '../../src/kinds/shares/samba/plan.js';
import { observeShareFolders } from '../../src/kinds/shares/desire-shares.js';
import type { SambaDesired } from '../../src/kinds/shares/types.js';

/** What plan reads through: the real machine, every write refused. */
const reads = new ReadOnlyHost(new RealHost());

const HEADER: PlanHeader = { machine: 'air', platform: 'linux', configFile: '/x/backups.yaml', users: ['alex'], homes: { alex: '/Users/alex' } };
const NO_JOURNAL: JournalScan = { entries: [], damaged: [], setAside: [] };

function change(id: string, steps: Step[], over: Partial<Change> = {}): Change {
  return {
    id,
    kind: 'test',
    user: 'alex',
    title: `test resource ${id}`,
    path: `/machine/${id}`,
    action: 'create',
    before: 'nothing',
    after: 'something',
    reason: 'a test',
    moves: { files: 0, bytes: 0 },
    blockers: [],
    warnings: [],
    steps,
    ...over,
  };
}

/** A resource written by hand: plans the given change, remembering the host it was observed on. */
function resource(c: Change, seen: HostReads[] = []): BoundResource {
  return {
    id: c.id,
    user: 'alex',
    kind: c.kind,
    drives: [],
    observeAndPlan: async (host) => {
      seen.push(host);
      return c;
    },
  };
}

const codes = (c: Change | undefined): string[] => (c?.blockers ?? []).map((b) => b.code);

describe('buildPlan', () => {
  let dir: string;
  let journalDirs: JournalDirs;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-build-plan-'));
    const j = path.join(dir, 'journal');
    journalDirs = { write: j, read: [j] };
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  describe('a change whose dry run fails is blocked (SIMULATION_FAILED)', () => {
    it('a mkdir under a regular file: blocked, no steps, its warnings kept; the next resource is still planned', async () => {
      await fs.writeFile(path.join(dir, 'file'), 'not a folder');
      const warning = { code: 'W', message: 'kept' };
      const bad = change('bad', [{ op: 'mkdir', path: path.join(dir, 'file', 'child'), mode: 0o755 }], { warnings: [warning] });
      const good = change('good', [{ op: 'mkdir', path: path.join(dir, 'fine'), mode: 0o755 }]);
      const plan = await buildPlan(reads, HEADER, [resource(bad), resource(good)], NO_JOURNAL, journalDirs, STEP_RUNNERS);

      expect(plan.changes.map((c) => c.id)).toEqual(['bad', 'good']);
      const [b, g] = plan.changes;
      expect(b?.action).toBe('blocked');
      expect(b?.steps).toEqual([]);
      expect(codes(b)).toEqual(['SIMULATION_FAILED']);
      expect(b?.blockers[0]?.reason).toContain('carrying this change out in a dry run failed');
      expect(b?.blockers[0]?.reason).toContain(path.join(dir, 'file', 'child'));
      expect(b?.warnings).toEqual([warning]);
      // Everything else about the change is as its planner made it.
      expect(b).toMatchObject({ id: 'bad', kind: 'test', title: 'test resource bad', before: 'nothing', after: 'something' });

      expect(g?.action).toBe('create');
      expect(g?.blockers).toEqual([]);
      expect(g?.steps).toEqual(good.steps);
      // Only simulated: nothing was written.
      expect(await fs.readdir(dir)).toEqual(['file']);
    });

    it('a link over a folder that is not empty: blocked, the reason says why', async () => {
      const folder = path.join(dir, 'Backup');
      await fs.mkdir(folder);
      await fs.writeFile(path.join(folder, 'data'), 'user data');
      const c = change('link', [{ op: 'link', path: folder, target: '/Volumes/A/alex', type: 'symlink', replaces: 'empty-directory' }], { action: 'update' });
      const [out] = (await buildPlan(reads, HEADER, [resource(c)], NO_JOURNAL, journalDirs, STEP_RUNNERS)).changes;
      expect(out?.action).toBe('blocked');
      expect(out?.steps).toEqual([]);
      expect(codes(out)).toEqual(['SIMULATION_FAILED']);
      expect(out?.blockers[0]?.reason).toContain('is no longer empty');
      expect(await fs.readFile(path.join(folder, 'data'), 'utf8')).toBe('user data');
    });

    it('a change already blocked by its planner is left exactly as planned (not simulated)', async () => {
      await fs.writeFile(path.join(dir, 'file'), 'x');
      // Steps that would fail, on a change a planner blocked: its own blocker stands alone.
      const blocked = change('blocked', [{ op: 'mkdir', path: path.join(dir, 'file', 'child'), mode: 0o755 }], {
        action: 'blocked',
        blockers: [{ code: 'DRIVE_NOT_MOUNTED', reason: 'r', fix: 'f' }],
      });
      const [out] = (await buildPlan(reads, HEADER, [resource(blocked)], NO_JOURNAL, journalDirs, STEP_RUNNERS)).changes;
      expect(out).toEqual(blocked);
    });

    it('plans each resource against what the changes before it leave behind (the simulation), not the disk alone', async () => {
      const parent = path.join(dir, 'drive-folder');
      const first = change('first', [{ op: 'mkdir', path: parent, mode: 0o755 }]);
      const seen: HostReads[] = [];
      let parentSeen: string | undefined;
      const second: BoundResource = {
        id: 'second',
        kind: 'test',
        drives: [],
        observeAndPlan: async (host) => {
          seen.push(host);
          parentSeen = (await host.lstat(parent))?.kind;
          return change('second', [{ op: 'mkdir', path: path.join(parent, 'alex'), mode: 0o700 }]);
        },
      };
      const plan = await buildPlan(reads, HEADER, [resource(first, seen), second], NO_JOURNAL, journalDirs, STEP_RUNNERS);
      expect(parentSeen).toBe('directory');
      expect(plan.changes.map((c) => [c.id, c.action, codes(c)])).toEqual([
        ['first', 'create', []],
        ['second', 'create', []],
      ]);
      expect(seen.map((h) => (h as { kind?: string }).kind)).toEqual(['dry-run', 'dry-run']);
      await expect(fs.lstat(parent)).rejects.toThrow();
    });

    // A file where a Samba share folder belongs: the pure planner plans a mkdir (it only knows
    // "not a folder"), and the simulation is what refuses it. The blocker's reason then comes
    // from runMkdir, which words it as something that "appeared since the plan".
    it('a share folder that is a regular file: the Samba change is blocked by the simulation', async () => {
      const mount = path.join(dir, 'srv');
      await fs.mkdir(mount);
      await fs.writeFile(path.join(mount, 'timemachine'), 'a file, not a folder');
      const folder = { machine: '/srv/timemachine', host: path.join(mount, 'timemachine') };
      const d: SambaDesired = {
        id: 'shares',
        machine: 'nas',
        smbConf: { machine: '/etc/samba/smb.conf', host: path.join(dir, 'smb.conf') },
        provisionConf: { machine: '/etc/samba/provision.conf', host: path.join(dir, 'provision.conf') },
        shares: [{ name: 'Backups', drive: { name: 'd', mountPoint: { machine: '/srv', host: mount }, pins: [] }, folder, folders: [folder], users: ['alex'], timeMachine: true, clients: [] }],
        reload: false,
      };
      const samba: BoundResource = {
        id: 'shares',
        kind: 'samba',
        drives: [],
        observeAndPlan: async (host) => {
          const { existing } = await observeShareFolders(host, d.shares);
          // The mount point is a plain folder in the temp dir: taken as mounted here.
          return planSamba(d, { smbConf: '[global]\n', provisionConf: undefined, drives: [{ kind: 'mounted', freeBytes: 1 }], existing });
        },
      };
      const [out] = (await buildPlan(reads, HEADER, [samba], NO_JOURNAL, journalDirs, STEP_RUNNERS)).changes;
      expect(out?.action).toBe('blocked');
      expect(codes(out)).toEqual(['SIMULATION_FAILED']);
      expect(out?.blockers[0]?.reason).toContain(folder.host);
      expect(out?.steps).toEqual([]);
    });
  });

  describe('interrupted moves in the journal', () => {
    let source: string;
    let dest: string;
    beforeEach(async () => {
      source = path.join(dir, 'home', 'Backup');
      dest = path.join(dir, 'drive', 'alex');
      await fs.mkdir(path.join(source, 'device'), { recursive: true });
      await fs.writeFile(path.join(source, 'device', 'Manifest.db'), 'twelve bytes');
    });

    function entry(id: string, phase: RelocateEntry['phase'], user = 'alex'): RelocateEntry {
      return {
        version: 1,
        id,
        changeId: `${user}/mobilesync`,
        user,
        title: 'iOS device backups',
        path: '/Users/alex/Library/Application Support/MobileSync/Backup',
        phase,
        startedAt: '2026-11-22T00:00:00.000Z',
        updatedAt: '2026-11-22T00:00:01.000Z',
        pid: 1,
        step: {
          op: 'relocate',
          id,
          source,
          dest,
          entries: ['device'],
          discard: [],
          link: { path: source, target: '/Volumes/A/alex', type: 'symlink' },
          volume: { files: 1, bytes: 12 },
        },
      };
    }
    const scanOf = (...entries: RelocateEntry[]): JournalScan => ({ entries, damaged: [], setAside: [] });

    it('an entry whose drive is not there: a resume change, blocked with DRIVE_NOT_MOUNTED and no steps', async () => {
      // dest (the folder on the drive) does not exist: the drive is not connected.
      const e = entry('m1.0', 'copied');
      const plan = await buildPlan(reads, HEADER, [], scanOf(e), journalDirs, STEP_RUNNERS);
      expect(plan.changes).toHaveLength(1);
      const [c] = plan.changes;
      expect(c).toMatchObject({ id: 'resume:m1.0', kind: 'resume', user: 'alex', title: 'iOS device backups', action: 'blocked', steps: [] });
      expect(codes(c)).toEqual(['DRIVE_NOT_MOUNTED']);
      expect(c?.blockers[0]?.reason).toContain('a move to /Volumes/A/alex was interrupted');
    });

    it('an entry interrupted while copying: the copy is redone, the whole volume moves again', async () => {
      await fs.mkdir(dest, { recursive: true });
      const e = entry('m2.0', 'copying');
      const plan = await buildPlan(reads, HEADER, [], scanOf(e), journalDirs, STEP_RUNNERS);
      const [c] = plan.changes;
      expect(c?.blockers).toEqual([]);
      expect(c?.action).toBe('resume');
      expect(c?.moves).toEqual({ files: 1, bytes: 12 });
      expect(c?.steps).toEqual([e.step]);
      expect(c?.before).toBe('a move interrupted while copying');
      expect(c?.reason).toContain('the copy starts over');
      // Simulated only: nothing on the drive, the original where it was.
      expect(await fs.readdir(dest)).toEqual([]);
      expect(await fs.readFile(path.join(source, 'device', 'Manifest.db'), 'utf8')).toBe('twelve bytes');
    });

    it('an entry past the verified copy, whose copy is gone: redone, with the reason', async () => {
      await fs.mkdir(dest, { recursive: true });
      const e = entry('m3.0', 'copied');
      const [c] = (await buildPlan(reads, HEADER, [], scanOf(e), journalDirs, STEP_RUNNERS)).changes;
      expect(c?.action).toBe('resume');
      expect(codes(c)).toEqual([]);
      expect(c?.moves).toEqual({ files: 1, bytes: 12 });
      expect(c?.reason).toContain('the verified copy of device is no longer on the drive');
    });

    it('ignores entries of users the plan is not for, and plans the resources after the entries', async () => {
      const mine = entry('m4.0', 'copied');
      const theirs = entry('m5.0', 'copied', 'sam');
      const other = change('alex/photos', []);
      const plan = await buildPlan(reads, HEADER, [resource({ ...other, action: 'none' })], scanOf(theirs, mine), journalDirs, STEP_RUNNERS);
      expect(plan.changes.map((c) => c.id)).toEqual(['resume:m4.0', 'alex/photos']);
      expect(plan.users).toEqual(['alex']);
      expect(plan.formatVersion).toBe(2);
    });
  });
});
