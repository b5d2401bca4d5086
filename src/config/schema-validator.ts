/**
 * The declaration's JSON Schema, compiled once. The schema file ships in the package's
 * schemas/ folder (editors use the same file), found relative to this module so the path works
 * from src/config (tests) and dist/config (the built CLI) alike.
 */

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv2020 as Ajv2020Class, ValidateFunction } from 'ajv/dist/2020.js';
import { ProvisionError } from '../errors.js';
import type { DeclaredConfig } from './model/declared.js';
import { linearErrors } from './linear-errors.js';

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

let schemaRead: SchemaNode | undefined;
let validator: ValidateFunction<DeclaredConfig> | undefined;

/** The schema's JSON, read once: the built CLI needs it only to explain a declaration that fails. */
export function declarationSchema(): SchemaNode {
  schemaRead ??= loading(() => JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as SchemaNode);
  return schemaRead;
}

/** The compiled validator (allErrors, verbose: errors carry their schema and data). */
export function schemaValidator(): ValidateFunction<DeclaredConfig> {
  validator ??= loading(() => {
    const ready = precompiled();
    if (ready !== undefined) return ready;
    // Loaded only here: the built CLI never needs ajv's compiler. The code is the same the build
    // writes, with the same change (linear-errors.ts), loaded as the build's file would be.
    const require = createRequire(import.meta.url);
    const { Ajv2020 } = require('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020Class };
    const standaloneCode = (require('ajv/dist/standalone') as { default: (ajv: Ajv2020Class, fn: ValidateFunction) => string }).default;
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true, code: { source: true } });
    const source = linearErrors(standaloneCode(ajv, ajv.compile<DeclaredConfig>(declarationSchema())));
    const module = { exports: {} as unknown };
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- ajv's own generated code, as the build loads it from a file
    new Function('module', 'exports', 'require', source)(module, module.exports, require);
    return module.exports as ValidateFunction<DeclaredConfig>;
  });
  return validator;
}

function loading<T>(load: () => T): T {
  try {
    return load();
  } catch (cause) {
    throw new ProvisionError('IO', `Cannot load the declaration schema from ${SCHEMA_URL.pathname}`, {
      hint: 'the installation of provision looks incomplete: reinstall it',
      cause,
    });
  }
}
