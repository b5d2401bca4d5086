import path from 'node:path';
import type { Platform } from '../config/model/declared.js';

/**
 * Two kinds of path meet in this tool. A machine path is what the provisioned machine itself
 * sees (/Users/alex, C:\Users\sam). A host path is what this process opens. They are equal when
 * provision runs on the machine itself; under --root DIR the machine's "/" is DIR, as with chroot
 * (a Mac's /Users/alex is DIR/Users/alex, a Windows C:\Users\sam is DIR/C/Users/sam).
 * Link targets are always written as machine paths, so the OS never resolves them for us under
 * --root: every link is resolved here, through this mapper.
 */
/** A path as the machine sees it and as this process opens it. */
export interface DualPath {
  machine: string;
  host: string;
}

export interface PathMapper {
  readonly platform: Platform;
  readonly root: string | undefined;
  /** Path arithmetic in the machine's own style (posix, or win32 for Windows). */
  readonly machine: path.PlatformPath;
  toHost(machinePath: string): string;
  /** Resolves a link's raw target as the machine would, relative to the link's folder. */
  resolveLinkTarget(linkMachinePath: string, rawTarget: string): string;
  /** Canonical form for comparing machine paths (case-insensitive on macOS and Windows). */
  key(machinePath: string): string;
}

/** Strips the prefixes Windows puts on junction targets (\\?\C:\x, \??\C:\x). */
function stripWindowsPrefix(p: string): string {
  return p.replace(/^\\\\\?\\/, '').replace(/^\\\?\?\\/, '');
}

export function createPathMapper(platform: Platform, root: string | undefined): PathMapper {
  const machine = platform === 'windows' ? path.win32 : path.posix;
  const caseInsensitive = platform !== 'linux';

  const toHost = (machinePath: string): string => {
    if (platform === 'windows') {
      const p = path.win32.normalize(stripWindowsPrefix(machinePath));
      if (root === undefined) return p;
      const m = /^([A-Za-z]):\\?(.*)$/.exec(p);
      if (!m) throw new Error(`not an absolute Windows path: ${machinePath}`);
      const rest = (m[2] ?? '').split('\\').filter((s) => s.length > 0);
      return path.join(root, (m[1] ?? '').toUpperCase(), ...rest);
    }
    const p = path.posix.normalize(machinePath);
    return root === undefined ? p : path.join(root, p);
  };

  return {
    platform,
    root,
    machine,
    toHost,
    resolveLinkTarget(linkMachinePath, rawTarget) {
      const target = platform === 'windows' ? stripWindowsPrefix(rawTarget) : rawTarget;
      return machine.resolve(machine.dirname(linkMachinePath), target);
    },
    key(machinePath) {
      let p = machine.normalize(platform === 'windows' ? stripWindowsPrefix(machinePath) : machinePath);
      if (p.length > 1 && (p.endsWith('/') || p.endsWith('\\')) && !/^[A-Za-z]:\\$/.test(p)) p = p.slice(0, -1);
      return caseInsensitive ? p.toLowerCase() : p;
    },
  };
}
