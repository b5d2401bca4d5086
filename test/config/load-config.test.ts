import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isProvisionError } from '../../src/errors.js';
import { loadConfig, MAX_CONFIG_BYTES, MAX_PROBLEMS, parseConfig } from '../../src/config/load-config.js';
import { EXAMPLE, fixtureFiles, parseFailure, problemSpots, readFixture } from './fixtures.js';

describe('parseConfig', () => {
  it('accepts the documented example as written', () => {
    const loaded = parseConfig(EXAMPLE, 'backups.yaml');
    expect(loaded.file).toBe('backups.yaml');
    expect(loaded.config.machines.pc?.drives).toEqual({ archive: 'E:' });
    expect(loaded.config.users?.alex?.mobilesync).toEqual({ drive: 'archive', path: 'MobileSync/alex' });
  });

  it.each(fixtureFiles('good'))('accepts %s', (file) => {
    expect(() => parseConfig(readFixture(file), file)).not.toThrow();
  });

  it('locates values for later messages (1-based line and column)', () => {
    const loaded = parseConfig(EXAMPLE, 'backups.yaml');
    expect(loaded.locate(['machines', 'pc', 'platform'])).toEqual({ file: 'backups.yaml', line: 18, column: 15 });
    expect(loaded.locate(['machines', 'imac', 'users', 1])).toEqual({ file: 'backups.yaml', line: 15, column: 19 });
    // A path that goes further than the file: the deepest place that exists.
    expect(loaded.locate(['machines', 'pc', 'nothing', 'here'])).toEqual({ file: 'backups.yaml', line: 17, column: 5 });
  });

  it('reports all schema problems together, sorted by position', () => {
    const spots = problemSpots(`version: 1
machines:
  pc:
    hostname: PC
    platform: windoze
    platfrom: windows
  mac:
    users: [alex]
`);
    expect(spots).toEqual(['CONFIG_SCHEMA 5:15', 'CONFIG_SCHEMA 6:5', 'CONFIG_SCHEMA 8:5']);
  });

  it('suggests the closest allowed key and value', () => {
    const error = parseFailure(`version: 1
machines:
  pc:
    hostname: PC
    platfrom: windows
  mac:
    hostname: Mac
    platform: macOS
`);
    expect(error.problems.map((p) => p.code)).toEqual(['CONFIG_SCHEMA', 'CONFIG_SCHEMA']);
    expect(error.problems[0]?.hint).toContain('`platform`');
    expect(error.problems[1]?.hint).toContain('`macos`');
  });

  it('points a missing key at its mapping, and an unknown key at the key', () => {
    expect(problemSpots('version: 1\nmachines:\n  mac:\n    users: [a]\n    colour: red\n')).toEqual([
      'CONFIG_SCHEMA 4:5',
      'CONFIG_SCHEMA 5:5',
    ]);
  });

  it('reads a value from an anchor and still points at the right places', () => {
    const text = `version: 1
drives: { archive: { volume: A } }
users:
  alex: { mobilesync: { drive: archive, path: M/alex } }
machines:
  imac: &mac
    hostname: iMac
    users: [alex]
  mini:
    <<: *mac
    hostname: Mini
    colour: grey
`;
    expect(problemSpots(text)).toEqual(['CONFIG_SCHEMA 12:5']);
    const fixed = parseConfig(text.replace('    colour: grey\n', ''), 'f.yaml');
    expect(fixed.config.machines.mini?.users).toEqual(['alex']);
  });

  it('rejects an empty file and a top level that is not a mapping', () => {
    expect(problemSpots('')).toEqual(['CONFIG_SCHEMA 1:1']);
    expect(problemSpots('\n\n# only a comment\n')).toEqual(['CONFIG_SCHEMA 1:1']);
    expect(problemSpots('\n- a\n- b\n')).toEqual(['CONFIG_SCHEMA 2:1']);
    expect(problemSpots('42\n')).toEqual(['CONFIG_SCHEMA 1:1']);
  });

  it('stops at syntax problems instead of guessing at the rest', () => {
    const error = parseFailure('version: 1\nmachines:\n  a: {hostname: x}\n  a: {hostname: y}\n  b: [\n');
    expect(error.problems.every((p) => p.code === 'CONFIG_SYNTAX')).toBe(true);
    expect(error.problems[0]?.location).toMatchObject({ line: 4, column: 3 });
  });

  it('accepts names that are also Object.prototype members, and only own names count', () => {
    const ok = `version: 1
drives: { constructor: { volume: A } }
users:
  __proto__: { mobilesync: { drive: constructor, path: p } }
  toString: { mobilesync: { drive: constructor, path: q } }
machines:
  m: { hostname: h, users: [__proto__, toString] }
`;
    expect(() => parseConfig(ok, 'f.yaml')).not.toThrow();
    expect(problemSpots('version: 1\nusers: {}\nmachines:\n  m: { hostname: h, users: [hasOwnProperty] }\n')).toEqual([
      'CONFIG_INVALID 4:29',
    ]);
  });

  it('only ever throws ProvisionError, whatever the input', () => {
    const odd = [
      'version: 1\nmachines: ' + '['.repeat(5000) + ']'.repeat(5000),
      'version: 1\nmachines:\n  1: {hostname: 2, users: [3], drives: {4: 5}}\n',
      'version: 1\nmachines:\n  m: {hostname: [[]], users: {a: [1]}, platform: null}\n',
      ': : :\n',
      '? {a: 1}\n: b\n',
      'version: 1\nmachines: !!set {a}\n',
      'version: 1\nmachines: {m: {hostname: .nan, users: .inf}}\n',
      '\u0000\u0001\u0002',
      '%YAML 1.1\n---\nversion: 1\n',
      'version: 1\nmachines: {m: {hostname: h, users: {a: {mobilesync: {drive: [x], path: {}}}}}}\n',
      'a: &x [*x]\n',
      'x'.repeat(MAX_CONFIG_BYTES + 1),
    ];
    for (const text of odd) {
      let thrown: unknown;
      try {
        parseConfig(text, 'odd.yaml');
      } catch (e) {
        thrown = e;
      }
      expect(isProvisionError(thrown), `${text.slice(0, 40)}: ${String(thrown)}`).toBe(true);
    }
  });
});

