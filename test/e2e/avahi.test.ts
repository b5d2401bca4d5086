import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/sandbox.js';
import { MdnsNamespace, mdnsSkipReason } from '../helpers/mdns-namespace.js';
import { TIME_MACHINE_ON_NAS } from './household.js';

const skip = mdnsSkipReason();

/**
 * A Samba box announcing its Time Machine share, with the real avahi-daemon and smbd in a network
 * namespace of their own (loopback only): provision is run inside it, as on the box itself (no
 * --root), so it asks the real avahi-daemon whether it runs, and what avahi-browse then sees is
 * what a Mac on the network would.
 */
describe.skipIf(skip !== undefined)(`Samba announces Time Machine shares through Avahi${skip === undefined ? '' : ` (skipped: ${skip})`}`, () => {
  let ns: MdnsNamespace;
  let config: string;
  const provision = (...args: string[]) => ns.run(process.execPath, [CLI, ...args, '-c', config, '--machine', 'nas'], { NO_COLOR: '1' });

  beforeEach(async () => {
    ns = await MdnsNamespace.create();
    config = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'provision-mdns-conf-')), 'backups.yaml');
    await fs.writeFile(config, TIME_MACHINE_ON_NAS);
    // Into the namespace's own /etc/samba (a tmpfs only it sees).
    expect((await ns.run('cp', [await writeTemp(ns.smbConf()), '/etc/samba/smb.conf'])).exitCode).toBe(0);
  });
  afterEach(async () => {
    await ns.dispose();
    await fs.rm(path.dirname(config), { recursive: true, force: true });
  });

  it('blocks while avahi-daemon is not running, then, with it running, the share is announced as _adisk._tcp with its Time Machine flags', async () => {
    const blocked = await provision('plan');
    expect(blocked.exitCode, blocked.stdout + blocked.stderr).toBe(1);
    expect(blocked.stdout).toContain('no Mac will find the Time Machine share Backups');
    expect(blocked.stdout).toContain('sudo systemctl enable --now avahi-daemon');

    await ns.startAvahi();
    const apply = await provision('apply', '--yes');
    expect(apply.exitCode, apply.stdout + apply.stderr).toBe(0);
    ns.startSmbd();
    let seen: string[] = [];
    for (let i = 0; i < 50 && !seen.some((l) => l.includes('adVN=Backups')); i++) {
      await sleep(200);
      seen = await ns.browse('_adisk._tcp');
    }
    // sys: adVF=0x100 (the server takes Time Machine); dk0: the share Backups, adVF=0x82 (a Time Machine volume).
    expect(seen.join('\n')).toMatch(/;PVTNAS;.*"sys=adVF=0x100" "dk0=adVN=Backups,adVF=0x82"/);
    expect((await ns.browse('_smb._tcp')).join('\n')).toContain(';PVTNAS;');
  });
});

async function writeTemp(text: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-smbconf-'));
  const file = path.join(dir, 'smb.conf');
  await fs.writeFile(file, text);
  return file;
}
