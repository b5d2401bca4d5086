import os from 'node:os';
import { findConfigFile } from '../config/read/find-config.js';
import type { LoadedConfig } from '../config/model/declared.js';
import { formatProblem } from '../config/format-problem.js';
import { isProvisionError, type Problem } from '../errors.js';
import { plural } from '../text/units.js';
import { findAndLoadConfig } from '../app/session.js';
import type { DoctorCheck } from './types.js';

/**
 * The declaration: which file, found how (as plan finds it), and whether it validates. When it
 * does not, every problem is listed as validate prints it, and the other checks cannot run.
 */
export async function checkDeclaration(explicit: string | undefined): Promise<{ check: DoctorCheck; loaded?: LoadedConfig; source?: string }> {
  const title = 'The declaration';
  try {
    const { loaded, source } = await findAndLoadConfig(explicit);
    const c = loaded.config;
    const count = (o: object | undefined): number => Object.keys(o ?? {}).length;
    return {
      loaded,
      source,
      check: {
        id: 'declaration',
        title,
        status: 'ok',
        found: `${loaded.file} (${source}): valid, ${plural(count(c.drives), 'drive')}, ${plural(count(c.users), 'user')}, ${plural(count(c.machines), 'machine')}`,
        details: [],
      },
    };
  } catch (e) {
    if (!isProvisionError(e)) throw e;
    if (e.code === 'CONFIG_NOT_FOUND') {
      return { check: { id: 'declaration', title, status: 'problem', code: e.code, found: e.message, details: [], fix: e.hint ?? 'name the file with -c FILE' } };
    }
    // Found but not valid: name the file (found as above, so this cannot fail differently).
    const file = foundFile(explicit);
    const problems: Problem[] = e.problems.length > 0 ? [...e.problems] : [{ code: e.code, message: e.message, ...(e.hint === undefined ? {} : { hint: e.hint }), ...(e.location === undefined ? {} : { location: e.location }) }];
    return {
      check: {
        id: 'declaration',
        title,
        status: 'problem',
        code: e.code,
        found: `${file ?? 'the declaration'} is not valid: ${plural(problems.length, 'problem')}, as provision validate reports them`,
        details: problems.map((p) => formatProblem(p)),
        fix: 'correct each problem at the place named (provision validate checks the file again), then run provision doctor again',
      },
    };
  }
}

function foundFile(explicit: string | undefined): string | undefined {
  try {
    return findConfigFile({ ...(explicit === undefined ? {} : { explicit }), env: process.env, cwd: process.cwd(), home: os.homedir() }).file;
  } catch {
    return undefined;
  }
}
