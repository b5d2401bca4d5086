import path from 'node:path';
import type { WorkPlaces } from '../../engine/kind.js';
import type { LinkedFolderDesired } from './types.js';

/**
 * Where a linked folder's moves and restores put their temporary names: beside each link path
 * (the original put aside, a restore's partial copy, a link being swapped in), in the folder on
 * the drive (a move's partial copy) and beside it (a restore puts the drive's folder aside).
 */
export function linkedFolderPlaces(d: LinkedFolderDesired): WorkPlaces {
  const home = [...new Set(d.links.map((l) => path.dirname(l.host)))];
  const drive = [d.target.host, path.dirname(d.target.host)].filter((f) => !home.includes(f));
  return { title: d.title, folders: [...home, ...drive], homeFolders: home.length, declared: d.target.machine, links: d.links.map((l) => l.machine) };
}
