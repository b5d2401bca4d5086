import { describe, expect, it } from 'vitest';
import type { DesiredDrive } from '../../../../src/drives/types.js';
import type { DualPath } from '../../../../src/machine/path-mapper.js';
import type { Step } from '../../../../src/engine/types.js';
import type { SambaConfigStep } from '../../../../src/kinds/shares/samba/steps.js';
import type { DriveObserved } from '../../../../src/drives/types.js';
import { planSamba, sambaSize } from '../../../../src/kinds/shares/samba/plan.js';
import { SHARE_FOLDER_MODE } from '../../../../src/kinds/shares/types.js';
import type { SambaDesired, SambaObserved, ShareDesired } from '../../../../src/kinds/shares/types.js';
import { renderProvisionConf } from '../../../../src/kinds/shares/samba/render-conf.js';

/** A machine path and the host path this process opens: the same, or under a --root sandbox. */
function at(machine: string, root = ''): DualPath {
  return { machine, host: `${root}${machine}` };
}

const MOUNT = '/srv/backup';
const DRIVE: DesiredDrive = { name: 'nas-disk', mountPoint: at(MOUNT), pins: [] };
const MOUNTED: DriveObserved = { kind: 'mounted', freeBytes: 10 ** 12 };

/** A share at `segments` below the drive, with the folders from the mount point down. */
function share(name: string, segments: string[], users: string[], extra: Partial<ShareDesired> = {}, root = ''): ShareDesired {
  const folders = segments.map((_, i) => at(`${MOUNT}/${segments.slice(0, i + 1).join('/')}`, root));
  return {
    name,
    drive: { ...DRIVE, mountPoint: at(MOUNT, root) },
    folder: at(`${MOUNT}/${segments.join('/')}`, root),
    folders,
    users,
    timeMachine: false,
    clients: [],
    ...extra,
  } as ShareDesired;
}

function desired(shares: ShareDesired[], root = ''): SambaDesired {
  return {
    id: 'shares',
    machine: 'nas',
    smbConf: at('/etc/samba/smb.conf', root),
    provisionConf: at('/etc/samba/provision.conf', root),
    shares,
    reload: root === '',
  };
}

const BACKUPS = share('Backups', ['timemachine'], ['alex', 'sam'], { timeMachine: true, quotaGB: 2000 });
const FAMILY = share('Family', ['shared', 'family'], ['alex']);

/** What provision.conf must hold for BACKUPS and FAMILY (written out here, not by the planner). */
const CONTENT = renderProvisionConf([
  { name: 'Backups', path: '/srv/backup/timemachine', validUsers: ['alex', 'sam'], timeMachine: true, maxSize: '1862G' },
  { name: 'Family', path: '/srv/backup/shared/family', validUsers: ['alex'], timeMachine: false },
]);

const SMB_PLAIN = '[global]\n   workgroup = WORKGROUP\n';
const SMB_INCLUDING = `${SMB_PLAIN}include = /etc/samba/provision.conf\n`;

/** Everything as declared: the conf written and included, both drives mounted, every folder there. */
function converged(over: Partial<SambaObserved> = {}): SambaObserved {
  return {
    smbConf: SMB_INCLUDING,
    provisionConf: CONTENT,
    drives: [MOUNTED, MOUNTED],
    existing: [[true], [true, true]],
    ...over,
  };
}

const codes = (c: { blockers: { code: string }[] }): string[] => c.blockers.map((b) => b.code);
const ops = (steps: Step[]): string[] => steps.map((s) => s.op);

function sambaStep(steps: Step[]): SambaConfigStep {
  const s = steps.find((x): x is SambaConfigStep => x.op === 'samba-config');
  if (s === undefined) throw new Error(`no samba-config step in ${JSON.stringify(steps)}`);
  return s;
}

