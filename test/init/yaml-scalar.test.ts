import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { keyFrom, uniqueKey, isValidName } from '../../src/init/names.js';
import { yamlScalar } from '../../src/init/yaml-scalar.js';

describe('yamlScalar: a value init writes reads back as the same string, in block and flow context', () => {
  const values = ['Archive 2TB', 'E:', 'yes', 'No', 'null', '~', '2TB', '1', 'a, b', '[x]', '{x}', "Alex's drive", 'Alex’s MacBook Air', 'x #y', 'tab\there', 'trailing ', ' leading', '#hash', '-dash', 'a: b', '"quoted"', 'new\nline', 'MobileSync/alex', 'iPhone Backups/robin', 'é'];
  for (const v of values) {
    it(JSON.stringify(v), () => {
      const s = yamlScalar(v);
      expect(parse(`k: ${s}\n`)).toEqual({ k: v });
      expect(parse(`{ k: ${s}, j: 1 }\n`)).toEqual({ k: v, j: 1 });
      expect(parse(`[${s}, 1]\n`)).toEqual([v, 1]);
    });
  }
  it('writes ordinary names plainly', () => {
    expect(yamlScalar('Archive 2TB')).toBe('Archive 2TB');
    expect(yamlScalar('MobileSync/alex')).toBe('MobileSync/alex');
    expect(yamlScalar('E:')).toBe("'E:'");
  });
});

describe('keys made from what people call things', () => {
  it.each([
    ['Alex’s MacBook Air', 'alexs-macbook-air'],
    ['Archive 2TB', 'archive-2tb'],
    ['iMac', 'imac'],
    ['Émile’s iMac', 'emiles-imac'],
    ['--weird..', 'weird'],
    ['日本', 'fallback'],
    ['', 'fallback'],
  ])('%s -> %s', (text, key) => {
    expect(keyFrom(text, 'fallback')).toBe(key);
    expect(isValidName(keyFrom(text, 'fallback'))).toBe(true);
  });
  it('never reuses a key, ignoring case', () => {
    expect(uniqueKey('archive', ['Archive', 'archive-2'])).toBe('archive-3');
    expect(uniqueKey('imac', ['mini'])).toBe('imac');
  });
});
