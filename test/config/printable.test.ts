import { describe, expect, it } from 'vitest';
import { printable, quoted } from '../../src/text/printable.js';
import { formatProblem } from '../../src/config/format-problem.js';

/** Nothing a terminal would act on: C0/C1 controls, DEL, format characters, line separators. */
const ACTIVE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

describe('printable', () => {
  it('escapes what a terminal would act on, and leaves letters of every script alone', () => {
    expect(printable('a\x1b[31mred\x1b[0m')).toBe('a\\x1B[31mred\\x1B[0m');
    expect(printable('x\ty\r\nz')).toBe('x\\ty\\r\\nz');
    expect(printable('\u009b2J \u007f \u0000')).toBe('\\x9B2J \\x7F \\x00');
    expect(printable('abc\u202Egnp.exe')).toBe('abc\\u202Egnp.exe');
    expect(printable('\u2028')).toBe('\\u2028');
    expect(printable('Renée 東京 👍 C:\\Users')).toBe('Renée 東京 👍 C:\\Users');
  });

  it('is idempotent, so a message may pass through it twice', () => {
    const once = printable('\x1b]0;title\x07 and \u202E');
    expect(printable(once)).toBe(once);
  });

  it('cuts long input and says how long it was', () => {
    const shown = printable('x'.repeat(100_000));
    expect(shown.length).toBeLessThan(200);
    expect(shown).toContain('100000 characters');
    expect(printable('😀'.repeat(200), { limit: 10 })).toMatch(/^(😀){10}… /u);
  });

  it('keeps line breaks only when asked, for whole messages', () => {
    expect(printable('a\nb', { keepNewlines: true })).toBe('a\nb');
    expect(printable('a\r\nb', { keepNewlines: true })).toBe('a\\r\nb');
    expect(quoted('a\nb')).toBe('`a\\nb`');
  });
});

describe('formatProblem on hostile text', () => {
  it('escapes the file name, the message and the hint', () => {
    const out = formatProblem({
      code: 'CONFIG_INVALID',
      message: 'machine \x1b[2J\x1b[Hgone',
      hint: 'hint \u009b31m',
      location: { file: 'evil\nfake.yaml:1:1: all good\x07.yaml', line: 3, column: 4 },
    });
    expect(out.replace(/\n/g, '')).not.toMatch(ACTIVE);
    // The only line break is the one before the hint: no forged line can start a new one.
    expect(out.split('\n')).toHaveLength(2);
    expect(out).toContain('evil\\nfake.yaml:1:1: all good\\x07.yaml:3:4: ');
  });
});
