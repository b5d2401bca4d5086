import { unreadableBlocker } from './unreadable-blocker.js';
import type { Action, Blocker, Change, DataVolume, Step } from '../../engine/types.js';
import { isProvisionTempName } from '../../engine/journal/temp-names.js';
import { formatBytes, plural } from '../../text/units.js';
import { changeHeader, describeState } from './describe.js';
import { driveBlocker } from '../../drives/drive-blockers.js';
import type { LinkedFolderDesired, LinkedFolderObserved, LinkObserved, PathState } from './types.js';

/** The internal MobileSync Backup folder (and the folders apps make themselves) is 0755. */
const RESTORED_MODE = 0o755;
/** Room for block rounding: a file occupies whole blocks, as for a move to a drive. */
const PER_FILE_OVERHEAD = 4096;

/** What a restore needs to know about one link path beyond what a plan observes. */
export interface LinkRestoreObserved {
  /** The index of the declared link path this link points at (what a restore leaves on Windows). */
  pointsAtLink?: number;
  /** The folder holding the link, on this machine's disk; observed only for links. */
  holder?: { dev: number; freeBytes: number; writable: boolean };
  /** Whether the folder holding the link's target can be written: the target is renamed aside there, then removed. */
  targetParentWritable: boolean;
}

export interface LinkedFolderRestoreObserved extends LinkedFolderObserved {
  /** One per entry of links, in the same order. */
  restore: LinkRestoreObserved[];
}

type LinkState = Extract<PathState, { kind: 'symlink' }>;

/** Links that lead to one folder: its data goes back into the first; the others point at that one. */
interface Group {
  primary: LinkObserved;
  state: LinkState;
  observed: LinkRestoreObserved;
  others: LinkObserved[];
}

/**
 * Pure: desired + observed → the Change that undoes a linked folder. Every link path that is a
 * link gets its data back from where it points (usually the declared folder on the drive): a
 * verified copy takes the link's place and the folder it pointed at is removed. A link to an
 * empty or missing folder on a mounted drive becomes an empty folder. A real folder or nothing
 * needs nothing. Everything that could stop it is found here, before the first write.
 */
