/**
 * Table-driven: every file under fixtures/configs/bad starts with `# expect: CODE LINE:COL`, the
 * code and position of the first problem it must produce.
 */

import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isProvisionError } from '../../src/errors.js';
import { loadConfig } from '../../src/config/load-config.js';
import { fixtureFiles, readFixture } from './fixtures.js';

const files = fixtureFiles('bad');

describe('bad declarations', () => {
  it('has a corpus of at least 40 files', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  it.each(files.map((f) => [basename(f), f]))('%s', async (_name, file) => {
    const expectation = /^# expect: ([A-Z_]+) (\d+):(\d+)/.exec(readFixture(file));
    expect(expectation, 'first line must be `# expect: CODE LINE:COL`').not.toBeNull();
    const [, code, line, column] = expectation ?? [];

    const error = await loadConfig(file).then(
      () => expect.fail('expected the declaration to be rejected'),
      (e: unknown) => e,
    );
    expect(isProvisionError(error)).toBe(true);
    if (!isProvisionError(error)) return;
    expect(error.code).toBe(code);
    const first = error.problems[0];
    expect(first?.code).toBe(code);
    expect(first?.location).toEqual({ file, line: Number(line), column: Number(column) });
    // The error itself carries the first problem, and every problem says what to do.
    expect(error.location).toEqual(first?.location);
    for (const p of error.problems) {
      expect(p.hint, p.message).toBeTruthy();
      expect(p.location?.line).toBeGreaterThanOrEqual(1);
      expect(p.location?.column).toBeGreaterThanOrEqual(1);
    }
  });
});
