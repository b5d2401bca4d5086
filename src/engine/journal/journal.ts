import path from 'node:path';
import type { FileStat, Host, HostReads } from '../../host/host.js';
import { errnoCode } from '../../errors.js';
import type { Step } from '../types.js';
import type { DriveIdentity } from '../../drives/identity.js';
import { cannotWrite, ensureStateFolder } from '../../host/state-folder.js';

export type RelocateStep = Extract<Step, { op: 'relocate' }>;
export type RestoreStep = Extract<Step, { op: 'restore' }>;

/**
 * The phases of a move, in order. Each is recorded (atomically, fsynced) before the work that
 * follows it starts, so after a crash the journal says how far a move got:
 * - copying: a partial copy may exist on the drive; the original is untouched → discard, redo;
 * - copied: the copy is complete and verified → roll forward;
 * - promoted: the copy has its final names on the drive; the original is untouched;
 * - aside: the original has been renamed aside; the link may be missing;
 * - linked: the link is in place; the original (aside) may still exist and is removed.
 */
export const PHASES = ['copying', 'copied', 'promoted', 'aside', 'linked'] as const;
export type Phase = (typeof PHASES)[number];

/**
 * The phases of a restore (data back from the drive, the link replaced by a folder):
 * - copying: a partial copy may exist beside the link; the link and the drive are untouched → discard, redo;
 * - copied: the copy beside the link is complete and verified → roll forward;
 * - swapped: the copy has the link's name; the old link may still exist aside and is removed;
 * - aside: the folder on the drive has been renamed aside; it is removed.
 */
export const RESTORE_PHASES = ['copying', 'copied', 'swapped', 'aside'] as const;
export type RestorePhase = (typeof RESTORE_PHASES)[number];

/** The drive a move writes to (or a restore removes from), as it was when the move began. */
export interface JournaledDrive {
  name: string;
  /** Its mount point (host path). */
  mount: string;
  /** What identified it then; empty when it had no identity provision can read. */
  identity: DriveIdentity;
}

/**
 * What a move learns as it goes and must still know after a crash: which drive it writes to
 * (every destructive step checks that the drive there now is that one).
 */
export interface EntryFacts {
  drive?: JournaledDrive;
  /** The source folder's fingerprint digest when the copy began (Host.fingerprint). */
  sourceFingerprint?: string;
}

interface EntryBase extends EntryFacts {
  version: 1;
  /** The step's id; also the file name. */
  id: string;
  changeId: string;
  user: string;
  /** For showing the interrupted move in a plan: the resource's title and its path on the machine. */
  title: string;
  path: string;
  startedAt: string;
  updatedAt: string;
  pid: number;
}

export type RelocateEntry = EntryBase & { phase: Phase; step: RelocateStep };
export type RestoreEntry = EntryBase & { phase: RestorePhase; step: RestoreStep };
/** One unfinished move (to a drive) or restore (back from one). */
export type JournalEntry = RelocateEntry | RestoreEntry;

export function isRelocateEntry(e: JournalEntry): e is RelocateEntry {
  return e.step.op === 'relocate';
}

export function isRestoreEntry(e: JournalEntry): e is RestoreEntry {
  return e.step.op === 'restore';
}

/**
 * The folder on the drive that must be there before an interrupted entry can be finished: a
 * move's destination; for a restore, the parent of its source, which may already be renamed
 * aside. Its absence means the drive is not connected.
 */
export function folderOnDrive(e: JournalEntry): string {
  return isRestoreEntry(e) ? path.dirname(e.step.source) : e.step.dest;
}

/** An entry as recorded: the journal adds version, time and pid. */
type Recorded<E> = E extends JournalEntry ? Omit<E, 'updatedAt' | 'version' | 'pid'> : never;

/** The journal's folders (engine/journal/state-dirs.ts): where new entries go, and every folder read. */
export interface JournalDirs {
  write: string;
  read: readonly string[];
}

/**
 * One JSON file per move in a folder of the machine (under --root when given).
 *
 * An entry lives in one of several folders: root writes new ones in /var/db/provision, a user
 * in their own ~/.local/state/provision, and root also reads every declared user's folder (a
 * user's own interrupted apply may be finished with sudo). An entry is kept where it already
 * lives: record() rewrites it in that folder, with the owner it had, and remove() removes it
 * from every folder read. Rewriting in place rather than moving it to root's folder keeps the
 * entry visible to the user's own runs, which do not read /var/db/provision: a move that root
 * resumes and that is cut off again is still found when the user next applies.
 */
export class Journal {
  readonly dirs: JournalDirs;

