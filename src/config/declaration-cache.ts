/**
 * A declaration already checked, kept so that the next run with the same file skips the YAML
 * parser, the schema and the semantic checks (most of a no-op plan's own time). An entry holds
 * the file's bytes and is used only for exactly those bytes, compared in full, checked by exactly
 * this build of provision (a hash of its sources, schema and locked dependencies, set by
 * scripts/bundle.mjs): what it holds is what checking them again would give. It is found by a
 * quick hash of the bytes (no cryptographic one: loading node:crypto costs a converged plan more
 * than the rest of the look-up). It holds the declared values, the line and column of each for
 * messages, and the file's SHA-256 for saved plans.
 *
 * Only the built CLI keeps one (tests run from the sources, which have no build id). It lives in
 * the user's cache folder, private to them (0700, entries 0600); an entry that is not the user's
 * own file, or that others may write, is ignored, and so is any entry that does not read back as
 * one. Failing to write one costs nothing but the next run's time. PROVISION_CACHE_DIR names
 * another folder; `off` turns the cache off.
 *
 * Each edit of the file, and each new build, makes a new entry (a fleet's is a few MiB). So a
 * run that keeps one also removes what is older than a month and all but the newest
 * KEPT_ENTRIES: a declaration used again after that is checked anew, once.
 */

import { readFileSync } from 'node:fs';
import { chmod, lstat, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SourceLocation } from '../errors.js';
import { cacheFolder, ownedByMe, privateToMe } from './cache-folder.js';

export { cacheFolder } from './cache-folder.js';
import type { DeclaredConfig, LoadedConfig } from './model/declared.js';

declare const __PROVISION_BUILD__: string | undefined;

/** The build's id, or undefined when running from the sources. */
const BUILD = typeof __PROVISION_BUILD__ === 'string' ? __PROVISION_BUILD__ : undefined;

interface Entry {
  build: string;
  /** The file's bytes, base64. */
  bytes: string;
  sha256: string;
  config: DeclaredConfig;
  /** JSON pointer of each value → [line, column]. */
  at: Record<string, [number, number]>;
}

/** How many checked declarations the folder keeps (the one just kept among them). */
export const KEPT_ENTRIES = 16;
const DAY_MS = 24 * 3600 * 1000;
const MONTH_MS = 30 * DAY_MS;

/** FNV-1a, 32 bits: where to look, never what decides (the bytes are compared in full). */
function quickHash(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

function entryFile(folder: string, bytes: Uint8Array, build: string): string {
  return path.join(folder, 'declarations', `${quickHash(bytes)}-${bytes.length}-${build}.json`);
}

/** The checked declaration for these bytes, when this build checked them before. */
export async function cachedDeclaration(file: string, bytes: Uint8Array, build: string | undefined = BUILD, folder = cacheFolder()): Promise<LoadedConfig | undefined> {
  if (build === undefined || folder === undefined) return undefined;
  const at = entryFile(folder, bytes, build);
  try {
    // Synchronous, as a converged run's other reads: node:fs/promises is a module more to load.
    if (!privateToMe(at, 'file')) return undefined;
    const entry = JSON.parse(readFileSync(at, 'utf8')) as Partial<Entry>;
    if (entry.build !== build || typeof entry.bytes !== 'string' || typeof entry.sha256 !== 'string') return undefined;
    if (typeof entry.config !== 'object' || entry.config === null || typeof entry.at !== 'object' || entry.at === null) return undefined;
    if (!Buffer.from(entry.bytes, 'base64').equals(bytes)) return undefined;
    const positions = entry.at;
    return { file, config: entry.config, sha256: entry.sha256, locate: (p) => locateIn(positions, file, p) };
  } catch {
    // No entry, or one that does not read back: the declaration is checked as if new.
    return undefined;
  }
}

/** Keeps a declaration just checked from these bytes (loaded.locate answers for every value now, from the parsed YAML). */
export async function keepDeclaration(loaded: LoadedConfig, bytes: Uint8Array, build: string | undefined = BUILD, folder = cacheFolder()): Promise<void> {
  if (build === undefined || folder === undefined || loaded.sha256 === undefined) return;
  const at: Record<string, [number, number]> = {};
  walk(loaded.config, [], (p, pointer) => {
    const where = loaded.locate(p);
    at[pointer] = [where.line, where.column];
  });
  const entry: Entry = { build, bytes: Buffer.from(bytes).toString('base64'), sha256: loaded.sha256, config: loaded.config, at };
  const target = entryFile(folder, bytes, build);
  const temp = `${target}.${process.pid}.tmp`;
  try {
    // sudo may keep the user's HOME: root writes nothing into a folder that is not its own.
    if (!ownedByMe(folder)) return;
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    await writeFile(temp, JSON.stringify(entry), { mode: 0o600 });
    await chmod(temp, 0o600);
    await rename(temp, target);
    await prune(path.dirname(target), target);
  } catch {
    // A cache that cannot be written (a read-only home): the next run checks the file again.
  }
}

/**
 * Removes the entries older than a month and all but the newest KEPT_ENTRIES, keeping `kept`,
 * and what interrupted writes left more than a day ago. Only in a folder that is the user's alone; an entry
 * another run removed meanwhile is simply gone.
 */
async function prune(folder: string, kept: string): Promise<void> {
  if (!privateToMe(folder, 'folder')) return;
  const entries: { at: string; changed: number }[] = [];
  const now = Date.now();
  for (const name of await readdir(folder)) {
    const at = path.join(folder, name);
    if (at === kept) continue;
    const st = await lstat(at).catch(() => undefined);
    if (st === undefined || !st.isFile()) continue;
    // Another run's write in progress is left alone; one left by a run killed a day ago is not.
    if (name.endsWith('.tmp')) {
      if (st.mtimeMs < now - DAY_MS) await rm(at, { force: true });
    } else {
      entries.push({ at, changed: st.mtimeMs });
    }
  }
  entries.sort((a, b) => b.changed - a.changed);
  for (const [i, e] of entries.entries()) {
    if (i >= KEPT_ENTRIES - 1 || e.changed < now - MONTH_MS) await rm(e.at, { force: true });
  }
}

function walk(value: unknown, p: (string | number)[], visit: (p: (string | number)[], pointer: string) => void): void {
  visit(p, pointerOf(p));
  if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...p, i], visit));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...p, k], visit);
}

function pointerOf(p: readonly (string | number)[]): string {
  return p.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** The place of a value, or of the nearest value above it that has one. */
function locateIn(positions: Record<string, [number, number]>, file: string, p: readonly (string | number)[]): SourceLocation {
  for (let n = p.length; n >= 0; n--) {
    const hit = Object.prototype.hasOwnProperty.call(positions, pointerOf(p.slice(0, n))) ? positions[pointerOf(p.slice(0, n))] : undefined;
    if (hit !== undefined) return { file, line: hit[0], column: hit[1] };
  }
  return { file, line: 1, column: 1 };
}
