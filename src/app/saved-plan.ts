/**
 * Saved plans (`plan --out FILE`, `apply FILE`): the plan's JSON document with a `saved` member
 * holding the options it was made with, the declaration's hash and the fingerprint of
 * everything it observed (host/recording-reads.ts). Applying one plans again with the same
 * options through a fresh recorder and refuses, naming what changed, unless everything is the
 * same: the provision version, the declaration, every observation, and the changes themselves.
 * The changes carried out are then the ones planned now, which equal the saved ones: a plan
 * file edited by hand cannot make apply run steps that planning would not have made.
 */

import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Ajv2020 as Ajv2020Class, ErrorObject } from 'ajv/dist/2020.js';
import { errnoCode, ProvisionError } from '../errors.js';
import { FORMAT_VERSION, type Change } from '../engine/types.js';
import { observationDifferences, observationsDigest, type Observations } from '../host/recording-reads.js';
import { writeFileAtomic } from '../host/fs/write-file-atomic.js';

export const PLAN_SCHEMA_URL = new URL('../../schemas/plan.schema.json', import.meta.url);

/** A saved plan is a few KiB per resource; a walk's observations are one line each. */
const MAX_PLAN_FILE_BYTES = 64 * 1024 * 1024;

export interface SavedOptions {
  config: string;
  machine: string;
  user?: string;
  root?: string;
}

export interface SavedMeta {
  provision_version: string;
  created: string;
  options: SavedOptions;
  declaration: { file: string; sha256: string };
  fingerprint: { sha256: string; observations: Observations };
}

/** The parts of a saved plan apply looks at; the rest is the plan's JSON as printed. */
export interface SavedPlanDoc {
  changes: Change[];
  saved: SavedMeta;
}

export function savedMeta(version: string, options: SavedOptions, declaration: { file: string; sha256: string }, observations: Observations): SavedMeta {
  return {
    provision_version: version,
    created: new Date().toISOString(),
    options,
    declaration,
    fingerprint: { sha256: observationsDigest(observations), observations },
  };
}

export async function writeSavedPlan(file: string, json: string): Promise<void> {
  try {
    await writeFileAtomic(file, json);
  } catch (e) {
    throw new ProvisionError('IO', `Cannot write the plan to ${file} (${errnoCode(e) ?? String(e)})`, {
      hint: 'give --out a file in a folder you may write to',
      cause: e,
    });
  }
}

/** Reads and checks a saved plan: JSON, then its schema. Problems name the file, and the line and column where there is one. */
export async function readSavedPlan(file: string): Promise<SavedPlanDoc> {
  const text = await readText(file);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ProvisionError('PLAN_FILE_INVALID', `${file}${await jsonErrorPosition(text, e)}: not a saved plan: ${e instanceof Error ? e.message.split('\n')[0]?.replace(/ in JSON at position \d+.*$/, '') : String(e)}`, {
      hint: 'give apply a file written by provision plan --out, unchanged',
    });
  }
  // A plan of another format (format 1 named both kinds of shared folders "shares") is refused
  // before its shape is checked, with what to do rather than a schema error.
  const format = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>)['format_version'] : undefined;
  if (typeof format === 'number' && format !== FORMAT_VERSION) {
    throw new ProvisionError('PLAN_FILE_INVALID', `${file}: a plan of format ${format}, made by another version of provision; this one reads format ${FORMAT_VERSION}`, {
      hint: 'nothing was changed; make a new plan with provision plan --out FILE, review it, and apply that',
    });
  }
  const validate = planValidator();
  if (!validate(doc)) {
    const first = (validate.errors ?? [])[0];
    throw new ProvisionError('PLAN_FILE_INVALID', `${file}: not a saved plan: ${describeSchemaError(first)}`, {
      hint: 'give apply a file written by provision plan --out, unchanged',
    });
  }
  const checked = doc as Partial<SavedPlanDoc>;
  if (checked.saved === undefined) {
    throw new ProvisionError('PLAN_FILE_INVALID', `${file}: a plan printed by plan --json, not one saved with plan --out`, {
      hint: 'save the plan with provision plan --out FILE: only a saved plan carries the fingerprint apply checks',
    });
  }
  return checked as SavedPlanDoc;
}

