import { readFileSync } from 'node:fs';

let known: string | undefined;

/** provision's version, from the package.json that ships with it (two folders up from src/app, dist/app and dist/bundle alike). */
export function provisionVersion(): string {
  known ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return known;
}