describe('loadConfig', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'provision-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads and validates a file, locating problems in it', async () => {
    const file = join(dir, 'backups.yaml');
    await writeFile(file, EXAMPLE);
    expect((await loadConfig(file)).config.version).toBe(1);
    await writeFile(file, EXAMPLE.replace('platform: windows', 'platform: dos'));
    await expect(loadConfig(file)).rejects.toMatchObject({ code: 'CONFIG_SCHEMA', location: { file, line: 18, column: 15 } });
  });

  it('reports a missing file or a folder as unreadable', async () => {
    await expect(loadConfig(join(dir, 'nope.yaml'))).rejects.toMatchObject({ code: 'CONFIG_UNREADABLE' });
    await mkdir(join(dir, 'folder.yaml'));
    await expect(loadConfig(join(dir, 'folder.yaml'))).rejects.toMatchObject({ code: 'CONFIG_UNREADABLE' });
  });

  it('refuses a file far too large to be a declaration without parsing it', async () => {
    const file = join(dir, 'huge.yaml');
    await writeFile(file, `version: 1\n${'#'.repeat(MAX_CONFIG_BYTES)}\n`);
    await expect(loadConfig(file)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('ignores a byte order mark and Windows line endings', async () => {
    const file = join(dir, 'crlf.yaml');
    await writeFile(file, `\uFEFF${EXAMPLE.replace(/\n/g, '\r\n').replace('platform: windows', 'platform: dos')}`);
    await expect(loadConfig(file)).rejects.toMatchObject({ code: 'CONFIG_SCHEMA', location: { line: 18, column: 15 } });
  });

  it('refuses what is not a regular file without reading it: a pipe would block, /dev/zero never ends', async () => {
    const fifo = join(dir, 'pipe.yaml');
    await execa('mkfifo', [fifo]);
    for (const file of [fifo, '/dev/zero']) {
      await expect(loadConfig(file)).rejects.toMatchObject({ code: 'CONFIG_UNREADABLE', message: expect.stringMatching(/not a regular file/) });
    }
  });

  it('accepts a UTF-8 byte order mark and still places problems right on the first line', async () => {
    const file = join(dir, 'bom.yaml');
    await writeFile(file, `\uFEFFversion: 2\nmachines: { m: { hostname: h, users: [a] } }\nusers: { a: {} }\n`);
    await expect(loadConfig(file)).rejects.toMatchObject({ code: 'CONFIG_SCHEMA', location: { line: 1, column: 10 } });
  });
});

describe('a flood of problems', () => {
  it('shows the first ones in order and sums up the rest in one located line', () => {
    const machines = Array.from({ length: 120 }, (_, i) => `  m${i}: { hostname: ${i}, users: [a] }`).join('\n');
    const error = parseFailure(`version: 1\nusers: { a: {} }\nmachines:\n${machines}\n`);
    expect(error.problems).toHaveLength(MAX_PROBLEMS + 1);
    const last = error.problems[MAX_PROBLEMS];
    expect(last?.message).toMatch(/70 more problems/);
    expect(last?.location?.line).toBe(4 + MAX_PROBLEMS);
  });
});
