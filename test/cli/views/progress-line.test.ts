import { describe, expect, it } from 'vitest';
import { ProgressMeter, formatDuration } from '../../../src/cli/views/progress-line.js';

const MiB = 1024 * 1024;
const copying = (bytes: number, files: number) => ({ activity: 'copying', bytes, files, totalBytes: 100 * MiB, totalFiles: 1000 });

describe('progress line', () => {
  it('shows a bar, amounts, files, the rate and the time left once there is a rate', () => {
    const m = new ProgressMeter();
    expect(m.line(copying(0, 0), 0, 120)).toBe('copying: [------------] 0%, 0 B of 100 MiB, 0 of 1,000 files');
    const line = m.line(copying(25 * MiB, 250), 1000, 120);
    expect(line).toBe('copying: [###---------] 25%, 25 MiB of 100 MiB, 250 of 1,000 files, 25 MiB/s, 3 s left');
  });

  it('measures the rate over the recent window, not since the start', () => {
    const m = new ProgressMeter(5000);
    m.line(copying(0, 0), 0, 200);
    m.line(copying(1 * MiB, 10), 10_000, 200); // a slow start: 0.1 MiB/s
    m.line(copying(2 * MiB, 20), 20_000, 200);
    const line = m.line(copying(52 * MiB, 520), 21_000, 200); // now 50 MiB/s
    expect(line).toMatch(/, 50 MiB\/s, 1 s left$/);
  });

  it('starts a new measurement for a new phase, and counts files when there are no bytes', () => {
    const m = new ProgressMeter();
    m.line(copying(100 * MiB, 1000), 0, 200);
    const removing = { activity: 'removing the original', bytes: 0, files: 0, totalBytes: 0, totalFiles: 1000 };
    expect(m.line(removing, 1000, 200)).toBe('removing the original: [------------] 0%, 0 of 1,000 files');
    expect(m.line({ ...removing, files: 500 }, 2000, 200)).toBe('removing the original: [######------] 50%, 500 of 1,000 files, 500 files/s, 1 s left');
  });

  it('fits a narrow terminal by dropping the bar, then the file count, then the rate', () => {
    const m = new ProgressMeter();
    m.line(copying(0, 0), 0, 40);
    const wide = m.line(copying(25 * MiB, 250), 1000, 200);
    for (const columns of [100, 80, 60, 50, 40, 30]) {
      const line = new ProgressMeter().line(copying(25 * MiB, 250), 1000, columns);
      expect(line.length, `${columns}: ${line}`).toBeLessThanOrEqual(Math.max(columns - 6, 'copying: 25%'.length));
    }
    expect(wide).toContain('[###');
    expect(new ProgressMeter().line(copying(25 * MiB, 250), 0, 40)).toBe('copying: 25%, 25 MiB of 100 MiB');
  });

  it('says nothing but the activity when there is no total', () => {
    expect(new ProgressMeter().line({ activity: 'verifying', bytes: 0, files: 0, totalBytes: 0, totalFiles: 0 }, 0, 80)).toBe('verifying');
  });

  it('formats durations', () => {
    expect(formatDuration(0.2)).toBe('1 s');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(600)).toBe('10 min');
    expect(formatDuration(4800)).toBe('1 h 20 min');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('?');
  });
});
