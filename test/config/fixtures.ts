/** Shared helpers for the declaration tests: fixture paths and "expect this to fail" in one line. */

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { isProvisionError, type ProvisionError } from '../../src/errors.js';
import { parseConfig } from '../../src/config/load-config.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/configs/', import.meta.url));

export function fixtureFiles(kind: 'good' | 'bad'): string[] {
  return readdirSync(`${FIXTURES}${kind}`)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `${FIXTURES}${kind}/${f}`);
}

export function readFixture(path: string): string {
  return readFileSync(path, 'utf8');
}

/** Parses text that must fail, and returns the ProvisionError (anything else fails the test). */
export function parseFailure(text: string, file = 'backups.yaml'): ProvisionError {
  try {
    parseConfig(text, file);
  } catch (e) {
    if (isProvisionError(e)) return e;
    throw e;
  }
  expect.fail('expected the declaration to be rejected');
}

/** The problems of a failing parse as `CODE LINE:COL` strings, in reported order. */
export function problemSpots(text: string): string[] {
  return parseFailure(text).problems.map((p) => `${p.code} ${p.location?.line}:${p.location?.column}`);
}

/** The example from the format's description: it must always validate. */
export const EXAMPLE = `# yaml-language-server: $schema=./schemas/backups.schema.json
version: 1
drives:
  archive:
    volume: Archive 2TB        # the volume's name: /Volumes/Archive 2TB on a Mac
users:
  alex:
    mobilesync: { drive: archive, path: MobileSync/alex }   # folder on the drive
  sam:
    mobilesync: { drive: archive, path: MobileSync/sam }
machines:
  imac:
    hostname: iMac             # a name or a list of names the machine answers to
    platform: macos            # macos (default) | windows | linux
    users: [alex, sam]         # a list, or a map with per-machine overrides (false opts out)
  pc:
    hostname: [FAMILY-PC]
    platform: windows
    users: { sam: {} }
    drives: { archive: 'E:' }  # where a drive appears on this machine when not the default
`;
