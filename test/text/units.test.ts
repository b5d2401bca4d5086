import { describe, expect, it } from 'vitest';
import { groupDigits, plural } from '../../src/text/units.js';

describe('numbers as en-US writes them, without starting ICU', () => {
  it('groups digits by three exactly as toLocaleString("en-US") does for whole numbers', () => {
    for (const n of [0, 1, 12, 123, 999, 1000, 1234, 12345, 123456, 1234567, 1000000, -1, -1234, 47660, Number.MAX_SAFE_INTEGER]) {
      expect(groupDigits(n)).toBe(n.toLocaleString('en-US'));
    }
  });

  it('plural: "1 file", "2,345 files"', () => {
    expect(plural(1, 'file')).toBe('1 file');
    expect(plural(2345, 'file')).toBe('2,345 files');
    expect(plural(0, 'drive')).toBe('0 drives');
  });
});
