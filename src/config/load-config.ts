/**
 * Reading a declaration, in stages: bytes to text (UTF-8 only, see decode-text.ts); checks of the
 * text itself (invisible characters, nesting depth) that protect the parser; YAML syntax (with
 * duplicate keys and bounded aliases); every key and value as YAML read it (control characters,
 * passwords); the JSON Schema; the semantic checks. Each stage collects all its problems, each
 * located as FILE:LINE:COLUMN, and they are thrown together, sorted by position. A stage runs only
 * when the one before it passed, because its problems would be noise on a broken input (a
 * half-parsed document, a shape the checks do not expect); a password is the exception, reported
 * at whatever stage fails, since it is the one problem that leaks. Whatever the input, only a
 * ProvisionError ever leaves this module, and quickly (test/config/bad-corpus.test.ts).
 */

import { createHash } from 'node:crypto';
import { isProvisionError, ProvisionError, type Problem, type SourceLocation } from '../errors.js';
import { MAX_CONFIG_BYTES, readDeclarationBytes, shown, tooLarge } from './read/read-declaration.js';
import { checkSemantics } from './check/check-semantics.js';
import type { DeclaredConfig, LoadedConfig } from './model/declared.js';
import { decodeText } from './read/decode-text.js';
import { findSecrets } from './read/find-secrets.js';
import { excessiveNesting, MAX_NESTING } from './read/nesting-depth.js';
import { parseYaml } from './read/parse-yaml.js';
import { printable } from '../text/printable.js';
import { schemaProblems } from './schema-problems.js';
import { declarationSchema, schemaValidator } from './schema-validator.js';
import { unsafeInDocument, unsafeInSource } from './read/unsafe-characters.js';
import { createLocator } from './read/yaml-locator.js';

export { MAX_CONFIG_BYTES } from './read/read-declaration.js';

/** More problems than this are summed up in one line: nobody reads the thousandth. */
export const MAX_PROBLEMS = 50;

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

/**
 * The problems in order, the ones past MAX_PROBLEMS replaced by a count at the first of them;
 * `unworded` more were counted but not worded (schema-problems.ts).
 */
function capProblems(problems: readonly Problem[], unworded = 0): Problem[] {
  const sorted = sortProblems(problems);
  const next = sorted[MAX_PROBLEMS];
  if (next === undefined) return sorted;
  const rest = sorted.length - MAX_PROBLEMS + unworded;
  return [
    ...sorted.slice(0, MAX_PROBLEMS),
    {
      code: next.code,
      message: `…and ${rest} more problems from here on, not shown`,
      hint: 'fix the problems above first, then validate again to see the rest',
      ...(next.location === undefined ? {} : { location: next.location }),
    },
  ];
}

function fail(problems: readonly Problem[], unworded = 0): never {
  throw ProvisionError.fromProblems(capProblems(problems, unworded));
}

/** Line and column of an offset in the text, counted as the YAML parser counts them. */
function textPosition(text: string, offset: number, file: string): SourceLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { file, line, column: offset - lineStart + 1 };
}

function parseStages(text: string, file: string): LoadedConfig {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (source.length > MAX_CONFIG_BYTES) fail([tooLarge(file)]);

  // Checks of the text itself, before the parser, which would choke on what they catch.
  const inText = (offset: number): SourceLocation => textPosition(source, offset, file);
  const unsafe = unsafeInSource(source, inText);
  if (unsafe !== undefined) fail([unsafe, ...findSecrets(source, undefined, inText)]);
  const deep = excessiveNesting(source);
  if (deep !== undefined) {
    fail([
      {
        code: 'CONFIG_SYNTAX',
        message: `Lists or mappings are nested more than ${MAX_NESTING} levels deep here`,
        hint: 'a declaration needs about six levels: check for runaway brackets or indentation',
        location: inText(deep),
      },
      ...findSecrets(source, undefined, inText),
    ]);
  }

  const { doc, lineCounter, targets, problems: syntax } = parseYaml(source, file);
  const inDoc = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const secrets = findSecrets(source, doc, inDoc);
  if (syntax.length > 0) fail([...syntax, ...secrets]);
  const content = [...unsafeInDocument(doc, inDoc), ...secrets];
  if (content.length > 0) fail(content);

  const where = createLocator(doc, lineCounter, file, targets);
  let value: unknown;
  try {
    // The aliases were bounded by parseYaml; yaml's own limit stays as a second guard.
    value = doc.toJS({ maxAliasCount: 100_000 });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const excessive = /alias count/i.test(reason);
    throw ProvisionError.fromProblems([
      {
        code: 'CONFIG_SYNTAX',
        message: excessive
          ? 'The YAML aliases (*name) in this file expand to far too much data'
          : `The YAML in this file could not be turned into values: ${printable(reason)}`,
        hint: excessive ? 'write the values out instead of reusing them through many aliases' : 'simplify the anchors and aliases in this file',
        location: { file, line: 1, column: 1 },
      },
    ]);
  }

  const validate = schemaValidator();
  if (!validate(value)) {
    const defs = declarationSchema()['$defs'] as { name?: { pattern?: string } } | undefined;
    const { problems, unworded } = schemaProblems(validate.errors ?? [], value, where, defs?.name?.pattern, MAX_PROBLEMS);
    fail(problems, unworded);
  }
  const config = value as DeclaredConfig;
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
    throw new ProvisionError(
      'CONFIG_SYNTAX',
      `${shown(file)} could not be read as a declaration: ${printable(e instanceof Error ? e.message : String(e))}`,
      {
        hint: 'simplify the file (very deep nesting or unusual YAML features), or report this as a bug',
        location: { file, line: 1, column: 1 },
        cause: e,
      },
    );
  }
}

/** Reads and validates a declaration file. */
export async function loadConfig(file: string): Promise<LoadedConfig> {
  return loadConfigFromBytes(await readDeclarationBytes(file), file);
}

/** Validates a declaration file's bytes (read-declaration.ts read them); `file` is for locations. */
export function loadConfigFromBytes(bytes: Uint8Array, file: string): LoadedConfig {
  const decoded = decodeText(bytes, file);
  if (!decoded.ok) fail([decoded.problem]);
  return { ...parseConfig(decoded.text, file), sha256: createHash('sha256').update(bytes).digest('hex') };
}
