import type { HostReads, TreeSummary } from '../../host/host.js';
import { errnoCode } from '../../errors.js';
import { observeDrive, withDriveFormat } from '../../drives/observe-drive.js';
import type { MachineFacts } from '../../desired/machine-context.js';
import type { DualPath } from '../../machine/path-mapper.js';
import { dual } from '../../desired/machine-context.js';
import type { LinkedFolderDesired, LinkedFolderObserved, LinkObserved, PathState, TargetObserved } from './types.js';
import { isProvisionTempName } from '../../engine/journal/temp-names.js';
import { MARKER_FILE } from '../../drives/identity.js';
import { observeWriters } from './writer-blockers.js';
import { startOpenFilesListing } from '../../machine/open-writers.js';

/**
 * Reads everything the planner needs about one linked folder; never writes. The folder a link
 * already points at (the declared place) is listed but not walked for its size unless
 * `sizeLinkedTarget` (restore needs it: that is what comes back): a converged plan of a
 * 100,000-file backup would otherwise walk all of it every time.
 */
export async function observeLinkedFolder(
  host: HostReads,
  ctx: MachineFacts,
  d: LinkedFolderDesired,
  options: {
    sizeLinkedTarget?: boolean;
    /**
     * The kind's plan refines this observation when it moves a folder (refineLinkedFolder, through
     * the same host): its processes are then started before the folder is walked.
     */
    refineFollows?: boolean;
  } = {},
): Promise<LinkedFolderObserved> {
  const homeStat = await host.lstat(d.home.host);
  const homeExists = homeStat !== undefined && homeStat.kind === 'directory';
  const drive = await observeDrive(host, d.drive);
  // A folder with entries where a link belongs is to be moved, and the plan then refines
  // (refineLinkedFolder): its processes (diskutil, lsof) start now, before the folder is walked,
  // and run while it is; refine gets their answers from the same host (a dry run keeps them).
  let started = false;
  const startRefining = (): void => {
    if (started) return;
    started = true;
    withDriveFormat(host, d.drive, drive).catch(() => undefined);
    startOpenFilesListing(host).catch(() => undefined);
  };
  const beforeMove = options.refineFollows === true ? startRefining : undefined;
  const links: LinkObserved[] = [];
  for (const link of d.links) links.push(await observeLink(host, ctx, d, link, options.sizeLinkedTarget === true, beforeMove));
  const target: TargetObserved =
    drive.kind === 'mounted'
      ? await observeTarget(host, ctx, d)
      : { kind: 'unknown', entries: [], leftovers: [], missing: [], writable: false };
  const result: LinkedFolderObserved = { homeExists, links, drive, target };
  // The person's uid on this machine is their home's owner (assumptions.ts HOME_OWNER_IS_USER).
  if (homeExists) result.personUid = homeStat.uid;
  if (ctx.runningAsRoot && homeStat !== undefined) result.chownTo = { uid: homeStat.uid, gid: homeStat.gid };
  return result;
}

/**
 * ResourceKind.refine for a linked folder: what only a move needs, at the cost of a process
 * each: the drive's format (FAT32's 4 GiB limit, diskutil) and who writes into the folders to
 * be moved (lsof).
 */
export async function refineLinkedFolder(
  host: HostReads,
  ctx: MachineFacts,
  d: LinkedFolderDesired,
  o: LinkedFolderObserved,
): Promise<LinkedFolderObserved> {
  // Both at once: each is a process (diskutil, lsof) that only reads, and neither needs the other.
  const [drive, writers] = await Promise.all([withDriveFormat(host, d.drive, o.drive), observeWriters(host, ctx, d, o)]);
  const refined: LinkedFolderObserved = { ...o, drive };
  if (writers !== undefined) refined.writers = writers;
  return refined;
}

async function observeLink(
  host: HostReads,
  ctx: MachineFacts,
  d: LinkedFolderDesired,
  link: DualPath,
  sizeLinkedTarget: boolean,
  beforeWalk: (() => void) | undefined,
): Promise<LinkObserved> {
  const state = await observePath(host, link.host, true, ctx, d, undefined, true, sizeLinkedTarget, beforeWalk);
  const missingParents: DualPath[] = [];
  if (state.kind === 'absent') {
    // Folders between the home and the link may be missing (a Mac that never backed up a device).
    let dir = ctx.paths.machine.dirname(link.machine);
    while (ctx.paths.key(dir) !== ctx.paths.key(d.home.machine) && dir !== ctx.paths.machine.dirname(dir)) {
      const st = await host.lstat(ctx.paths.toHost(dir));
      if (st !== undefined) break;
      missingParents.unshift(dual(ctx, dir));
      dir = ctx.paths.machine.dirname(dir);
    }
  }
  return { path: link, state, missingParents };
}

/** The summary of a declared folder a link already points at, when its size is not needed. */
const NOT_SIZED: TreeSummary = { files: 0, symlinks: 0, directories: 0, bytes: 0, largestFile: 0, unreadable: [] };

