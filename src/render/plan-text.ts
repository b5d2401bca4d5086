import type { Change, Plan } from '../engine/types.js';
import { ACTION_SYMBOL } from './symbols.js';
import type { Style } from './style.js';
import { summaryLine } from './summary.js';
import { formatBytes, plural } from './units.js';

/** Shortens a user's paths with ~ (posix or Windows separators). */
export function tildePath(p: string, home: string | undefined): string {
  if (home === undefined) return p;
  const lower = (s: string): string => s.toLowerCase();
  if (lower(p) === lower(home)) return '~';
  for (const sep of ['/', '\\']) {
    if (lower(p).startsWith(lower(home + sep))) return `~${sep}${p.slice(home.length + 1)}`;
  }
  return p;
}

/**
 * Terraform-style text: a header, then per changed resource its symbol, what it is, now and
 * after, data moved, blockers with their fix and warnings; unchanged resources are counted,
 * not listed; one summary line last.
 */
export function renderPlanText(plan: Plan, style: Style): string {
  const out: string[] = [];
  const root = plan.root === undefined ? '' : ` under --root ${plan.root}`;
  out.push(style.bold(`Machine ${plan.machine} (${plan.platform})${root}, users: ${plan.users.join(', ') || '(none)'}`));
  out.push('');
  const shown = plan.changes.filter((c) => c.action !== 'none' || c.warnings.length > 0);
  for (const c of shown) out.push(...renderChange(c, plan, style), '');
  const unchanged = plan.changes.filter((c) => c.action === 'none').length;
  if (unchanged > 0 && shown.length > 0) out.push(style.dim(`${plural(unchanged, 'resource')} already as declared.`), '');
  out.push(style.bold(summaryLine(plan)));
  return `${out.join('\n')}\n`;
}

function renderChange(c: Change, plan: Plan, style: Style): string[] {
  const home = c.user === undefined ? undefined : plan.homes[c.user];
  const colour = c.action === 'blocked' ? style.red : c.action === 'none' ? style.dim : c.action === 'create' ? style.green : style.yellow;
  const who = c.user === undefined ? '' : `${c.user}: `;
  const lines = [colour(`  ${ACTION_SYMBOL[c.action]} ${who}${c.title}${c.action === 'blocked' ? ' (blocked)' : ''}`)];
  lines.push(`      ${c.path.split(', ').map((p) => tildePath(p, home)).join(', ')}`);
  if (c.action !== 'none') {
    lines.push(`      now:   ${tildePathsIn(c.before, home)}`);
    lines.push(`      after: ${c.after}`);
    if (c.moves.files > 0 || c.moves.bytes > 0) lines.push(`      moves: ${formatBytes(c.moves.bytes)} in ${plural(c.moves.files, 'file')}`);
    if (c.action !== 'blocked') lines.push(style.dim(`      why:   ${c.reason}`));
  }
  for (const b of c.blockers) {
    lines.push(style.red(`      blocked: ${b.reason}`));
    lines.push(`          fix: ${b.fix}`);
  }
  for (const w of c.warnings) lines.push(style.yellow(`      note: ${w.message}`));
  return lines;
}

function tildePathsIn(text: string, home: string | undefined): string {
  if (home === undefined) return text;
  return text.split(home).join('~');
}
