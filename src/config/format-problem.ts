/**
 * One problem as the CLI prints it: `FILE:LINE:COLUMN: message`, then `  hint: ...`. Messages
 * quote input already escaped; escaping once more here (it is idempotent) keeps a message built
 * anywhere else, or a file name, from reaching the terminal with control characters in it.
 */

import type { Problem } from '../errors.js';
import { printable } from '../text/printable.js';

/** Longer messages are cut: none is written that long, so only input can make one. */
const MESSAGE_LIMIT = 2000;

function safe(text: string): string {
  return printable(text, { limit: MESSAGE_LIMIT, keepNewlines: true });
}

export function formatProblem(p: Problem): string {
  const message = safe(p.message);
  // A file name never keeps a line break: it could start a forged line of output.
  const where = p.location === undefined ? undefined : `${printable(p.location.file, { limit: MESSAGE_LIMIT })}:${p.location.line}:${p.location.column}`;
  const head = where === undefined ? message : `${where}: ${message}`;
  return p.hint === undefined ? head : `${head}\n  hint: ${safe(p.hint)}`;
}
