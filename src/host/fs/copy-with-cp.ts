/**
 * A copy by GNU cp (coreutils), the Linux platform's own copier: `cp -a` keeps modes, owners
 * (as root), times to the nanosecond, extended attributes (POSIX ACLs included: Linux stores
 * them as system.posix_acl_* attributes) and hard links among everything one run copies, and
 * never follows a link inside the tree (coreutils manual, "cp invocation": -a is -dR
 * --preserve=all; -d keeps links as links and hard links between copied files).
 * Not carried: chattr flags (immutable, append-only...): see docs/safety.md.
 */

import { join } from 'node:path';
import { lstat } from 'node:fs/promises';
import { lstatSync } from 'node:fs';
import type { CopyOptions, CopyProgress } from '../host.js';
import { fsError } from './fs-error.js';
import { makeDurable } from './make-durable.js';
import { runCopier } from './run-copier.js';

export async function copyWithCp(from: string, to: string, options: CopyOptions = {}, command = 'cp'): Promise<CopyProgress> {
  let args: string[];
  if (options.entries !== undefined) {
    if (options.entries.length === 0) return { files: 0, bytes: 0 };
    // -t: into the existing folder `to`, each source under its own name.
    args = ['-a', '-v', '-t', to, '--', ...options.entries.map((e) => join(from, e))];
  } else {
    // As the Node copy: `to` must not exist (cp -T would merge into it).
    if ((await lstat(to).catch(() => undefined)) !== undefined) throw fsError('EEXIST', 'copytree', to);
    args = ['-a', '-v', '-T', '--', from, to];
  }
  const watched = options.entries !== undefined ? to : join(to, '..');
  const seen = new Set<string>();
  const progress = await runCopier('cp', command, args, watched, options, (line) => {
    // cp -v: 'src' -> 'dest'. A name holding a quote or a control character is shell-escaped
    // (then this reads nothing, and the file is not counted: progress only).
    const m = /^'.*' -> '([^']*)'$/.exec(line);
    if (m?.[1] === undefined) return undefined;
    try {
      const st = lstatSync(m[1]);
      if (!st.isFile()) return undefined;
      // A second name of a file copied already (a hard link) takes no more room.
      if (st.nlink > 1) {
        const key = `${st.dev}:${st.ino}`;
        if (seen.has(key)) return { file: true, bytes: 0 };
        seen.add(key);
      }
      return { file: true, bytes: st.size };
    } catch {
      return undefined;
    }
  });
  await makeDurable(to);
  return progress;
}