  /** `dirs`: one folder (written and read), or the write folder and all folders read. */
  constructor(
    private readonly host: Host,
    dirs: string | JournalDirs,
  ) {
    this.dirs = typeof dirs === 'string' ? { write: dirs, read: [dirs] } : { write: dirs.write, read: [dirs.write, ...dirs.read.filter((d) => d !== dirs.write)] };
  }

  /** The folder where provision writes new entries. */
  get dir(): string {
    return this.dirs.write;
  }

  async record(entry: Recorded<JournalEntry>): Promise<void> {
    const dir = (await this.folderHolding(entry.id)) ?? this.dirs.write;
    if (dir === this.dirs.write) await ensureStateFolder(this.host, dir);
    const file = this.file(dir, entry.id);
    // Fields this version does not know (a newer provision's) are kept: the entry is updated,
    // not replaced by a narrower one.
    const previous = await readObject(this.host, file);
    const full = { ...previous, version: 1, ...entry, updatedAt: new Date().toISOString(), pid: process.pid };
    const before = await this.host.lstat(file);
    try {
      await this.host.writeFileAtomic(file, `${JSON.stringify(full, null, 2)}\n`);
    } catch (e) {
      throw cannotWrite(dir, e);
    }
    if (dir !== this.dirs.write) await this.keepOwner(file, before ?? (await this.host.lstat(dir)));
  }

  /** Removes the entry from every folder that holds it. */
  async remove(id: string): Promise<void> {
    for (const dir of this.dirs.read) {
      const file = this.file(dir, id);
      const st = await this.host.lstat(file);
      if (st !== undefined) await this.host.unlink(file);
    }
  }

  /** The first folder read (the write folder first) that holds the entry, if any. */
  private async folderHolding(id: string): Promise<string | undefined> {
    for (const dir of this.dirs.read) if ((await this.host.lstat(this.file(dir, id))) !== undefined) return dir;
    return undefined;
  }

  /**
   * Root rewriting an entry in a user's folder gives the file back to its owner (the owner the
   * file had, else the folder's), so the user's own runs can still update and remove it.
   */
  private async keepOwner(file: string, owner: FileStat | undefined): Promise<void> {
    if (owner === undefined || process.getuid?.() !== 0) return;
    const now = await this.host.lstat(file);
    if (now !== undefined && (now.uid !== owner.uid || now.gid !== owner.gid)) await this.host.chown(file, owner.uid, owner.gid);
  }

  private file(dir: string, id: string): string {
    return path.join(dir, `${id}.json`);
  }
}

/** A journal file that cannot be used: not JSON, an unknown version or shape, unreadable. */
export interface DamagedEntry {
  /**
   * The file name without .json: the move's id, which provision's temporary names carry. Empty
   * when a whole journal folder cannot be read (file is then the folder).
   */
  id: string;
  /** The file (host path). */
  file: string;
  reason: string;
  /** What could still be read from it, when it is JSON: whose move it was, and its paths. */
  user?: string;
  title?: string;
  path?: string;
  /** Host paths named by its step (source, destination, link), to search for its temporary names. */
  paths: string[];
}

/** What the journal's folders hold: entries that can be finished, and damaged ones. */
export interface JournalScan {
  entries: JournalEntry[];
  damaged: DamagedEntry[];
  /** Damaged entries the user set aside (`<id>.json.damaged-<time>`), to explain what they left. */
  setAside: { id: string; file: string }[];
}

/** The suffix a damaged entry's file gets when set aside (provision journal set-aside). */
export const SET_ASIDE_MARK = '.json.damaged-';

/**
 * Reads the unfinished moves recorded in the given folders; read-only, so plan can call it.
 * An entry found in several folders (left twice by an older provision) counts once: the first
 * folder's, the one Journal updates. A file that cannot be used is reported as damaged, never
 * skipped: it may stand for the user's data under a hidden temporary name.
 */
export async function readJournals(host: HostReads, dirs: readonly string[]): Promise<JournalScan> {
  const found = new Map<string, JournalEntry>();
  const damaged: DamagedEntry[] = [];
  const setAside: JournalScan['setAside'] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = await host.readdir(dir);
    } catch (e) {
      const code = errnoCode(e);
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      if (code === 'EACCES' || code === 'EPERM') {
        damaged.push({ id: '', file: dir, reason: `the journal folder cannot be read (${code})`, paths: [] });
        continue;
      }
      throw e;
    }
    for (const name of names.filter((n) => n.includes(SET_ASIDE_MARK) && !n.startsWith('.')).sort()) {
      setAside.push({ id: name.slice(0, name.indexOf(SET_ASIDE_MARK)), file: path.join(dir, name) });
    }
    // Dot files are writeFileAtomic's temporary files.
    for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
      const file = path.join(dir, name);
      const id = name.slice(0, -'.json'.length);
      const parsed = await readEntry(host, file, id);
      if ('reason' in parsed) {
        if (!damaged.some((d) => d.id === id)) damaged.push({ ...parsed, id, file });
      } else if (!found.has(parsed.id)) found.set(parsed.id, parsed);
    }
  }
  return { entries: [...found.values()], damaged: damaged.filter((d) => !found.has(d.id)), setAside };
}

