/**
 * Passwords written into URLs (`smb://alex:hunter2@nas/share`, `afp://…`, `https://…`, or
 * mount_smbfs's `//alex:hunter2@nas/share`). A declaration lives in a dotfiles repository, often
 * a public one, so a password there is leaked: it belongs in the keychain. Found anywhere in the
 * file (values, keys, comments) and in every value as YAML read it (escapes can hide an `@`), and
 * reported at the value that holds it. The password itself is never repeated: messages show the
 * URL with `****` in its place.
 */

import { isScalar, type Document, type Scalar } from 'yaml';
import { eachYamlNode } from './each-yaml-node.js';
import type { Problem, SourceLocation } from '../../errors.js';
import { printable } from '../../text/printable.js';

/** scheme://user:password@ (the scheme may be left out: //user:password@host). */
const CREDENTIALS = /(?:\b([A-Za-z][A-Za-z0-9+.-]*):)?\/\/([^\s/?#@:]*):([^\s/?#]*)@([^\s/?#@'",\]}]*)/g;

interface Found {
  offset: number;
  shown: string;
  user: string;
  host: string;
}

function findIn(text: string): Found[] {
  const found: Found[] = [];
  for (const m of text.matchAll(CREDENTIALS)) {
    const [, scheme, user = '', password = '', host = ''] = m;
    if (password === '') continue;
    // The password runs to the last `@` before the host, so one holding an `@` is hidden whole.
    const prefix = scheme === undefined ? '//' : `${scheme}://`;
    found.push({ offset: m.index, shown: `${prefix}${user}:****@${host}`, user, host });
  }
  return found;
}

function secretProblem(f: Found, location: SourceLocation): Problem {
  const user = f.user === '' ? 'USER' : printable(f.user, { limit: 40 });
  const host = f.host === '' ? 'HOST' : printable(f.host, { limit: 60 });
  return {
    code: 'CONFIG_INVALID',
    message: `A password in the declaration (${printable(f.shown)}): a dotfiles repo is no place for secrets`,
    hint:
      `write the URL without the password and keep the password in the keychain: let macOS ask for it once and remember it, ` +
      `or run \`security add-internet-password -a ${user} -s ${host} -w\`; if this file was ever committed or shared, change the password`,
    location,
  };
}

/**
 * Problems for every password in the text and in the document's values. `at` turns an offset in
 * the text into a place; with a document, a password is reported where its value starts.
 */
export function findSecrets(text: string, doc: Document | undefined, at: (offset: number) => SourceLocation): Problem[] {
  const scalars: Scalar[] = [];
  if (doc !== undefined) {
    eachYamlNode(doc, (node) => {
      if (isScalar(node)) scalars.push(node);
    });
  }
  // Scalars are visited in document order, so their starts are sorted: a binary search finds the
  // one around an offset.
  const starts = scalars.map((s) => s.range?.[0] ?? 0);
  const scalarAround = (offset: number): Scalar | undefined => {
    let lo = 0;
    let hi = starts.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((starts[mid] ?? 0) <= offset) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const s = scalars[best];
    return s !== undefined && offset < (s.range?.[1] ?? 0) ? s : undefined;
  };

  const problems = new Map<number, Problem>();
  for (const f of findIn(text)) {
    const offset = scalarAround(f.offset)?.range?.[0] ?? f.offset;
    if (!problems.has(offset)) problems.set(offset, secretProblem(f, at(offset)));
  }
  for (const s of scalars) {
    const offset = s.range?.[0] ?? 0;
    if (typeof s.value !== 'string' || problems.has(offset)) continue;
    const f = findIn(s.value)[0];
    if (f !== undefined) problems.set(offset, secretProblem(f, at(offset)));
  }
  return [...problems.values()];
}
