import { describe, expect, it } from 'vitest';
import { excessiveNesting, MAX_NESTING } from '../../src/config/read/nesting-depth.js';
import { EXAMPLE, fixtureFiles, readFixture } from './fixtures.js';

describe('excessiveNesting', () => {
  it('lets every real declaration through', () => {
    for (const file of fixtureFiles('good')) expect(excessiveNesting(readFixture(file)), file).toBeUndefined();
    expect(excessiveNesting(EXAMPLE)).toBeUndefined();
  });

  it('finds the bracket, dash or line that goes too deep', () => {
    const deep = MAX_NESTING + 1;
    expect(excessiveNesting(`a: ${'['.repeat(deep)}`)).toBe(3 + MAX_NESTING - 1);
    expect(excessiveNesting(`a: ${'{b: '.repeat(deep)}`)).toBeDefined();
    expect(excessiveNesting(`${'- '.repeat(deep)}x`)).toBeDefined();
    const indented = Array.from({ length: deep }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    expect(excessiveNesting(indented)).toBeDefined();
    expect(excessiveNesting('['.repeat(1_000_000))).toBeDefined();
  });

  it('does not count brackets in quotes, comments, plain text or block scalars', () => {
    const many = '['.repeat(MAX_NESTING * 3);
    for (const text of [
      `a: "${many}"\n`,
      `a: '${many}'\n`,
      `a: x ${many}\n`,
      `# ${many}\na: 1\n`,
      `a: |\n  ${many}\n  ${many}\nb: 1\n`,
      `a: >-\n${Array.from({ length: 60 }, (_, i) => ' '.repeat(i + 1) + 'x').join('\n')}\nb: 1\n`,
    ]) {
      expect(excessiveNesting(text), text.slice(0, 30)).toBeUndefined();
    }
  });
});
