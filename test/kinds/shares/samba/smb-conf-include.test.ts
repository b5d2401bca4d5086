import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../../../src/host/fs/run-command.js';
import { withInclude, withIncludeMoved } from '../../../../src/kinds/shares/samba/smb-conf-include.js';
import { makeTempDir, removeTempDir } from '../../../host/fs/temp-dir.js';
import { testparmSkipReason } from '../../../helpers/samba-server.js';

const INCLUDE = '/etc/samba/provision.conf';
const ADDED = `\n# Added by provision: the shares it manages are in this file.\ninclude = ${INCLUDE}\n`;

/** A Debian-like smb.conf: tabs, comments of both kinds, blank lines, a share last. */
const DEBIAN_LIKE = [
  '#======================= Global Settings =======================',
  '',
  '[global]',
  '',
  '## Browsing/Identification ###',
  '   workgroup = WORKGROUP',
  '\tserver string = %h server (Samba, Ubuntu)',
  ';   interfaces = 127.0.0.0/8 eth0',
  '   log file = /var/log/samba/log.%m',
  '',
  '[printers]',
  '   comment = All Printers',
  '   browseable = no',
  '',
].join('\n');

describe('withInclude', () => {
  it('appends one include line, with a comment above it, after a blank line', () => {
    expect(withInclude(DEBIAN_LIKE, INCLUDE)).toBe(DEBIAN_LIKE + ADDED);
  });

  it('keeps every byte of the file before what it adds', () => {
    const odd = '[global]\n\tworkgroup   =  X  \n\n\n; comment\n[s]\npath=/a b\n   \n';
    const result = withInclude(odd, INCLUDE);
    expect(result?.startsWith(odd)).toBe(true);
    expect(result?.slice(odd.length)).toBe(ADDED);
  });

  it('is idempotent: a second call finds its own line', () => {
    const once = withInclude(DEBIAN_LIKE, INCLUDE);
    expect(once).toBeDefined();
    expect(withInclude(once ?? '', INCLUDE)).toBeUndefined();
  });

  it('keeps CRLF line endings, and adds a missing final line end in the same style', () => {
    const crlf = '[global]\r\n   workgroup = X\r\n[s]\r\n   path = /srv'; // no final line end
    expect(withInclude(crlf, INCLUDE)).toBe(`${crlf}\r\n\r\n# Added by provision: the shares it manages are in this file.\r\ninclude = ${INCLUDE}\r\n`);
    expect(withInclude(`${crlf}\r\ninclude = ${INCLUDE}\r\n`, INCLUDE)).toBeUndefined();
  });

  it('adds a missing final line end (LF)', () => {
    expect(withInclude('[global]\n   workgroup = X', INCLUDE)).toBe(`[global]\n   workgroup = X\n${ADDED}`);
  });

  it('writes just the include into an empty file', () => {
    expect(withInclude('', INCLUDE)).toBe(ADDED.slice(1));
  });

  it.each([
    ['plain', `include = ${INCLUDE}`],
    ['indented, with a tab', `\tinclude\t=\t${INCLUDE}`],
    ['without spaces', `include=${INCLUDE}`],
    ['in capitals', `INCLUDE = ${INCLUDE}`],
    ['with blanks inside the name (Samba ignores them)', `In Clude = ${INCLUDE}`],
    ['with trailing blanks', `include = ${INCLUDE}   `],
    ['with a doubled slash', 'include = /etc/samba//provision.conf'],
    ['in a share section', `[data]\n   path = /srv\n   include = ${INCLUDE}`],
    ['split over two lines with a backslash', 'include = /etc/samba/\\\nprovision.conf'],
  ])('sees an include that is already there: %s', (_what, line) => {
    expect(withInclude(`[global]\n   workgroup = X\n${line}\n`, INCLUDE)).toBeUndefined();
  });

  it.each([
    ['commented out with #', `# include = ${INCLUDE}`],
    ['commented out with ;', `;include = ${INCLUDE}`],
    ['commented out after blanks', `   ; include = ${INCLUDE}`],
    ['part of the line before (a continuation)', `comment = see \\\ninclude = ${INCLUDE}`],
    ['quoted (Samba keeps the quotes)', `include = "${INCLUDE}"`],
    ['another file', 'include = /etc/samba/other.conf'],
    ['a longer path', `include = ${INCLUDE}.old`],
    ['another setting naming the path', `comment = ${INCLUDE}`],
  ])('adds the include when the existing line is %s', (_what, line) => {
    const text = `[global]\n   workgroup = X\n${line}\n`;
    expect(withInclude(text, INCLUDE)).toBe(text + ADDED);
  });

  it('ends a last line that ends in a backslash before adding, so it cannot swallow the include', () => {
    const text = '[s]\n   comment = trailing \\\n';
    const result = withInclude(text, INCLUDE) ?? '';
    expect(result).toBe(text + ADDED);
    expect(withInclude(result, INCLUDE)).toBeUndefined();
  });

  it.each([
    ['a relative path', 'provision.conf'],
    ['a line end', '/etc/samba/p.conf\n[evil]'],
    ['a %', '/etc/samba/%m.conf'],
    ['a trailing space', '/etc/samba/p.conf '],
  ])('refuses an include path with %s', (_what, p) => {
    expect(() => withInclude('', p)).toThrow(/include path/);
  });
});

