/**
 * The agent's plist as text, and back. Written with the plist package's builder, indented with
 * tabs as Apple's tools write plists, ending with a newline; the same job always gives the same
 * bytes, so "is the installed agent current?" is a comparison of text.
 */

import { parsePlistXml } from '../macos/plist.js';
import { ProvisionError } from '../errors.js';
import type { AgentJob } from './agent-job.js';

/** XML 1.0 cannot hold these characters at all, escaped or not. */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/u;

export async function renderAgentPlist(job: AgentJob): Promise<string> {
  for (const arg of [...job.ProgramArguments, job.StandardOutPath]) {
    if (NOT_XML.test(arg)) {
      throw new ProvisionError('USAGE', `the agent cannot run ${JSON.stringify(arg)}: a property list cannot hold its control characters`, {
        hint: 'move the declaration (or provision) to a path without control characters',
      });
    }
  }
  const plist = (await import('plist')).default;
  return `${plist.build({ ...job }, { pretty: true, indent: '\t' })}\n`;
}

/** What an installed plist says, as far as provision reads it. */
export interface InstalledAgent {
  /** The job's Label, if it has one. */
  label: string | undefined;
  /** Top-level keys and their values, to tell which of them differ from the current job. */
  values: Record<string, unknown>;
  programArguments: string[] | undefined;
}

/** Parses an installed plist; undefined when it is not a property list holding a dictionary. */
export async function readAgentPlist(text: string): Promise<InstalledAgent | undefined> {
  let value: unknown;
  try {
    value = await parsePlistXml(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date || Buffer.isBuffer(value)) return undefined;
  const values = value as Record<string, unknown>;
  const label = typeof values['Label'] === 'string' ? values['Label'] : undefined;
  const args = values['ProgramArguments'];
  const programArguments = Array.isArray(args) && args.every((a): a is string => typeof a === 'string') ? args : undefined;
  return { label, values, programArguments };
}

/** The keys whose values differ between the installed plist and the job install would write now. */
export function differingKeys(installed: InstalledAgent, job: AgentJob): string[] {
  const wanted = job as unknown as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(wanted), ...Object.keys(installed.values)])];
  return keys.filter((k) => JSON.stringify(installed.values[k]) !== JSON.stringify(wanted[k]));
}
