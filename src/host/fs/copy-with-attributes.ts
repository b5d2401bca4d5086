/**
 * The Node copy (copy-tree.ts) plus extended attributes and POSIX ACLs carried by the attr
 * tools: one `getfattr -R -d -m - -h -e hex` of the source before the copy (it prints only the
 * entries that have attributes), then one `setfattr -h --restore=-` in the copy. The alternative
 * to `cp -a` on Linux (copy-files.ts says which is used, and why).
 */

import { basename, dirname } from 'node:path';
import type { CopyOptions, CopyProgress, CopyResult } from '../host.js';
import { parseAttributeDump } from './compare-metadata.js';
import { copierFailure } from './copier-errors.js';
import { copyTree } from './copy-tree.js';

/**
 * Copies with the Node copy and restores the source's attributes in the copy. Where that cannot
 * be done faithfully it hands the copy to `fallback` (cp -a) instead: getfattr is missing (the
 * attributes are unknown), or there are attributes and provision does not run as root (setting
 * a user.* attribute needs write permission on the file, which a read-only file does not give
 * its owner; cp sets them before it sets the final mode).
 *
 * A copy of `entries` gives back what it read of the original (CopyResult.originalAttributes):
 * the verification that follows compares the copy against it instead of running getfattr over
 * the original a second time (CompareOptions.originalAttributes says when that may be done).
 */
export async function copyWithAttributes(from: string, to: string, options: CopyOptions, fallback: (from: string, to: string, options: CopyOptions) => Promise<CopyProgress>): Promise<CopyResult> {
  const { execa } = await import('execa');
  const names = options.entries ?? [basename(from)];
  const fromRoot = options.entries === undefined ? dirname(from) : from;
  const toRoot = options.entries === undefined ? dirname(to) : to;
  let dump = '';
  if (names.length > 0) {
    const r = await execa('getfattr', ['-R', '-d', '-m', '-', '-h', '-e', 'hex', '--', ...names], { cwd: fromRoot, reject: false, stdin: 'ignore', env: { LC_ALL: 'C' }, maxBuffer: 1024 ** 3 });
    const code = 'code' in r && typeof r.code === 'string' ? r.code : undefined;
    if (code === 'ENOENT') return fallback(from, to, options);
    dump = typeof r.stdout === 'string' ? r.stdout : '';
    if (dump.trim() !== '' && process.getuid?.() !== 0) return fallback(from, to, options);
  }
  const progress = await copyTree(from, to, options);
  const restore = rename(dump, options.entries === undefined ? [basename(from), basename(to)] : undefined);
  if (restore.trim() !== '') {
    const r = await execa('setfattr', ['-h', '--restore=-'], { cwd: toRoot, input: restore, reject: false, env: { LC_ALL: 'C' } });
    if (r.exitCode !== 0) throw copierFailure('setfattr', r.exitCode ?? 1, typeof r.stderr === 'string' ? r.stderr : '');
  }
  if (options.entries === undefined) return progress;
  return { ...progress, originalAttributes: { root: from, names: [...names], dump: parseAttributeDump(dump) } };
}

/** The dump without security.* (the destination's policy labels its files) and, for a renamed root, with its new name. */
function rename(dump: string, roots: [string, string] | undefined): string {
  const out: string[] = [];
  for (const line of dump.split('\n')) {
    if (line.startsWith('security.')) continue;
    if (roots !== undefined && line.startsWith('# file: ')) {
      const path = line.slice('# file: '.length);
      const [old, now] = roots;
      if (path === old || path.startsWith(`${old}/`)) {
        out.push(`# file: ${now}${path.slice(old.length)}`);
        continue;
      }
    }
    out.push(line);
  }
  return out.join('\n');
}
