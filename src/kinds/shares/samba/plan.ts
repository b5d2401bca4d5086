import { quotaFitWarnings } from '../quota-fit.js';
import { announceFindings } from './announce.js';
import type { Blocker, Change, Step, Warning } from '../../../engine/types.js';
import { SAMBA_KIND } from './kind-id.js';
import { SHARE_FOLDER_MODE } from '../types.js';
import { renderProvisionConf } from './render-conf.js';
import { withInclude } from './smb-conf-include.js';
import { driveBlocker } from '../../../drives/drive-blockers.js';
import type { SambaDesired, SambaObserved } from '../types.js';


/**
 * A quota declared in decimal gigabytes (as Apple counts) in Samba's binary units, rounded down
 * so the share never offers more than declared: 2TB is 1862G.
 */
export function sambaSize(gb: number): string {
  // Samba counts in binary units and wants a whole number. Whole GiB lose under 1% from 100 GiB
  // up; below that (a quota of 1GB would round to "0G", which Samba reads as no limit), MiB.
  const bytes = gb * 1e9;
  const gib = Math.floor(bytes / 2 ** 30);
  return gib >= 100 ? `${gib}G` : `${Math.max(1, Math.floor(bytes / 2 ** 20))}M`;
}
const PARENT_MODE = 0o755;

/** Pure: the folders and the one config file that make the declared shares true. */
export function planSamba(d: SambaDesired, o: SambaObserved): Change {
  const blockers: Blocker[] = [];
  const warnings: Warning[] = [];
  const content = renderProvisionConf(
    d.shares.map((s) => ({
      name: s.name,
      path: s.folder.machine,
      validUsers: s.users,
      timeMachine: s.timeMachine,
      ...(s.quotaGB === undefined ? {} : { maxSize: sambaSize(s.quotaGB) }),
    })),
  );
  const base = {
    id: d.id,
    kind: SAMBA_KIND,
    title: 'Shared folders (Samba)',
    path: d.provisionConf.machine,
    after: d.shares.map((s) => `${s.name} (${s.users.join(', ')}${s.timeMachine ? ', Time Machine' : ''})`).join(', ') || 'no shares',
    moves: { files: 0, bytes: 0 },
  };
  if (o.smbConf === undefined) {
    blockers.push({
      code: 'SAMBA_MISSING',
      reason: `${d.smbConf.machine} does not exist: Samba is not installed on ${d.machine}`,
      fix: 'install it (Debian and Raspberry Pi OS: sudo apt-get install samba), then plan again',
    });
  }
  const announced = announceFindings(d.shares.filter((s) => s.timeMachine).map((s) => s.name), o.announce);
  blockers.push(...announced.blockers);
  warnings.push(...announced.warnings);
  const mkdirs: Step[] = [];
  d.shares.forEach((s, i) => {
    const drive = o.drives[i];
    warnings.push(...quotaFitWarnings(s, drive));
    if (drive !== undefined && drive.kind !== 'mounted') {
      blockers.push(driveBlocker(s, drive));
      return;
    }
    s.folders.forEach((f, j) => {
      if (o.existing[i]?.[j] === true) return;
      const last = j === s.folders.length - 1;
      mkdirs.push(last ? { op: 'mkdir', path: f.host, mode: SHARE_FOLDER_MODE } : { op: 'mkdir', path: f.host, mode: PARENT_MODE });
    });
  });
  const includeMissing = o.smbConf !== undefined && withInclude(o.smbConf, d.provisionConf.machine) !== undefined;
  const confChanged = o.provisionConf !== content;
  const steps: Step[] = [...mkdirs];
  if (confChanged || includeMissing) {
    steps.push({ op: 'samba-config', conf: d.provisionConf.host, confMachine: d.provisionConf.machine, content, smbConf: d.smbConf.host, reload: d.reload });
  }
  if (steps.length > 0 && d.shares.length > 0) {
    warnings.push({
      code: 'SAMBA_PASSWORDS',
      message: `each user needs a Samba password on ${d.machine}, given once there: sudo smbpasswd -a NAME (for ${[...new Set(d.shares.flatMap((s) => s.users))].join(', ')})`,
    });
  }
  const blocked = blockers.length > 0;
  return {
    ...base,
    action: blocked ? 'blocked' : steps.length === 0 ? 'none' : o.provisionConf === undefined ? 'create' : 'update',
    before: o.provisionConf === undefined ? 'no provision.conf' : confChanged ? 'provision.conf differs from the declaration' : includeMissing ? 'provision.conf not included from smb.conf' : 'as declared',
    reason: blocked ? 'blocked: see the reasons' : steps.length === 0 ? 'as declared' : 'provision.conf is written (checked with testparm first) and smb.conf includes it',
    blockers,
    warnings,
    steps: blocked ? [] : steps,
  };
}
