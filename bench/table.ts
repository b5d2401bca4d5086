/** Medians and ranges of timings, and the plain-text tables the benchmarks print. */

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? NaN;
  const lower = sorted[mid - 1] ?? upper;
  return sorted.length % 2 === 1 ? upper : (lower + upper) / 2;
}

export function formatSeconds(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  const s = ms / 1000;
  if (s < 1) return `${s.toFixed(3)} s`;
  if (s < 100) return `${s.toFixed(2)} s`;
  return `${s.toFixed(0)} s`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit] ?? 'B'}`;
}

/** "93.8-95.8 MiB": a range of sizes, the unit said once when both ends share it. */
export function bytesRange(values: readonly number[]): string {
  if (values.length === 0) return '-';
  const lo = formatBytes(Math.min(...values));
  const hi = formatBytes(Math.max(...values));
  const unit = (s: string): string => s.split(' ')[1] ?? '';
  return unit(lo) === unit(hi) ? `${lo.split(' ')[0] ?? lo}-${hi}` : `${lo}-${hi}`;
}

/** "1.234 s" for one run; "1.234 s" median with "1.100-1.400 s" beside it for several. */
export function timingCells(ms: readonly number[]): { median: string; range: string } {
  if (ms.length === 0) return { median: '-', range: '-' };
  const min = Math.min(...ms);
  const max = Math.max(...ms);
  return { median: formatSeconds(median(ms)), range: `${formatSeconds(min).replace(/ s$/, '')}-${formatSeconds(max)}` };
}

export function ratio(value: number, floor: number): string {
  if (!Number.isFinite(value) || !Number.isFinite(floor) || floor <= 0) return '-';
  return `${(value / floor).toFixed(2)}x`;
}

/** A table with a header row, columns padded to their widest cell; numbers right-aligned. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^[\d.,-]+( ?[a-zA-Z]+)?x?$|^-$/.test(r[i] ?? '')));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (numeric[i] === true ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}
