/**
 * The schema file itself: valid 2020-12, strict, closed objects, and documented everywhere so
 * YAML editors can complete and explain every key.
 */

import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SCHEMA_URL } from '../../src/config/schema-validator.js';
import { EXAMPLE } from './fixtures.js';

type Json = Record<string, unknown>;
const schema = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as Json;

/** Every subschema with the JSON path to it. */
function subschemas(node: unknown, path: string, out: [string, Json][] = []): [string, Json][] {
  if (Array.isArray(node)) node.forEach((n, i) => subschemas(n, `${path}/${i}`, out));
  else if (node !== null && typeof node === 'object') {
    const obj = node as Json;
    if (!path.endsWith('/examples') && !path.includes('/examples/')) {
      out.push([path, obj]);
      for (const [k, v] of Object.entries(obj)) if (k !== 'examples' && k !== 'default' && k !== 'const') subschemas(v, `${path}/${k}`, out);
    }
  }
  return out;
}

describe('backups.schema.json', () => {
  it('is draft 2020-12 and compiles in strict mode', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it('validates the documented example', () => {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
    const validate = ajv.compile(schema);
    expect(validate(parse(EXAMPLE)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('closes every object with fixed keys and names map keys with the name pattern', () => {
    for (const [path, s] of subschemas(schema, '#')) {
      if (s.properties !== undefined) expect(s.additionalProperties, path).toBe(false);
      if (s.propertyNames !== undefined) {
        expect(typeof s.additionalProperties, path).toBe('object');
        expect(s.propertyNames, path).toEqual({ $ref: '#/$defs/name' });
      }
    }
    expect((schema.$defs as Json).name).toMatchObject({ pattern: '^[A-Za-z0-9_][A-Za-z0-9._-]*$' });
  });

  it('gives every property a title and a description', () => {
    for (const [path, s] of subschemas(schema, '#')) {
      for (const [key, prop] of Object.entries((s.properties as Json | undefined) ?? {})) {
        expect((prop as Json).title, `${path}/properties/${key}`).toEqual(expect.any(String));
        expect((prop as Json).description, `${path}/properties/${key}`).toEqual(expect.any(String));
      }
      if (typeof s.additionalProperties === 'object' && s.additionalProperties !== null) {
        const target = s.additionalProperties as Json;
        const resolved = typeof target.$ref === 'string' ? ((schema.$defs as Json)[target.$ref.split('/').pop() ?? ''] as Json) : target;
        expect(resolved.title, `${path}/additionalProperties`).toEqual(expect.any(String));
        expect(resolved.description, `${path}/additionalProperties`).toEqual(expect.any(String));
      }
    }
  });
});
