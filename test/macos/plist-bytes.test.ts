import { describe, expect, it } from 'vitest';
import { parsePlistBytes, plistDict } from '../../src/macos/plist-bytes.js';
import { pyDate, pythonPlist } from '../helpers/python-plist.js';

describe('parsePlistBytes', () => {
  const when = new Date('2026-11-20T08:30:15Z');
  const value = { IsEncrypted: true, Version: '10.0', Date: pyDate(when), Nested: { List: [1, 'two', false] }, Blob: { $data: Buffer.from('abc').toString('base64') } };

  it('reads a binary plist written by Python plistlib', async () => {
    const bytes = await pythonPlist(value, 'binary');
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('bplist00');
    const d = plistDict(await parsePlistBytes(bytes));
    expect(d?.['IsEncrypted']).toBe(true);
    expect(d?.['Version']).toBe('10.0');
    expect(d?.['Date']).toEqual(when);
    expect(d?.['Nested']).toEqual({ List: [1, 'two', false] });
    expect(Buffer.isBuffer(d?.['Blob']) && d['Blob'].toString()).toBe('abc');
  });

  it('reads the same value from an XML plist written by plistlib', async () => {
    const d = plistDict(await parsePlistBytes(await pythonPlist(value, 'xml')));
    expect(d?.['IsEncrypted']).toBe(true);
    expect(d?.['Date']).toEqual(when);
  });

  it('refuses a truncated binary plist with a message, not a crash', async () => {
    const bytes = await pythonPlist(value, 'binary');
    await expect(parsePlistBytes(bytes.subarray(0, 20))).rejects.toThrow(/malformed binary property list/);
  });

  it('refuses bytes that are neither format', async () => {
    await expect(parsePlistBytes(Buffer.from('hello'))).rejects.toThrow(/not an XML property list/);
  });
});
