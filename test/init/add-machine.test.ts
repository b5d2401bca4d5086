import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/load-config.js';
import { isProvisionError, type ProvisionError } from '../../src/errors.js';
import { addMachine } from '../../src/init/add-machine.js';
import { backupsOnly, drive, machine } from './fixtures.js';

const HOUSEHOLD = `version: 1
drives:
  archive:
    volume: Archive 2TB   # the big one
users:
  alex:
    mobilesync: { drive: archive, path: MobileSync/alex }
machines:
  imac:
    hostname: iMac
    users: [alex]
  pc:
    hostname: FAMILY-PC
    platform: windows
    users: [alex]
    drives: { archive: 'E:' }
`;

function thrown(f: () => unknown): ProvisionError {
  try {
    f();
  } catch (e) {
    if (isProvisionError(e)) return e;
    throw e;
  }
  throw new Error('expected a ProvisionError');
}

const loaded = parseConfig(HOUSEHOLD, 'backups.yaml');
const archive = drive('Archive 2TB', '/Volumes/Archive 2TB');

describe('addMachine', () => {
  it('refuses a computer that a machine already answers to (by its first label too), pointing at that hostname', () => {
    for (const names of [['iMac'], ['imac.local'], ['Somebody', 'IMAC']]) {
      const e = thrown(() => addMachine({ text: HOUSEHOLD, loaded, machine: machine(names, 'alex'), drives: [archive], findings: [] }));
      expect(e.code).toBe('MACHINE_DECLARED');
      expect(e.message).toContain('as machine imac');
      expect(e.location).toEqual({ file: 'backups.yaml', line: 10, column: 15 });
    }
  });

  it('refuses a --machine name that is taken', () => {
    const e = thrown(() => addMachine({ text: HOUSEHOLD, loaded, machine: machine(['MacBook Air'], 'alex'), drives: [], findings: [], key: 'pc' }));
    expect(e.code).toBe('MACHINE_DECLARED');
    expect(e.location?.line).toBe(13);
  });

  it('a new user goes on a declared drive mounted here, under its declared name; no drive is added', () => {
    const m = machine(['MacBook Air'], 'sam');
    const r = addMachine({ text: HOUSEHOLD, loaded, machine: m, drives: [drive('Stick', '/Volumes/Stick'), archive], findings: backupsOnly(m.home.machine) });
    expect(r.addedDrive).toBeUndefined();
    expect(r.mountedHere.map((k) => k.key)).toEqual(['archive']);
    const value = parse(r.text) as { users: Record<string, unknown>; machines: Record<string, unknown>; drives: Record<string, unknown> };
    expect(Object.keys(value.drives)).toEqual(['archive']);
    expect(value.users['sam']).toEqual({ mobilesync: { drive: 'archive', path: 'MobileSync/sam' } });
    expect(value.machines['macbook-air']).toEqual({ hostname: 'MacBook Air', platform: 'macos', users: ['sam'] });
    expect(() => parseConfig(r.text, 'backups.yaml')).not.toThrow();
  });

  it('with no declared drive mounted, the drive found here is declared for the new user', () => {
    const m = machine(['MacBook Air'], 'sam');
    const r = addMachine({ text: HOUSEHOLD, loaded, machine: m, drives: [drive('Stick', '/Volumes/Stick')], findings: backupsOnly(m.home.machine) });
    expect(r.addedDrive?.key).toBe('stick');
    expect(parse(r.text)).toMatchObject({ drives: { stick: { volume: 'Stick' } }, users: { sam: { mobilesync: { drive: 'stick' } } } });
    expect(r.text).toContain('    volume: Archive 2TB   # the big one\n  # found: /Volumes/Stick, apfs');
    expect(() => parseConfig(r.text, 'backups.yaml')).not.toThrow();
  });

  it('a second Windows PC gives a declared drive the letter the first one does, when that letter is mounted here', () => {
    const m = machine(['KIDS-PC'], 'alex', 'windows');
    const r = addMachine({ text: HOUSEHOLD, loaded, machine: m, drives: [drive('E:', 'E:\\')], findings: [] });
    expect(r.letters).toEqual({ archive: 'E:' });
    expect(parse(r.text)).toMatchObject({ machines: { 'kids-pc': { platform: 'windows', users: ['alex'], drives: { archive: 'E:' } } } });
    expect(() => parseConfig(r.text, 'backups.yaml')).not.toThrow();
  });

  it('a declared user whose drive is not plugged in here: the machine is added, and the report says to plug it in', () => {
    const r = addMachine({ text: HOUSEHOLD, loaded, machine: machine(['MacBook Air'], 'alex'), drives: [], findings: [] });
    expect(r.userChoices).toBeUndefined();
    expect(r.notes).toEqual(["drive archive, where alex's data is declared, is not mounted here: plug it in before provision plan"]);
    expect(() => parseConfig(r.text, 'backups.yaml')).not.toThrow();
  });
});