const noTestparm = testparmSkipReason();

describe.skipIf(noTestparm !== undefined)(`withInclude under the real testparm${noTestparm === undefined ? '' : ` (skipped: ${noTestparm})`}`, () => {
  let dir = '';
  beforeAll(async () => {
    dir = await makeTempDir('provision-samba-include-');
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  /** What testparm says fruit:model is in smb.conf: the included file sets it to Included. */
  async function model(smbConf: string): Promise<string> {
    const file = path.join(dir, 'smb.conf');
    await fs.writeFile(file, smbConf);
    const result = await runCommand('testparm', ['--suppress-prompt', '--parameter-name=fruit:model', file]);
    return result.exitCode === 0 ? result.stdout.trim() : '(not set)';
  }

  it('agrees with Samba on which lines include the file', async () => {
    const included = path.join(dir, 'included.conf');
    await fs.writeFile(included, '[global]\n   fruit:model = Included\n');
    const lines = [
      `include = ${included}`,
      `In Clude = ${included}`,
      `\tINCLUDE=${included}   `,
      `include = ${included.replace('/included', '//included')}`,
      `include = ${included.slice(0, -5)}\\\n.conf`,
      `# include = ${included}`,
      `comment = x \\\ninclude = ${included}`,
      `include = "${included}"`,
    ];
    for (const line of lines) {
      const text = `[global]\n   workgroup = X\n${line}\n`;
      const samba = (await model(text)) === 'Included';
      expect(withInclude(text, included) === undefined, line).toBe(samba);
      if (!samba) expect(await model(withInclude(text, included) ?? ''), line).toBe('Included');
    }
  });
});

describe('withIncludeMoved', () => {
  it('points the include of one file at another, keeping every other line and the line count', () => {
    const conf = '[global]\r\n   workgroup = W\r\n   IN clude =  /etc/samba/provision.conf\r\n[homes]\r\n';
    expect(withIncludeMoved(conf, '/etc/samba/provision.conf', '/etc/samba/.provision-new.conf')).toBe(
      '[global]\r\n   workgroup = W\r\ninclude = /etc/samba/.provision-new.conf\r\n[homes]\r\n',
    );
  });

  it('replaces an include continued over several lines by one line and blanks, and leaves comments alone', () => {
    const conf = '# include = /p.conf\ninclude = \\\n  /p.conf\n[x]\n';
    expect(withIncludeMoved(conf, '/p.conf', '/new.conf')).toBe('# include = /p.conf\ninclude = /new.conf\n\n[x]\n');
  });

  it('adds the include at the end when smb.conf has none', () => {
    expect(withIncludeMoved('[global]\n', '/p.conf', '/new.conf')).toBe(withInclude('[global]\n', '/new.conf'));
  });
});
