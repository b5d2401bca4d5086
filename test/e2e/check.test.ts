import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDeviceBackup, snapshotTree, udid } from '../helpers/fixtures.js';
import { expectOutputMatches } from '../helpers/output-schemas.js';
import { Sandbox } from '../helpers/sandbox.js';
import { macBackupFolder, makeHome, writeHousehold } from './household.js';

interface Finding {
  code: string;
  severity: string;
  subject: string;
  name: string;
  user: string | null;
  text: string;
  fix: string | null;
  facts: Record<string, unknown>;
}
interface CheckJson {
  exit_code: number;
  counts: { ok: number; warning: number; problem: number };
  findings: Finding[];
}

const ONE_DRIVE = (backedUp = ''): string => `version: 1
drives:
  archive: { volume: Archive 2TB${backedUp} }
users:
  alex: { mobilesync: { drive: archive, path: MobileSync/alex } }
machines:
  imac: { hostname: iMac, users: [alex] }
`;

describe('provision check: the only-copy guard, exit codes and JSON', () => {
  let sb: Sandbox;
  let config: string;
  const check = (...args: string[]) => sb.cli(['check', '-c', config, '--root', sb.root, '--machine', 'imac', ...args]);

  beforeEach(async () => {
    sb = await Sandbox.create();
  });
  afterEach(async () => {
    await sb.dispose();
  });

  /** alex's iOS backups moved to the drive: the folder on the drive and the link. */
  async function moved(): Promise<string> {
    await makeHome(sb.root, 'alex');
    const drive = await sb.mountDrive('Archive 2TB');
    await makeDeviceBackup(path.join(drive, 'MobileSync', 'alex', udid(1)), 1, 4, "Alex's iPhone");
    await fs.mkdir(path.dirname(macBackupFolder(sb.root, 'alex')), { recursive: true });
    await fs.symlink('/Volumes/Archive 2TB/MobileSync/alex', macBackupFolder(sb.root, 'alex'));
    return drive;
  }

  const only = (doc: CheckJson, code: string): Finding[] => doc.findings.filter((f) => f.code === code);

  it('names data on a drive that Time Machine skips as the only copy (exit 2), and changes nothing', async () => {
    config = await writeHousehold(sb.root, ONE_DRIVE());
    await moved();
    // Time Machine is set up (a network destination) but skips external drives, as by default.
    await sb.setSimState({ tmutil: { destinations: [{ ID: 'A1B2C3D4-0000-4000-8000-000000000001', Name: 'nas', Kind: 'Network', URL: 'smb://alex@nas._smb._tcp.local/Backups' }] } });
    const before = await snapshotTree(sb.root);
    const r = await check('--json');
    expect(r.exitCode, r.stderr).toBe(2);
    const doc = expectOutputMatches('check', r.stdout) as unknown as CheckJson;
    expect(doc.exit_code).toBe(2);
    const [guard] = only(doc, 'ONLY_ONE_COPY');
    expect(guard?.severity).toBe('warning');
    expect(guard?.name).toBe('archive');
    expect(guard?.text).toContain('alex/mobilesync');
    expect(guard?.text).toContain('Time Machine skips this drive');
    expect(guard?.fix).toContain('drives.archive.backedUp');
    expect(guard?.facts['timeMachine']).toBe('excluded');
    expect(await snapshotTree(sb.root)).toEqual(before);

    const text = await check();
    expect(text.exitCode).toBe(2);
    expect(text.stdout).toContain('warning: archive holds the only copy of alex/mobilesync');
    expect(text.stdout).toMatch(/fix: include the drive in Time Machine/);
  });

  it('says so when this Mac has no Time Machine destination at all', async () => {
    config = await writeHousehold(sb.root, ONE_DRIVE());
    await moved();
    const doc = expectOutputMatches('check', (await check('--json')).stdout) as unknown as CheckJson;
    expect(only(doc, 'ONLY_ONE_COPY')[0]?.text).toContain('no Time Machine destination');
  });

  it('is satisfied when Time Machine includes the drive', async () => {
    config = await writeHousehold(sb.root, ONE_DRIVE());
    await moved();
    await sb.setSimState({
      tmutil: { destinations: [{ ID: 'A1B2C3D4-0000-4000-8000-000000000001', Name: 'nas', Kind: 'Network', URL: 'smb://alex@nas._smb._tcp.local/Backups' }], includedVolumes: ['/Volumes/Archive 2TB'] },
    });
    const doc = expectOutputMatches('check', (await check('--json')).stdout) as unknown as CheckJson;
    expect(only(doc, 'ONLY_ONE_COPY')).toEqual([]);
    expect(only(doc, 'OK_BACKED_UP_BY_TIME_MACHINE')).toHaveLength(1);
  });

  it('trusts the declaration when it says how the drive is backed up', async () => {
    config = await writeHousehold(sb.root, ONE_DRIVE(', backedUp: nightly clone to the NAS'));
    await moved();
    const doc = expectOutputMatches('check', (await check('--json')).stdout) as unknown as CheckJson;
    expect(only(doc, 'ONLY_ONE_COPY')).toEqual([]);
    expect(only(doc, 'OK_BACKED_UP_AS_DECLARED')[0]?.text).toContain('nightly clone to the NAS');
  });

  it('status shows the same findings inline, and its JSON carries them', async () => {
    config = await writeHousehold(sb.root, ONE_DRIVE());
    await moved();
    const text = await sb.cli(['status', '-c', config, '--root', sb.root, '--machine', 'imac']);
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toContain('Checks (as provision check finds them)');
    expect(text.stdout).toContain('archive holds the only copy of alex/mobilesync');
    const json = await sb.cli(['status', '-c', config, '--root', sb.root, '--machine', 'imac', '--json']);
    const doc = expectOutputMatches('status', json.stdout) as unknown as { findings: Finding[] };
    expect(doc.findings.map((f) => f.code)).toContain('ONLY_ONE_COPY');
  });

  it('a declaration it cannot read: exit 1, no JSON document, the file and line named', async () => {
    config = await writeHousehold(sb.root, 'version: 1\nmachines:\n  imac: { hostname: iMac, users: [nobody] }\n');
    const r = await check('--json');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/backups\.yaml:3:/);
  });
});
