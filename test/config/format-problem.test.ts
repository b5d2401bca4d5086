import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/config/format-problem.js';

describe('formatProblem', () => {
  it('prints FILE:LINE:COLUMN: message, then the hint indented', () => {
    expect(
      formatProblem({
        code: 'CONFIG_SCHEMA',
        message: 'machines.pc.platform must be one of macos, windows, linux',
        hint: 'use one of: macos, windows, linux',
        location: { file: 'backups.yaml', line: 18, column: 15 },
      }),
    ).toBe('backups.yaml:18:15: machines.pc.platform must be one of macos, windows, linux\n  hint: use one of: macos, windows, linux');
  });

  it('prints only the message when there is no location or hint', () => {
    expect(formatProblem({ code: 'CONFIG_UNREADABLE', message: 'Cannot read x' })).toBe('Cannot read x');
    expect(formatProblem({ code: 'CONFIG_UNREADABLE', message: 'Cannot read x', hint: 'check it' })).toBe('Cannot read x\n  hint: check it');
  });
});
