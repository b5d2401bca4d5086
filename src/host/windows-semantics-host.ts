import { lstat, readdir, symlink, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { HostReads } from './host.js';

/**
 * TEST-ONLY (the `windows` test hook, test-hooks-host.ts): the file-system rules of Windows that
 * the Windows scenarios depend on, on the Linux disk the tests run on, so those scenarios fail
 * here as they would on a PC (docs/platform-facts.md, "Windows links"):
 * - `rename` over an existing directory or junction fails (Node's rename is MoveFileExW with
 *   MOVEFILE_REPLACE_EXISTING, which Microsoft documents as unusable when either name is a
 *   directory; a junction is one): EPERM, as libuv reports ERROR_ACCESS_DENIED;
 * - a junction's target must be an absolute local path: libuv refuses a UNC one ("UNC paths are
 *   never valid for junctions"), and a relative one is made absolute by Node;
 * - `rmdir` of a junction removes the junction only (RemoveDirectoryW), where Linux's rmdir of
 *   a symbolic link fails; `unlink` of one works on both (libuv unlinks a directory that is a
 *   reparse point);
 * - names are case-insensitive: a path that differs only in case is the same file;
 * - a mapped network drive's letter resolves (realpath) to its \\server\share: libuv's
 *   realpath is GetFinalPathNameByHandleW, which answers a UNC path for one (`network`).
 * A junction is a symbolic link here; what Windows would store as its target is the string given.
 */
export function withWindowsSemantics<H extends HostReads>(host: H, options: { network?: Record<string, string> } = {}): H {
  const exists = async (p: string): Promise<boolean> => (await lstatCaseless(p)) !== undefined;
  const isDirectoryLike = async (p: string): Promise<boolean> => {
    const st = await lstatCaseless(p);
    return st !== undefined && (st.isDirectory() || st.isSymbolicLink());
  };
  const overrides: Record<string, (...args: never[]) => Promise<unknown>> = {
    async rename(from: string, to: string) {
      if ((await exists(to)) && ((await isDirectoryLike(to)) || (await isDirectoryLike(from)))) {
        throw errno('EPERM', `EPERM: operation not permitted, rename '${from}' -> '${to}' (MoveFileExW cannot replace a directory or junction)`);
      }
      return (host as unknown as { rename(a: string, b: string): Promise<void> }).rename(from, to);
    },
    async link(target: string, at: string, type: string) {
      if (type === 'junction') {
        if (/^(\\\\|\/\/)/.test(target)) throw errno('EINVAL', `EINVAL: a junction cannot point at a network location, '${target}'`);
        if (!/^[A-Za-z]:[\\/]/.test(target)) throw errno('EINVAL', `EINVAL: a junction needs an absolute local path, '${target}'`);
        // Windows keeps the target as given; the test stands in with a symbolic link holding it.
        return symlink(target, at);
      }
      return (host as unknown as { link(a: string, b: string, t: string): Promise<void> }).link(target, at, type);
    },
    async rmdir(p: string) {
      const st = await lstatCaseless(p);
      if (st?.isSymbolicLink() === true) return unlink(p);
      return (host as unknown as { rmdir(a: string): Promise<void> }).rmdir(p);
    },
    async realpath(p: string) {
      for (const [letter, unc] of Object.entries(options.network ?? {})) {
        if (p === letter) return `${unc}\\`;
        if (p.startsWith(`${letter}${path.sep}`)) return `${unc}\\${p.slice(letter.length + 1).split(path.sep).join('\\')}`;
      }
      return host.realpath(p);
    },
    async lstat(p: string) {
      const direct = await (host as unknown as { lstat(a: string): Promise<unknown> }).lstat(p);
      if (direct !== undefined) return direct;
      const other = await caselessName(p);
      return other === undefined ? undefined : (host as unknown as { lstat(a: string): Promise<unknown> }).lstat(other);
    },
  };
  return new Proxy(host, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && prop in overrides) return overrides[prop];
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function errno(code: string, message: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(message);
  e.code = code;
  return e;
}

/** The name in the parent folder that differs from p's only in case, if any. */
async function caselessName(p: string): Promise<string | undefined> {
  const dir = path.dirname(p);
  if (dir === p) return undefined;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return undefined;
  }
  const want = path.basename(p).toLowerCase();
  const hit = names.find((n) => n.toLowerCase() === want);
  return hit === undefined ? undefined : path.join(dir, hit);
}

async function lstatCaseless(p: string): Promise<import('node:fs').Stats | undefined> {
  try {
    return await lstat(p);
  } catch {
    const other = await caselessName(p);
    if (other === undefined) return undefined;
    try {
      return await lstat(other);
    } catch {
      return undefined;
    }
  }
}
