import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The layer order of src/'s top-level folders, lowest first (docs/design.md, "How the code is
 * laid out"). A folder may import only folders of a lower layer: so no two folders import each
 * other, the engine imports no kind, a kind imports neither the application layer nor the CLI
 * and its views, and doctor, init and schedule never import the CLI.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['(root)'], // errors.ts, assumptions.ts
  ['text'],
  ['config'],
  ['host'],
  ['machine', 'macos'],
  ['drives'],
  ['desired'],
  ['engine'],
  ['kinds'],
  ['app'],
  ['doctor', 'init', 'schedule', 'completion', 'watch'],
  ['cli'],
];

/** The folders under kinds/ that are shapes several kinds share, not kinds of their own. */
export const KIND_FAMILIES: readonly string[] = ['linked-folder', 'app-library', 'shares'];

/** One relative import: the importing file and the file it names, both relative to src/. */
export interface Edge {
  from: string;
  to: string;
}

/** Every relative import of every .ts file under `srcDir`. */
export function importEdges(srcDir: string): Edge[] {
  const edges: Edge[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) {
        const text = readFileSync(p, 'utf8');
        for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
          const spec = m[1] ?? '';
          const to = path.relative(srcDir, path.resolve(path.dirname(p), spec)).replace(/\.js$/, '.ts');
          edges.push({ from: path.relative(srcDir, p), to });
        }
      }
    }
  };
  walk(srcDir);
  return edges;
}

const topFolder = (file: string): string => {
  const parts = file.split(path.sep);
  return parts.length === 1 ? '(root)' : (parts[0] ?? '');
};

const layerOf = (folder: string): number => LAYERS.findIndex((l) => l.includes(folder));

/** The kind a file under kinds/ belongs to ("timemachine", "shares/samba"), a family's name, or undefined for the registry. */
function kindOf(file: string): string | undefined {
  const parts = file.split(path.sep);
  if (parts[0] !== 'kinds' || parts.length < 3) return undefined;
  const first = parts[1] ?? '';
  // shares/samba and shares/mac are kinds; shares' own top files are the family's.
  if (first === 'shares' && parts.length >= 4) return `shares/${parts[2] ?? ''}`;
  return first;
}

/** What is wrong with an import, in words; undefined when it keeps the rules. */
export function violation(e: Edge): string | undefined {
  const a = topFolder(e.from);
  const b = topFolder(e.to);
  if (a !== b) {
    const la = layerOf(a);
    const lb = layerOf(b);
    if (la < 0 || lb < 0) return `${a === '' || la < 0 ? a : b} is a folder the layer order does not know: add it to test/structure/layers.ts and docs/design.md`;
    if (lb >= la) return `${a} imports ${b}, which is not below it`;
    // Outside kinds/, a kind is reached through the registry or the kind's index.ts only.
    if (b === 'kinds' && !/^kinds\/(registry\.ts|[a-z-]+\/index\.ts|shares\/[a-z-]+\/index\.ts)$/.test(e.to.split(path.sep).join('/'))) return `${e.from} reaches into a kind's folder (${e.to}): use the registry or the kind's index.ts`;
    return undefined;
  }
  if (a === 'kinds') {
    const ka = kindOf(e.from);
    const kb = kindOf(e.to);
    // A kind may use its own folder and the families; a family may not use a kind; no kind another kind.
    if (kb === undefined) return ka === undefined ? undefined : `kind ${ka} imports the registry`;
    // The registry lists the kinds through their index.ts.
    if (ka === undefined) return /^kinds\/([a-z-]+|shares\/[a-z-]+)\/index\.ts$/.test(e.to.split(path.sep).join('/')) ? undefined : `the registry reaches into ${e.to}`;
    if (ka === kb || KIND_FAMILIES.includes(kb)) return undefined;
    return `${ka ?? e.from} imports kind ${kb}`;
  }
  return undefined;
}
