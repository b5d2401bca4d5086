import type { DualPath } from '../../machine/path-mapper.js';
import type { DataPlace, LinkStatus, StatusState } from '../../engine/status/status-types.js';
import { plural } from '../../text/units.js';
import type { TreeSummaryLite } from './tree-summary-lite.js';
import type { LinkedFolderDesired, LinkedFolderObserved, LinkObserved } from './types.js';
import type { DriveObserved } from '../../drives/types.js';

/** What status says about a linked folder before sizing anything: pure, tested on plain objects. */
export interface LinkedFolderClassification {
  state: StatusState;
  words: string;
  hint?: string;
  links: LinkStatus[];
  /** Where data is, each once; with the walk observe already made of it, when it made one. */
  places: { path: DualPath; where: DataPlace['where']; summary?: TreeSummaryLite }[];
  notes: string[];
}

type Desired = Pick<LinkedFolderDesired, 'links' | 'target' | 'drive' | 'home' | 'user' | 'entryNoun' | 'wholeNoun'>;

interface Verdict {
  state: StatusState;
  found: string;
  words: string;
  hint?: string;
}

/**
 * Which state wins when several paths (the two Windows folders) or the drive say different
 * things: what needs the user's hands first. Anything unreadable hides what could be learnt.
 */
const WORST_FIRST: readonly StatusState[] = [
  'unreadable',
  'conflict',
  'replaced-by-folder',
  'link-broken',
  'linked-elsewhere',
  'not-moved',
  'link-missing',
  'drive-not-mounted',
  'not-set-up',
  'ok',
];

const rank = (s: StatusState): number => {
  const i = WORST_FIRST.indexOf(s);
  return i < 0 ? 0 : i;
};

/**
 * Pure: desired + observed → where a linked folder stands. Each link path is classified on its
 * own, then the worst of them (and of the drive's folder) is the location's state. The
 * journal's interrupted moves are applied later, by the engine, over any kind.
 */
export function classifyLinkedFolder(d: Desired, o: LinkedFolderObserved): LinkedFolderClassification {
  const notes: string[] = [];
  const driveName = d.drive.name;
  const targetHolds = o.drive.kind === 'mounted' && o.target.kind === 'directory' ? o.target.entries.length : 0;

  // A link to another of the declared paths (what a restore leaves on Windows) has no state of
  // its own: it shows the state of the path it follows.
  const isAlias = (l: LinkObserved): boolean => {
    const s = l.state;
    return s.kind === 'symlink' && d.links.some((other) => other.host !== l.path.host && other.host === s.resolved.host);
  };
  const verdicts = new Map<string, Verdict>();
  for (const l of o.links) if (!isAlias(l)) verdicts.set(l.path.host, classifyLink(d, o, l, targetHolds));
  const links: LinkStatus[] = o.links.map((l) => {
    const own = verdicts.get(l.path.host);
    if (own !== undefined) return { path: l.path.machine, state: own.state, found: own.found };
    const followed = l.state.kind === 'symlink' ? l.state.resolved : l.path;
    const other = verdicts.get(followed.host);
    return { path: l.path.machine, state: other?.state ?? 'ok', found: `a link to ${followed.machine}` };
  });

  const candidates: Verdict[] = [...verdicts.values()];
  const targetProblem = classifyTarget(d, o);
  if (targetProblem !== undefined) candidates.push(targetProblem);
  if (!o.homeExists) {
    candidates.push({
      state: 'conflict',
      found: 'no home folder',
      words: `${d.user}'s home folder ${d.home.machine} does not exist on this machine`,
      hint: `check the account name, or declare the home folder with "home:" for ${d.user}`,
    });
  }
  let worst = candidates[0];
  for (const c of candidates) if (worst === undefined || rank(c.state) < rank(worst.state)) worst = c;
  const verdict: Verdict = worst ?? { state: 'not-set-up', found: 'nothing', words: 'nothing is declared here' };

  const multiple = d.links.length > 1 && verdicts.size > 1;
  const where = multiple ? o.links.find((l) => verdicts.get(l.path.host) === verdict)?.path.machine : undefined;
  if (o.drive.kind !== 'mounted' && (verdict.state === 'not-moved' || verdict.state === 'not-set-up')) {
    notes.push(`drive ${driveName} is not mounted, so what its folder holds could not be looked at`);
  }
  for (const left of o.drive.kind === 'mounted' ? o.target.leftovers : []) {
    notes.push(`${d.target.machine} holds ${left}, a partial copy left by an interrupted run; unless this location shows an interrupted move, check it and delete it by hand`);
  }

  return {
    state: verdict.state,
    words: where === undefined ? verdict.words : `${where}: ${verdict.words}`,
    ...(verdict.hint === undefined ? {} : { hint: verdict.hint }),
    links,
    places: dataPlaces(d, o),
    notes,
  };
}

