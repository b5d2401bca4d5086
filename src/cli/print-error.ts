import { formatProblem } from '../config/format-problem.js';
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
