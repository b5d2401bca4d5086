/**
 * How deeply lists and mappings nest, found by a quick scan of the text before the YAML parser
 * sees it. The parser and everything after it (composing, visiting, validating) recurse once per
 * level, so 100,000 `[` would exhaust the stack or take seconds; a declaration needs about six
 * levels. The scan knows just enough YAML to be right on real files: comments, quoted text,
 * plain text (where `[` is only a character), block scalars (`|`, `>`), flow brackets, and
 * block nesting by indentation and by `- `/`? ` on one line. Small miscounts cannot matter: the
 * limit is far above any real declaration and far below what hurts.
 */

/** More levels than this are refused. */
export const MAX_NESTING = 32;

function isBlank(ch: string | undefined): boolean {
  return ch === undefined || ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

function isFlowIndicator(ch: string | undefined): boolean {
  return ch === ',' || ch === '[' || ch === ']' || ch === '{' || ch === '}';
}

/** The offset where nesting first goes deeper than `limit` levels, or undefined. */
export function excessiveNesting(text: string, limit = MAX_NESTING): number | undefined {
  const n = text.length;
  const indents: number[] = [];
  let flow = 0;
  let compact = 0; // `- - x`: levels opened on the current line by block indicators
  let lineIndent = 0;
  let blockScalarParent = -1; // while >= 0, lines indented further belong to a | or > scalar
  let i = 0;
  let atLineStart = true;

  const deeper = (): boolean => indents.length + compact + flow > limit;
  const skipToLineEnd = (): void => {
    while (i < n && text[i] !== '\n') i++;
  };

  while (i < n) {
    if (atLineStart) {
      atLineStart = false;
      let j = i;
      while (text[j] === ' ') j++;
      const first = text[j];
      const blank = first === undefined || first === '\n' || first === '\r' || first === '\t';
      if (blockScalarParent >= 0 && (blank || j - i > blockScalarParent)) {
        i = j;
        skipToLineEnd();
        continue;
      }
      blockScalarParent = -1;
      if (blank || first === '#' || (first === '%' && j === i)) {
        i = j;
        skipToLineEnd();
        continue;
      }
      lineIndent = j - i;
      compact = 0;
      if (flow === 0) {
        while (indents.length > 0 && (indents[indents.length - 1] ?? 0) >= lineIndent) indents.pop();
        indents.push(lineIndent);
        if (deeper()) return j;
      }
      i = j;
    }

    const ch = text[i];
    if (ch === '\n') {
      i++;
      atLineStart = true;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
    } else if (ch === '#') {
      skipToLineEnd();
    } else if (ch === '"') {
      for (i++; i < n && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      i++;
    } else if (ch === "'") {
      for (i++; i < n; i++) {
        if (text[i] !== "'") continue;
        if (text[i + 1] !== "'") break;
        i++;
      }
      i++;
    } else if (ch === '[' || ch === '{') {
      flow++;
      if (deeper()) return i;
      i++;
    } else if (ch === ']' || ch === '}') {
      if (flow > 0) flow--;
      i++;
    } else if (ch === ',') {
      i++;
    } else if ((ch === '-' || ch === '?' || ch === ':') && (isBlank(text[i + 1]) || (flow > 0 && isFlowIndicator(text[i + 1])))) {
      if (ch !== ':' && flow === 0) {
        compact++;
        if (deeper()) return i;
      }
      i++;
    } else if ((ch === '|' || ch === '>') && flow === 0) {
      blockScalarParent = lineIndent;
      skipToLineEnd();
    } else if (ch === '&' || ch === '*' || ch === '!') {
      while (i < n && !isBlank(text[i]) && !(flow > 0 && isFlowIndicator(text[i]))) i++;
    } else {
      // Plain text runs to the end of the line, a `: ` or ` #`, or in brackets a flow indicator.
      while (i < n) {
        const c = text[i];
        if (c === '\n') break;
        if (flow > 0 && isFlowIndicator(c)) break;
        if (c === ':' && (isBlank(text[i + 1]) || (flow > 0 && isFlowIndicator(text[i + 1])))) break;
        if ((c === ' ' || c === '\t') && text[i + 1] === '#') break;
        i++;
      }
    }
  }
  return undefined;
}
