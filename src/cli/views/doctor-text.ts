import { printable } from '../../text/printable.js';
import { countByStatus, hasProblems, type CheckStatus, type DoctorCheck, type DoctorReport } from '../../doctor/types.js';
import type { Style } from '../../text/style.js';
import { plural } from '../../text/units.js';
import { wrapText } from '../../text/wrap-text.js';

/** The status column: as wide as its longest word plus a space, so every text starts aligned. */
const LABEL: Record<CheckStatus, string> = { ok: 'ok', warning: 'warning', problem: 'problem' };
const INDENT = 9;

/**
 * The checklist, one block per check: its status word (green, yellow or red), its title, what
 * was found and the fix, each wrapped under the text column so that it reads at 60 columns.
 * Ends with one line saying whether anything stands in the plan's way.
 */
export function renderDoctorText(r: DoctorReport, style: Style, width: number, home: string | undefined): string {
  const out: string[] = [];
  const head =
    r.machine === undefined
      ? 'provision doctor'
      : `provision doctor: machine ${r.machine} (${r.platform ?? '?'})${r.root === undefined ? '' : ` under --root ${r.root}`}, users: ${r.users.join(', ') || '(none)'}`;
  out.push(...wrap(head, width, 0).map((l) => style.bold(l)), '');
  for (const c of r.checks) out.push(...renderCheck(c, r, style, width, home), '');
  if (r.stopped !== undefined) out.push(...wrap(`Stopped: ${r.stopped}.`, width, 0).map((l) => style.yellow(l)), '');
  out.push(...wrap(summaryLine(r), width, 0).map((l) => style.bold(l)));
  return `${out.join('\n')}\n`;
}

export function summaryLine(r: DoctorReport): string {
  const n = countByStatus(r);
  if (!hasProblems(r)) {
    return n.warning === 0 ? 'No problems found. Next: provision plan' : `No problems, ${plural(n.warning, 'warning')}. Next: provision plan`;
  }
  const warnings = n.warning === 0 ? '' : `, ${plural(n.warning, 'warning')}`;
  return `${plural(n.problem, 'problem')}${warnings}: fix the problems, then run provision doctor again.`;
}

function renderCheck(c: DoctorCheck, r: DoctorReport, style: Style, width: number, home: string | undefined): string[] {
  const colour = c.status === 'ok' ? style.green : c.status === 'warning' ? style.yellow : style.red;
  const shorten = (text: string): string => shortenPaths(text, r, home);
  const lines: string[] = [];
  lines.push(colour(LABEL[c.status]) + ' '.repeat(INDENT - LABEL[c.status].length) + style.bold(printable(c.title)));
  lines.push(...wrap(shorten(c.found), width, INDENT));
  for (const d of c.details) {
    // A detail's later lines (a validation problem's hint) continue under its bullet.
    d.split('\n').forEach((part, i) => lines.push(...wrap(shorten(part.trim()), width, INDENT + 2, i === 0 ? '- ' : '')));
  }
  if (c.fix !== undefined) lines.push(...wrap(`fix: ${c.fix}`, width, INDENT));
  return lines;
}

/** Text wrapped to the width and indented; a bullet (if any) goes before the first line only. */
function wrap(text: string, width: number, indent: number, bullet = ''): string[] {
  const room = Math.max(20, width - indent);
  const safe = printable(text, { limit: 4000 });
  return wrapText(safe, room).map((l, i) => (i === 0 ? ' '.repeat(indent - bullet.length) + bullet + l : ' '.repeat(indent) + l));
}

/** Paths with ~ for the homes of the users looked at, and for the person running provision. */
function shortenPaths(text: string, r: DoctorReport, home: string | undefined): string {
  let out = text;
  for (const [user, h] of Object.entries(r.homes)) {
    if (h !== home) out = out.split(`${h}/`).join(`~${user}/`);
  }
  if (home !== undefined && home !== '/') out = out.split(`${home}/`).join('~/');
  return out;
}
