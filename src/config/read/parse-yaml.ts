/**
 * Text to YAML document, with every syntax problem located. The document is kept (not only its
 * value) so later problems can point back at the source. Only plain YAML data is accepted:
 * tags like `!!set` or `!!binary` would turn into values no declaration has, so they are
 * reported instead of resolved.
 */

import { LineCounter, isCollection, isMap, isScalar, isSeq, parseDocument, type Document, type YAMLError } from 'yaml';
import type { Problem, SourceLocation } from '../../errors.js';
import { printable, quoted } from '../../text/printable.js';
import { aliasProblem, aliasTargets, type AliasTargets } from './yaml-aliases.js';
import { eachYamlNode } from './each-yaml-node.js';
import { keyString } from './yaml-locator.js';

export interface ParsedYaml {
  doc: Document;
  lineCounter: LineCounter;
  /** Each alias's anchor, resolved once for everything that follows aliases. */
  targets: AliasTargets;
  problems: Problem[];
}

/** Plain-language messages for the syntax slips people make most; others keep yaml's text. */
const FRIENDLY: Partial<Record<string, { message: string; hint: string }>> = {
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

const MULTILINE_KEY = {
  message: 'A key here runs over more than one line: the line above probably has no `:` after its key',
  hint: 'every key needs a `:` right after it, like `hostname: iMac`; check the line above, and any open quote',
};

const NESTED_ON_ONE_LINE = {
  message: 'A second `key:` on this line: a value cannot start a mapping on the line of its own key',
  hint: 'put the inner key on a line of its own, indented further; if the `:` is part of the value, quote the value',
};

const LIST_ON_KEY_LINE = {
  message: 'A list item (`- `) cannot start on the same line as its key',
  hint: 'start the list on the next line, indented further, or write it in brackets, like `hostname: [iMac]`',
};

const TOO_DEEP = {
  message: 'Lists or mappings are nested far too deeply here',
  hint: 'a declaration needs only a few levels: check for runaway brackets',
};

/** Friendlier words for yaml's messages that share a code with others. */
const BY_MESSAGE: readonly [RegExp, { message: string; hint: string }][] = [
  [/Implicit keys need to be on a single line/, MULTILINE_KEY],
  [/Nested mappings/, NESTED_ON_ONE_LINE],
  [/block-seq-ind on same line/, LIST_ON_KEY_LINE],
  [/same column/, MISALIGNED],
  [/call stack/i, TOO_DEEP],
];

/** yaml's errors are many on a badly broken file; the first ones are what matters. */
const MAX_YAML_ERRORS = 200;

const GENERIC_HINT = 'check the YAML near here: indentation, a missing `:` after a key, or unbalanced quotes or brackets';

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? text;
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
    // yaml compares every key with every other (quadratic in a hostile file of 100,000 keys), and
    // would let `1` and "1" through; duplicates are found below instead.
    uniqueKeys: false,
  });

  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const fromYaml = (e: YAMLError): Problem => {
    const friendly = FRIENDLY[e.code] ?? BY_MESSAGE.find(([pattern]) => pattern.test(e.message))?.[1];
    // Some errors point at the indentation before a key; the key itself is where to look.
    let offset = e.pos[0];
    while (text[offset] === ' ') offset++;
    return {
      code: 'CONFIG_SYNTAX',
      message: friendly?.message ?? printable(firstLine(e.message)),
      hint: friendly?.hint ?? GENERIC_HINT,
      location: at(offset),
    };
  };
  const errors = [...doc.errors, ...doc.warnings].slice(0, MAX_YAML_ERRORS);
  // yaml reports an unclosed quote or bracket where it gave up, often the end of the file; the
  // place where it was opened is what the user needs to see: looked for only when there is an
  // error to place.
  const openQuotes: number[] = [];
  const flows: { start: number; end: number; closer: string }[] = [];
  if (errors.length > 0) {
    eachYamlNode(doc, (node) => {
      if (isScalar(node)) {
        if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range) openQuotes.push(node.range[0]);
      } else if (isCollection(node)) {
        if (node.flow === true && node.range) flows.push({ start: node.range[0], end: node.range[1], closer: isSeq(node) ? ']' : '}' });
      }
    });
  }
  // A tab used for indentation derails everything after it; its other errors are only noise.
  const tabs = errors.filter((e) => e.code === 'TAB_AS_INDENT');
  const problems = (tabs.length > 0 ? tabs : errors).map((e) => {
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
      const what = unclosed === ']' ? '[ list' : '{ mapping';
      const found = text[e.pos[0]];
      if ((found === ']' || found === '}') && found !== unclosed && opened !== undefined) {
        // A closing bracket of the other kind: that bracket is the mistake, not the one opened.
        const { line, column } = at(opened);
        problem.location = at(e.pos[0]);
        problem.message = `This \`${found}\` does not close the ${what} opened on line ${line}, column ${column}`;
        problem.hint = `remove the \`${found}\`, or close the ${what} with \`${unclosed}\` before it`;
        return problem;
      }
      if (opened !== undefined) problem.location = at(opened);
      problem.message = `This ${what} is not closed with \`${unclosed}\``;
      problem.hint = `add \`${unclosed}\` at its end, on the same line or on a line indented further than its key`;
    }
    return problem;
  });

  // An alias must come after its anchor (`&name` before `*name`); otherwise it stands for nothing.
  const targets = aliasTargets(doc);
  for (const [alias, target] of targets) {
    if (target !== undefined) continue;
    problems.push({
      code: 'CONFIG_SYNTAX',
      message: `${quoted(`*${alias.source}`)} refers to an anchor ${quoted(`&${alias.source}`)} that is not defined before it`,
      hint: `define ${quoted(`&${alias.source}`)} earlier in the file, or write the value out`,
      location: at(alias.range?.[0] ?? 0),
    });
  }
  if (problems.length === 0) {
    const aliases = aliasProblem(doc, targets, at);
    if (aliases !== undefined) problems.push(aliases);
  }

  // Keys, in one pass over each mapping. Two keys that become the same key of the loaded object
  // (`1` and "1" too): yaml would keep only the last; merge keys (`<<`) may repeat. A list or
  // mapping used as a key cannot become a name: yaml would quietly stringify it.
  eachYamlNode(doc, (map) => {
    if (isMap(map)) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        const offset = (pair.key as { range?: [number, number, number] } | null)?.range?.[0] ?? map.range?.[0] ?? 0;
        const key = keyString(pair.key, targets);
        if (key === undefined) {
          problems.push({
            code: 'CONFIG_SYNTAX',
            message: 'A key here is a list or a mapping; keys must be plain names',
            hint: 'write the key as a plain name followed by `:`',
            location: at(offset),
          });
          continue;
        }
        if (key === '<<') continue;
        const first = seen.get(key);
        if (first === undefined) {
          seen.set(key, offset);
          continue;
        }
        problems.push({
          code: 'CONFIG_SYNTAX',
          message: `${key === '' ? 'An empty key (a `:` with no name before it)' : `The key ${quoted(key)}`} appears twice in the same mapping (first on line ${at(first).line})`,
          hint: 'remove one of them, or merge their settings into one',
          location: at(offset),
        });
      }
    }
  });
  return { doc, lineCounter, targets, problems };
}
