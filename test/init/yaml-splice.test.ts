import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { appendToMap, applyInsertions, insertTopLevelBefore, spliceTarget, type NewEntry } from '../../src/init/yaml-splice.js';

const machineEntry: NewEntry = {
  key: 'air',
  block: (step) => ['# the new one', 'air:', `${step}hostname: MacBook Air`, `${step}users: [alex]`],
  flow: '{ hostname: MacBook Air, users: [alex] }',
};

function add(text: string, key = 'machines', entry = machineEntry): string {
  const t = spliceTarget(text);
  if (t === undefined) throw new Error('not a block mapping');
  return applyInsertions(text, [appendToMap(t, key, entry)]);
}

describe('splicing an entry into a declaration, every other byte kept', () => {
  it('after the last entry and the comments indented under it, before what introduces the next section', () => {
    const text = 'version: 1\nmachines:\n  mini:\n    hostname: mini   # x\n    users: [alex]\n    # about mini\n\n# closing words\n';
    const out = add(text);
    expect(out).toBe(
      'version: 1\nmachines:\n  mini:\n    hostname: mini   # x\n    users: [alex]\n    # about mini\n  # the new one\n  air:\n    hostname: MacBook Air\n    users: [alex]\n\n# closing words\n',
    );
  });

  it("keeps the file's own indentation (four spaces here)", () => {
    const text = 'version: 1\nmachines:\n    mini:\n        hostname: mini\n        users: [alex]\n';
    const out = add(text);
    expect(out.endsWith('    air:\n        hostname: MacBook Air\n        users: [alex]\n')).toBe(true);
    expect(parse(out)).toEqual({ version: 1, machines: { mini: { hostname: 'mini', users: ['alex'] }, air: { hostname: 'MacBook Air', users: ['alex'] } } });
  });

  it('keeps CRLF line ends, and a last line without one', () => {
    const text = 'version: 1\r\nmachines:\r\n  mini:\r\n    hostname: mini\r\n    users: [alex]';
    const out = add(text);
    expect(out.startsWith(text)).toBe(true);
    expect(out.slice(text.length)).toBe('\r\n  # the new one\r\n  air:\r\n    hostname: MacBook Air\r\n    users: [alex]\r\n');
  });

  it('extends flow mappings in flow, empty or not', () => {
    const text = 'version: 1\nmachines: { mini: { hostname: mini, users: [alex] } }   # all on one line\n';
    const out = add(text);
    expect(out).toBe('version: 1\nmachines: { mini: { hostname: mini, users: [alex] }, air: { hostname: MacBook Air, users: [alex] } }   # all on one line\n');
    const empty = 'version: 1\nusers: {}\nmachines:\n  m: { hostname: m, users: [a] }\n';
    const user: NewEntry = { key: 'a', block: () => ['a: {}'], flow: '{}' };
    expect(add(empty, 'users', user)).toBe('version: 1\nusers: { a: {} }\nmachines:\n  m: { hostname: m, users: [a] }\n');
  });

  it('a missing top-level mapping goes before machines:, above the comments introducing it, never above the first line', () => {
    const text = '# yaml-language-server: $schema=x\nversion: 1\n\n# the computers\nmachines:\n  m: { hostname: m, users: [] }\n';
    const t = spliceTarget(text);
    if (t === undefined) throw new Error('unexpected');
    const user: NewEntry = { key: 'alex', block: () => ['alex: {}'], flow: '{}' };
    const out = applyInsertions(text, [insertTopLevelBefore(t, 'machines', 'users', ['# people'], user)]);
    expect(out).toBe('# yaml-language-server: $schema=x\nversion: 1\n\n# people\nusers:\n  alex: {}\n\n# the computers\nmachines:\n  m: { hostname: m, users: [] }\n');
    const bare = '# yaml-language-server: $schema=x\nmachines:\n  m: { hostname: m, users: [] }\nversion: 1\n';
    const tb = spliceTarget(bare);
    if (tb === undefined) throw new Error('unexpected');
    expect(applyInsertions(bare, [insertTopLevelBefore(tb, 'machines', 'users', [], user)])).toBe(
      '# yaml-language-server: $schema=x\nusers:\n  alex: {}\n\nmachines:\n  m: { hostname: m, users: [] }\nversion: 1\n',
    );
  });

  it('refuses a document that is not a block mapping', () => {
    expect(spliceTarget('{ version: 1, machines: {} }\n')).toBeUndefined();
  });
});
