import path from 'node:path';
import type { Host, HostReads } from '../host/host.js';
import { errnoCode } from '../errors.js';
import type { Step } from './types.js';
import type { DriveIdentity } from '../drives/identity.js';

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

/** One JSON file per move in a folder of the machine (under --root when given). */
export class Journal {
  constructor(
    private readonly host: Host,
    readonly dir: string,
  ) {}

  async record(entry: Recorded<JournalEntry>): Promise<void> {
    await ensureDir(this.host, this.dir);
    const full = { version: 1, ...entry, updatedAt: new Date().toISOString(), pid: process.pid };
    await this.host.writeFileAtomic(this.file(entry.id), `${JSON.stringify(full, null, 2)}\n`);
  }

  async remove(id: string): Promise<void> {
    const st = await this.host.lstat(this.file(id));
    if (st !== undefined) await this.host.unlink(this.file(id));
  }

  private file(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }
}

/** Reads the unfinished moves recorded in the given folders; read-only, so plan can call it. */
export async function readJournals(host: HostReads, dirs: readonly string[]): Promise<JournalEntry[]> {
  const found = new Map<string, JournalEntry>();
  for (const dir of dirs) {
    let names: string[];
    try {
      names = await host.readdir(dir);
    } catch (e) {
      if (errnoCode(e) === 'ENOENT' || errnoCode(e) === 'ENOTDIR') continue;
      throw e;
    }
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      const entry = parseEntry((await host.readFile(path.join(dir, name))).toString('utf8'));
      if (entry !== undefined && !found.has(entry.id)) found.set(entry.id, entry);
    }
  }
  return [...found.values()];
}

function parseEntry(text: string): JournalEntry | undefined {
  try {
    const v = JSON.parse(text) as Partial<Record<keyof JournalEntry, unknown>> & { step?: { op?: unknown } };
    if (v.version !== 1 || typeof v.id !== 'string') return undefined;
    if (v.step?.op === 'relocate' && PHASES.includes(v.phase as Phase)) return v as RelocateEntry;
    if (v.step?.op === 'restore' && RESTORE_PHASES.includes(v.phase as RestorePhase)) return v as RestoreEntry;
    return undefined;
  } catch {
    // A journal file is written atomically, so a torn one cannot come from provision itself.
    return undefined;
  }
}

async function ensureDir(host: Host, dir: string): Promise<void> {
  const missing: string[] = [];
  let d = dir;
  while ((await host.lstat(d)) === undefined) {
    missing.unshift(d);
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const m of missing) await host.mkdir(m, 0o700);
}
