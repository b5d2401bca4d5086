import { unreadableBlocker } from './unreadable-blocker.js';
import type { Action, Blocker, Change, Owner, Step, Warning } from '../../engine/types.js';
import type { DualPath } from '../../machine/path-mapper.js';
import type { LinkedFolderDesired, LinkedFolderObserved, LinkObserved, PathState } from './types.js';
import { changeHeader, describeState } from './describe.js';
import { plural } from '../../text/units.js';
import { driveBlocker } from '../../drives/drive-blockers.js';
import { writerBlockers, writerWarnings } from './writer-blockers.js';
import { copyBlockers, copyWarnings, sourceSummary } from './copy-blockers.js';
import { ownershipFindings } from './ownership-checks.js';

const FOLDER_MODE = 0o755;
/** Per-user folders on a shared drive: only their owner may look inside. */
const PRIVATE_MODE = 0o700;

interface Source {
  link: LinkObserved;
  from: DualPath;
  entries: string[];
  files: number;
  bytes: number;
  largestFile: number;
}

/**
 * Pure: desired + observed → one Change. Decides, for every starting state of every link path,
 * what must happen, and finds every reason to refuse before anything is written.
 */
export function planLinkedFolder(d: LinkedFolderDesired, o: LinkedFolderObserved): Change {
  const blockers: Blocker[] = [];
  const warnings: Warning[] = [];
  const sources: Source[] = [];
  const linkSteps: Step[] = [];
  const parentSteps: Step[] = [];
  const owner = o.chownTo;
  const withOwner = <T extends object>(x: T): T & { owner?: Owner } => (owner ? { ...x, owner } : x);
  let linksToCreate = 0;
  let linksToFix = 0;
  if (d.drive.declaredAt !== undefined) {
    const now = d.drive.mountPoint.machine.replace(/\\$/, '');
    const declared = d.drive.declaredAt.replace(/\\$/, '');
    warnings.push({
      code: 'DRIVE_LETTER_MOVED',
      message: `Windows gave drive ${d.drive.name} the letter ${now} this time, not ${declared} as declared; it was recognised by its identity, and the links point to ${now}. To keep one letter, give it ${declared} in Disk Management (Change Drive Letter and Paths), or declare ${now}`,
    });
  }

  if (!o.homeExists) {
    blockers.push({
      code: 'HOME_MISSING',
      reason: `${d.user}'s home folder ${d.home.machine} does not exist on this machine`,
      fix: `check the account name, or declare the home folder with "home:" for ${d.user}`,
    });
  }

  for (const link of o.links) {
    const s = link.state;
    switch (s.kind) {
      case 'absent':
        for (const p of link.missingParents) parentSteps.push(withOwner({ op: 'mkdir', path: p.host, mode: FOLDER_MODE }));
        linkSteps.push(linkStep(d, link, 'absent', owner));
        linksToCreate++;
        break;
      case 'directory':
        if (s.entries.length === 0) {
          linkSteps.push(linkStep(d, link, 'empty-directory', owner));
          linksToFix++;
        } else {
          sources.push(sourceOf(link, link.path, s));
        }
        break;
      case 'symlink':
        if (s.pointsAtTarget) break;
        linksToFix++;
        // A link to another of the declared places (what a restore leaves on Windows) holds
        // nothing of its own: it is re-pointed once that place has moved.
        if (d.links.some((l) => l.host !== link.path.host && l.host === s.resolved.host)) {
          linkSteps.push(linkStep(d, link, 'symlink', owner));
          break;
        }
        if (s.at.kind === 'directory' && s.at.entries.length > 0) {
          // Two declared places linked to one old folder (both MobileSync folders on Windows):
          // the folder is one source, moved once; the second link is re-pointed after it.
          if (sources.some((src) => sameHostPath(src.from.host, s.resolved.host, d.platform))) {
            linkSteps.push(linkStep(d, link, 'symlink', owner));
            break;
          }
          sources.push(sourceOf(link, s.resolved, s.at));
        } else if (s.at.kind === 'directory' || s.at.kind === 'absent' || s.at.kind === 'unreachable') {
          if (s.at.kind !== 'directory') {
            warnings.push({
              code: 'OLD_LINK_DANGLING',
              message: `${link.path.machine} points at ${s.resolved.machine}, which is not there; the link is re-pointed and nothing is moved from there`,
            });
          }
          linkSteps.push(linkStep(d, link, 'symlink', owner));
        } else {
          blockers.push({
            code: 'LINK_TO_UNEXPECTED',
            reason: `${link.path.machine} is a link to ${s.resolved.machine}, which is ${describeState(s.at)}, not a folder`,
            fix: `look at ${s.resolved.machine}, move what matters out of the way, remove the link, and plan again`,
          });
        }
        break;
      case 'file':
      case 'other':
        blockers.push({
          code: 'UNEXPECTED_ENTRY',
          reason: `${link.path.machine} is ${describeState(s)}, where a folder or a link was expected`,
          fix: `move ${link.path.machine} out of the way (it is not touched), then plan again`,
        });
        break;
      case 'unreadable':
        blockers.push(unreadableBlocker(d, link.path.machine, s.code));
        break;
    }
  }

  for (const src of sources) {
    const s = src.link.state;
    const summary = s.kind === 'directory' ? s.summary : s.kind === 'symlink' && s.at.kind === 'directory' ? s.at.summary : undefined;
    const first = summary?.unreadable[0];
    if (first !== undefined) blockers.push(unreadableBlocker(d, `${src.from.machine}/${first.path}`, first.code));
  }

  // Never move what is being written: a process holding a file open for writing blocks the move.
  blockers.push(...writerBlockers(d, o));
  warnings.push(...writerWarnings(d, o));

  for (const src of sources) {
    const nested = nestedIn(src.from.machine, d.target.machine) || nestedIn(d.target.machine, src.from.machine);
    if (nested) {
      blockers.push({
        code: 'SOURCE_AND_TARGET_NESTED',
        reason: `${src.from.machine} and ${d.target.machine} are one inside the other: the ${d.wholeNoun} cannot move into itself`,
        fix: `declare a path on the drive outside ${src.from.machine}, or move ${src.from.machine} out of the way first`,
      });
    }
  }

  if (!d.merge && (sources.length > 1 || (sources.length === 1 && o.target.entries.length > 0))) {
    const [first, second] = sources;
    const other = second === undefined ? d.target.machine : second.from.machine;
    blockers.push({
      code: 'BOTH_SIDES',
      reason: `${first?.from.machine ?? ''} holds a ${d.wholeNoun}, and so does ${other}: provision never merges two of them`,
      fix: `decide which one to keep. Move the other out of the way (rename it, or move it to the Desktop), then plan again. Nothing was touched.`,
    });
  }

  // Entries may not meet on the drive: the same device backed up on both sides is two
  // different histories of one device, and merging them would lose one.
  const discards = new Map<Source, string[]>();
  const seen = new Map<string, string>();
  for (const e of o.target.entries) seen.set(e.toLowerCase(), d.target.machine);
  for (const src of d.merge ? sources : []) {
    const discard: string[] = [];
    for (const e of src.entries) {
      const where = seen.get(e.toLowerCase());
      if (where === undefined) {
        seen.set(e.toLowerCase(), src.from.machine);
      } else if (d.ignorableDuplicates.includes(e)) {
        discard.push(e);
      } else {
        blockers.push({
          code: 'SAME_ENTRY_BOTH_SIDES',
          reason: `${e} is in both ${src.from.machine} and ${where}: the same ${d.entryNoun} on both sides cannot be merged without losing one of them`,
          fix: `decide which copy to keep: move the other out of both folders (or rename it, e.g. ${e}-old), then plan again. Nothing was touched.`,
        });
      }
    }
    discards.set(src, discard);
  }

  const moves = sources.reduce(
    (acc, s) => ({ files: acc.files + s.files, bytes: acc.bytes + s.bytes }),
    { files: 0, bytes: 0 },
  );
  const allLinked = o.links.every((l) => l.state.kind === 'symlink' && l.state.pointsAtTarget);
  const targetSteps: Step[] = [];

  if (o.drive.kind !== 'mounted') {
    // Another drive of the same name blocks even when the links are in place: through them,
    // apps would write new backups onto that drive.
    if (allLinked && o.drive.kind !== 'other-drive' && o.drive.kind !== 'network') {
      warnings.push({
        code: 'DRIVE_NOT_MOUNTED',
        message: `the ${d.links.length === 1 ? 'link is' : 'links are'} in place but drive ${d.drive.name} is not mounted at ${d.drive.mountPoint.machine}: the ${d.wholeNoun} cannot be reached until it is`,
      });
    } else {
      blockers.push(driveBlocker(d, o.drive));
    }
  } else {
    const t = o.target;
    if (t.linkOnTheWay !== undefined) {
      blockers.push({
        code: 'TARGET_THROUGH_LINK',
        reason: `${t.linkOnTheWay} on drive ${d.drive.name} is ${t.kind === 'symlink' ? 'a link' : 'not a folder'}: the target could lead off the drive`,
        fix: `replace ${t.linkOnTheWay} with a real folder on the drive, or declare another path`,
      });
    } else if (t.kind === 'file' || t.kind === 'other' || t.kind === 'symlink') {
      blockers.push({
        code: 'TARGET_NOT_A_FOLDER',
        reason: `${d.target.machine} on drive ${d.drive.name} exists but is not a folder`,
        fix: `move ${d.target.machine} out of the way, or declare another path`,
      });
    } else if (t.kind === 'unreadable') {
      blockers.push({
        code: 'TARGET_UNREADABLE',
        reason: `${d.target.machine} on drive ${d.drive.name} cannot be listed (${t.code ?? 'EIO'})`,
        fix: `make sure ${d.target.machine} belongs to ${d.user} (or run provision as root), and on a Mac that your terminal has Full Disk Access`,
      });
    } else if (t.kind === 'absent') {
      t.missing.forEach((m, i) => {
        const last = i === t.missing.length - 1;
        targetSteps.push(last ? withOwner({ op: 'mkdir', path: m.host, mode: PRIVATE_MODE }) : { op: 'mkdir', path: m.host, mode: FOLDER_MODE });
      });
    }
    const writesToDrive = targetSteps.length > 0 || sources.length > 0;
    if (writesToDrive && !t.writable) {
      blockers.push({
        code: 'DRIVE_NOT_WRITABLE',
        reason: `drive ${d.drive.name} cannot be written at ${d.target.machine}`,
        fix: 'check that the drive is not locked or mounted read-only, and that you may write there (Get Info > Sharing & Permissions)',
      });
    }
    // Whether the person's folder there is theirs alone, and theirs at all.
    const ownership = ownershipFindings(d, o);
    blockers.push(...ownership.blockers);
    warnings.push(...ownership.warnings);
    // Space, FAT32's 4 GiB, fifos and sockets, names and links the drive refuses.
    const toCopy = sources.map((s) => ({ from: s.from.machine, summary: sourceSummary(s.link.state) }));
    blockers.push(...copyBlockers(d, o.drive, toCopy));
    warnings.push(...copyWarnings(d, o.drive, toCopy));
    for (const left of t.leftovers) {
      warnings.push({
        code: 'LEFTOVER_PARTIAL',
        message: `${d.target.machine} holds ${left}, a copy left by an interrupted run that provision has no record of; the originals were not removed. Check it and delete it by hand`,
      });
    }
  }

  const relocateSteps: Step[] = sources.map((src, i) =>
    ({
      op: 'relocate',
      id: `${d.id.replace(/[^A-Za-z0-9._-]/g, '_')}.${i}`,
      source: src.from.host,
      dest: d.target.host,
      entries: src.entries.filter((e) => !(discards.get(src) ?? []).includes(e)),
      discard: discards.get(src) ?? [],
      link: withOwnerLink({ path: src.link.path.host, target: d.target.machine, type: d.linkType }, owner),
      volume: { files: src.files, bytes: src.bytes },
      drive: { name: d.drive.name, mount: d.drive.mountPoint.host },
      ...((d.backgroundWriters ?? []).length > 0 ? { backgroundWriters: [...(d.backgroundWriters ?? [])] } : {}),
    }) satisfies Step,
  );

  // The first time provision meets this drive here, it remembers which drive it is (adoption of
  // links made before drives had an identity included), so that a twin is refused from then on.
  const rememberSteps: Step[] =
    o.drive.kind === 'mounted' && o.drive.recognisedBy === 'nothing' && o.drive.markable === true && d.drive.records !== undefined
      ? [{ op: 'remember-drive', drive: d.drive.name, mount: d.drive.mountPoint.host, recordIn: d.drive.records.write }]
      : [];

  const action: Action =
    blockers.length > 0
      ? 'blocked'
      : sources.length > 0
        ? 'relocate'
        : linksToCreate > 0
          ? 'create'
          : linksToFix > 0
            ? 'update'
            : targetSteps.length > 0
              ? 'create'
              : rememberSteps.length > 0
                ? 'update'
                : 'none';

  return {
    ...changeHeader(d),
    action,
    before: o.links.map((l) => describeLink(l, d)).join('; '),
    after: `link to ${d.target.machine} on ${d.drive.name}`,
    reason: action === 'update' && linksToFix === 0 ? `drive ${d.drive.name} is recorded as the drive that holds this ${d.wholeNoun}, so that another drive of the same name is refused` : reasonFor(action, sources, d),
    moves,
    blockers,
    warnings,
    steps: blockers.length > 0 ? [] : [...rememberSteps, ...targetSteps, ...parentSteps, ...relocateSteps, ...linkSteps],
  };
}

