// Compiles the declaration's JSON Schema ahead of time (ajv standalone code) into
// dist/config/backups-validator.cjs, so the CLI does not compile it on every start (about
// 0.17 s). The options must be the same as src/config/schema-validator.ts uses when it
// compiles at run time (tests, or a build without this file).
import fs from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { Ajv2020 } = require('ajv/dist/2020.js');
const standaloneCode = require('ajv/dist/standalone').default;

const schema = JSON.parse(fs.readFileSync(new URL('../schemas/backups.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true, code: { source: true } });
const validate = ajv.compile(schema);
// Errors gathered in place, not copied at every failing item (src/config/linear-errors.ts, built by tsc first).
const { linearErrors } = await import('../dist/config/linear-errors.js');
fs.writeFileSync(new URL('../dist/config/backups-validator.cjs', import.meta.url), linearErrors(standaloneCode(ajv, validate)));
