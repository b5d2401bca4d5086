/**
 * Light fuzzing: random edits of the good declarations (a fixed seed, so failures reproduce)
 * must only ever give a loaded declaration or a ProvisionError with located problems.
 */

import { describe, expect, it } from 'vitest';
import { isProvisionError } from '../../src/errors.js';
import { parseConfig } from '../../src/config/load-config.js';
import { fixtureFiles, readFixture } from './fixtures.js';
import { rng as random } from '../helpers/fixtures.js';

const PIECES = [':', '-', '[', ']', '{', '}', ',', "'", '"', '\n', '\t', ' ', '#', '&a', '*a', '!x', '|', '>', '?', '~', 'null', 'false', '0', '..', '/', 'C:\\', '<<: *a', 'é', '\u0000'];

function mutate(text: string, next: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const lines = text.split('\n');
  const at = Math.floor(next() * text.length);
  switch (Math.floor(next() * 7)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 5));
    case 1:
      return text.slice(0, at) + pick(PIECES) + text.slice(at);
    case 2: {
      const i = Math.floor(next() * lines.length);
      lines.splice(i, 0, lines[i] ?? '');
      return lines.join('\n');
    }
    case 3: {
      const i = Math.floor(next() * lines.length);
      const j = Math.floor(next() * lines.length);
      [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
      return lines.join('\n');
    }
    case 4:
      lines.splice(Math.floor(next() * lines.length), 1);
      return lines.join('\n');
    case 5: {
      const i = Math.floor(next() * lines.length);
      lines[i] = next() < 0.5 ? `  ${lines[i] ?? ''}` : (lines[i] ?? '').replace(/^ {1,2}/, '');
      return lines.join('\n');
    }
    default: {
      // Replace a word with another word from the file: names used in the wrong place.
      const words = text.match(/[A-Za-z]+/g) ?? ['x'];
      return text.replace(pick(words), pick(words));
    }
  }
}

describe('fuzzed declarations', () => {
  it('only ever load or fail with a located ProvisionError', () => {
    const next = random(20240611);
    let loaded = 0;
    let rejected = 0;
    for (const file of fixtureFiles('good')) {
      const original = readFixture(file);
      for (let i = 0; i < 150; i++) {
        let text = original;
        const edits = 1 + Math.floor(next() * 3);
        for (let k = 0; k < edits; k++) text = mutate(text, next);
        try {
          parseConfig(text, 'fuzz.yaml');
          loaded++;
        } catch (e) {
          expect(isProvisionError(e), `${String(e)}\n--- input ---\n${text}`).toBe(true);
          if (!isProvisionError(e)) continue;
          rejected++;
          // The last-resort wrapper keeps the cause; in these inputs nothing should need it.
          expect(e.cause, `${String(e.cause)}\n--- input ---\n${text}`).toBeUndefined();
          expect(e.problems.length).toBeGreaterThan(0);
          for (const p of e.problems) {
            expect(p.location?.line, text).toBeGreaterThanOrEqual(1);
            expect(p.location?.column, text).toBeGreaterThanOrEqual(1);
            expect(p.message.length).toBeGreaterThan(0);
          }
        }
      }
    }
    // Both outcomes occur, or the mutations are not exercising much.
    expect(loaded).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  });
});
