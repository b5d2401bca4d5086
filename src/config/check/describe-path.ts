/**
 * A path in the declaration as people read it: `machines.pc.platform`, `machines.imac.users[0]`,
 * `drives["my drive"]`. Used in every message, so it is the same everywhere.
 */

import type { ConfigPath } from '../read/yaml-locator.js';
import { printable } from '../../text/printable.js';

export function describePath(path: ConfigPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${printable(JSON.stringify(segment))}]`;
  }
  return out === '' ? 'the file' : out;
}

/** A JSON pointer from ajv (`/machines/pc/users/0`) as path segments; list indexes become numbers. */
export function pointerToPath(pointer: string, root: unknown): (string | number)[] {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  let here: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(here) && /^\d+$/.test(segment)) {
      path.push(Number(segment));
      here = here[Number(segment)];
    } else {
      path.push(segment);
      here =
        here !== null && typeof here === 'object' && Object.prototype.hasOwnProperty.call(here, segment)
          ? (here as Record<string, unknown>)[segment]
          : undefined;
    }
  }
  return path;
}
