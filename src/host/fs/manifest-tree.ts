/** Lists every entry below a folder with its size, for verifying a copy. */

import type { TreeManifest } from '../host.js';
import { walkTree } from './walk-tree.js';

/** Size recorded for a directory. */
export const MANIFEST_DIRECTORY = -1;
/** Size recorded for a symbolic link. */
export const MANIFEST_SYMLINK = -2;
/** Size recorded for a fifo, socket or device (outside the Host contract's two markers). */
export const MANIFEST_OTHER = -3;

/** Relative posix path to size for every entry below root; any unreadable part throws its error. */
export async function manifestTree(root: string): Promise<TreeManifest> {
  const manifest: TreeManifest = new Map();
  await walkTree(root, {
    entry(rel, kind, size) {
      const value =
        kind === 'file' ? size : kind === 'directory' ? MANIFEST_DIRECTORY : kind === 'symlink' ? MANIFEST_SYMLINK : MANIFEST_OTHER;
      manifest.set(rel, value);
    },
    unreadable(_rel, error) {
      throw error;
    },
  });
  return manifest;
}
