/**
 * Clearing the flags that make a file undeletable whatever its mode, before removing a tree.
 *
 * - Linux: the immutable (i) and append-only (a) attributes make unlink fail with EPERM, even
 *   for root; only a process with CAP_LINUX_IMMUTABLE (root outside a user namespace) may clear
 *   them, with `chattr -i -a` (chattr(1), e2fsprogs). `-R` walks a folder; it does not follow
 *   links met during the walk.
 * - macOS and the BSDs: the user flags uchg and uappnd (owner or superuser may clear them) and the
 *   system flags schg and sappnd (superuser only, and not at all while the kernel runs at a
 *   raised securelevel): chflags(1), `chflags -R nouchg,nouappnd`. The system flags are not
 *   touched: at the usual securelevel they cannot be cleared, and trying would hide the fix.
 *   Unlinking a file flagged uchg fails with EPERM (docs/platform-facts.md, BSD flags).
 * Node has no call for these flags, so the tools are run (argument arrays, never a shell).
 */

import { runCommand } from './run-command.js';

/** The command that clears what it can below path, or undefined where there is none (Windows). */
export function clearFlagsCommand(path: string): { command: string; args: string[] } | undefined {
  if (process.platform === 'linux') return { command: 'chattr', args: ['-R', '-i', '-a', '--', path] };
  if (process.platform === 'darwin' || process.platform.endsWith('bsd')) return { command: 'chflags', args: ['-R', 'nouchg,nouappnd', path] };
  return undefined;
}

/**
 * Tries to clear the flags below path. Resolves with what went wrong (the tool's message), or
 * undefined when it ran cleanly; the caller tries the removal again either way, since chattr
 * also complains about entries it cannot flag (links, fifos) while clearing the others.
 */
export async function clearFlags(path: string): Promise<string | undefined> {
  const c = clearFlagsCommand(path);
  if (c === undefined) return 'no tool to clear file flags on this platform';
  const r = await runCommand(c.command, c.args);
  if (r.exitCode === 0) return undefined;
  return (r.stderr.trim().split('\n')[0] ?? '') || `${c.command} exited with ${r.exitCode}`;
}

/** What the user runs to clear the flag on one file, for the error's hint. */
export function clearFlagsHint(file: string): string {
  const quoted = `'${file.replace(/'/g, `'\\''`)}'`;
  if (process.platform === 'linux') {
    return `the file is probably marked immutable or append-only (see lsattr ${quoted}). Clear it as root outside any container or user namespace: sudo chattr -i -a ${quoted}; then run provision apply again to finish`;
  }
  if (process.platform === 'darwin' || process.platform.endsWith('bsd')) {
    return `the file is probably locked (ls -lO ${quoted} shows uchg or schg). Unlock it in Finder (Get Info > Locked) or with chflags nouchg ${quoted}; a system flag (schg) needs the Mac started from Recovery. Then run provision apply again to finish`;
  }
  return `make ${file} deletable (clear its read-only attribute), then run provision apply again to finish`;
}
