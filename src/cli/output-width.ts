/**
 * How wide text output may be. Two rules, for two kinds of output:
 * - terminalWidth: the plan is wrapped only on a terminal; a log or a pipe gets whole lines,
 *   which grep and diff read best;
 * - outputColumns: status, doctor and schedule lay out blocks, which always need a width: the
 *   terminal's, else $COLUMNS (as GNU ls does, so `COLUMNS=60 provision status | less` fits a
 *   narrow pane), else 80.
 */

export function terminalWidth(stream: { isTTY?: boolean; columns?: number }): number | undefined {
  return stream.isTTY === true && stream.columns !== undefined && stream.columns > 0 ? stream.columns : undefined;
}

export function outputColumns(stream: { columns?: number }, env: Record<string, string | undefined>): number {
  if (stream.columns !== undefined && stream.columns > 0) return stream.columns;
  const fromEnv = Number.parseInt(env['COLUMNS'] ?? '', 10);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 80;
}
