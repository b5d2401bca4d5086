/**
 * Breaks text into lines of at most `width` characters: at spaces where it can, inside a long
 * path after a `/` or `\`, and mid-word only when nothing else fits. Status output uses it so
 * that a long path stays under its label on a narrow terminal instead of wrapping to column 0.
 */
export function wrapText(text: string, width: number): string[] {
  const w = Math.max(8, width);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if ([...candidate].length <= w) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    line = '';
    let rest = word;
    while ([...rest].length > w) {
      const head = [...rest].slice(0, w).join('');
      const cut = Math.max(head.lastIndexOf('/'), head.lastIndexOf('\\'));
      const at = cut > 0 ? cut + 1 : head.length;
      lines.push(rest.slice(0, at));
      rest = rest.slice(at);
    }
    line = rest;
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/** The width a block layout uses: the terminal's (or $COLUMNS), kept between 40 and 100 columns. */
export function fitWidth(columns: number): number {
  return Math.min(100, Math.max(40, columns));
}

/** `lead` (an indented label) padded to `column`, and the value wrapped beside it, under itself. */
export function labelled(lead: string, value: string, width: number, column: number, colour: (s: string) => string = (s) => s): string[] {
  return wrapText(value, width - column).map((line, i) => `${i === 0 ? lead.padEnd(column) : ' '.repeat(column)}${colour(line)}`);
}