describe('planSamba (pure)', () => {
  it('sizes a quota in binary gigabytes, rounded down (2TB is 1862G); small ones in MiB, never 0 (Samba reads 0 as no limit)', () => {
    expect(sambaSize(2000)).toBe('1862G');
    expect(sambaSize(108)).toBe('100G');
    expect(sambaSize(1)).toBe('953M');
    expect(sambaSize(50)).toBe('47683M');
    expect(sambaSize(0.0001)).toBe('1M');
  });

  it('warns when the Macs that back up to a share cannot fit: quotas over its limit, over the drive, a second Mac without a quota', () => {
    const tm = (clients: ShareDesired['clients'], quotaGB?: number): ShareDesired =>
      share('Backups', ['tm'], ['alex', 'sam'], { timeMachine: true, clients, ...(quotaGB === undefined ? {} : { quotaGB }) });
    const observed = (drive: DriveObserved): SambaObserved => ({ smbConf: SMB_INCLUDING, provisionConf: undefined, drives: [drive], existing: [[true]] });
    const codes = (s: ShareDesired, drive: DriveObserved = MOUNTED): string[] => planSamba(desired([s]), observed(drive)).warnings.map((w) => w.code).filter((c) => c.startsWith('SHARE_'));
    // The seed question's household: two Macs, one 1 TB share.
    expect(codes(tm([{ machine: 'imac', quotaGB: 600 }, { machine: 'air', quotaGB: 600 }], 1000))).toEqual(['SHARE_QUOTAS_EXCEED_LIMIT']);
    expect(codes(tm([{ machine: 'imac', quotaGB: 500 }, { machine: 'air', quotaGB: 500 }], 1000))).toEqual([]);
    expect(codes(tm([{ machine: 'imac', quotaGB: 500 }, { machine: 'air' }], 1000))).toEqual(['SHARE_CLIENT_WITHOUT_QUOTA']);
    expect(codes(tm([{ machine: 'imac', quotaGB: 500 }, { machine: 'air', quotaGB: 500 }]), { kind: 'mounted', freeBytes: 1, totalBytes: 800e9 })).toEqual(['SHARE_QUOTAS_EXCEED_DRIVE']);
    // One Mac alone, or a share without Time Machine: nothing to say.
    expect(codes(tm([{ machine: 'imac' }], 1000))).toEqual([]);
    const msg = planSamba(desired([tm([{ machine: 'imac', quotaGB: 600 }, { machine: 'air', quotaGB: 600 }], 1000)]), observed(MOUNTED)).warnings.find((w) => w.code === 'SHARE_QUOTAS_EXCEED_LIMIT')?.message;
    expect(msg).toContain('imac 600 GB, air 600 GB) add up to 1200 GB, more than the share\'s own limit of 1000 GB');
  });

  it('changes nothing when provision.conf is as declared, included, and every folder exists', () => {
    const c = planSamba(desired([BACKUPS, FAMILY]), converged());
    expect(c.action).toBe('none');
    expect(c.steps).toEqual([]);
    expect(c.blockers).toEqual([]);
    // No step: no reminder about Samba passwords either.
    expect(c.warnings).toEqual([]);
    expect(c.before).toBe('as declared');
    expect(c.reason).toBe('as declared');
    expect(c.after).toBe('Backups (alex, sam, Time Machine), Family (alex)');
    expect(c).toMatchObject({ id: 'shares', kind: 'samba', path: '/etc/samba/provision.conf', moves: { files: 0, bytes: 0 } });
  });

  it('writes provision.conf when it is absent: one samba-config step with the rendered content, reloading smbd', () => {
    const c = planSamba(desired([BACKUPS, FAMILY]), converged({ provisionConf: undefined, smbConf: SMB_PLAIN }));
    expect(c.action).toBe('create');
    expect(c.blockers).toEqual([]);
    expect(c.before).toBe('no provision.conf');
    expect(c.steps).toEqual([
      { op: 'samba-config', conf: '/etc/samba/provision.conf', confMachine: '/etc/samba/provision.conf', content: CONTENT, smbConf: '/etc/samba/smb.conf', reload: true },
    ]);
    expect(c.warnings.map((w) => w.code)).toEqual(['SAMBA_PASSWORDS']);
    // Each user once, though alex has two shares.
    expect(c.warnings[0]?.message).toContain('(for alex, sam)');
  });

  it('rewrites provision.conf whose content differs from the declaration (an update)', () => {
    const c = planSamba(desired([BACKUPS, FAMILY]), converged({ provisionConf: CONTENT.replace('1862G', '900G') }));
    expect(c.action).toBe('update');
    expect(c.before).toBe('provision.conf differs from the declaration');
    expect(ops(c.steps)).toEqual(['samba-config']);
    expect(sambaStep(c.steps).content).toBe(CONTENT);
  });

  it('adds the include to smb.conf when provision.conf is right but not included', () => {
    const c = planSamba(desired([BACKUPS, FAMILY]), converged({ smbConf: SMB_PLAIN }));
    expect(c.action).toBe('update');
    expect(c.before).toBe('provision.conf not included from smb.conf');
    expect(ops(c.steps)).toEqual(['samba-config']);
    expect(sambaStep(c.steps)).toMatchObject({ smbConf: '/etc/samba/smb.conf', confMachine: '/etc/samba/provision.conf', content: CONTENT });
  });

  it('counts an include that is only a comment as missing', () => {
    const c = planSamba(desired([BACKUPS, FAMILY]), converged({ smbConf: `${SMB_PLAIN}# include = /etc/samba/provision.conf\n` }));
    expect(c.action).toBe('update');
    expect(ops(c.steps)).toEqual(['samba-config']);
  });

  it('creates the missing share folders, outermost first: the shared folder 1777, those above it 755', () => {
    const c = planSamba(desired([BACKUPS, FAMILY]), converged({ existing: [[false], [false, false]] }));
    expect(c.blockers).toEqual([]);
    expect(c.action).toBe('update');
    expect(c.steps).toEqual([
      { op: 'mkdir', path: '/srv/backup/timemachine', mode: SHARE_FOLDER_MODE },
      { op: 'mkdir', path: '/srv/backup/shared', mode: 0o755 },
      { op: 'mkdir', path: '/srv/backup/shared/family', mode: 0o1777 },
    ]);
    expect(c.warnings.map((w) => w.code)).toEqual(['SAMBA_PASSWORDS']);
  });

  it('creates only the folders that are missing, before the samba-config step', () => {
    const c = planSamba(desired([BACKUPS, FAMILY]), converged({ provisionConf: undefined, existing: [[true], [true, false]] }));
    expect(c.action).toBe('create');
    expect(ops(c.steps)).toEqual(['mkdir', 'samba-config']);
    expect(c.steps[0]).toEqual({ op: 'mkdir', path: '/srv/backup/shared/family', mode: 0o1777 });
  });

  // A regular file (or a link) where a share folder belongs is observed as "not a folder"
  // (desire-shares.ts: existing = lstat kind is directory), so the planner has no blocker of its
  // own for it: it plans a mkdir, which the plan's simulation then refuses (see
  // test/engine/build-plan.test.ts, "a share folder that is a regular file").
  it('plans a mkdir for a share folder observed as not a folder (no blocker of its own)', () => {
    const c = planSamba(desired([BACKUPS]), { smbConf: SMB_INCLUDING, provisionConf: renderProvisionConf([{ name: 'Backups', path: '/srv/backup/timemachine', validUsers: ['alex', 'sam'], timeMachine: true, maxSize: '1862G' }]), drives: [MOUNTED], existing: [[false]] });
    expect(c.blockers).toEqual([]);
    expect(c.steps).toEqual([{ op: 'mkdir', path: '/srv/backup/timemachine', mode: 0o1777 }]);
  });

  it('is blocked with SAMBA_MISSING, and no steps, when smb.conf does not exist', () => {
    const c = planSamba(desired([BACKUPS, FAMILY]), converged({ smbConf: undefined, provisionConf: undefined }));
    expect(c.action).toBe('blocked');
    expect(codes(c)).toEqual(['SAMBA_MISSING']);
    expect(c.blockers[0]?.reason).toContain('/etc/samba/smb.conf does not exist');
    expect(c.blockers[0]?.fix).toContain('apt-get install samba');
    expect(c.steps).toEqual([]);
    expect(c.reason).toBe('blocked: see the reasons');
  });

  it('blocks on each share whose drive is not mounted, naming the drive; mounted ones plan nothing', () => {
    const absent: DriveObserved = { kind: 'absent' };
    const c = planSamba(desired([BACKUPS, FAMILY]), converged({ drives: [absent, absent], existing: [[false], [false, false]] }));
    expect(c.action).toBe('blocked');
    expect(codes(c)).toEqual(['DRIVE_NOT_MOUNTED', 'DRIVE_NOT_MOUNTED']);
    expect(c.blockers[0]?.reason).toContain('drive nas-disk is not mounted');
    expect(c.steps).toEqual([]);
  });

  it('names the drive blocker that fits what is at the mount point', () => {
    const other: DriveObserved = { kind: 'other-drive', found: { uuid: 'U-OTHER' }, expected: 'volume UUID U-RIGHT', from: 'pinned' };
    const cases: [DriveObserved, string][] = [
      [{ kind: 'not-mounted' }, 'DRIVE_STALE_FOLDER'],
      [{ kind: 'not-a-folder' }, 'DRIVE_NOT_A_FOLDER'],
      [other, 'DRIVE_MISMATCH'],
    ];
    for (const [drive, code] of cases) {
      const c = planSamba(desired([BACKUPS, FAMILY]), converged({ drives: [MOUNTED, drive] }));
      expect(c.action, code).toBe('blocked');
      expect(codes(c), code).toEqual([code]);
      expect(c.steps, code).toEqual([]);
    }
  });

  it('lists every blocker at once: Samba missing and a drive not mounted', () => {
    const c = planSamba(desired([BACKUPS, FAMILY]), converged({ smbConf: undefined, drives: [{ kind: 'absent' }, MOUNTED] }));
    expect(codes(c)).toEqual(['SAMBA_MISSING', 'DRIVE_NOT_MOUNTED']);
    expect(c.action).toBe('blocked');
  });

  it('does not reload smbd when working on another machine\'s disk (--root), and writes the host paths', () => {
    const root = '/tmp/sandbox';
    const d = desired([share('Backups', ['timemachine'], ['alex'], {}, root)], root);
    expect(d.reload).toBe(false);
    const c = planSamba(d, { smbConf: SMB_PLAIN, provisionConf: undefined, drives: [MOUNTED], existing: [[false]] });
    expect(c.action).toBe('create');
    expect(c.steps).toEqual([
      { op: 'mkdir', path: '/tmp/sandbox/srv/backup/timemachine', mode: 0o1777 },
      {
        op: 'samba-config',
        conf: '/tmp/sandbox/etc/samba/provision.conf',
        // smb.conf's include and the share's path name the machine's own paths, not the sandbox's.
        confMachine: '/etc/samba/provision.conf',
        content: renderProvisionConf([{ name: 'Backups', path: '/srv/backup/timemachine', validUsers: ['alex'], timeMachine: false }]),
        smbConf: '/tmp/sandbox/etc/samba/smb.conf',
        reload: false,
      },
    ]);
    expect(c.path).toBe('/etc/samba/provision.conf');
  });

  it('with no shares declared, writes a provision.conf that says so, and asks for no passwords', () => {
    const c = planSamba(desired([]), { smbConf: SMB_PLAIN, provisionConf: undefined, drives: [], existing: [] });
    expect(c.action).toBe('create');
    expect(c.after).toBe('no shares');
    expect(ops(c.steps)).toEqual(['samba-config']);
    expect(sambaStep(c.steps).content).toContain('No shares are declared');
    expect(c.warnings).toEqual([]);
  });

  // Found while writing these tests: when only a share folder is missing (provision.conf right
  // and included), the change is an 'update' whose `before` still reads "as declared" and whose
  // reason speaks of writing provision.conf, though the only step is a mkdir. A person reading
  // the plan sees "as declared → ..." for a change that creates a folder. Kept as a failing
  // expectation of what it should say; plan.ts is not changed here.
  it.fails('says a share folder is missing when that is the only change (before is not "as declared")', () => {
    const c = planSamba(desired([BACKUPS, FAMILY]), converged({ existing: [[false], [true, true]] }));
    expect(ops(c.steps)).toEqual(['mkdir']);
    expect(c.before).not.toBe('as declared');
  });
});
