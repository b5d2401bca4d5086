import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { findSecrets } from '../../src/config/read/find-secrets.js';

const at = (offset: number) => ({ file: 'f', line: 1, column: offset + 1 });

function secrets(text: string) {
  return findSecrets(text, parseDocument(text), at);
}

describe('findSecrets', () => {
  it('finds a password in a URL of any scheme, and in mount_smbfs form', () => {
    for (const url of [
      'smb://alex:hunter2@nas.local/Backups',
      'afp://alex:hunter2@nas/Archive',
      'http://admin:hunter2@router/',
      'https://admin:hunter2@example.com:8443/x',
      'ftp://:hunter2@host/',
      '//alex:hunter2@nas/share',
      'smb://DOMAIN;alex:hunter2@nas/share',
    ]) {
      expect(secrets(`volume: ${url}\n`), url).toHaveLength(1);
    }
  });

  it('never repeats the password, even one with @ or : in it', () => {
    for (const password of ['hunter2', 'p@ss@word', 'a:b:c', 'p%40ss']) {
      const [problem] = secrets(`volume: "smb://alex:${password}@nas/share"\n`);
      expect(problem?.code).toBe('CONFIG_INVALID');
      expect(`${problem?.message} ${problem?.hint}`).not.toContain(password);
      expect(problem?.message).toContain('smb://alex:****@nas');
      expect(problem?.hint).toMatch(/keychain/);
    }
  });

  it('points at the value that holds it, and finds it in comments and through escapes', () => {
    expect(secrets('a: 1\nvolume: "see smb://u:p@h/s"\n')[0]?.location).toEqual(at(13));
    expect(secrets('a: 1 # smb://u:p@h/s\n')[0]?.location).toEqual(at(7));
    expect(secrets('volume: "smb://u:p\\x40h/s"\n')).toHaveLength(1);
  });

  it('lets through URLs and addresses without a password', () => {
    for (const text of [
      'volume: smb://alex@nas/share\n',
      'volume: https://example.com/a:b\n',
      'volume: alex@example.com\n',
      'path: "C:\\\\Users\\\\alex"\n',
      'volume: smb://alex:@nas/share\n',
      'hostname: [a:b, c@d]\n',
    ]) {
      expect(secrets(text), text).toEqual([]);
    }
  });
});