/** lstat plus what the planner needs for each kind; follows a link one level, through the mapper. */
async function observePath(
  host: HostReads,
  hostPath: string,
  followLink: boolean,
  ctx: MachineFacts,
  d: LinkedFolderDesired,
  machinePath?: string,
  sized = true,
  sizeLinkedTarget = true,
  /**
   * Given when a folder with entries at this path itself (not behind a link) is to be moved:
   * called before it is walked, and the walk then fingerprints it too, for the move's first
   * look at it (host/round-reads.ts).
   */
  beforeWalk?: () => void,
): Promise<PathState> {
  let st;
  try {
    st = await host.lstat(hostPath);
  } catch (e) {
    return { kind: 'unreadable', code: errnoCode(e) ?? 'EIO' };
  }
  if (st === undefined) return { kind: 'absent' };
  switch (st.kind) {
    case 'file':
      return { kind: 'file' };
    case 'other':
      return { kind: 'other' };
    case 'directory': {
      let entries: string[];
      let s;
      try {
        // On a Mac without Full Disk Access even root gets EPERM listing MobileSync.
        entries = (await host.readdir(hostPath)).sort();
        if (sized && entries.length > 0) beforeWalk?.();
        s = sized ? await host.summarize(hostPath, beforeWalk === undefined ? undefined : { withFingerprint: true }) : NOT_SIZED;
      } catch (e) {
        return { kind: 'unreadable', code: errnoCode(e) ?? 'EIO' };
      }
      return {
        kind: 'directory',
        entries,
        summary: {
          files: s.files + s.symlinks,
          bytes: s.bytes,
          largestFile: s.largestFile,
          unreadable: s.unreadable,
          directories: s.directories,
          ...(s.uncopyable === undefined ? {} : { uncopyable: s.uncopyable }),
          ...(s.awkwardNames === undefined ? {} : { awkwardNames: s.awkwardNames }),
          ...(s.firstLink === undefined ? {} : { firstLink: s.firstLink }),
          ...(s.extraNames === undefined ? {} : { extraNames: s.extraNames }),
          ...(s.linkedOutside === undefined ? {} : { linkedOutside: s.linkedOutside }),
        },
      };
    }
    case 'symlink': {
      const raw = await host.readlink(hostPath);
      const linkMachine = machinePath ?? d.links.find((l) => l.host === hostPath)?.machine ?? hostPath;
      const resolvedMachine = ctx.paths.resolveLinkTarget(linkMachine, raw);
      const resolved = dual(ctx, resolvedMachine);
      const pointsAtTarget = ctx.paths.key(resolvedMachine) === ctx.paths.key(d.target.machine);
      if (!followLink) return { kind: 'symlink', raw, resolved, pointsAtTarget, at: { kind: 'symlink-chain' } };
      let at: Extract<PathState, { kind: 'symlink' }>['at'];
      try {
        const inner = await observePath(host, resolved.host, false, ctx, d, resolvedMachine, sizeLinkedTarget || !pointsAtTarget);
        at = inner.kind === 'symlink' ? { kind: 'symlink-chain' } : inner;
      } catch (e) {
        at = { kind: 'unreachable', code: errnoCode(e) ?? 'EIO' };
      }
      return { kind: 'symlink', raw, resolved, pointsAtTarget, at };
    }
  }
}

async function observeTarget(host: HostReads, ctx: MachineFacts, d: LinkedFolderDesired): Promise<TargetObserved> {
  const missing: DualPath[] = [];
  let machineDir = d.drive.mountPoint.machine;
  let deepestExisting = d.drive.mountPoint.host;
  let ownerUid: number | undefined;
  let linkOnTheWay: string | undefined;
  // Walk down from the mount point: every folder on the way must be a real folder, so that the
  // target cannot resolve, through a link, to somewhere off the drive.
  for (const segment of d.targetSegments) {
    machineDir = ctx.paths.machine.join(machineDir, segment);
    const hostDir = ctx.paths.toHost(machineDir);
    if (missing.length > 0) {
      missing.push(dual(ctx, machineDir));
      continue;
    }
    const st = await host.lstat(hostDir);
    if (st === undefined) {
      missing.push(dual(ctx, machineDir));
    } else if (st.kind === 'symlink') {
      linkOnTheWay = machineDir;
      break;
    } else if (st.kind !== 'directory') {
      const kind = st.kind === 'file' ? 'file' : 'other';
      if (ctx.paths.key(machineDir) === ctx.paths.key(d.target.machine)) {
        return { kind, entries: [], leftovers: [], missing: [], writable: false };
      }
      return { kind: 'other', entries: [], leftovers: [], missing: [], writable: false, linkOnTheWay: machineDir };
    } else {
      deepestExisting = hostDir;
      if (ctx.paths.key(machineDir) === ctx.paths.key(d.target.machine)) ownerUid = st.uid;
    }
  }
  const writable = await host.canWrite(deepestExisting);
  if (linkOnTheWay !== undefined) {
    const isTarget = ctx.paths.key(linkOnTheWay) === ctx.paths.key(d.target.machine);
    return { kind: isTarget ? 'symlink' : 'other', entries: [], leftovers: [], missing: [], writable, linkOnTheWay };
  }
  if (missing.length > 0) return { kind: 'absent', entries: [], leftovers: [], missing, writable };
  let names: string[];
  const owned = ownerUid === undefined ? {} : { ownerUid };
  try {
    names = (await host.readdir(d.target.host)).sort();
  } catch (e) {
    return { kind: 'unreadable', code: errnoCode(e) ?? 'EIO', entries: [], leftovers: [], missing: [], writable, ...owned };
  }
  return {
    ...owned,
    kind: 'directory',
    entries: names.filter((n) => !isProvisionTempName(n)),
    // provision's marker (a folder declared at the drive's top) is no leftover: it names the drive.
    leftovers: names.filter((n) => isProvisionTempName(n) && n !== MARKER_FILE),
    missing: [],
    writable,
  };
}

