/**
 * ajv's errors as problems a person can act on: a plain sentence naming the place
 * (`machines.pc.platform must be one of macos, windows, linux`), a hint drawn from the schema's
 * own descriptions and examples, and the position in the YAML (the offending key for an unknown
 * key, the mapping for a missing one). The schema stays the single source of the rules; this
 * file only words its verdicts.
 */

import type { ErrorObject } from 'ajv/dist/2020.js';
import { stringify } from 'yaml';
import type { Problem, SourceLocation } from '../errors.js';
import { describePath, pointerToPath } from './check/describe-path.js';
import { didYouMean } from './check/did-you-mean.js';
import type { ConfigLocator } from './read/yaml-locator.js';
import { printable, quoted } from '../text/printable.js';

type SchemaLike = Record<string, unknown>;

/** An ajv error, or several from one anyOf folded into one: "must be a mapping, false or empty". */
interface FormsVerdict {
  keyword: 'oneOfForms';
  instancePath: string;
  forms: string[];
  data: unknown;
  parentSchema: unknown;
}
type Verdict = ErrorObject | FormsVerdict;

const NAME_HINT = "names may use letters, digits, '.', '_' and '-', and must not start with '.' or '-'";

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping (keys with values)',
  array: 'a list',
  string: 'text',
  null: 'empty',
  boolean: 'true or false',
  number: 'a number',
  integer: 'a whole number',
};

/** What the user wrote, in words: "a list", "the number 3", "empty". */
function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return v === '' ? 'empty text' : `the text ${quoted(v)}`;
  if (typeof v === 'number') return `the number ${v}`;
  return String(v);
}

