import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ProvisionError } from '../../errors.js';

/** The JSON Schemas provision ships, by the name `provision schema NAME` takes. */
const SCHEMAS: Record<string, string> = {
  backups: 'backups.schema.json',
  plan: 'plan.schema.json',
  apply: 'apply.schema.json',
  status: 'status.schema.json',
  'schedule-status': 'schedule-status.schema.json',
  doctor: 'doctor.schema.json',
  check: 'check.schema.json',
};

export interface SchemaOptions {
  path?: boolean;
}

/**
 * Prints one of the shipped schemas: by default the declaration's, for editors with a YAML
 * language server (`provision schema > ~/dotfiles/backups.schema.json`, then a modeline naming
 * it beside backups.yaml), or with --path where the installed file is. The files live in the
 * package's schemas/ folder, two folders up from this module (src/cli, dist/bundle alike).
 */
export async function schemaCommand(name: string | undefined, opts: SchemaOptions): Promise<number> {
  const wanted = name ?? 'backups';
  const file = SCHEMAS[wanted];
  if (file === undefined) {
    throw new ProvisionError('USAGE', `no schema named ${wanted}`, { hint: `the schemas are: ${Object.keys(SCHEMAS).join(', ')}` });
  }
  const url = new URL(`../../schemas/${file}`, import.meta.url);
  if (opts.path) {
    process.stdout.write(`${fileURLToPath(url)}\n`);
    return 0;
  }
  let text: string;
  try {
    text = await readFile(url, 'utf8');
  } catch (cause) {
    throw new ProvisionError('IO', `Cannot read the schema ${fileURLToPath(url)}`, { hint: 'the installation of provision looks incomplete: reinstall it', cause });
  }
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return 0;
}

export const SCHEMA_NAMES = Object.keys(SCHEMAS);
