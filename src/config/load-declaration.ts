/**
 * The declaration a command works from: the checked one kept for these exact bytes and this
 * build when there is one (declaration-cache.ts), else read and checked in full by load-config.ts,
 * which is loaded only then, with the YAML parser behind it.
 */

import { cachedDeclaration, keepDeclaration } from './declaration-cache.js';
import type { LoadedConfig } from './model/declared.js';
import { readDeclarationBytes } from './read/read-declaration.js';

export async function loadDeclaration(file: string): Promise<LoadedConfig> {
  const bytes = await readDeclarationBytes(file);
  const kept = await cachedDeclaration(file, bytes);
  if (kept !== undefined) return kept;
  const { loadConfigFromBytes } = await import('./load-config.js');
  const loaded = loadConfigFromBytes(bytes, file);
  await keepDeclaration(loaded, bytes);
  return loaded;
}
