import type { HealthReport } from '../../watch/collect-health.js';
import type { Style } from '../../text/style.js';
import { fitWidth, wrapText } from '../../text/wrap-text.js';
import { findingsSummary, renderFindingGroups } from './check-findings.js';

/** `provision check` as text: a header, the findings per member and for the machine, a summary line. */
export function renderCheckText(r: HealthReport, style: Style, columns: number): string {
  const width = fitWidth(columns);
  const root = r.root === undefined ? '' : ` under --root ${r.root}`;
  const out = wrapText(`Health of the backups seen from ${r.machine} (${r.platform})${root}, members: ${r.users.join(', ') || '(none)'}`, width).map(style.bold);
  if (r.findings.length === 0) out.push('', '  nothing to look at: this machine declares no backups provision can check');
  out.push(...renderFindingGroups(r.findings, r.users, style, width));
  const colour = r.summary.problem > 0 ? style.red : r.summary.warning > 0 ? style.yellow : style.green;
  out.push('', ...wrapText(findingsSummary(r.summary), width).map(colour));
  return `${out.join('\n')}\n`;
}
