/**
 * The declaration's JSON Schema, compiled once. The schema file ships in the package's
 * schemas/ folder (editors use the same file), found relative to this module so the path works
 * from src/config (tests) and dist/config (the built CLI) alike.
 */

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv2020 as Ajv2020Class, ValidateFunction } from 'ajv/dist/2020.js';
import { ProvisionError } from '../errors.js';
import type { DeclaredConfig } from './declared.js';

export const SCHEMA_URL = new URL('../../schemas/backups.schema.json', import.meta.url);

/**
 * The same schema compiled at build time (scripts/build-validator.mjs, ajv standalone code,
 * the same options as below): the built CLI loads it instead of compiling on every start.
 * Absent when running from src (tests), where the schema is compiled here.
 */
const PRECOMPILED = new URL('./backups-validator.cjs', import.meta.url);

function precompiled(): ValidateFunction<DeclaredConfig> | undefined {
  if (!existsSync(PRECOMPILED)) return undefined;
  return createRequire(import.meta.url)(PRECOMPILED.pathname) as ValidateFunction<DeclaredConfig>;
}

export type SchemaNode = Record<string, unknown>;

let cached: { schema: SchemaNode; validate: ValidateFunction<DeclaredConfig> } | undefined;

/** The schema's JSON and its compiled validator (allErrors, verbose: errors carry their schema and data). */
export function schemaValidator(): { schema: SchemaNode; validate: ValidateFunction<DeclaredConfig> } {
  if (cached !== undefined) return cached;
  try {
    const schema = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as SchemaNode;
    const ready = precompiled();
    if (ready !== undefined) {
      cached = { schema, validate: ready };
      return cached;
    }
    // Loaded only here: the built CLI never needs ajv's compiler.
    const { Ajv2020 } = createRequire(import.meta.url)('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020Class };
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    cached = { schema, validate: ajv.compile<DeclaredConfig>(schema) };
    return cached;
  } catch (cause) {
    throw new ProvisionError('IO', `Cannot load the declaration schema from ${SCHEMA_URL.pathname}`, {
      hint: 'the installation of provision looks incomplete: reinstall it',
      cause,
    });
  }
}
