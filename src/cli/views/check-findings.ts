import type { HealthFinding, HealthSeverity } from '../../engine/health/finding.js';
import { printable } from '../../text/printable.js';
import type { Style } from '../../text/style.js';
import { plural } from '../../text/units.js';
import { wrapText } from '../../text/wrap-text.js';

const RANK: Record<HealthSeverity, number> = { problem: 0, warning: 1, ok: 2 };
const MARK: Record<HealthSeverity, string> = { problem: 'problem', warning: 'warning', ok: 'ok' };

/** Worst first; within a severity, the members in the order given, then the machine's own. */
export function orderFindings(findings: readonly HealthFinding[], users: readonly string[]): HealthFinding[] {
  const who = (f: HealthFinding): number => (f.subject.user === undefined ? users.length : Math.max(0, users.indexOf(f.subject.user)));
  return [...findings].sort((a, b) => RANK[a.severity] - RANK[b.severity] || who(a) - who(b));
}

/**
 * Findings as text grouped the way people think of them: each household member, then the
 * machine's own (drives, Time Machine, shares, scheduled runs). Text read from disk (device
 * names) is escaped. With `onlyNotOk`, fine findings are left out (status shows those itself).
 */
export function renderFindingGroups(findings: readonly HealthFinding[], users: readonly string[], style: Style, width: number, options: { onlyNotOk?: boolean } = {}): string[] {
  const shown = options.onlyNotOk === true ? findings.filter((f) => f.severity !== 'ok') : findings;
  const out: string[] = [];
  const groups: [string, HealthFinding[]][] = users.map((u) => [u, shown.filter((f) => f.subject.user === u)]);
  groups.push(['This machine', shown.filter((f) => f.subject.user === undefined)]);
  for (const [who, list] of groups) {
    if (list.length === 0) continue;
    out.push('', style.bold(who));
    for (const f of orderFindings(list, users)) out.push(...renderFinding(f, style, width));
  }
  return out;
}

export function renderFinding(f: HealthFinding, style: Style, width: number): string[] {
  const colour = f.severity === 'ok' ? style.green : f.severity === 'warning' ? style.yellow : style.red;
  const head = `${MARK[f.severity]}: `;
  const inner = Math.max(20, width - 2 - head.length);
  const lines = wrapText(printable(f.words, { limit: 1000 }), inner).map((l, i) => (i === 0 ? `  ${colour(`${head}${l}`)}` : `  ${' '.repeat(head.length)}${l}`));
  if (f.fix !== undefined) lines.push(...wrapText(`fix: ${printable(f.fix, { limit: 1000 })}`, inner).map((l) => `  ${' '.repeat(head.length)}${l}`));
  return lines;
}

export function findingsSummary(counts: Record<HealthSeverity, number>): string {
  if (counts.problem > 0) return `${plural(counts.problem, 'problem')} and ${plural(counts.warning, 'warning')} found; ${counts.ok} fine.`;
  if (counts.warning > 0) return `${plural(counts.warning, 'warning')}; ${counts.ok} fine.`;
  return `All ${plural(counts.ok, 'check')} fine.`;
}