/**
 * Nothing at any link path, and no entries in the target (or no drive to look at): an optional
 * folder (see LinkedFolderDesired.optional) then has nothing to manage.
 */
export function nothingThere(o: LinkedFolderObserved): boolean {
  return o.links.every((l) => l.state.kind === 'absent') && o.target.entries.length === 0;
}

/**
 * Whether one folder is the other or inside it. Compared without case: Mac volumes ignore it
 * by default, and a false alarm only blocks, while a miss would copy a folder into itself.
 */
function nestedIn(inner: string, outer: string): boolean {
  const norm = (p: string): string => p.replace(/\\/g, '/').replace(/\/+$/, '').normalize('NFC').toLowerCase();
  const i = norm(inner);
  const o = norm(outer);
  return i === o || i.startsWith(`${o}/`);
}

function sourceOf(link: LinkObserved, from: DualPath, dir: Extract<PathState, { kind: 'directory' }>): Source {
  return {
    link,
    from,
    entries: dir.entries,
    files: dir.summary.files,
    bytes: dir.summary.bytes,
    largestFile: dir.summary.largestFile,
  };
}

function linkStep(
  d: LinkedFolderDesired,
  link: LinkObserved,
  replaces: 'absent' | 'symlink' | 'empty-directory',
  owner: Owner | undefined,
): Step {
  const step: Step = { op: 'link', path: link.path.host, target: d.target.machine, type: d.linkType, replaces };
  return owner ? { ...step, owner } : step;
}

