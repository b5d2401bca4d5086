/** Text as one single-quoted word for bash and zsh: 'it'\''s'. */
export function posixQuote(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

/** Text as one single-quoted word for fish, where \ and ' are escaped inside the quotes. */
export function fishQuote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * A description shown beside a candidate: control characters (which a shell would print raw)
 * become spaces. The descriptions come from provision's own code, but stay safe regardless.
 */
export function plainText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}
