import { describe, expect, it } from 'vitest';
import { decodeText, firstInvalidUtf8 } from '../../src/config/read/decode-text.js';
import { rng } from '../helpers/fixtures.js';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

function spot(input: Uint8Array): string {
  const r = decodeText(input, 'f.yaml');
  return r.ok ? `ok ${JSON.stringify(r.text)}` : `${r.problem.code} ${r.problem.location?.line}:${r.problem.location?.column}`;
}

describe('decodeText', () => {
  it('finds the first byte that is not UTF-8 exactly where TextDecoder fails', () => {
    const next = rng(7);
    for (let i = 0; i < 2000; i++) {
      const data = Uint8Array.from({ length: 1 + Math.floor(next() * 12) }, () => Math.floor(next() * 256));
      let valid = true;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(data);
      } catch {
        valid = false;
      }
      const bad = firstInvalidUtf8(data);
      expect(bad === -1, Buffer.from(data).toString('hex')).toBe(valid);
      if (bad > 0) expect(firstInvalidUtf8(data.subarray(0, bad))).toBe(-1);
    }
  });

  it('places a bad byte by line and by column in characters, after any byte order mark', () => {
    expect(spot(bytes('a: 1\nbé: ', [0xff]))).toBe('CONFIG_SYNTAX 2:5');
    expect(spot(bytes([0xef, 0xbb, 0xbf], 'ab', [0xe9]))).toBe('CONFIG_SYNTAX 1:3');
    expect(spot(bytes('😀', [0x80]))).toBe('CONFIG_SYNTAX 1:3');
  });

  it('accepts UTF-8 with or without a byte order mark, dropping the mark', () => {
    expect(spot(bytes([0xef, 0xbb, 0xbf], 'version: 1\r\n'))).toBe('ok "version: 1\\r\\n"');
    expect(spot(bytes('Renée'))).toBe('ok "Renée"');
    expect(spot(bytes(''))).toBe('ok ""');
  });

  it('tells UTF-16 and UTF-32 (with or without a mark) from binary data', () => {
    const text = 'version: 1\nmachines: {}\n';
    for (const data of [
      bytes([0xff, 0xfe], [...Buffer.from(text, 'utf16le')]),
      bytes([...Buffer.from(text, 'utf16le')]),
      bytes([0xfe, 0xff], [...Buffer.from(text, 'utf16le').swap16()]),
      bytes([...Buffer.from(text, 'utf16le').swap16()]),
    ]) {
      const r = decodeText(data, 'f');
      expect(r.ok ? '' : r.problem.message).toMatch(/UTF-16/);
    }
    const r32 = decodeText(bytes([0xff, 0xfe, 0, 0], [0x76, 0, 0, 0]), 'f');
    expect(r32.ok ? '' : r32.problem.message).toMatch(/UTF-32/);
    const binary = decodeText(bytes([0x89], 'PNG\r\n', [0x1a, 0x0a, 0, 0, 0, 0x0d]), 'f');
    expect(binary.ok ? '' : binary.problem.message).toMatch(/not a text file/);
    expect(spot(bytes('ab\ncd', [0]))).toBe('CONFIG_SYNTAX 2:3');
  });
});
