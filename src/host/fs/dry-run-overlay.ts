/**
 * The simulated changes of a dry run, kept as a map from absolute path to what stands there now
 * (host/dry-run-host.ts does the I/O around it). A path with no entry of its own is decided by
 * its deepest ancestor that has one:
 * - no entry anywhere above it: the real path, unchanged;
 * - 'absent' (removed, renamed away) or a synthetic file, link or folder: nothing is there
 *   (a synthetic folder holds only what has entries of its own);
 * - 'real': the inner host's entry at another path (what a rename or a copy brought here),
 *   continued below it; it may also carry a mode or owner set by chmod/chown.
 * Synthetic links in the overlay are followed as path components, like the kernel would.
 *
 * Not simulated: links that exist on disk are not followed into overlaid paths (the inner
 * host resolves them on the real disk); names are compared case-sensitively; free space does
 * not shrink with copies; times of changed folders do not move.
 */

import { basename, dirname, join, relative, resolve, sep } from 'node:path';

export interface Attributes {
  mode: number;
  uid: number;
  gid: number;
  mtimeMs: number;
  ino: number;
}

export type OverlayNode =
  | { kind: 'absent' }
  | ({ kind: 'directory' } & Attributes)
  | ({ kind: 'symlink'; target: string } & Attributes)
  | ({ kind: 'file'; data: Buffer } & Attributes)
  | { kind: 'real'; real: string; mode?: number; uid?: number; gid?: number };

export type SyntheticNode = Extract<OverlayNode, { kind: 'directory' | 'symlink' | 'file' }>;
export type RealNode = Extract<OverlayNode, { kind: 'real' }>;

/** Where a path leads in the simulated world. `path` is the path after following overlay links. */
export type Resolved =
  | { state: 'absent'; path: string }
  | { state: 'node'; path: string; node: SyntheticNode }
  | { state: 'real'; path: string; real: string; overrides: RealNode | undefined };

/** Like the kernel's limit on links followed while resolving one path (ELOOP). */
const MAX_LINKS = 40;

let nextIno = 2 ** 40;

/** Attributes for a new synthetic entry; inode numbers are unique and far from real ones. */
export function newAttributes(mode: number): Attributes {
  return { mode, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, mtimeMs: Date.now(), ino: nextIno++ };
}

export class DryRunOverlay {
  private readonly entries = new Map<string, OverlayNode>();

  resolve(path: string, followFinal: boolean): Resolved {
    return this.resolveFrom(resolve(path), followFinal, 0);
  }

  /** Sets what stands at path, replacing everything below it. */
  replace(path: string, node: OverlayNode): void {
    this.deleteBelow(path, true);
    this.entries.set(path, node);
  }

  /** Sets path's own entry and keeps what has entries below it (chmod, chown). */
  setOwn(path: string, node: OverlayNode): void {
    this.entries.set(path, node);
  }

  /** The entries strictly below path, as [relative path with the platform separator, node], shallowest first. */
  below(path: string): [string, OverlayNode][] {
    const found: [string, OverlayNode][] = [];
    for (const [key, node] of this.entries) if (isStrictlyBelow(key, path)) found.push([relative(path, key), node]);
    return found.sort((a, b) => depth(a[0]) - depth(b[0]));
  }

  /** Names of the entries directly inside path that are present. */
  childrenWithEntries(path: string): string[] {
    const names: string[] = [];
    for (const [key, node] of this.entries) {
      if (node.kind !== 'absent' && key !== path && dirname(key) === path) names.push(basename(key));
    }
    return names;
  }

  hasEntriesBelow(path: string): boolean {
    for (const key of this.entries.keys()) if (isStrictlyBelow(key, path)) return true;
    return false;
  }

  /** Moves (rename) or copies the entries at and below `from` to `to`, with `top` standing at `to`. */
  transplant(from: string, to: string, top: OverlayNode, removeSource: boolean): void {
    const carried = this.below(from);
    if (removeSource) this.replace(from, { kind: 'absent' });
    this.replace(to, top);
    for (const [rel, node] of carried) this.entries.set(join(to, rel), cloneNode(node));
  }

  private resolveFrom(path: string, followFinal: boolean, links: number): Resolved {
    if (links > MAX_LINKS) return { state: 'absent', path };
    const hit = this.deepest(path);
    if (hit === undefined) return { state: 'real', path, real: path, overrides: undefined };
    const { at, node } = hit;
    if (at === path) {
      switch (node.kind) {
        case 'absent':
          return { state: 'absent', path };
        case 'real':
          return { state: 'real', path, real: node.real, overrides: node };
        case 'symlink':
          if (followFinal) return this.resolveFrom(resolve(dirname(at), node.target), true, links + 1);
          return { state: 'node', path, node };
        default:
          return { state: 'node', path, node };
      }
    }
    const rest = relative(at, path);
    switch (node.kind) {
      case 'real':
        return { state: 'real', path, real: join(node.real, rest), overrides: undefined };
      case 'symlink':
        return this.resolveFrom(join(resolve(dirname(at), node.target), rest), followFinal, links + 1);
      default:
        // Below something removed, a file, or a synthetic folder that has no such entry.
        return { state: 'absent', path };
    }
  }

  private deepest(path: string): { at: string; node: OverlayNode } | undefined {
    for (let at = path; ; at = dirname(at)) {
      const node = this.entries.get(at);
      if (node !== undefined) return { at, node };
      if (dirname(at) === at) return undefined;
    }
  }

  private deleteBelow(path: string, includingSelf: boolean): void {
    for (const key of [...this.entries.keys()]) {
      if (isStrictlyBelow(key, path) || (includingSelf && key === path)) this.entries.delete(key);
    }
  }
}

export function isStrictlyBelow(candidate: string, folder: string): boolean {
  const prefix = folder.endsWith(sep) ? folder : folder + sep;
  return candidate.length > prefix.length && candidate.startsWith(prefix);
}

function depth(rel: string): number {
  return rel.split(sep).length;
}

function cloneNode(node: OverlayNode): OverlayNode {
  return node.kind === 'directory' || node.kind === 'symlink' || node.kind === 'file' ? { ...node, ino: nextIno++ } : { ...node };
}
