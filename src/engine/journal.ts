import path from 'node:path';
import type { Host, HostReads } from '../host/host.js';
import { errnoCode } from '../errors.js';
import type { Step } from './types.js';

export type RelocateStep = Extract<Step, { op: 'relocate' }>;

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

export interface JournalEntry {
  version: 1;
  /** The relocate step's id; also the file name. */
  id: string;
  changeId: string;
  user: string;
  /** For showing the interrupted move in a plan: the resource's title and its path on the machine. */
  title: string;
  path: string;
  phase: Phase;
  step: RelocateStep;
  startedAt: string;
  updatedAt: string;
  pid: number;
}

/** One JSON file per move in a folder of the machine (under --root when given). */
export class Journal {
  constructor(
    private readonly host: Host,
    readonly dir: string,
  ) {}

  async record(entry: Omit<JournalEntry, 'updatedAt' | 'version' | 'pid'>): Promise<void> {
    await ensureDir(this.host, this.dir);
    const full: JournalEntry = { version: 1, ...entry, updatedAt: new Date().toISOString(), pid: process.pid };
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
    const v = JSON.parse(text) as Partial<JournalEntry>;
    if (v.version !== 1 || typeof v.id !== 'string' || v.step?.op !== 'relocate') return undefined;
    if (!PHASES.includes(v.phase as Phase)) return undefined;
    return v as JournalEntry;
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
