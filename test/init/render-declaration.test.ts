import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Platform } from '../../src/config/model/declared.js';
import { parseConfig } from '../../src/config/load-config.js';
import { chooseLocations, type KeyedDrive } from '../../src/init/choose-locations.js';
import { renderDeclaration } from '../../src/init/render-declaration.js';
import { backupsOnly, drive, machine } from './fixtures.js';

function render(platform: Platform, drives: KeyedDrive[], hostname = 'iMac'): string {
  const m = machine([hostname], 'alex', platform);
  const findings = platform === 'linux' ? [] : platform === 'windows' ? backupsOnly(m.home.machine).slice(0, 1) : backupsOnly(m.home.machine);
  const choices = chooseLocations({ user: 'alex', homeExists: true, home: m.home.machine, findings, drives });
  const letters = platform === 'windows' ? Object.fromEntries(drives.map((d) => [d.key, d.drive.label])) : {};
  return renderDeclaration({
    modeline: '# yaml-language-server: $schema=/x/schemas/backups.schema.json',
    platform,
    drives,
    user: { name: 'alex', home: m.home.machine, findings, choices, platform },
    machine: { key: 'm', hostname, platform, users: ['alex'], letters },
  });
}

describe('renderDeclaration: what init writes validates as it is, on every platform, with or without a drive', () => {
  for (const platform of ['macos', 'windows', 'linux'] as const) {
    it(`${platform}, no drive`, () => {
      const text = render(platform, []);
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=/x/schemas/backups.schema.json');
      expect(() => parseConfig(text, 'backups.yaml')).not.toThrow();
      expect(parse(text)).not.toHaveProperty('drives');
    });
  }

  it('awkward volume and computer names are quoted, and read back exactly', () => {
    for (const label of ['yes', 'My: Drive #1', "Sam's", '2TB', 'tab\tname']) {
      const d = drive(label, `/Volumes/${label}`);
      const text = render('macos', [{ key: 'd', drive: d }], 'Sam’s iMac: "new"');
      const value = parse(text) as { drives: { d: { volume: string } }; machines: { m: { hostname: string } } };
      expect(value.drives.d.volume).toBe(label);
      expect(value.machines.m.hostname).toBe('Sam’s iMac: "new"');
    }
  });

  it('a comment cannot be broken out of by a name found on disk', () => {
    const d = drive('evil\nversion: 2', '/Volumes/evil\nversion: 2');
    const text = render('linux', [{ key: 'd', drive: d }]);
    expect(text).toContain('# found: /Volumes/evil?version: 2');
    expect((parse(text) as { version: number }).version).toBe(1);
  });

  it('a drive too small for what moves: the location is still declared, with a note', () => {
    const text = render('macos', [{ key: 'small', drive: drive('Small', '/Volumes/Small', { freeBytes: 1000 }) }]);
    expect(text).toContain('# note: not enough free space on small');
    expect(parse(text)).toMatchObject({ users: { alex: { mobilesync: { drive: 'small' } } } });
  });
});
