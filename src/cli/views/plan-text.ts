import type { Change, Plan } from '../../engine/types.js';
import { ACTION_SYMBOL } from './symbols.js';
import type { Style } from '../../text/style.js';
import { summaryLine } from './summary.js';
import { formatBytes, plural } from '../../text/units.js';
import { wrapText } from '../../text/wrap-text.js';
import { tildePath } from '../../text/tilde-path.js';

/**
 * Terraform-style text: a header, then per changed resource its symbol, what it is, now and
 * after, data moved, blockers with their fix and warnings; unchanged resources are counted,
 * not listed; one summary line last. Given a width (a terminal's), long lines wrap under their
 * own text rather than back at column 0, so a narrow terminal keeps the layout readable.
 */
export function renderPlanText(plan: Plan, style: Style, width?: number): string {
  const out: string[] = [];
  const root = plan.root === undefined ? '' : ` under --root ${plan.root}`;
  out.push(...block('', `Machine ${plan.machine} (${plan.platform})${root}, users: ${plan.users.join(', ') || '(none)'}`, width, style.bold));
  out.push('');
  const shown = plan.changes.filter((c) => c.action !== 'none' || c.warnings.length > 0);
  for (const c of shown) out.push(...renderChange(c, plan, style, width), '');
  const unchanged = plan.changes.filter((c) => c.action === 'none').length;
  if (unchanged > 0 && shown.length > 0) out.push(...block('', `${plural(unchanged, 'resource')} already as declared.`, width, style.dim), '');
  out.push(...block('', summaryLine(plan), width, style.bold));
  return `${out.join('\n')}\n`;
}

function renderChange(c: Change, plan: Plan, style: Style, width: number | undefined): string[] {
  const home = c.user === undefined ? undefined : plan.homes[c.user];
  const colour = c.action === 'blocked' ? style.red : c.action === 'none' ? style.dim : c.action === 'create' ? style.green : style.yellow;
  const who = c.user === undefined ? '' : `${c.user}: `;
  const lines = block(`  ${ACTION_SYMBOL[c.action]} `, `${who}${c.title}${c.action === 'blocked' ? ' (blocked)' : ''}`, width, colour);
  lines.push(...block('      ', c.path.split(', ').map((p) => tildePath(p, home)).join(', '), width));
  if (c.action !== 'none') {
    lines.push(...block('      now:   ', tildePathsIn(c.before, home), width));
    lines.push(...block('      after: ', c.after, width));
    if (c.moves.files > 0 || c.moves.bytes > 0) lines.push(...block('      moves: ', `${formatBytes(c.moves.bytes)} in ${plural(c.moves.files, 'file')}`, width));
    if (c.action !== 'blocked') lines.push(...block('      why:   ', c.reason, width, style.dim));
  }
  for (const b of c.blockers) {
    lines.push(...block('      blocked: ', b.reason, width, style.red));
    lines.push(...block('          fix: ', b.fix, width));
  }
  for (const w of c.warnings) lines.push(...block('      note: ', w.message, width, style.yellow));
  return lines;
}

/**
 * A label and its text as lines: the text wrapped to the width, continuation lines indented to
 * where the text starts (or by a little when the label is too wide for that), then coloured.
 */
function block(label: string, text: string, width: number | undefined, colour: (s: string) => string = (s) => s): string[] {
  if (width === undefined) return [colour(label + text)];
  const indent = label.length <= width / 2 ? label.length : 4;
  const [first = '', ...rest] = wrapText(text, Math.max(20, width - label.length));
  return [colour(label + first), ...rest.map((l) => colour(' '.repeat(indent) + l))];
}

function tildePathsIn(text: string, home: string | undefined): string {
  if (home === undefined) return text;
  return text.split(home).join('~');
}
