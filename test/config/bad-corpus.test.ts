/**
 * Table-driven: every file under fixtures/configs/bad must be rejected with the code and position
 * of its first problem, given by its first line (`# expect: CODE LINE:COL`) or, for files that
 * cannot carry a comment (binary, not UTF-8, UTF-16, empty), by bad/expect.json. Files too big to
 * commit are generated (hostile-files.ts). Each is rejected quickly, with every problem located
 * and given a hint.
 */

import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProvisionError } from '../../src/errors.js';
import { loadConfig, parseConfig } from '../../src/config/load-config.js';
import { fixtureFiles } from './fixtures.js';
import { committedExpectation, rejectAllowanceMs, sidecarNames, writeHostileFiles, type Expectation, type HostileFile } from './hostile-files.js';

const files = fixtureFiles('bad');

/**
 * The loader's own time per file, as CPU time (which does not grow when other tests load the
 * machine): a second plus time linear in the file's size (rejectAllowanceMs).
 */

async function expectRejected(file: string, expected: Expectation): Promise<void> {
  const cpu = process.cpuUsage();
  const error = await loadConfig(file).then(
    () => expect.fail('expected the declaration to be rejected'),
    (e: unknown) => e,
  );
  const used = process.cpuUsage(cpu);
  expect(isProvisionError(error), String(error)).toBe(true);
  if (!isProvisionError(error)) return;
  expect((used.user + used.system) / 1000, `CPU milliseconds to reject ${file}`).toBeLessThan(rejectAllowanceMs(statSync(file).size));
  expect(error.code).toBe(expected.code);
  const first = error.problems[0];
  expect(first?.code).toBe(expected.code);
  expect(first?.location).toEqual({ file, line: expected.line, column: expected.column });
  // The error itself carries the first problem, and every problem says where and what to do.
  expect(error.location).toEqual(first?.location);
  for (const p of error.problems) {
    expect(p.hint, p.message).toBeTruthy();
    expect(p.location?.file).toBe(file);
    expect(p.location?.line).toBeGreaterThanOrEqual(1);
    expect(p.location?.column).toBeGreaterThanOrEqual(1);
  }
  // Capped: a hostile file cannot flood the terminal.
  expect(error.problems.length).toBeLessThanOrEqual(51);
}

describe('bad declarations', () => {
  it('has a corpus of at least 110 committed files, none over 64 KiB', () => {
    expect(files.length).toBeGreaterThanOrEqual(110);
    for (const f of files) expect(statSync(f).size, f).toBeLessThanOrEqual(64 * 1024);
  });

  it('has an expectation for every file, and the sidecar names only committed files', () => {
    const names = new Set(files.map((f) => basename(f)));
    for (const name of sidecarNames()) expect(names.has(name), name).toBe(true);
    for (const f of files) expect(committedExpectation(f), `${basename(f)}: no # expect line and not in expect.json`).toBeDefined();
  });

  it.each(files.map((f) => [basename(f), f]))('%s', async (_name, file) => {
    const expected = committedExpectation(file);
    if (expected === undefined) return expect.fail('no expectation');
    await expectRejected(file, expected);
  });
});

describe('generated hostile declarations (too big to commit)', () => {
  let dir: string;
  let generated: HostileFile[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'provision-hostile-'));
    generated = await writeHostileFiles(dir);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('are each rejected quickly at the first problem', async () => {
    expect(generated.length).toBeGreaterThanOrEqual(10);
    for (const g of generated) await expectRejected(g.file, g);
  });
});

describe('refusing grows linearly with the file', () => {
  /** A problem on every line, as many lines as fit in `bytes`. */
  const everyLineWrong = (bytes: number): string => {
    const lines = ['version: 1\nmachines:\n'];
    let size = lines[0]?.length ?? 0;
    for (let i = 0; size < bytes - 60; i++) {
      const line = `  m${String(i).padStart(6, '0')}: { hostname: 5, users: { a: 1 } }\n`;
      lines.push(line);
      size += line.length;
    }
    return lines.join('');
  };
  const cpuToReject = (text: string): number => {
    const start = process.cpuUsage();
    expect(() => parseConfig(text, 'x.yaml')).toThrow();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };

  it('a file four times larger, with four times the problems, takes about four times as long, not sixteen', () => {
    const small = everyLineWrong(256 * 1024);
    const large = everyLineWrong(1024 * 1024);
    cpuToReject(small); // warm: the first run compiles the validator and the parser's code
    // The best of three each: a pause of the machine only ever adds.
    const best = (text: string): number => Math.min(cpuToReject(text), cpuToReject(text), cpuToReject(text));
    const ratio = best(large) / best(small);
    // Linear is 4; the quadratic gathering of ajv's errors made it 14 (src/config/linear-errors.ts).
    expect(ratio).toBeLessThan(6.5);
  }, 120_000);
});
