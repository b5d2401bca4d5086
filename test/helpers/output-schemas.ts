import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'vitest';
import { REPO } from './sandbox.js';

/**
 * The schemas of provision's JSON output (schemas/*.schema.json but the declaration's), loaded
 * into one validator so that their references to each other resolve as they do for users.
 */
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
for (const name of fs.readdirSync(path.join(REPO, 'schemas'))) {
  if (name.endsWith('.schema.json') && name !== 'backups.schema.json') {
    ajv.addSchema(JSON.parse(fs.readFileSync(path.join(REPO, 'schemas', name), 'utf8')) as object);
  }
}

/** Parses stdout as one JSON document and checks it against schemas/<name>.schema.json. */
export function expectOutputMatches(name: 'plan' | 'apply' | 'status' | 'doctor' | 'schedule-status' | 'check', stdout: string): Record<string, unknown> {
  const doc = JSON.parse(stdout) as Record<string, unknown>;
  const validate = ajv.getSchema(`https://provision.invalid/schemas/${name}.schema.json`);
  if (validate === undefined) throw new Error(`no schema ${name}`);
  const ok = validate(doc);
  expect(ok, JSON.stringify(validate.errors, null, 2)).toBe(true);
  return doc;
}
