/**
 * Reading a declaration: YAML syntax, then the JSON Schema, then the semantic checks. Each
 * stage collects all its problems, each located as FILE:LINE:COLUMN, and they are thrown
 * together, sorted by position. A stage runs only when the one before it passed, because its
 * problems would be noise on a broken input (a half-parsed document, a shape the checks do not
 * expect). Whatever the input, only a ProvisionError ever leaves this module.
 */

import { readFile, stat } from 'node:fs/promises';
import { errnoCode, isProvisionError, ProvisionError, type Problem } from '../errors.js';
import { checkSemantics } from './check-semantics.js';
import type { DeclaredConfig, LoadedConfig } from './declared.js';
import { parseYaml } from './parse-yaml.js';
import { schemaProblems } from './schema-problems.js';
import { schemaValidator } from './schema-validator.js';
import { createLocator } from './yaml-locator.js';

/** No real declaration comes near this; a bigger file is a mistake (or an attack on the parser). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** Problems in source order; unlocated ones last. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  const rank = (p: Problem): [number, number] =>
    p.location === undefined ? [Number.MAX_SAFE_INTEGER, 0] : [p.location.line, p.location.column];
  return [...problems].sort((a, b) => {
    const [la, ca] = rank(a);
    const [lb, cb] = rank(b);
    return la - lb || ca - cb;
  });
}

function fail(problems: readonly Problem[]): never {
  throw ProvisionError.fromProblems(sortProblems(problems));
}

function tooLarge(file: string): Problem {
  return {
    code: 'CONFIG_INVALID',
    message: `${file} is larger than ${MAX_CONFIG_BYTES / 1024} KiB, far too large for a declaration`,
    hint: 'check that this is the right file: a backups.yaml is usually a few dozen lines',
    location: { file, line: 1, column: 1 },
  };
}

function parseStages(text: string, file: string): LoadedConfig {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (source.length > MAX_CONFIG_BYTES) fail([tooLarge(file)]);

  const { doc, lineCounter, problems: syntax } = parseYaml(source, file);
  if (syntax.length > 0) fail(syntax);
  const where = createLocator(doc, lineCounter, file);

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    // yaml refuses documents whose aliases expand too far (the "billion laughs" attack).
    const reason = cause instanceof Error ? cause.message : String(cause);
    const excessive = /alias count/i.test(reason);
    throw ProvisionError.fromProblems([
      {
        code: 'CONFIG_SYNTAX',
        message: excessive
          ? 'The YAML aliases (*name) in this file expand to far too much data'
          : `The YAML in this file could not be turned into values: ${reason}`,
        hint: excessive ? 'write the values out instead of reusing them through many aliases' : 'simplify the anchors and aliases in this file',
        location: { file, line: 1, column: 1 },
      },
    ]);
  }

  const { schema, validate } = schemaValidator();
  if (!validate(value)) {
    const defs = schema.$defs as { name?: { pattern?: string } } | undefined;
    fail(schemaProblems(validate.errors ?? [], value, where, defs?.name?.pattern));
  }
  const config: DeclaredConfig = value;

  const semantic = checkSemantics(config, where);
  if (semantic.length > 0) fail(semantic);
  return { file, config, locate: (path) => where.value(path) };
}

/** Parses and validates declaration text; `file` is used in locations only. */
export function parseConfig(text: string, file: string): LoadedConfig {
  try {
    return parseStages(text, file);
  } catch (e) {
    if (isProvisionError(e)) throw e;
    // A bug or a pathological input (say, nesting deep enough to exhaust the stack): still a
    // ProvisionError, so the CLI reports it like any other problem.
    throw new ProvisionError('CONFIG_SYNTAX', `${file} could not be read as a declaration: ${e instanceof Error ? e.message : String(e)}`, {
      hint: 'simplify the file (very deep nesting or unusual YAML features), or report this as a bug',
      location: { file, line: 1, column: 1 },
      cause: e,
    });
  }
}

const UNREADABLE_HINTS: Record<string, string> = {
  ENOENT: 'check the path: no file is there',
  EACCES: 'you may not read this file: check its permissions',
  EPERM: 'the system refused access: on a Mac, check Full Disk Access for your terminal',
  EISDIR: 'this is a folder: give the path of the backups.yaml file in it',
};

/** Reads and validates a declaration file. */
export async function loadConfig(file: string): Promise<LoadedConfig> {
  let text: string;
  try {
    const info = await stat(file);
    if (info.isDirectory()) {
      throw Object.assign(new Error(`${file} is a folder`), { code: 'EISDIR' });
    }
    if (info.size > MAX_CONFIG_BYTES) fail([tooLarge(file)]);
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (isProvisionError(e)) throw e;
    const code = errnoCode(e) ?? 'unknown';
    throw ProvisionError.fromProblems([
      {
        code: 'CONFIG_UNREADABLE',
        message: `Cannot read ${file} (${code})`,
        hint: UNREADABLE_HINTS[code] ?? 'check that the file exists and that you may read it',
      },
    ]);
  }
  return parseConfig(text, file);
}
