import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The README and docs/ link to each other and to files of the repository. A link that leads
 * nowhere (a file renamed, a heading reworded) is found here rather than by a reader. Links to
 * the web are not fetched; a relative link must stay inside the repository.
 */
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const README_MAX_LINES = 300;

/** README.md and every docs/*.md, as paths relative to the repository. */
function markdownFiles(): string[] {
  const docs = fs.readdirSync(path.join(REPO, 'docs')).filter((f) => f.endsWith('.md')).sort();
  return ['README.md', ...docs.map((f) => `docs/${f}`)];
}

/** The lines outside fenced code blocks, with their numbers (a `#` in a shell example is no heading). */
function proseLines(text: string): { n: number; line: string }[] {
  const out: { n: number; line: string }[] = [];
  let fence: string | null = null;
  text.split('\n').forEach((line, i) => {
    const m = /^\s*(`{3,}|~{3,})/.exec(line);
    if (m?.[1] !== undefined) {
      if (fence === null) fence = m[1][0] ?? null;
      else if (m[1][0] === fence) fence = null;
      return;
    }
    if (fence === null) out.push({ n: i + 1, line });
  });
  return out;
}

/** GitHub's anchor for a heading: lowercase, punctuation dropped except - and _, spaces to -. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every anchor a file's headings give, with GitHub's -1, -2 for repeated ones. */
function anchors(file: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const { line } of proseLines(fs.readFileSync(file, 'utf8'))) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (m?.[1] === undefined) continue;
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

interface Link { file: string; line: number; target: string }

/** Every `[text](target)` outside code; inline code spans are dropped first. */
function links(file: string): Link[] {
  const out: Link[] = [];
  for (const { n, line: raw } of proseLines(fs.readFileSync(path.join(REPO, file), 'utf8'))) {
    const line = raw.replace(/`[^`]*`/g, '');
    for (const m of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      if (m[1] !== undefined) out.push({ file, line: n, target: m[1] });
    }
  }
  return out;
}

/** What is wrong with one link, or null. */
function problem(link: Link): string | null {
  const { target } = link;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
    return /^(https|mailto):/i.test(target) ? null : 'a link outside the repository must be a full https:// URL';
  }
  const [rel = '', anchor] = target.split('#', 2);
  const from = path.dirname(path.join(REPO, link.file));
  const dest = rel === '' ? path.join(REPO, link.file) : path.resolve(from, decodeURIComponent(rel));
  const inside = path.relative(REPO, dest);
  if (inside.startsWith('..') || path.isAbsolute(inside)) return 'leaves the repository';
  if (!fs.existsSync(dest)) return 'no such file in the repository';
  if (anchor !== undefined && anchor !== '') {
    if (!dest.endsWith('.md') || fs.statSync(dest).isDirectory()) return 'an anchor into a file that is not markdown';
    if (!anchors(dest).has(anchor)) return `no heading gives #${anchor} in ${path.relative(REPO, dest)}`;
  }
  return null;
}

describe('links in README.md and docs/', () => {
  it('finds the files and their links', () => {
    const files = markdownFiles();
    expect(files).toContain('docs/README.md');
    expect(files.flatMap(links).length).toBeGreaterThan(20);
  });

  for (const file of markdownFiles()) {
    it(`every relative link in ${file} resolves inside the repository`, () => {
      const bad = links(file).flatMap((l) => {
        const p = problem(l);
        return p === null ? [] : [`${l.file}:${l.line}: ${l.target}: ${p}`];
      });
      expect(bad).toEqual([]);
    });
  }

  it(`README.md has at most ${README_MAX_LINES} lines`, () => {
    const text = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const lines = text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
    expect(lines).toBeLessThanOrEqual(README_MAX_LINES);
  });
});

describe('the slug and link rules themselves', () => {
  it('makes GitHub anchors', () => {
    expect(slug('Is this Mac ready? `provision doctor`')).toBe('is-this-mac-ready-provision-doctor');
    expect(slug('Note 3: one seam for I/O')).toBe('note-3-one-seam-for-io');
    expect(slug('backups.yaml (format version 1)')).toBe('backupsyaml-format-version-1');
  });

  it('refuses a link that leaves the repository or leads nowhere', () => {
    expect(problem({ file: 'README.md', line: 1, target: '../shared/reference/design-notes.md' })).toBe('leaves the repository');
    expect(problem({ file: 'README.md', line: 1, target: 'docs/nothing-here.md' })).toBe('no such file in the repository');
    expect(problem({ file: 'docs/README.md', line: 1, target: '../README.md#no-such-heading' })).toMatch(/no heading/);
    expect(problem({ file: 'docs/README.md', line: 1, target: '../README.md' })).toBeNull();
    expect(problem({ file: 'README.md', line: 1, target: 'http://example.com' })).toMatch(/https/);
  });
});
