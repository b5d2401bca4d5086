/** One problem as the CLI prints it: `FILE:LINE:COLUMN: message`, then `  hint: ...`. */

import { formatLocation, type Problem } from '../errors.js';

export function formatProblem(p: Problem): string {
  const head = p.location === undefined ? p.message : `${formatLocation(p.location)}: ${p.message}`;
  return p.hint === undefined ? head : `${head}\n  hint: ${p.hint}`;
}
