/**
 * The declaration's JSON Schema, compiled once. The schema file ships in the package's
 * schemas/ folder (editors use the same file), found relative to this module so the path works
 * from src/config (tests) and dist/config (the built CLI) alike.
 */

import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { ProvisionError } from '../errors.js';
import type { DeclaredConfig } from './declared.js';

export const SCHEMA_URL = new URL('../../schemas/backups.schema.json', import.meta.url);

export type SchemaNode = Record<string, unknown>;

let cached: { schema: SchemaNode; validate: ValidateFunction<DeclaredConfig> } | undefined;

/** The schema's JSON and its compiled validator (allErrors, verbose: errors carry their schema and data). */
export function schemaValidator(): { schema: SchemaNode; validate: ValidateFunction<DeclaredConfig> } {
  if (cached !== undefined) return cached;
  try {
    const schema = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as SchemaNode;
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
