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
import { open, stat } from 'node:fs/promises';
import { errnoCode, isProvisionError, ProvisionError, type Problem, type SourceLocation } from '../errors.js';
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

/**
 * A household's file is a few dozen lines; a fleet of 1,000 machines of five users each, every
 * one with its own folders, is 556 KiB (bench/household-declaration.ts). A bigger file is a
 * mistake or an attack on the parser. Every step of reading and refusing one takes time linear
 * in its size (the schema's errors gathered in place, linear-errors.ts; only the problems shown
 * worded, schema-problems.ts), so the limit is set by what a fleet needs, not by the time: a
 * hostile file at the limit, every line a problem, is refused in about 2 s of CPU on this
 * project's 2-core build machine, most of it the YAML parser (test/config/bad-corpus.test.ts
 * holds it to 1 s plus 6 s per MiB, and checks that four times the file takes four times as long).
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;

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

/** A file name as messages show it. */
function shown(file: string): string {
  return printable(file, { limit: 300 });
}

function tooLarge(file: string): Problem {
  return {
    code: 'CONFIG_INVALID',
    message: `${shown(file)} is larger than ${MAX_CONFIG_BYTES / 1024} KiB, far too large for a declaration`,
    hint: 'check that this is the right file: a backups.yaml is usually a few dozen lines',
    location: { file, line: 1, column: 1 },
  };
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

const UNREADABLE_HINTS: Record<string, string> = {
  ENOENT: 'check the path: no file is there',
  EACCES: 'you may not read this file: check its permissions',
  EPERM: 'the system refused access: on a Mac, check Full Disk Access for your terminal',
  EISDIR: 'this is a folder: give the path of the backups.yaml file in it',
  NOT_A_FILE: 'this is not a regular file (a device, a pipe or a socket): give the path of your backups.yaml',
  ENAMETOOLONG: 'the path is too long to be a file name: check it',
};

/**
 * The file's bytes, at most MAX_CONFIG_BYTES of them. Only regular files are opened: a pipe would
 * block and a device like /dev/zero never ends.
 */
async function readBytes(file: string): Promise<Uint8Array> {
  const info = await stat(file);
  if (info.isDirectory()) throw Object.assign(new Error(`${file} is a folder`), { code: 'EISDIR' });
  if (!info.isFile()) throw Object.assign(new Error(`${file} is not a regular file`), { code: 'NOT_A_FILE' });
  if (info.size > MAX_CONFIG_BYTES) fail([tooLarge(file)]);
  const handle = await open(file, 'r');
  try {
    // One byte more than allowed tells a file that grew since stat.
    const buffer = new Uint8Array(Math.min(info.size, MAX_CONFIG_BYTES) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) {
        if (length > MAX_CONFIG_BYTES) fail([tooLarge(file)]);
        break;
      }
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

/** Reads and validates a declaration file. */
export async function loadConfig(file: string): Promise<LoadedConfig> {
  let bytes: Uint8Array;
  try {
    bytes = await readBytes(file);
  } catch (e) {
    if (isProvisionError(e)) throw e;
    const code = errnoCode(e) ?? 'unknown';
    throw ProvisionError.fromProblems([
      {
        code: 'CONFIG_UNREADABLE',
        message: code === 'NOT_A_FILE' ? `Cannot read ${shown(file)}: it is not a regular file` : `Cannot read ${shown(file)} (${code})`,
        hint: UNREADABLE_HINTS[code] ?? 'check that the file exists and that you may read it',
      },
    ]);
  }
  const decoded = decodeText(bytes, file);
  if (!decoded.ok) fail([decoded.problem]);
  return { ...parseConfig(decoded.text, file), sha256: createHash('sha256').update(bytes).digest('hex') };
}
