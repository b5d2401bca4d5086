/**
 * A declaration's bytes to text. YAML files are UTF-8; what else turns up is explained, at the
 * place it starts: a file saved as UTF-16 (Windows Notepad's "Unicode"), binary data (a wrong
 * path, a photo renamed), a byte that is not UTF-8 (a file saved as Latin-1). A UTF-8 byte order
 * mark, which Windows editors write, is dropped: editors do not count it as a column either.
 */

import type { Problem, SourceLocation } from '../../errors.js';

export type DecodedText = { ok: true; text: string } | { ok: false; problem: Problem };

const UTF8_BOM = [0xef, 0xbb, 0xbf];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** The offset of the first byte that does not begin a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    // The allowed range of the second byte, and how many continuation bytes follow it.
    let low = 0x80;
    let high = 0xbf;
    let length: number;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f; // no UTF-16 surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f; // nothing above U+10FFFF
    } else return i;
    const second = bytes[i + 1];
    if (second === undefined || second < low || second > high) return i;
    for (let k = 2; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < 0x80 || c > 0xbf) return i;
    }
    i += length;
  }
  return -1;
}

/** Line and column (1-based, columns counted as the YAML parser counts them) of a byte offset. */
export function bytePosition(bytes: Uint8Array, offset: number, file: string): SourceLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  if (line === 1 && startsWith(bytes, UTF8_BOM) && offset >= 3) lineStart = 3;
  const before = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset));
  return { file, line, column: before.length + 1 };
}

/**
 * UTF-16 without a byte order mark shows as text whose every other byte is zero. The share of
 * zero bytes at even and at odd offsets tells it (and its byte order) from binary data.
 */
function looksLikeUtf16(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, Math.min(bytes.length, 4096) & ~1);
  const pairs = sample.length / 2;
  if (pairs < 2) return false;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample.length; i += 2) {
    if (sample[i] === 0) evenZeros++;
    if (sample[i + 1] === 0) oddZeros++;
  }
  const [many, few] = oddZeros > evenZeros ? [oddZeros, evenZeros] : [evenZeros, oddZeros];
  return many >= 4 && many >= pairs * 0.3 && few <= pairs * 0.05;
}

/**
 * Binary data without NUL bytes (rare, but a compressed file can be) shows as many bytes that
 * are neither UTF-8 nor printable; a text saved as Latin-1 has only a few, in its accented letters.
 */
function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 4096);
  let odd = 0;
  for (let i = 0; i < sample.length; ) {
    const rest = sample.subarray(i);
    const bad = firstInvalidUtf8(rest);
    const clean = bad < 0 ? rest : rest.subarray(0, bad);
    for (const b of clean) if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) odd++;
    if (bad < 0) break;
    odd++;
    i += bad + 1;
  }
  return odd >= 8 && odd >= sample.length * 0.05;
}

function wideEncoding(name: 'UTF-16' | 'UTF-32', file: string): DecodedText {
  return {
    ok: false,
    problem: {
      code: 'CONFIG_SYNTAX',
      message: `The file is saved as ${name}: save it as UTF-8`,
      hint: 'YAML files are UTF-8: in your editor choose Save As (or the encoding in the status bar) and pick UTF-8',
      location: { file, line: 1, column: 1 },
    },
  };
}

export function decodeText(bytes: Uint8Array, file: string): DecodedText {
  if (startsWith(bytes, [0xff, 0xfe, 0, 0]) || startsWith(bytes, [0, 0, 0xfe, 0xff])) return wideEncoding('UTF-32', file);
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return wideEncoding('UTF-16', file);

  const notText = (offset: number, what: string): DecodedText => ({
    ok: false,
    problem: {
      code: 'CONFIG_SYNTAX',
      message: `This is not a text file: it holds ${what} here, as binary data does`,
      hint: 'check the path: a backups.yaml is a text file (you may have named an image, an archive or a disk image)',
      location: bytePosition(bytes, offset, file),
    },
  });

  const nul = bytes.indexOf(0);
  if (nul >= 0) return looksLikeUtf16(bytes) ? wideEncoding('UTF-16', file) : notText(nul, 'a NUL byte');

  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0 && looksBinary(bytes)) return notText(bad, 'bytes that are not text');
  if (bad >= 0) {
    const byte = (bytes[bad] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    return {
      ok: false,
      problem: {
        code: 'CONFIG_SYNTAX',
        message: `The file is not UTF-8 text: the byte 0x${byte} here is not part of any UTF-8 character`,
        hint: 'save the file as UTF-8 (it may have been saved as Latin-1 or Windows-1252); if it is not a text file at all, check the path',
        location: bytePosition(bytes, bad, file),
      },
    };
  }

  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  return { ok: true, text: text.startsWith('\uFEFF') ? text.slice(1) : text };
}
