import { ProvisionError, formatLocation, type Problem } from '../errors.js';

/** One problem as FILE:LINE:COLUMN: message, then the hint, indented. */
export function formatProblemText(p: Problem): string {
  const where = p.location === undefined ? '' : `${formatLocation(p.location)}: `;
  return `${where}${p.message}${p.hint === undefined ? '' : `\n  hint: ${p.hint}`}`;
}

/** Text for an error on stderr: every problem of a validation, or the one error with its hint. */
export function formatError(e: ProvisionError): string {
  const problems: Problem[] =
    e.problems.length > 0
      ? [...e.problems]
      : [{ code: e.code, message: e.message, ...(e.hint === undefined ? {} : { hint: e.hint }), ...(e.location === undefined ? {} : { location: e.location }) }];
  const body = problems.map(formatProblemText).join('\n');
  const count = problems.length > 1 ? `\n${problems.length} problems found.` : '';
  return `${body}${count}\n`;
}
