/**
 * Loads the built CLI (dist/bundle/provision.cjs: all of provision's own code as one classic
 * script, scripts/bundle.mjs) through vm.Script, with V8's code cache of an earlier run of the
 * same command.
 *
 * Why not Node's module compile cache for it (compiled-cache.ts, which still serves the separate
 * library bundles): Node serializes a module's code right after compiling it, before it runs, so
 * its cache holds only what V8 compiles eagerly; the ~300 functions a plan calls were compiled
 * again at every start (about 8 ms of a 36 ms no-op plan, docs/performance.md). A vm.Script's
 * `createCachedData()` made after the run holds every function compiled so far.
 *
 * The cache is one file per command (what a `plan` calls is not what a `status` calls), written
 * only after a run that succeeded (exit 0: a refused run leaves the disk as it was), only when
 * there was none or V8 refused it, whole (a temporary file renamed), in the compiled-code folder
 * of compiled-cache.ts, and read back only when that folder and the file are the user's own and
 * no one else can write to them: V8 runs what it reads back. Its first line names the build, the
 * Node, and the script's size and modification time: V8 itself checks a cache against the
 * source's length only, so a script changed in place is never run with another one's code.
 * Assumption CODE_CACHE_READ_BACK_WHOLE (src/assumptions.ts): V8 does not checksum a code cache
 * in release builds, and a checksum here would cost what the cache saves.
 */

import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import nodeModule from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { CODE_CACHE_READ_BACK_WHOLE } from '../assumptions.js';
import { compiledFolderPrivate, ownedByMe, privateToMe } from '../config/cache-folder.js';
import type { CompiledCache } from './compiled-cache.js';

/** What the CLI's script exports (src/cli/main.ts). */
export interface CliExports {
  main(argv: string[]): Promise<number>;
  keepCompiled(command: { file: string; args: string[] }): Promise<void>;
  exitWhenIdle(code: number): Promise<void>;
}

export interface LoadedCli {
  readonly cli: CliExports;
  /** After the command: keeps the code V8 compiled, when the run succeeded and there was no usable cache. */
  keep(code: number): void;
}

/** The script: next to this file (dist/bundle/start.mjs) once built. */
export const CLI_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'provision.cjs');

/** The command a cache is kept for: the first word of the arguments, when it can be a command's name. */
export function commandKey(argv: readonly string[]): string {
  const word = argv.slice(2).find((a) => !a.startsWith('-'));
  return word !== undefined && /^[a-z][a-z-]{0,19}$/.test(word) ? word : 'other';
}

/** The cache file of a command, beside the compiled-code folder of this build and Node, or undefined when none is kept. */
export function scriptCacheFile(compiled: CompiledCache | undefined, argv: readonly string[]): string | undefined {
  if (compiled === undefined || !CODE_CACHE_READ_BACK_WHOLE) return undefined;
  return `${compiled.dir}.${commandKey(argv)}.v8`;
}

/** The first line of a cache file for this script: the build and Node its code is for, and the script it was made from. */
function headerFor(compiled: CompiledCache, script: string): string | undefined {
  try {
    const st = lstatSync(script, { bigint: true });
    return `provision code cache 1 ${path.basename(compiled.dir)} ${st.size} ${st.mtimeNs} ${st.ino}\n`;
  } catch {
    return undefined;
  }
}

/** The V8 data of a cache file that is private to the user and made from this very script, or undefined. */
function readCache(file: string, header: string): Buffer | undefined {
  const folder = path.dirname(file);
  if (!compiledFolderPrivate(folder) || !privateToMe(file, 'file')) return undefined;
  try {
    const bytes = readFileSync(file);
    const head = Buffer.from(header, 'latin1');
    return bytes.length > head.length && bytes.subarray(0, head.length).equals(head) ? bytes.subarray(head.length) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a cache file whole: a temporary file of this process renamed over it. Failing writes nothing (the cache is only time). */
function writeCache(file: string, header: string, data: Buffer): void {
  const folder = path.dirname(file);
  // sudo may keep the user's HOME: root writes nothing into a folder that is not its own.
  if (!ownedByMe(folder)) return;
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    if (!compiledFolderPrivate(folder)) return;
    writeFileSync(temp, Buffer.concat([Buffer.from(header, 'latin1'), data]), { mode: 0o600, flag: 'wx' });
    renameSync(temp, file);
  } catch {
    rmSync(temp, { force: true });
  }
}

/**
 * Compiles and runs the CLI's script (with its code cache when there is a usable one) and
 * returns what it exports. `script` and `argv` are for tests.
 */
export function loadCli(compiled: CompiledCache | undefined, argv: readonly string[] = process.argv, script: string = CLI_SCRIPT): LoadedCli {
  const file = scriptCacheFile(compiled, argv);
  const header = compiled !== undefined && file !== undefined ? headerFor(compiled, script) : undefined;
  const cachedData = file !== undefined && header !== undefined ? readCache(file, header) : undefined;
  // The build writes ASCII only (esbuild's default charset), which latin1 reads fastest.
  const source = readFileSync(script, 'latin1');
  const compiledScript = new vm.Script(source, { filename: script, ...(cachedData !== undefined ? { cachedData } : {}) });
  // The script is one function expression, called as Node calls a CommonJS module.
  const wrapper = compiledScript.runInThisContext() as (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string) => void;
  const module = { exports: {} };
  wrapper(module.exports, nodeModule.createRequire(script), module, script, path.dirname(script));
  return {
    cli: module.exports as CliExports,
    keep(code) {
      if (code !== 0 || file === undefined || header === undefined) return;
      if (cachedData !== undefined && !compiledScript.cachedDataRejected) return;
      writeCache(file, header, compiledScript.createCachedData());
    },
  };
}
