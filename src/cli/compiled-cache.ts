/**
 * Node's module compile cache (module.enableCompileCache, Node 22.1+) for the bundled libraries
 * (dist/bundle/vendor-*.cjs, the validator): the code V8 compiled from them, kept in the user's
 * cache folder so that a start skips compiling them again. The CLI's own script keeps a cache
 * of its own, made after a run (load-cli.ts). Built into dist/bundle/start.mjs, which
 * bin/provision.js loads before the CLI.
 *
 * Node writes its compile cache when the process exits, whatever the run did; a refused run must
 * leave the disk as it was. So the cache is used only once it is complete: after a run that
 * succeeded, a separate Node process compiles every file of the bundle into it and then marks it
 * complete (and removes what other builds filled more than a month before). A run that finds
 * it complete compiles nothing anew, so it has nothing to write (assumption
 * COMPILE_CACHE_WRITES_ONLY_NEW_CODE in src/assumptions.ts; a test keeps to it on each Node
 * that CI runs).
 *
 * The cache is used only when it is the user's own and no one else can write to it (V8 trusts
 * the code it reads back), and never when the user chose for Node (NODE_COMPILE_CACHE,
 * NODE_DISABLE_COMPILE_CACHE) or turned provision's cache off (PROVISION_CACHE_DIR=off).
 */

import { chmodSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import nodeModule from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { COMPILE_CACHE_WRITES_ONLY_NEW_CODE } from '../assumptions.js';
import { cacheFolder, compiledFolderPrivate, ownedByMe, privateToMe } from '../config/cache-folder.js';

declare const __PROVISION_BUILD__: string | undefined;

/** The build's id, or undefined when running from the sources. */
const BUILD = typeof __PROVISION_BUILD__ === 'string' ? __PROVISION_BUILD__ : undefined;

/** The parts of node:module this needs, absent before Node 22.1 (and from @types/node 20). */
interface CompileCacheApi {
  enableCompileCache?: (dir: string) => { status: number };
  flushCompileCache?: () => void;
  constants?: { compileCacheStatus?: { ENABLED: number } };
}
const api = nodeModule as unknown as CompileCacheApi;

const MARKER = 'complete';
/** The CLI's script (load-cli.ts), which is not compiled into this cache. */
const CLI_SCRIPT_NAME = 'provision.cjs';

export interface CompiledCache {
  /** This build's compiled code for this Node. */
  dir: string;
  /** Whether it is complete (and now in use). */
  complete: boolean;
}

/** Where this build keeps its compiled code for this Node, or undefined when it keeps none. */
export function compiledCacheDir(env: NodeJS.ProcessEnv = process.env, build: string | undefined = BUILD): string | undefined {
  if (!COMPILE_CACHE_WRITES_ONLY_NEW_CODE || build === undefined) return undefined;
  if (env['NODE_COMPILE_CACHE'] !== undefined || env['NODE_DISABLE_COMPILE_CACHE'] !== undefined) return undefined;
  // V8 rejects code compiled under other flags, and Node would then write it anew at exit: only
  // a Node started without options uses the cache, and fills it.
  if (process.execArgv.length > 0 || (env['NODE_OPTIONS'] ?? '') !== '') return undefined;
  if (typeof api.enableCompileCache !== 'function' || typeof api.flushCompileCache !== 'function') return undefined;
  const folder = cacheFolder(env);
  if (folder === undefined) return undefined;
  return path.join(folder, 'compiled', `${build}-${process.version}-${process.arch}`);
}

/** Whether the cache at dir is complete and no one but the user can write to it or above it. */
function completeAndPrivate(dir: string): boolean {
  const compiled = path.dirname(dir);
  return (
    compiledFolderPrivate(compiled) &&
    privateToMe(dir, 'folder') &&
    privateToMe(path.join(dir, MARKER), 'file')
  );
}

/** Turns Node's compile cache on when this build's is complete; says where it is either way. */
export function startCompiledCache(env: NodeJS.ProcessEnv = process.env): CompiledCache | undefined {
  const dir = compiledCacheDir(env);
  if (dir === undefined) return undefined;
  const complete = completeAndPrivate(dir);
  if (complete) api.enableCompileCache?.(dir);
  return { dir, complete };
}

/** The command that fills the cache: this file run by the same Node. */
export function fillCommand(dir: string): { file: string; args: string[] } {
  return { file: process.execPath, args: [fileURLToPath(import.meta.url), '--fill-compiled-cache', dir] };
}

/**
 * Compiles every file of the bundle into the cache, flushes it and marks it complete, then
 * removes what other builds filled more than a month ago. Runs in a process of its own
 * (fillCommand), where nothing of the bundle is compiled yet. Failing leaves no marker: the cache stays unused.
 *
 * Several runs that end at once each start a fill. Nothing is ever removed inside the cache in
 * use: a complete one is left as it is, and one to be replaced is first moved aside whole (a
 * rename) and removed there. Removing it in place let a fill's removal meet another's half way
 * (Node 22's rmSync stops at the first entry the other removed first), which left a cache marked
 * complete with files missing, filled again later by a run, a refused one too.
 */
async function fill(dir: string): Promise<void> {
  const compiled = path.dirname(dir);
  // sudo may keep the user's HOME: root writes nothing into a folder that is not its own.
  if (!ownedByMe(compiled)) return;
  mkdirSync(compiled, { recursive: true, mode: 0o700 });
  chmodSync(compiled, 0o700);
  if (!compiledFolderPrivate(compiled)) return;
  if (completeAndPrivate(dir)) return;
  // Filled from nothing, in a folder of its own that becomes the cache whole (a rename), so that
  // what an incomplete cache holds (a run killed while filling it, another process filling it at
  // the same time, a folder others could write to) is never read back.
  const filling = path.join(compiled, `.${path.basename(dir)}.${process.pid}.filling`);
  const aside = path.join(compiled, `.${path.basename(dir)}.${process.pid}.replaced`);
  rmSync(filling, { recursive: true, force: true });
  mkdirSync(filling, { mode: 0o700 });
  try {
    const enabled = api.enableCompileCache?.(filling);
    if (enabled === undefined || enabled.status !== api.constants?.compileCacheStatus?.ENABLED) return;
    const bundle = path.dirname(fileURLToPath(import.meta.url));
    const self = path.basename(fileURLToPath(import.meta.url));
    for (const name of readdirSync(bundle).sort()) {
      // The CLI's own script keeps a code cache of its own (load-cli.ts).
      if (name !== self && name !== CLI_SCRIPT_NAME && /\.(mjs|cjs)$/.test(name)) await import(pathToFileURL(path.join(bundle, name)).href);
    }
    api.flushCompileCache?.();
    writeFileSync(path.join(filling, MARKER), `${BUILD ?? ''} ${process.version}\n`, { mode: 0o600 });
    // Another fill may have finished while this one compiled: its cache is as good.
    if (completeAndPrivate(dir)) return;
    try {
      renameSync(dir, aside);
    } catch {
      // None there, or another fill moved it aside first.
    }
    try {
      renameSync(filling, dir);
    } catch {
      // Another fill put its own in place between the two renames.
    }
  } finally {
    rmSync(filling, { recursive: true, force: true });
    rmSync(aside, { recursive: true, force: true });
  }
  // Another build's, unfilled for a month: an install of provision used alternately with this
  // one would otherwise fill its cache again at every other run. (What another fill removes
  // meanwhile is no longer there to look at.)
  const monthAgo = Date.now() - 30 * 24 * 3600 * 1000;
  for (const other of readdirSync(compiled)) {
    const at = path.join(compiled, other);
    const changed = lstatSync(at, { throwIfNoEntry: false })?.mtimeMs;
    // This build's script caches (`<dir>.<command>.v8`, load-cli.ts) are written once and stay.
    const ours = at === dir || other.startsWith(`${path.basename(dir)}.`);
    if (!ours && changed !== undefined && changed < monthAgo) rmSync(at, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--fill-compiled-cache' && process.argv[3] !== undefined && process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[3];
  // Only the folder this build would use: the argument names no other place.
  if (dir === compiledCacheDir()) {
    fill(dir).catch(() => {
      process.exitCode = 1;
    });
  } else {
    process.exitCode = 2;
  }
}
