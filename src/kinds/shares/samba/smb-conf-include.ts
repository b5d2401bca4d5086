/**
 * Adds `include = <provision.conf>` to the end of a machine's smb.conf, touching nothing else:
 * the file is the user's, so every other byte (line endings included) stays as it was.
 *
 * Whether the include is already there is decided the way Samba reads the file (checked with
 * testparm on Samba 4.17): a line whose first non-blank character is `#` or `;` is a comment; a
 * line ending in `\` (trailing blanks allowed) continues on the next one, so an `include` there
 * is part of the previous setting; a run of blanks counts as one; the setting's name is matched
 * ignoring case and blanks (`In Clude` is `include`); the value is taken literally (quotes are
 * not removed). Paths are compared after collapsing `//` and `/./`, without asking the disk.
 */

import { posix } from 'node:path';

/** C's isspace: what Samba skips and collapses. `\n` never occurs inside a physical line. */
const BLANK = /[ \t\v\f\r]/;
const BLANK_RUN = /[ \t\v\f\r]+/g;

export function withInclude(smbConf: string, includePath: string): string | undefined {
  checkIncludePath(includePath);
  for (const line of logicalLines(smbConf)) if (includes(line.text, includePath)) return undefined;
  const eol = lineEnding(smbConf);
  let text = smbConf;
  if (text.length > 0 && !text.endsWith('\n')) text += eol;
  // The blank line also ends a last line that ends in `\`, which would otherwise continue
  // into (and swallow) the lines added here.
  if (text.length > 0) text += eol;
  return `${text}# Added by provision: the shares it manages are in this file.${eol}include = ${includePath}${eol}`;
}

/**
 * smb.conf as Samba would read it with `fromPath`'s include naming `toPath` instead (added at
 * the end when smb.conf has none): what a new provision.conf is checked in before it takes the
 * old one's place. The include's physical lines are replaced; every other line stays.
 */
export function withIncludeMoved(smbConf: string, fromPath: string, toPath: string): string {
  checkIncludePath(toPath);
  const physical = smbConf.split('\n');
  let moved = false;
  for (const line of logicalLines(smbConf)) {
    if (!includes(line.text, fromPath)) continue;
    const cr = physical[line.last]?.endsWith('\r') === true ? '\r' : '';
    physical.splice(line.first, line.last - line.first + 1, `include = ${toPath}${cr}`, ...Array<string>(line.last - line.first).fill(''));
    moved = true;
  }
  return moved ? physical.join('\n') : (withInclude(smbConf, toPath) ?? smbConf);
}

/** Whether a logical line is an active `include` of this path. */
function includes(line: string, includePath: string): boolean {
  const equals = line.indexOf('=');
  if (line.startsWith('[') || equals < 0) return false;
  const name = line.slice(0, equals).replace(BLANK_RUN, '').toLowerCase();
  return name === 'include' && comparablePath(line.slice(equals + 1).trim()) === comparablePath(includePath);
}

/**
 * The settings and section headers Samba sees, one per logical line, blanks collapsed, with
 * the physical lines (0-based, first and last) each one spans.
 */
function* logicalLines(text: string): Generator<{ text: string; first: number; last: number }> {
  const physical = text.split('\n');
  for (let i = 0; i < physical.length; i++) {
    const first = i;
    let line = stripLeadingBlanks(physical[i] ?? '');
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    while (endsWithContinuation(line) && i + 1 < physical.length) {
      line = trimTrailingBlanks(line).slice(0, -1) + (physical[++i] ?? '');
    }
    yield { text: line.replace(BLANK_RUN, (run) => run[0] ?? ' ').trim(), first, last: i };
  }
}

function stripLeadingBlanks(line: string): string {
  let start = 0;
  while (start < line.length && BLANK.test(line[start] ?? '')) start++;
  return line.slice(start);
}

function endsWithContinuation(line: string): boolean {
  return trimTrailingBlanks(line).endsWith('\\');
}

function trimTrailingBlanks(line: string): string {
  return line.replace(/[ \t\v\f\r]+$/, '');
}

function comparablePath(value: string): string {
  const collapsed = value.replace(BLANK_RUN, (run) => run[0] ?? ' ');
  if (!collapsed.startsWith('/')) return collapsed;
  const normal = posix.normalize(collapsed);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

/** The file's own line ending: that of its last line break, LF when it has none. */
function lineEnding(text: string): string {
  const last = text.lastIndexOf('\n');
  return last > 0 && text[last - 1] === '\r' ? '\r\n' : '\n';
}

function checkIncludePath(includePath: string): void {
  if (!includePath.startsWith('/')) throw new Error(`The Samba include path "${includePath}" is not absolute`);
  if (/[\p{Cc}\u2028\u2029]/u.test(includePath)) throw new Error('The Samba include path contains a control character or a line end');
  // Samba expands %-variables in include paths (include = /etc/samba/%m.conf).
  if (includePath.includes('%')) throw new Error(`The Samba include path "${includePath}" contains "%", which Samba expands as a variable`);
  if (includePath.trim() !== includePath || / {2,}/.test(includePath)) {
    throw new Error(`The Samba include path "${includePath}" has spaces Samba would drop or merge`);
  }
  if (includePath.endsWith('\\')) throw new Error(`The Samba include path "${includePath}" ends with a backslash, which continues the line`);
}
