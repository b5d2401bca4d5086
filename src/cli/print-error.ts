import { formatProblem } from '../config/format-problem.js';
import { printable } from '../text/printable.js';
import type { ProvisionError, Problem } from '../errors.js';

/** Text for an error on stderr: every problem of a validation, or the one error with its hint. */
export function formatError(e: ProvisionError): string {
  const problems: Problem[] =
    e.problems.length > 0
      ? [...e.problems]
      : [{ code: e.code, message: e.message, ...(e.hint === undefined ? {} : { hint: e.hint }), ...(e.location === undefined ? {} : { location: e.location }) }];
  const body = problems.map(formatProblem).join('\n');
  const count = problems.length > 1 ? `\n${problems.length} problems found.` : '';
  return `${body}${count}\n`;
}

/**
 * Any other text bound for stderr that may quote the command line (commander's "unknown option
 * '…'", an internal error's message): escaped like every problem, so an argument cannot carry
 * escape sequences to the terminal. Line breaks stay; a long argument is cut.
 */
export function terminalSafe(text: string): string {
  return printable(text, { keepNewlines: true, limit: 10_000 });
}