function withOwnerLink(
  l: { path: string; target: string; type: 'symlink' | 'junction' },
  owner: Owner | undefined,
): { path: string; target: string; type: 'symlink' | 'junction'; owner?: Owner } {
  return owner ? { ...l, owner } : l;
}


function describeLink(l: LinkObserved, d: LinkedFolderDesired): string {
  const s = l.state;
  if (s.kind === 'symlink' && s.pointsAtTarget) return `link to ${d.target.machine}`;
  return describeState(s, d.entryNoun);
}

function reasonFor(action: Action, sources: Source[], d: LinkedFolderDesired): string {
  switch (action) {
    case 'relocate':
      return `${plural(sources.reduce((n, s) => n + s.entries.length, 0), d.entryNoun)} move to drive ${d.drive.name}, then the link takes the folder's place`;
    case 'create':
      return `nothing is there yet: the folder on drive ${d.drive.name} and the link are created`;
    case 'update':
      return `the link is set to point at ${d.target.machine}`;
    case 'blocked':
      return 'blocked: see the reasons';
    default:
      return 'as declared';
  }
}

/** Whether two host paths name one folder: Windows and macOS compare names without case. */
function sameHostPath(a: string, b: string, platform: string): boolean {
  const norm = (p: string): string => p.replace(/[\\/]+$/, '');
  return platform === 'linux' ? norm(a) === norm(b) : norm(a).toLowerCase() === norm(b).toLowerCase();
}