function joinOr(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`;
}

function asSchema(v: unknown): SchemaLike | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as SchemaLike) : undefined;
}

/** A value as it would be written inline in YAML: `{ archive: E: }`, `[alex, sam]`. */
function inlineYaml(v: unknown): string {
  return stringify(v, { collectionStyle: 'flow', lineWidth: 0 }).trim();
}

/** The schema's description of a place, with its first examples: the hint for most problems. */
function describeSchema(schema: unknown): string | undefined {
  const s = asSchema(schema);
  if (s === undefined) return undefined;
  // Worded once per place in the schema: a file with thousands of problems asks thousands of times.
  if (described.has(s)) return described.get(s);
  const wording = wordSchema(s);
  described.set(s, wording);
  return wording;
}

const described = new WeakMap<SchemaLike, string | undefined>();

function wordSchema(s: SchemaLike): string | undefined {
  const description = typeof s.description === 'string' ? s.description : undefined;
  const examples = Array.isArray(s.examples) ? s.examples.slice(0, 2).map(inlineYaml) : [];
  const example = examples.length > 0 ? `for example: ${examples.join(' or ')}` : undefined;
  if (description === undefined) return example;
  return example === undefined ? description : `${description.replace(/\.$/, '')}; ${example}`;
}

function typeNames(t: unknown): string[] {
  if (Array.isArray(t)) return t.map(String);
  return typeof t === 'string' ? t.split(',') : [];
}

/** How one branch of an anyOf is written: `false`, `empty`, `a mapping (keys with values)`. */
function describeForm(branch: unknown): string {
  const s = asSchema(branch);
  if (s === undefined) return 'something else';
  if ('const' in s) return inlineYaml(s.const);
  const words = typeNames(s.type).map((t) => TYPE_WORDS[t] ?? t);
  return words.length > 0 ? joinOr(words) : 'something else';
}

/**
 * ajv reports every branch of a failed anyOf. When the value has the type of some branch, only
 * that branch's complaints are useful; when it fits none, one sentence listing the accepted forms
 * says it best. A union's branches report at the union's own place in the data, so the errors of
 * one place are folded together (a file with thousands of errors stays fast). ajv lists a union
 * after its branches' errors, so a union nested in another's branch is folded first and the
 * outer one sees the result.
 */
function foldUnions(errors: readonly ErrorObject[]): Verdict[] {
  const places = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const group = places.get(e.instancePath);
    if (group === undefined) places.set(e.instancePath, [e]);
    else group.push(e);
  }
  return [...places.values()].flatMap(foldPlace);
}

function foldPlace(errors: readonly ErrorObject[]): Verdict[] {
  let verdicts: Verdict[] = [...errors];
  const unions = errors.filter((e) => e.keyword === 'anyOf');
  for (const union of unions) {
    const prefix = `${union.schemaPath}/`;
    const branchOf = (v: Verdict): number | undefined => {
      if (v === union || !('schemaPath' in v) || v.instancePath !== union.instancePath || !v.schemaPath.startsWith(prefix)) {
        return undefined;
      }
      const n = Number(v.schemaPath.slice(prefix.length).split('/')[0]);
      return Number.isInteger(n) ? n : undefined;
    };
    const branches = Array.isArray(union.schema) ? (union.schema as unknown[]) : [];
    const wrongType = new Set<number>();
    for (const v of verdicts) {
      const n = branchOf(v);
      if (n !== undefined && (v.keyword === 'type' || v.keyword === 'const' || v.keyword === 'enum')) wrongType.add(n);
    }
    if (wrongType.size < branches.length) {
      verdicts = verdicts.filter((v) => v !== union && !wrongType.has(branchOf(v) ?? -1));
    } else {
      const index = verdicts.indexOf(union);
      const folded: Verdict = {
        keyword: 'oneOfForms',
        instancePath: union.instancePath,
        forms: branches.map(describeForm),
        data: union.data,
        parentSchema: union.parentSchema,
      };
      verdicts = verdicts.flatMap((v, i) => (i === index ? [folded] : v === union || branchOf(v) !== undefined ? [] : [v]));
    }
  }
  return verdicts;
}

/** The kind of name the keys of a mapping are, from the mapping's own key: drives → drive. */
function nameKind(path: readonly (string | number)[]): string {
  const last = path[path.length - 1];
  if (last === 'drives') return 'drive ';
  if (last === 'users') return 'user ';
  if (last === 'machines') return 'machine ';
  return '';
}

interface Worded {
  message: string;
  hint?: string;
  location: SourceLocation;
}

function wordOne(v: Verdict, root: unknown, where: ConfigLocator, namePattern: string | undefined): Worded | undefined {
  const path = pointerToPath(v.instancePath, root);
  const place = describePath(path);
  const atValue = where.value(path);

  if ('forms' in v) {
    return {
      message: `${place} must be ${joinOr(v.forms)}, but it is ${describeValue(v.data)}`,
      hint: describeSchema(v.parentSchema) ?? `write ${joinOr(v.forms)}`,
      location: atValue,
    };
  }
  const parent = asSchema(v.parentSchema);
  const params = v.params as Record<string, unknown>;

  switch (v.keyword) {
    case 'propertyNames':
      // The nested pattern error carries the bad name; this one adds nothing.
      return undefined;
    case 'type': {
      if (path.length === 0) {
        return v.data === null || v.data === undefined
          ? {
              message: 'The file is empty',
              hint: 'start with `version: 1`, then list the machines under `machines:` (and drives and users as needed)',
              // Nothing in it to point at (maybe a `---` or a comment): the file itself.
              location: { ...atValue, line: 1, column: 1 },
            }
          : {
              message: `The file must be a mapping of settings (version, drives, users, machines), but it is ${describeValue(v.data)}`,
              hint: 'start the file with `version: 1` at the left margin, followed by `drives:`, `users:` and `machines:`',
              location: atValue,
            };
      }
      const types = typeNames(params.type);
      const isName = parent?.pattern !== undefined && parent.pattern === namePattern;
      const expected = isName ? ['a name'] : types.map((t) => TYPE_WORDS[t] ?? t);
      // YAML reads `2` or `true` as a number or a boolean; quoting makes it text.
      const quote =
        types.includes('string') && (typeof v.data === 'number' || typeof v.data === 'boolean')
          ? `put it in quotes, like '${printable(String(v.data))}', so YAML reads it as text`
          : undefined;
      return {
        message: `${place} must be ${joinOr(expected)}, but it is ${describeValue(v.data)}`,
        hint: quote ?? describeSchema(parent) ?? `write ${joinOr(expected)} here`,
        location: atValue,
      };
    }
    case 'required': {
      const missing = String(params.missingProperty);
      const properties = asSchema(parent?.properties);
      const about = describeSchema(properties?.[missing]);
      return {
        message: path.length === 0 ? `The file has no \`${missing}\`` : `${place} has no \`${missing}\``,
        hint: `add \`${missing}:\`${about === undefined ? '' : ` (${about})`}`,
        location: atValue,
      };
    }
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const shown = key === '' ? 'an empty key (a `:` with no name before it)' : `an unknown key ${quoted(key)}`;
      const allowed = Object.keys(asSchema(parent?.properties) ?? {});
      const guess = didYouMean(key, allowed);
      const list = allowed.length > 0 ? `keys allowed here: ${allowed.join(', ')}` : 'no keys are allowed here';
      return {
        message: path.length === 0 ? `The top of the file has ${shown}` : `${place} has ${shown}`,
        hint: guess === undefined ? list : `did you mean \`${guess}\`? (${list})`,
        location: where.key([...path, key]),
      };
    }
    case 'pattern': {
      const pattern = String(params.pattern);
      if ('propertyName' in v && typeof v.propertyName === 'string') {
        return {
          message: `${quoted(v.propertyName)} is not a valid ${nameKind(path)}name`,
          hint: NAME_HINT,
          location: where.key([...path, v.propertyName]),
        };
      }
      if (pattern === namePattern) {
        return { message: `${place} must be a name, but ${quoted(String(v.data))} is not one`, hint: NAME_HINT, location: atValue };
      }
      if (pattern === '^/') {
        return {
          message: `${place} must be an absolute path starting with /, but it is ${quoted(String(v.data))}`,
          hint: describeSchema(parent) ?? 'write the full path, starting with /',
          location: atValue,
        };
      }
      return { message: `${place} is not written the expected way`, hint: describeSchema(parent) ?? `it must match ${pattern}`, location: atValue };
    }
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues.map(String) : [];
      const guess = typeof v.data === 'string' ? didYouMean(v.data, allowed) : undefined;
      const useOneOf = `use one of: ${allowed.join(', ')}`;
      return {
        message: `${place} must be one of ${allowed.join(', ')}`,
        hint: guess === undefined ? useOneOf : `did you mean \`${guess}\`? (${useOneOf})`,
        location: atValue,
      };
    }
    case 'const': {
      const allowed = inlineYaml(params.allowedValue);
      return {
        message: `${place} must be ${allowed}, but it is ${describeValue(v.data)}`,
        hint: path.length === 1 && path[0] === 'version' ? 'this provision reads format version 1: write `version: 1`' : `write ${allowed}`,
        location: atValue,
      };
    }
    case 'minLength':
      return { message: `${place} must not be empty`, hint: describeSchema(parent) ?? 'write something here', location: atValue };
    case 'minItems':
      return { message: `${place} must not be an empty list`, hint: describeSchema(parent) ?? 'list at least one item', location: atValue };
    case 'minProperties':
      return { message: `${place} must not be empty`, hint: describeSchema(parent) ?? 'add at least one entry', location: atValue };
    case 'uniqueItems': {
      const later = Math.max(Number(params.i), Number(params.j));
      const item = Array.isArray(v.data) ? v.data[later] : undefined;
      return {
        message: `${place} lists ${quoted(String(item))} more than once`,
        hint: 'remove the repeated entry',
        location: where.value([...path, later]),
      };
    }
    default:
      return { message: `${place} ${v.message ?? 'is not valid'}`, hint: describeSchema(parent), location: atValue };
  }
}