export function planLinkedFolderRestore(d: LinkedFolderDesired, o: LinkedFolderRestoreObserved): Change {
  const blockers: Blocker[] = [];
  const groups: Group[] = [];
  o.links.forEach((link, i) => {
    const s = link.state;
    const r = o.restore[i];
    if (s.kind === 'unreadable') blockers.push(unreadableBlocker(d, link.path.machine, s.code));
    if (s.kind !== 'symlink' || r === undefined) return;
    // Pointing at another declared path is the restored state on Windows: nothing to undo.
    if (r.pointsAtLink !== undefined && r.pointsAtLink !== i) return;
    const same = groups.find((g) => g.state.resolved.host === s.resolved.host);
    if (same) same.others.push(link);
    else groups.push({ primary: link, state: s, observed: r, others: [] });
  });

  const volumes: DataVolume[] = [];
  const steps: Step[] = [];
  const neededOnDisk = new Map<number, { needed: number; free: number; volume: DataVolume }>();
  const owner = o.chownTo;
  groups.forEach((g, i) => {
    const s = g.state;
    const from = s.resolved.machine;
    let entries: string[] | undefined;
    let volume: DataVolume = { files: 0, bytes: 0 };
    if (s.pointsAtTarget && o.drive.kind !== 'mounted') {
      blockers.push(driveBlocker(d, o.drive));
      return;
    }
    const at = s.at;
    switch (at.kind) {
      case 'directory': {
        const unreadable = at.summary.unreadable[0];
        if (unreadable !== undefined) blockers.push(unreadableBlocker(d, `${from}/${unreadable.path}`, unreadable.code));
        const leftovers = at.entries.filter(isProvisionTempName);
        if (leftovers.length > 0) {
          blockers.push({
            code: 'LEFTOVER_PARTIAL',
            reason: `${from} holds ${leftovers.join(', ')}, left by an interrupted run that provision has no record of`,
            fix: `check ${leftovers.length === 1 ? 'it' : 'them'} (the data is elsewhere: it is a copy), delete ${leftovers.length === 1 ? 'it' : 'them'} by hand, and plan again`,
          });
        }
        entries = at.entries;
        volume = { files: at.summary.files, bytes: at.summary.bytes };
        break;
      }
      case 'absent':
        if (s.pointsAtTarget) {
          entries = [];
        } else {
          blockers.push({
            code: 'LINK_TARGET_MISSING',
            reason: `${g.primary.path.machine} is a link to ${from}, which is not there: the data may be on a drive that is not connected`,
            fix: `connect the drive that holds ${from} and plan again; if that data is gone for good, remove the link by hand`,
          });
        }
        break;
      case 'unreachable':
      case 'unreadable':
        blockers.push(unreadableBlocker(d, from, at.code));
        break;
      default:
        blockers.push({
          code: 'LINK_TO_UNEXPECTED',
          reason: `${g.primary.path.machine} is a link to ${from}, which is ${describeState(at)}, not a folder`,
          fix: `look at ${from}; move what matters into a folder, point the link at it, and plan again`,
        });
    }
    if (entries === undefined) return;
    const holder = g.observed.holder;
    if (holder !== undefined && !holder.writable) {
      blockers.push({
        code: 'INTERNAL_NOT_WRITABLE',
        reason: `the folder holding ${g.primary.path.machine} cannot be written, so the data cannot be put back there`,
        fix: `run provision as ${d.user}, or as root`,
      });
    }
    if (at.kind === 'directory' && !g.observed.targetParentWritable) {
      blockers.push({
        code: 'SOURCE_NOT_REMOVABLE',
        reason: `the folder holding ${from} cannot be written, so ${from} could not be removed once copied back`,
        fix: 'check that the drive is not locked or mounted read-only, and that you may write there; or run provision as root',
      });
    }
    if (holder !== undefined) {
      const disk = neededOnDisk.get(holder.dev) ?? { needed: 0, free: holder.freeBytes, volume: { files: 0, bytes: 0 } };
      disk.needed += volume.bytes + volume.files * PER_FILE_OVERHEAD;
      disk.volume = { files: disk.volume.files + volume.files, bytes: disk.volume.bytes + volume.bytes };
      neededOnDisk.set(holder.dev, disk);
    }
    volumes.push(volume);
    // The other links are pointed at the first path before its link goes: at every moment each
    // of them leads to the data, through the first link and then to the restored folder.
    for (const other of g.others) {
      const link: Step = { op: 'link', path: other.path.host, target: g.primary.path.machine, type: d.linkType, replaces: 'symlink' };
      steps.push(owner ? { ...link, owner } : link);
    }
    const restore: Step = {
      op: 'restore',
      id: `${d.id.replace(/[^A-Za-z0-9._-]/g, '_')}.restore.${i}`,
      link: g.primary.path.host,
      linkTarget: s.raw,
      source: s.resolved.host,
      entries,
      mode: RESTORED_MODE,
      volume,
      // The restore removes the folder from the drive at the end: it must be this drive then.
      ...(isInside(s.resolved.host, d.drive.mountPoint.host) ? { drive: { name: d.drive.name, mount: d.drive.mountPoint.host } } : {}),
    };
    steps.push(owner ? { ...restore, owner } : restore);
  });

  for (const disk of neededOnDisk.values()) {
    if (disk.needed > disk.free) {
      blockers.push({
        code: 'NOT_ENOUGH_SPACE',
        reason: `bringing back ${formatBytes(disk.volume.bytes)} in ${plural(disk.volume.files, 'file')} needs about ${formatBytes(disk.needed)} on this machine's disk, which has ${formatBytes(disk.free)} free`,
        fix: `free at least ${formatBytes(disk.needed - disk.free)} on this machine's disk, then plan again`,
      });
    }
  }

  const moves = volumes.reduce((a, v) => ({ files: a.files + v.files, bytes: a.bytes + v.bytes }), { files: 0, bytes: 0 });
  const action: Action = blockers.length > 0 ? 'blocked' : groups.length > 0 ? 'restore' : 'none';
  return {
    ...changeHeader(d),
    action,
    before: o.links.map((l) => describeLink(l, d, o)).join('; '),
    after: action === 'none' ? 'as it is: no link' : groups.map((g) => describeAfter(g, d, action === 'blocked')).join('; '),
    reason: action === 'restore' ? groups.map((g) => reasonFor(g, d)).join('; ') : action === 'blocked' ? 'blocked: see the reasons' : 'nothing is linked',
    moves,
    blockers,
    warnings: [],
    steps: blockers.length > 0 ? [] : steps,
  };
}

function describeLink(l: LinkObserved, d: LinkedFolderDesired, o: LinkedFolderObserved): string {
  const s = l.state;
  if (s.kind !== 'symlink') return describeState(s, d.entryNoun);
  if (s.at.kind === 'symlink-chain') return describeState(s);
  if (s.pointsAtTarget && o.drive.kind !== 'mounted') return `a link to ${s.resolved.machine} on ${d.drive.name}, which is not mounted`;
  const on = s.pointsAtTarget ? ` on ${d.drive.name}` : '';
  return `a link to ${s.resolved.machine}${on} (${describeState(s.at, d.entryNoun)})`;
}

function describeAfter(g: Group, d: LinkedFolderDesired, blocked: boolean): string {
  const at = g.state.at;
  const held = blocked
    ? `a folder with what ${g.state.resolved.machine} holds`
    : at.kind === 'directory' && at.entries.length > 0
      ? `a folder with the ${plural(at.entries.length, d.entryNoun)}`
      : 'an empty folder';
  const others = g.others.map((o) => `; ${o.path.machine} a link to it`).join('');
  return `${held} at ${g.primary.path.machine}${others}`;
}

function reasonFor(g: Group, d: LinkedFolderDesired): string {
  const at = g.state.at;
  const from = g.state.resolved.machine;
  if (at.kind === 'directory' && at.entries.length > 0) {
    return `${plural(at.entries.length, d.entryNoun)}: copied back from ${from} and verified; the copy takes the link's place, then ${from} is removed`;
  }
  return `${from} holds nothing: the link is replaced by an empty folder`;
}


/** Whether a host path is below a mount point. */
function isInside(p: string, mount: string): boolean {
  const m = mount.endsWith('/') || mount.endsWith('\\') ? mount : `${mount}${mount.includes('\\') && !mount.includes('/') ? '\\' : '/'}`;
  return p.startsWith(m);
}
