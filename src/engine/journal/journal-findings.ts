import path from 'node:path';
import { errnoCode } from '../../errors.js';
import type { EntryKind, HostReads } from '../../host/host.js';
import type { DamagedEntry, JournalScan } from './journal.js';
import type { BoundResource, WorkPlaces } from '../kind.js';
import { tempRole, tempRoleOf, type TempRole } from './temp-names.js';

/** One of provision's temporary names found on disk. */
export interface TempFound {
  /** Host path. */
  path: string;
  role: TempRole;
  kind: EntryKind;
  /**
   * Where the same data should be, as the machine sees it: for something beside a link path
   * (a move's original put aside), the declared folder on the drive; for something on the drive
   * (a restore's drive folder put aside), the link paths the data came back to.
   */
  compareWith?: string;
}

/** A damaged journal entry, with what it left behind under its id. */
export interface DamagedFinding {
  entry: DamagedEntry;
  found: TempFound[];
}

/**
 * An original put aside (`.provision-aside-*`) that no journal entry, good or damaged, accounts
 * for: its entry was set aside with `provision journal set-aside`, or lost. It may hold the only
 * copy of some of the user's data, so it stays in front of the user until they deal with it.
 */
export interface OrphanFinding {
  found: TempFound;
  user?: string;
  /** The resource whose folder holds it. */
  place: WorkPlaces;
  /** The set-aside journal file of the same move, when there is one. */
  setAsideFile?: string;
}

export interface JournalFindings {
  damaged: DamagedFinding[];
  orphans: OrphanFinding[];
}

/**
 * Reads only. Damaged entries (of the users looked at, or of nobody known) with their temporary
 * names, searched for in the declared resources' folders and the folders the entry still names;
 * and originals put aside that no entry accounts for.
 */
export async function findJournalProblems(
  reads: HostReads,
  scan: JournalScan,
  resources: readonly BoundResource[],
  users: readonly string[],
): Promise<JournalFindings> {
  const places = resources.flatMap((r) => (r.places === undefined ? [] : [{ user: r.user, place: r.places }]));
  const listings = new Map<string, { name: string; kind: EntryKind }[]>();
  const list = async (folder: string): Promise<{ name: string; kind: EntryKind }[]> => {
    const known = listings.get(folder);
    if (known !== undefined) return known;
    const names = await readdirOrNothing(reads, folder);
    const out: { name: string; kind: EntryKind }[] = [];
    for (const name of names.filter((n) => tempRole(n) !== undefined)) {
      const st = await reads.lstat(path.join(folder, name));
      if (st !== undefined) out.push({ name, kind: st.kind });
    }
    listings.set(folder, out);
    return out;
  };

  const damaged: DamagedFinding[] = [];
  for (const entry of scan.damaged) {
    if (entry.user !== undefined && !users.includes(entry.user)) continue;
    const found: TempFound[] = [];
    if (entry.id !== '') {
      const own = entry.paths.flatMap((p) => [p, path.dirname(p)]);
      const folders = [...new Set([...places.flatMap((p) => p.place.folders), ...own])];
      for (const folder of folders) {
        for (const t of await list(folder)) {
          const role = tempRoleOf(t.name, entry.id);
          if (role === undefined) continue;
          const place = places.find((p) => p.place.folders.includes(folder))?.place;
          const compareWith = place === undefined ? undefined : counterpart(place, folder);
          found.push({ path: path.join(folder, t.name), role, kind: t.kind, ...(compareWith === undefined ? {} : { compareWith }) });
        }
      }
    }
    damaged.push({ entry, found });
  }

  // Every id the journal still accounts for; what belongs to one of them is not an orphan.
  const ids = [...scan.entries.map((e) => e.id), ...scan.damaged.map((d) => d.id)].filter((id) => id !== '');
  const orphans: OrphanFinding[] = [];
  const seen = new Set<string>();
  for (const { user, place } of places) {
    if (user !== undefined && !users.includes(user)) continue;
    for (const folder of place.folders) {
      for (const t of await list(folder)) {
        const file = path.join(folder, t.name);
        if (tempRole(t.name) !== 'aside' || seen.has(file)) continue;
        if (ids.some((id) => tempRoleOf(t.name, id) !== undefined)) continue;
        seen.add(file);
        const setAside = scan.setAside.find((s) => tempRoleOf(t.name, s.id) !== undefined);
        orphans.push({
          found: { path: file, role: 'aside', kind: t.kind, compareWith: counterpart(place, folder) },
          ...(user === undefined ? {} : { user }),
          place,
          ...(setAside === undefined ? {} : { setAsideFile: setAside.file }),
        });
      }
    }
  }
  return { damaged, orphans };
}

/** Where the data put aside in `folder` (one of the place's folders) should also be. */
function counterpart(place: WorkPlaces, folder: string): string {
  return place.folders.indexOf(folder) < place.homeFolders ? `${place.declared} on the drive` : place.links.join(' or ');
}

/** A folder's names; nothing when it is absent or may not be read (its resource says so itself). */
async function readdirOrNothing(reads: HostReads, folder: string): Promise<string[]> {
  try {
    return await reads.readdir(folder);
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES' || code === 'EPERM') return [];
    throw e;
  }
}

/** What a temporary name holds, in words. */
export function describeTemp(t: TempFound): string {
  switch (t.role) {
    case 'aside':
      return t.kind === 'directory' ? `${t.path} (the original folder, put aside)` : `${t.path} (an old link, put aside)`;
    case 'partial':
      return `${t.path} (a partial copy)`;
    case 'link':
      return `${t.path} (a new link not yet in place)`;
  }
}

/** The sentence saying what a damaged entry left behind. */
export function damagedLeftBehind(d: DamagedFinding): string {
  if (d.entry.id === '') return 'what it holds cannot be told';
  if (d.found.length === 0) return `no temporary folder of move ${d.entry.id} was found in the declared folders`;
  return `move ${d.entry.id} left ${d.found.map(describeTemp).join(', ')}`;
}

/** What to do about a damaged entry: check what it left, then set it aside (never deletes data). */
export function damagedFix(d: DamagedFinding): string {
  if (d.entry.id === '') return `make ${d.entry.file} readable for you (or run as root), then run this again`;
  const aside = d.found.filter((t) => t.role === 'aside' && t.kind === 'directory');
  const check =
    aside.length > 0
      ? `${aside.map((t) => t.path).join(' and ')} may hold the only copy of some of your data: check that everything in it is in ${aside.map((t) => t.compareWith).find((c) => c !== undefined) ?? 'the declared folder on the drive'}, and copy there whatever is missing; then `
      : '';
  return `${check}run provision journal set-aside ${d.entry.id}, which keeps the file as ${path.basename(d.entry.file)}.damaged-<time> and deletes nothing; anything put aside stays shown until you deal with it`;
}

/** Why an orphan put-aside folder stops the plan, and what to check. */
export function orphanReason(o: OrphanFinding): string {
  const why = o.setAsideFile === undefined ? 'provision has no journal entry for it' : `its journal entry was set aside as ${o.setAsideFile}`;
  return o.found.kind === 'directory'
    ? `${o.found.path} holds data that an unfinished move put aside, and ${why}`
    : `${o.found.path} is an old link an unfinished restore put aside, and ${why}`;
}

export function orphanFix(o: OrphanFinding): string {
  return o.found.kind === 'directory'
    ? `check that everything in ${o.found.path} is also in ${o.found.compareWith ?? `${o.place.declared} on the drive`}, copy there whatever is missing, then delete ${o.found.path} yourself (provision never deletes it)`
    : `check that ${o.found.path} is only a link (ls -l), then delete it`;
}