function classifyLink(d: Desired, o: LinkedFolderObserved, l: LinkObserved, targetHolds: number): Verdict {
  const s = l.state;
  const drive = d.drive.name;
  const connect = o.drive.kind === 'mounted' ? '' : `connect drive ${drive}, then `;
  switch (s.kind) {
    case 'absent':
      if (targetHolds > 0) {
        return {
          state: 'link-missing',
          found: 'nothing',
          words: `link missing: no link here, while the declared folder on drive ${drive} holds ${plural(targetHolds, d.entryNoun)}`,
          hint: 'run provision apply to put the link back',
        };
      }
      return {
        state: 'not-set-up',
        found: 'nothing',
        words: 'not set up yet: nothing here',
        hint: `${connect}run provision apply: it creates the folder on drive ${drive} and the link`,
      };
    case 'directory': {
      const holds = s.entries.length === 0 ? 'an empty folder' : `a folder with ${plural(s.entries.length, d.entryNoun)}`;
      if (targetHolds > 0) {
        return {
          state: 'replaced-by-folder',
          found: holds,
          words: `link replaced by a real folder: ${holds} is where the link was, while the declared folder on drive ${drive} holds ${plural(targetHolds, d.entryNoun)} (an app re-created it)`,
          hint: 'run provision plan: it says how apply puts the link back, and never merges what could lose data',
        };
      }
      if (s.entries.length === 0) {
        return {
          state: 'not-set-up',
          found: holds,
          words: 'not set up yet: an empty folder, not a link',
          hint: `${connect}run provision apply: it puts the link in the folder's place`,
        };
      }
      return {
        state: 'not-moved',
        found: holds,
        words: `not yet moved: ${holds} on this machine`,
        hint: `${connect}run provision apply to move it to drive ${drive}`,
      };
    }
    case 'symlink': {
      const found = `a link to ${s.resolved.machine}`;
      if (s.pointsAtTarget) {
        if (o.drive.kind !== 'mounted') return driveNotMounted(d, o.drive, found);
        switch (s.at.kind) {
          case 'directory':
            return { state: 'ok', found, words: `ok: linked to the declared folder on drive ${drive}` };
          case 'absent':
          case 'unreachable':
            return {
              state: 'link-broken',
              found,
              words: `link broken: the declared folder ${d.target.machine} is not on drive ${drive}`,
              hint: `if the ${d.wholeNoun} was moved elsewhere on the drive, put it back; otherwise run provision apply, which creates the folder empty`,
            };
          case 'unreadable':
            return unreadable(d.target.machine, s.at.code, found);
          default:
            return conflict(`the link leads to ${d.target.machine}, which is ${what(s.at.kind)}, not a folder`, d.target.machine, found);
        }
      }
      switch (s.at.kind) {
        case 'directory':
          return {
            state: 'linked-elsewhere',
            found,
            words: `linked elsewhere: to ${s.resolved.machine} (${s.at.entries.length === 0 ? 'an empty folder' : plural(s.at.entries.length, d.entryNoun)}), not to the declared folder`,
            hint: `run provision apply to move it to the declared folder on drive ${drive} and re-point the link`,
          };
        case 'absent':
        case 'unreachable':
          return {
            state: 'link-broken',
            found,
            words: `link broken: it points at ${s.resolved.machine}, which is not there`,
            hint: `connect the drive it points at if the data is there, or run provision apply to re-point the link`,
          };
        case 'unreadable':
          return unreadable(s.resolved.machine, s.at.code, found);
        default:
          return conflict(`a link to ${s.resolved.machine}, which is ${what(s.at.kind)}, not a folder`, l.path.machine, found);
      }
    }
    case 'file':
    case 'other':
      return conflict(`${what(s.kind)} where a folder or a link was expected`, l.path.machine, what(s.kind));
    case 'unreadable':
      return unreadable(l.path.machine, s.code, `unreadable (${s.code})`);
  }
}

