/**
 * Text to YAML document, with every syntax problem located. The document is kept (not only its
 * value) so later problems can point back at the source. Only plain YAML data is accepted:
 * tags like `!!set` or `!!binary` would turn into values no declaration has, so they are
 * reported instead of resolved.
 */

import { LineCounter, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Scalar, type YAMLError } from 'yaml';
import type { Problem, SourceLocation } from '../errors.js';
import { keyString } from './yaml-locator.js';

export interface ParsedYaml {
  doc: Document;
  lineCounter: LineCounter;
  problems: Problem[];
}

/** Plain-language messages for the syntax slips people make most; others keep yaml's text. */
const FRIENDLY: Partial<Record<string, { message: string; hint: string }>> = {
  DUPLICATE_KEY: {
    message: 'This key appears twice in the same mapping',
    hint: 'remove one of them, or merge their settings into one',
  },
  TAB_AS_INDENT: {
    message: 'A tab is used for indentation; YAML allows only spaces',
    hint: 'replace the tab with spaces (two per level is usual)',
  },
  MULTIPLE_DOCS: {
    message: 'The file holds more than one YAML document (a second `---`)',
    hint: 'keep everything in one document: remove the extra `---` line',
  },
  TAG_RESOLVE_FAILED: {
    message: 'This value has a YAML tag (`!...`) that provision does not read',
    hint: 'remove the tag and write the value plainly',
  },
};

const MISALIGNED = {
  message: 'This key is not lined up with the keys above it',
  hint: 'indent it with the same number of spaces as the other keys at its level',
};

const TOO_DEEP = {
  message: 'Lists or mappings are nested far too deeply here',
  hint: 'a declaration needs only a few levels: check for runaway brackets',
};

const GENERIC_HINT = 'check the YAML near here: indentation, a missing `:` after a key, or unbalanced quotes or brackets';

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? text;
}

/**
 * True when two keys would become the same key of the loaded object (`1` and `"1"` too, which
 * yaml alone lets through and then silently keeps only the last). Merge keys may repeat.
 */
function sameKey(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const ka = keyString(a);
  return ka !== undefined && ka === keyString(b) && ka !== '<<';
}

export function parseYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    // 'error' keeps yaml from printing warnings itself (it collects them all the same); 'silent'
    // would also drop the error for a second document.
    logLevel: 'error',
    merge: true,
    resolveKnownTags: false,
    uniqueKeys: sameKey,
  });

  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const fromYaml = (e: YAMLError): Problem => {
    const friendly =
      FRIENDLY[e.code] ?? (/same column/.test(e.message) ? MISALIGNED : /call stack/i.test(e.message) ? TOO_DEEP : undefined);
    // Some errors point at the indentation before a key; the key itself is where to look.
    let offset = e.pos[0];
    while (text[offset] === ' ') offset++;
    return {
      code: 'CONFIG_SYNTAX',
      message: friendly?.message ?? firstLine(e.message),
      hint: friendly?.hint ?? GENERIC_HINT,
      location: at(offset),
    };
  };
  // yaml reports an unclosed quote or bracket where it gave up, often the end of the file; the
  // place where it was opened is what the user needs to see.
  const openQuotes: number[] = [];
  const flows: { start: number; end: number; closer: string }[] = [];
  visit(doc, {
    Scalar(_, node: Scalar) {
      if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range) openQuotes.push(node.range[0]);
    },
    Collection(_, node) {
      if (node.flow === true && node.range) flows.push({ start: node.range[0], end: node.range[1], closer: isSeq(node) ? ']' : '}' });
    },
  });
  const problems = [...doc.errors, ...doc.warnings].map((e) => {
    const problem = fromYaml(e);
    const unclosed = /end with a ([\]}])/.exec(e.message)?.[1];
    if (e.code === 'MISSING_CHAR' && /quote/i.test(e.message)) {
      const opened = openQuotes.filter((start) => start <= e.pos[0]).pop();
      if (opened !== undefined) problem.location = at(opened);
      problem.message = 'This quoted text has no closing quote';
      problem.hint = 'add the closing quote at the end of the value';
    } else if (unclosed !== undefined) {
      const opened = flows
        .filter((f) => f.closer === unclosed && f.end === e.pos[0])
        .reduce<number | undefined>((best, f) => (best === undefined || f.start > best ? f.start : best), undefined);
      if (opened !== undefined) problem.location = at(opened);
      problem.message = `This ${unclosed === ']' ? '[ list' : '{ mapping'} is not closed with \`${unclosed}\``;
      problem.hint = `add \`${unclosed}\` at its end, on the same line or on a line indented further than its key`;
    }
    return problem;
  });

  // An alias must come after its anchor (`&name` before `*name`); otherwise it stands for nothing.
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc) !== undefined) return;
      problems.push({
        code: 'CONFIG_SYNTAX',
        message: `\`*${alias.source}\` refers to an anchor \`&${alias.source}\` that is not defined before it`,
        hint: `define \`&${alias.source}\` earlier in the file, or write the value out`,
        location: at(alias.range?.[0] ?? 0),
      });
    },
  });

  // A list or mapping used as a key cannot become a name; yaml would quietly stringify it.
  visit(doc, {
    Pair(_, pair) {
      if (!isPair(pair) || pair.key === null || isScalar(pair.key) || keyString(pair.key, doc) !== undefined) return;
      const offset = (pair.key as { range?: [number, number, number] }).range?.[0] ?? 0;
      problems.push({
        code: 'CONFIG_SYNTAX',
        message: 'A key here is a list or a mapping; keys must be plain names',
        hint: 'write the key as a plain name followed by `:`',
        location: at(offset),
      });
    },
  });
  return { doc, lineCounter, problems };
}