/**
 * Problems (code CONFIG_SCHEMA) for the schema errors of one validation of `root`: the first
 * `limit` in the file's order worded, and how many more there are. Wording locates and describes
 * each one, so a hostile file with a problem on every line costs only the few shown (the rest
 * are counted, not worded).
 */
export function schemaProblems(
  errors: readonly ErrorObject[],
  root: unknown,
  where: ConfigLocator,
  namePattern: string | undefined,
  limit = Number.POSITIVE_INFINITY,
): { problems: Problem[]; unworded: number } {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const order = documentOrder(root);
  const rank = (v: Verdict): number => order.get(v.instancePath) ?? Number.MAX_SAFE_INTEGER;
  // Stable: the verdicts of one place keep ajv's order.
  const verdicts = foldUnions(errors).map((v, i) => ({ v, r: rank(v), i })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.v);
  for (const [i, verdict] of verdicts.entries()) {
    if (problems.length > limit) return { problems, unworded: verdicts.length - i };
    const worded = wordOne(verdict, root, where, namePattern);
    if (worded === undefined) continue;
    const key = `${worded.location.line}:${worded.location.column}:${worded.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({
      code: 'CONFIG_SCHEMA',
      message: worded.message,
      ...(worded.hint === undefined ? {} : { hint: worded.hint }),
      location: worded.location,
    });
  }
  return { problems, unworded: 0 };
}

/** Each place in the data (as a JSON pointer) by its order in the file: the value keeps the YAML's order. */
function documentOrder(root: unknown): Map<string, number> {
  const order = new Map<string, number>();
  const visit = (value: unknown, pointer: string): void => {
    order.set(pointer, order.size);
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, `${pointer}/${i}`));
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) visit(item, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    }
  };
  visit(root, '');
  return order;
}
