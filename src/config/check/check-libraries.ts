/**
 * Photo library names under `photos: { libraries: [...] }`: each names one package in the
 * user's Pictures folder, so it is a single name (no folders) with the extension Photos
 * (.photoslibrary) or iPhoto (.photolibrary) gives its packages, listed once (Mac volumes
 * compare names case-insensitively, so two spellings would be one package).
 */

import type { Problem } from '../../errors.js';
import { invalid, type CheckContext } from './check-context.js';
import { describePath } from './describe-path.js';
import { overrideOf, userListings } from '../model/effective.js';
import { folderKey } from '../model/path-forms.js';
import { quoted } from '../../text/printable.js';

const LIBRARY_EXTENSION = /\.(photoslibrary|photolibrary)$/i;

function checkList(names: readonly string[], path: (string | number)[], { where }: CheckContext): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    const at = [...path, i];
    if (name === '.' || name === '..' || /[/\\\0:]/.test(name)) {
      problems.push(
        invalid(
          `${describePath(at)} ${quoted(name)} is not the name of a library in the Pictures folder`,
          'write only the package name, like Family.photoslibrary; libraries elsewhere are not managed',
          where.value(at),
        ),
      );
      return;
    }
    if (!LIBRARY_EXTENSION.test(name)) {
      problems.push(
        invalid(
          `${describePath(at)} ${quoted(name)} does not end in .photoslibrary or .photolibrary`,
          `write the package's full name as Finder shows it with extensions on, like ${quoted(`${name}.photoslibrary`)}`,
          where.value(at),
        ),
      );
      return;
    }
    const key = folderKey([name]).join('/');
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push(
        invalid(
          `${describePath(at)} ${quoted(name)} is the same library as ${describePath([...path, first])} (names are compared ignoring case)`,
          'list each library once',
          where.value(at),
        ),
      );
      return;
    }
    seen.set(key, i);
  });
  return problems;
}

export function checkLibraries(ctx: CheckContext): Problem[] {
  const { config } = ctx;
  const problems: Problem[] = [];
  for (const [userName, user] of Object.entries(config.users ?? {})) {
    const libraries = user.photos?.libraries;
    if (libraries !== undefined) problems.push(...checkList(libraries, ['users', userName, 'photos', 'libraries'], ctx));
  }
  for (const machineName of Object.keys(config.machines)) {
    for (const listing of userListings(config, machineName)) {
      const photos = overrideOf(listing.entry)?.photos;
      if (photos === undefined || photos === false || photos.libraries === undefined) continue;
      problems.push(...checkList(photos.libraries, [...listing.path, 'photos', 'libraries'], ctx));
    }
  }
  return problems;
}
