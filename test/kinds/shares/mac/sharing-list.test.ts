import { describe, expect, it } from 'vitest';
import { parseSharingList } from '../../../../src/kinds/shares/mac/sharing-list.js';

/**
 * `sharing -l` as older releases print it, with afp and ftp blocks beside smb, each holding a
 * `name:` line of its own (the layout of other projects' recorded fixtures: tabs, a `path:` line
 * indented or not, a `smb time machine:` line after the blocks).
 */
const WITH_AFP_AND_FTP = [
  'List of Share Points',
  'name:\t\tFamily Backups',
  '\tpath:\t\t/Volumes/Archive/TM',
  '\tafp:\t{',
  '\t\tname:\tFamily Backups (AFP)',
  '\t\tshared:\t1',
  '\t\tguest access:\t1',
  '\t}',
  '\tftp:\t{',
  '\t\tname:\tFamily Backups',
  '\t\tshared:\t0',
  '\t}',
  '\tsmb:\t{',
  '\t\tname:\tFamily Backups',
  '\t\tshared:\t1',
  '\t\tguest access:\t0',
  '\t}',
  '\tsmb time machine:\t1',
  'name:\t\tPublic',
  'path:\t\t/Users/alex/Public',
  '\tafp:\t{',
  '\t\tname:\tPublic',
  '\t\tshared:\t1',
  '\t}',
  '',
].join('\n');

describe('sharing -l', () => {
  it('a name inside an afp or ftp block is not a share; their flags are not smb flags', () => {
    expect(parseSharingList(WITH_AFP_AND_FTP)).toEqual([
      { name: 'Family Backups', path: '/Volumes/Archive/TM', smbShared: true, smbGuest: false },
      { name: 'Public', path: '/Users/alex/Public', smbShared: false, smbGuest: false },
    ]);
  });
});
