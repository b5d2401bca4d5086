/**
 * The bad declarations too big to commit (the repository keeps no declaration over 64 KiB): written
 * into a temp folder by the tests that need them, each with the code and position of the first
 * problem it must produce. Shared by the loader's corpus test and the CLI's hostile-input test.
 */

import { readFileSync } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MAX_CONFIG_BYTES } from '../../src/config/load-config.js';
import { FIXTURES } from './fixtures.js';

export interface Expectation {
  code: string;
  line: number;
  column: number;
}

export interface HostileFile extends Expectation {
  file: string;
}

/** `CODE LINE:COL` as an expectation. */
export function parseExpectation(spec: string): Expectation | undefined {
  const m = /^([A-Z_]+) (\d+):(\d+)$/.exec(spec.trim());
  return m === null ? undefined : { code: m[1] ?? '', line: Number(m[2]), column: Number(m[3]) };
}

const SIDECAR = path.join(FIXTURES, 'bad', 'expect.json');

/**
 * What a committed bad fixture must produce: from the sidecar for files that cannot carry a
 * comment (binary, not UTF-8, UTF-16, empty), else from its first line, `# expect: CODE LINE:COL`.
 */
export function committedExpectation(file: string): Expectation | undefined {
  const sidecar = JSON.parse(readFileSync(SIDECAR, 'utf8')) as Record<string, string>;
  const fromSidecar = sidecar[path.basename(file)];
  if (fromSidecar !== undefined) return parseExpectation(fromSidecar);
  const first = readFileSync(file, 'utf8').split('\n')[0] ?? '';
  const m = /^# expect: (.*)$/.exec(first);
  return m?.[1] === undefined ? undefined : parseExpectation(m[1]);
}

/** The names in the sidecar, to check that each names a committed file. */
export function sidecarNames(): string[] {
  return Object.keys(JSON.parse(readFileSync(SIDECAR, 'utf8')) as Record<string, string>);
}

/** `count` lines made by `line(i)`, as many as fit in `bytes` after `head`. */
function fill(bytes: number, head: string, line: (i: number) => string): string {
  const parts = [head];
  let size = Buffer.byteLength(head);
  for (let i = 0; ; i++) {
    const next = line(i);
    size += Buffer.byteLength(next);
    if (size > bytes) break;
    parts.push(next);
  }
  return parts.join('');
}

const UNDER = MAX_CONFIG_BYTES - 16;

/**
 * What refusing a declaration may cost beyond what a good one costs: a second, plus time linear
 * in the file's size: 6 s of CPU per MiB. The YAML parser alone takes 1 to 3 s for a MiB of
 * dense YAML on the 2-core build machine (130,000 one-line mappings: 2.7 s of 3.5 s while the
 * rest of the suite runs beside it), and the checks after it are linear. Anything quadratic
 * takes far longer at the size limit: 52 s before src/config/linear-errors.ts, 38 s for yaml's
 * own duplicate-key check, which is why src/config/read/parse-yaml.ts turns it off.
 */
export function rejectAllowanceMs(bytes: number): number {
  return 1000 + (6000 * Math.min(bytes, MAX_CONFIG_BYTES)) / (1024 * 1024);
}
const pad = (i: number): string => String(i).padStart(6, '0');

/** Ten aliases of ten aliases, nine times over: a billion values from a few hundred bytes. */
function billionLaughs(): string {
  let text = 'version: 1\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let i = 1; i <= 9; i++) text += `l${i}: &l${i} [${Array.from({ length: 10 }, () => `*l${i - 1}`).join(', ')}]\n`;
  return `${text}machines: *l9\n`;
}

/** Writes the generated hostile files into `dir` and returns them with their expectations. */
export async function writeHostileFiles(dir: string): Promise<HostileFile[]> {
  const files: [string, string | ((file: string) => Promise<void>), string][] = [
    // Over the size limit: refused before reading, even when the file claims 10 GiB.
    ['huge-over-limit.yaml', `version: 1\n${'#'.repeat(MAX_CONFIG_BYTES)}\n`, 'CONFIG_INVALID 1:1'],
    [
      'huge-sparse-10-gib.yaml',
      async (file) => {
        const handle = await open(file, 'w');
        await handle.truncate(10 * 1024 ** 3);
        await handle.close();
      },
      'CONFIG_INVALID 1:1',
    ],
    ['huge-brackets-over-limit.yaml', `version: 1\nmachines: ${'['.repeat(MAX_CONFIG_BYTES)}`, 'CONFIG_INVALID 1:1'],
    // Just under the limit, and as slow to read as YAML gets.
    ['huge-many-keys.yaml', fill(UNDER, '', (i) => `k${pad(i)}: v\n`), 'CONFIG_SCHEMA 1:1'],
    ['huge-many-problems.yaml', fill(UNDER, 'version: 1\nmachines:\n', (i) => `  m${pad(i)}: { hostname: 5, users: { a: 1 } }\n`), 'CONFIG_SCHEMA 3:24'],
    ['huge-many-unknown-users.yaml', fill(UNDER, 'version: 1\nmachines:\n', (i) => `  m${pad(i)}: { hostname: h${pad(i)}, users: [a] }\n`), 'CONFIG_INVALID 3:41'],
    ['huge-many-duplicates.yaml', fill(UNDER, 'version: 1\nmachines:\n', () => '  m: {}\n'), 'CONFIG_SYNTAX 4:3'],
    ['huge-one-long-line.yaml', fill(UNDER, 'version: 1\nmachines: ', () => 'x'), 'CONFIG_SCHEMA 2:11'],
    ['huge-flow-mapping.yaml', fill(UNDER - 2, '{', (i) => `k${pad(i)}: v, `) + '}\n', 'CONFIG_SCHEMA 1:1'],
    // Nesting deep enough to exhaust the stack of a recursive parser.
    ['deep-brackets.yaml', fill(UNDER, 'version: 1\nmachines: ', () => '['), 'CONFIG_SYNTAX 2:42'],
    ['deep-flow-maps.yaml', fill(UNDER, 'version: 1\nmachines: ', () => '{a: '), 'CONFIG_SYNTAX 2:135'],
    ['deep-compact-lists.yaml', fill(UNDER, 'version: 1\nmachines:\n', () => '- '), 'CONFIG_SYNTAX 3:63'],
    // Aliases: the billion laughs, and aliases by the thousand.
    ['alias-billion-laughs.yaml', billionLaughs(), 'CONFIG_SYNTAX 5:45'],
    ['alias-thousands.yaml', `version: 1\nx: &x a\nmachines: [${Array.from({ length: 5000 }, () => '*x').join(', ')}]\n`, 'CONFIG_SYNTAX 3:4012'],
  ];
  const written: HostileFile[] = [];
  for (const [name, content, spec] of files) {
    const file = path.join(dir, name);
    if (typeof content === 'string') await writeFile(file, content);
    else await content(file);
    const expected = parseExpectation(spec);
    if (expected === undefined) throw new Error(`bad expectation for ${name}: ${spec}`);
    written.push({ file, ...expected });
  }
  return written;
}