/** Problems of the declared folder on a mounted drive that no link path shows. */
function classifyTarget(d: Desired, o: LinkedFolderObserved): Verdict | undefined {
  if (o.drive.kind !== 'mounted') return undefined;
  const t = o.target;
  if (t.linkOnTheWay !== undefined) {
    return conflict(`${t.linkOnTheWay} on drive ${d.drive.name} is ${t.kind === 'symlink' ? 'a link' : 'not a folder'}, so the declared folder could lead off the drive`, t.linkOnTheWay, 'the drive');
  }
  if (t.kind === 'file' || t.kind === 'other' || t.kind === 'symlink') {
    return conflict(`the declared folder ${d.target.machine} on drive ${d.drive.name} is not a folder`, d.target.machine, 'the drive');
  }
  if (t.kind === 'unreadable') return unreadable(d.target.machine, t.code ?? 'EIO', 'the drive');
  return undefined;
}

function driveNotMounted(d: Desired, drive: Exclude<DriveObserved, { kind: 'mounted' }>, found: string): Verdict {
  const where = d.drive.mountPoint.machine;
  const why =
    drive.kind === 'absent'
      ? `${where} does not exist`
      : drive.kind === 'not-mounted'
        ? `${where} is a plain folder on this machine's own disk, not the drive`
        : drive.kind === 'other-drive'
          ? `another volume of the same name is mounted at ${where}`
          : drive.kind === 'network'
            ? `${where} is a network drive (${drive.share})`
            : `${where} is not a folder`;
  return {
    state: 'drive-not-mounted',
    found,
    words: `drive not mounted: the link is in place, but drive ${d.drive.name} is not there (${why})`,
    hint: `connect drive ${d.drive.name}: the ${d.wholeNoun} cannot be reached until it is`,
  };
}

function conflict(words: string, place: string, found: string): Verdict {
  return { state: 'conflict', found, words: `conflict: ${words}`, hint: `look at ${place} and move what is in the way aside, then run provision plan` };
}

function unreadable(place: string, code: string, found: string): Verdict {
  return {
    state: 'unreadable',
    found,
    words: `unreadable: ${place} cannot be read (${code})`,
    hint: 'on a Mac, give your terminal Full Disk Access; otherwise run provision as the owner of the folder, or as root',
  };
}

function what(kind: string): string {
  switch (kind) {
    case 'file':
      return 'a file';
    case 'symlink-chain':
      return 'a link to another link';
    default:
      return 'a special file';
  }
}

/** Every place that holds the data, once: real folders at link paths, folders links lead to, the declared folder. */
function dataPlaces(d: Desired, o: LinkedFolderObserved): LinkedFolderClassification['places'] {
  const places: LinkedFolderClassification['places'] = [];
  const seen = new Set<string>();
  const add = (p: LinkedFolderClassification['places'][number]): void => {
    if (seen.has(p.path.host)) return;
    seen.add(p.path.host);
    places.push(p);
  };
  for (const l of o.links) {
    const s = l.state;
    if (s.kind === 'directory' && s.entries.length > 0) add({ path: l.path, where: 'link', summary: s.summary });
    if (s.kind === 'symlink' && !s.pointsAtTarget && s.at.kind === 'directory' && !o.links.some((x) => x.path.host === s.resolved.host)) {
      add({ path: s.resolved, where: 'elsewhere', summary: s.at.summary });
    }
  }
  // Sized by the caller: observe does not walk the folder a link already points at. An empty
  // one no link leads to (made by an earlier apply, or holding only a partial copy) holds nothing.
  const linked = o.links.some((l) => l.state.kind === 'symlink' && l.state.pointsAtTarget);
  if (o.drive.kind === 'mounted' && o.target.kind === 'directory' && o.target.linkOnTheWay === undefined && (linked || o.target.entries.length > 0)) {
    add({ path: d.target, where: 'declared' });
  }
  return places;
}
