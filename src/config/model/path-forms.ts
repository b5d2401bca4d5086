/**
 * The forms of paths a declaration may contain, checked in one place so the semantic checks and
 * the resolver agree: folders relative to a drive's top, Windows drive letters, absolute paths.
 */

export type DrivePathProblem = 'empty' | 'absolute' | 'escapes';

export type DrivePath = { ok: true; segments: string[] } | { ok: false; problem: DrivePathProblem };

/**
 * True when a path steps up with `..`. An absolute path that does so names some other folder
 * than it seems to (`/Users/alex/../../etc` is /etc): provision refuses to guess which was meant.
 */
export function stepsUp(p: string): boolean {
  return p.split(/[\\/]/).includes('..');
}

/** An absolute path in either style: `/x`, `\x`, `C:`, `C:\x`, `C:/x`, `\\server\share`. */
export function looksAbsolute(p: string): boolean {
  return p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:/.test(p);
}

/**
 * A folder relative to a drive's top, split into its folder names with `.` and `..` resolved.
 * Both `/` and `\` separate folders, so a path written for either platform means the same.
 */
export function parseDrivePath(p: string): DrivePath {
  if (looksAbsolute(p)) return { ok: false, problem: 'absolute' };
  const segments: string[] = [];
  for (const part of p.split(/[\\/]+/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (segments.pop() === undefined) return { ok: false, problem: 'escapes' };
      continue;
    }
    segments.push(part);
  }
  return segments.length === 0 ? { ok: false, problem: 'empty' } : { ok: true, segments };
}

/**
 * A key for comparing folders on the same drive. Mac volumes are case-insensitive (and
 * normalisation-insensitive) by default, so `MobileSync/Alex` and `mobilesync/alex` are one folder.
 */
export function folderKey(segments: readonly string[]): string[] {
  return segments.map((s) => s.normalize('NFC').toLowerCase());
}

/** True when folder `a` is folder `b` or contains it (both given as folderKey segments). */
export function folderContains(a: readonly string[], b: readonly string[]): boolean {
  return a.length <= b.length && a.every((s, i) => s === b[i]);
}

/** `E:`, `e:\` or `E:/` as the drive's root `E:\`; undefined when it is not a drive letter. */
export function driveLetterRoot(value: string): string | undefined {
  const m = /^([A-Za-z]):[\\/]?$/.exec(value);
  return m?.[1] === undefined ? undefined : `${m[1].toUpperCase()}:\\`;
}

export function isAbsolutePosix(p: string): boolean {
  return p.startsWith('/');
}

/** `C:\Users\x` or `\\server\share\x`: an absolute Windows path. */
export function isAbsoluteWindows(p: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(p) || /^\\\\[^\\]/.test(p);
}

/** An absolute posix path without trailing slashes (the root stays `/`). */
export function trimTrailingSlashes(p: string): string {
  const trimmed = p.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}
