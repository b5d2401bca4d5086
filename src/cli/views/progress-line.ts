import type { StepProgress } from '../../engine/apply/step-context.js';
import { formatBytes, groupDigits } from '../../text/units.js';

/**
 * One line of progress for a long step: a bar, the amounts done, the rate and the time left,
 * fitted to the terminal's width. The rate is measured over the last few seconds of the
 * current phase, so a slow start (or a burst of small files) does not skew the time left for
 * long; a new phase ("verifying" after "copying") starts its own measurement.
 */
export class ProgressMeter {
  private activity = '';
  private samples: { at: number; amount: number }[] = [];

  constructor(private readonly windowMs = 5000) {}

  line(p: StepProgress, now: number, columns: number | undefined): string {
    const byBytes = p.totalBytes > 0;
    const done = byBytes ? p.bytes : p.files;
    const total = byBytes ? p.totalBytes : p.totalFiles;
    if (p.activity !== this.activity) {
      this.activity = p.activity;
      this.samples = [];
    }
    this.samples.push({ at: now, amount: done });
    while (this.samples.length > 2 && now - (this.samples[0]?.at ?? now) > this.windowMs) this.samples.shift();
    if (total === 0) return p.activity;

    const fraction = Math.min(1, done / total);
    const pct = `${Math.floor(fraction * 100)}%`;
    const files = `${groupDigits(p.files)} of ${groupDigits(p.totalFiles)} files`;
    const amounts = byBytes ? `${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)}` : files;
    const rate = this.rate();
    const rateText = rate === undefined ? undefined : byBytes ? `${formatBytes(rate)}/s` : `${groupDigits(Math.round(rate))} files/s`;
    const left = rate === undefined || rate <= 0 ? undefined : `${formatDuration((total - done) / rate)} left`;

    // What is dropped first on a narrow terminal: the bar, then the file count, then the rate.
    const width = columns ?? 80;
    const candidates: (string | undefined)[][] = [
      [`${bar(fraction, 12)} ${pct}`, amounts, byBytes ? files : undefined, rateText, left],
      [pct, amounts, byBytes ? files : undefined, rateText, left],
      [pct, amounts, rateText, left],
      [pct, amounts, left],
      [pct, left],
      [pct],
    ];
    for (const parts of candidates) {
      const text = `${p.activity}: ${parts.filter((s) => s !== undefined).join(', ')}`;
      // listr2 indents a task's output by a few columns; keep clear of the edge.
      if (text.length <= width - 6) return text;
    }
    return `${p.activity}: ${pct}`;
  }

  /** Amount per second over the window, once there are two samples at least half a second apart. */
  private rate(): number | undefined {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (first === undefined || last === undefined || last.at - first.at < 500) return undefined;
    return ((last.amount - first.amount) * 1000) / (last.at - first.at);
  }
}

function bar(fraction: number, width: number): string {
  const full = Math.round(fraction * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}]`;
}

/** "45 s", "3 min", "1 h 20 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