type Parsed = JournalEntry | Omit<DamagedEntry, 'id' | 'file'>;

async function readEntry(host: HostReads, file: string, id: string): Promise<Parsed> {
  let text: string;
  try {
    text = (await host.readFile(file)).toString('utf8');
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EISDIR' || code === 'EIO') return { reason: `it cannot be read (${code})`, paths: [] };
    throw e;
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    // A journal file is written atomically, so a torn one cannot come from provision itself:
    // a disk error, a restore from a backup, an editor.
    return { reason: text.trim() === '' ? 'it is empty' : 'it is not valid JSON', paths: [] };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { reason: 'it is not a JSON object', paths: [] };
  const o = v as Record<string, unknown>;
  const known = whatIsKnown(o);
  const problem = entryProblem(o, id);
  return problem === undefined ? (o as unknown as JournalEntry) : { reason: problem, ...known };
}

/** Why a parsed object is not an entry this version can finish; undefined when it is one. */
function entryProblem(o: Record<string, unknown>, id: string): string | undefined {
  if (o['version'] !== 1) return `its version is ${JSON.stringify(o['version'] ?? null)}, and this provision knows only version 1 (a newer provision may have written it)`;
  if (o['id'] !== id) return `it names move ${JSON.stringify(o['id'] ?? null)}, not ${id} as its file name says`;
  for (const key of ['changeId', 'user', 'title', 'path', 'startedAt'] as const) {
    if (typeof o[key] !== 'string') return `its field ${key} is missing or not text`;
  }
  const step = o['step'];
  if (typeof step !== 'object' || step === null) return 'it has no step';
  const s = step as Record<string, unknown>;
  const strings = (keys: readonly string[]): string | undefined => keys.find((k) => typeof s[k] !== 'string');
  const listOk = Array.isArray(s['entries']) && (s['entries'] as unknown[]).every((e) => typeof e === 'string');
  if (s['op'] === 'relocate') {
    const link = s['link'] as Record<string, unknown> | undefined;
    const bad = strings(['id', 'source', 'dest']) ?? (typeof link?.['path'] === 'string' && typeof link['target'] === 'string' ? undefined : 'link');
    if (bad !== undefined || !listOk) return `its move step lacks ${bad ?? 'entries'}`;
    if (!PHASES.includes(o['phase'] as Phase)) return `its phase ${JSON.stringify(o['phase'] ?? null)} is not one of a move's`;
    return undefined;
  }
  if (s['op'] === 'restore') {
    const bad = strings(['id', 'link', 'linkTarget', 'source']);
    if (bad !== undefined || !listOk) return `its restore step lacks ${bad ?? 'entries'}`;
    if (!RESTORE_PHASES.includes(o['phase'] as RestorePhase)) return `its phase ${JSON.stringify(o['phase'] ?? null)} is not one of a restore's`;
    return undefined;
  }
  return `its step ${JSON.stringify(s['op'] ?? null)} is neither a move nor a restore`;
}

/** Whose move a damaged entry was and which paths it names, as far as they can be read. */
function whatIsKnown(o: Record<string, unknown>): Omit<DamagedEntry, 'id' | 'file' | 'reason'> {
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const step = typeof o['step'] === 'object' && o['step'] !== null ? (o['step'] as Record<string, unknown>) : {};
  const link = typeof step['link'] === 'object' && step['link'] !== null ? (step['link'] as Record<string, unknown>)['path'] : step['link'];
  const paths = [...new Set([step['source'], step['dest'], link].map(text).filter((p): p is string => p !== undefined && path.isAbsolute(p)))];
  const user = text(o['user']);
  const title = text(o['title']);
  const where = text(o['path']);
  return { ...(user === undefined ? {} : { user }), ...(title === undefined ? {} : { title }), ...(where === undefined ? {} : { path: where }), paths };
}

/** The file as a JSON object, or nothing (absent or not an object). */
async function readObject(host: HostReads, file: string): Promise<Record<string, unknown>> {
  try {
    const v: unknown = JSON.parse((await host.readFile(file)).toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
