/** Text as one single-quoted word for bash and zsh: 'it'\''s'. */
export function posixQuote(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

/**
 * An argument as a word a POSIX shell reads back as it is: plain when it holds only characters
 * no shell treats specially (not `~`, which expands at the start of a word), else quoted. For
 * command lines printed to be read and pasted.
 */
export function shellWord(arg: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(arg) ? arg : posixQuote(arg);
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
