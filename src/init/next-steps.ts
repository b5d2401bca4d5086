/**
 * The "Next:" line after init: validate and plan, with exactly the options they need to find
 * what init just wrote (-c when the file is not where they look by themselves, --root when
 * init described a machine under a folder), so the line can be pasted as it is.
 */

import { findConfigFile } from '../config/read/find-config.js';
import { shellWord } from '../text/shell-quote.js';

export function nextSteps(file: string, opts: { root: string | undefined; cwd: string; home: string; env: Record<string, string | undefined> }): string {
  let found: string | undefined;
  try {
    found = findConfigFile({ env: opts.env, cwd: opts.cwd, home: opts.home }).file;
  } catch {
    found = undefined;
  }
  const config = found === file ? [] : ['-c', shellWord(file)];
  const root = opts.root === undefined ? [] : ['--root', shellWord(opts.root)];
  return [['provision', 'validate', ...config], ['provision', 'plan', ...config, ...root]].map((c) => c.join(' ')).join(', ');
}
