import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

/** Every .ts file below dir, relative to SRC. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') ? [path.relative(SRC, p)] : [];
  });
}

/** The code of a file without its comments (line and block), well enough for a search. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

describe('numbers are formatted by hand, not through ICU', () => {
  // The first toLocaleString or Intl formatter of a process starts ICU: 20-50 ms on this machine
  // (`node -e "(1).toLocaleString('en-US')"`), once a plan's and again a move's progress line.
  it('src/ calls no toLocaleString and builds no Intl formatter (text/units.ts groupDigits instead)', () => {
    const files = sources(SRC);
    expect(files.length).toBeGreaterThan(100);
    const found = files.filter((f) => /\.toLocale(String|DateString|TimeString)\(|\bIntl\.[A-Z]/.test(code(readFileSync(path.join(SRC, f), 'utf8'))));
    expect(found).toEqual([]);
  });

  it('the search finds such a call', () => {
    expect(/\.toLocale(String|DateString|TimeString)\(/.test(code("const s = n.toLocaleString('en-US');"))).toBe(true);
    expect(/\bIntl\.[A-Z]/.test(code('new Intl.NumberFormat()'))).toBe(true);
    expect(/\.toLocaleString\(/.test(code('// n.toLocaleString() starts ICU'))).toBe(false);
  });
});