/**
 * Why a saved plan cannot be applied now, each reason in words; empty when it can. `now` is
 * the same plan made again through a fresh recorder.
 */
export function staleReasons(saved: SavedPlanDoc, now: { version: string; declarationSha256: string | undefined; observations: Observations; changes: Change[] }): string[] {
  const s = saved.saved;
  if (s.provision_version !== now.version) {
    return [`the plan was made by provision ${s.provision_version}, and this is ${now.version}`];
  }
  const reasons: string[] = [];
  if (s.declaration.sha256 !== now.declarationSha256) reasons.push(`the declaration ${s.declaration.file} changed since the plan`);
  reasons.push(...observationDifferences(s.fingerprint.observations, now.observations));
  if (reasons.length === 0 && JSON.stringify(comparable(saved.changes)) !== JSON.stringify(comparable(now.changes))) {
    reasons.push('the changes planned now differ from the saved ones (was the plan file edited?)');
  }
  return reasons;
}

/** A change as saved: JSON drops undefined members, so both sides go through it. */
function comparable(changes: Change[]): unknown {
  return JSON.parse(JSON.stringify(changes)) as unknown;
}

async function readText(file: string): Promise<string> {
  try {
    const handle = await open(file, 'r');
    try {
      const st = await handle.stat();
      if (!st.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'NOT_A_FILE' });
      if (st.size > MAX_PLAN_FILE_BYTES) {
        throw new ProvisionError('PLAN_FILE_INVALID', `${file} is ${st.size} bytes, more than a saved plan can be (${MAX_PLAN_FILE_BYTES})`, {
          hint: 'give apply a file written by provision plan --out',
        });
      }
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (e) {
    if (e instanceof ProvisionError) throw e;
    const code = errnoCode(e) ?? 'unknown';
    throw new ProvisionError('PLAN_FILE_INVALID', `Cannot read the saved plan ${file} (${code === 'NOT_A_FILE' ? 'not a regular file' : code})`, {
      hint: 'give apply the file written by provision plan --out',
    });
  }
}

/**
 * Where JSON.parse failed, as ":LINE:COLUMN", or ''. Node gives a position for some errors
 * ("... in JSON at position 45") and not for others; JSON is YAML, so the YAML parser, which
 * locates its errors, is asked then.
 */
async function jsonErrorPosition(text: string, error: unknown): Promise<string> {
  const at = /at position (\d+)/.exec(error instanceof Error ? error.message : '');
  if (at?.[1] !== undefined) {
    const before = text.slice(0, Number(at[1]));
    const line = before.split('\n').length;
    return `:${line}:${before.length - before.lastIndexOf('\n')}`;
  }
  // Loaded only here: a plan that reads well never needs the YAML parser.
  const { parseDocument } = await import('yaml');
  const first = parseDocument(text, { prettyErrors: false }).errors[0];
  if (first?.linePos === undefined) return '';
  const [start] = first.linePos;
  return `:${start.line}:${start.col}`;
}

type Validate = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
let validator: Validate | undefined;

/** The plan schema, compiled on first use: only apply FILE needs it. */
function planValidator(): Validate {
  if (validator === undefined) {
    const { Ajv2020 } = createRequire(import.meta.url)('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020Class };
    const ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true });
    validator = ajv.compile(JSON.parse(readFileSync(PLAN_SCHEMA_URL, 'utf8')) as object);
  }
  return validator;
}

function describeSchemaError(e: ErrorObject | undefined): string {
  if (e === undefined) return 'it does not match the plan format';
  const where = e.instancePath === '' ? 'the document' : e.instancePath;
  return `${where} ${e.message ?? 'is not as the plan format says'}`;
}
