import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, SIM_BIN } from '../helpers/sandbox.js';
import { MdnsNamespace, mdnsSkipReason, NS_PATH } from '../helpers/mdns-namespace.js';
import { changesOf } from '../helpers/plan-json.js';
import { timeCapsuleHousehold } from './household.js';

const skip = mdnsSkipReason();

/**
 * The seed question, "could we just use a Time Capsule for both Macs?": two Macs back up to one
 * share of a server provision does not manage, with quotas. A real smbd stands in for the
 * appliance on the SMB port (445) of a network namespace of its own; each Mac is provision
 * with the macOS simulators, run inside that namespace (--root), so what it reaches is exactly
 * what answers there.
 */
const HOUSEHOLD = timeCapsuleHousehold('127.0.0.1');

interface TmState {
  destinations: { Kind: string; URL?: string; QuotaGB?: number }[];
}

describe.skipIf(skip !== undefined)(`Time Machine to a server provision does not manage (a real smbd stands in)${skip === undefined ? '' : ` (skipped: ${skip})`}`, () => {
  let ns: MdnsNamespace;
  let dir: string;
  let config: string;
  const state = (mac: string): string => path.join(dir, `${mac}.sim.json`);
  const provision = (mac: string, ...args: string[]) =>
    ns.run(process.execPath, [CLI, ...args, '-c', config, '--root', path.join(dir, mac), '--machine', mac], {
      // The simulators run with the node under test; the namespace's own tools after them.
      PATH: `${SIM_BIN}:${path.dirname(process.execPath)}:${NS_PATH}`,
      PROVISION_SIM_STATE: state(mac),
      NO_COLOR: '1',
    });
  const tm = async (mac: string): Promise<TmState> => (JSON.parse(await fs.readFile(state(mac), 'utf8')) as { tmutil: TmState }).tmutil;

  beforeEach(async () => {
    ns = await MdnsNamespace.create();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-server-'));
    config = path.join(dir, 'backups.yaml');
    await fs.writeFile(config, HOUSEHOLD);
    for (const [mac, name, user] of [['imac', 'iMac', 'alex'], ['air', 'MacBook Air', 'sam']] as const) {
      await fs.mkdir(path.join(dir, mac, 'Users', user), { recursive: true });
      // Each Mac's keychain holds its account's password for the server (saved once by hand).
      await fs.writeFile(state(mac), JSON.stringify({ scutil: { ComputerName: name, LocalHostName: name.replace(/\s+/g, '-') }, tmutil: { destinations: [], keychain: [`${user}@Time-Capsule.local`] } }));
    }
    const conf = `${ns.smbConf().replace('smb ports = 1445', 'smb ports = 445')}\n[Data]\n   path = /srv/backup\n   read only = no\n`;
    const file = path.join(dir, 'smb.conf');
    await fs.writeFile(file, conf);
    expect((await ns.run('cp', [file, '/etc/samba/smb.conf'])).exitCode).toBe(0);
  });
  afterEach(async () => {
    await ns.dispose();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('blocks while the server does not answer; once it does, both Macs add it with their quotas, and a Mac away from it later has nothing to do', async () => {
    const blocked = await provision('air', 'plan');
    expect(blocked.exitCode, blocked.stdout + blocked.stderr).toBe(1);
    expect(blocked.stdout).toContain('server capsule does not answer on its SMB port (445) under any of its names');
    expect(blocked.stdout).toContain('127.0.0.1: the machine answers, but nothing listens on that port');
    expect((await tm('air')).destinations).toEqual([]);

    ns.startSmbd();
    let plan = await provision('air', 'plan', '--json');
    for (let i = 0; i < 50 && plan.exitCode !== 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      plan = await provision('air', 'plan', '--json');
    }
    expect(plan.exitCode, plan.stdout + plan.stderr).toBe(0);
    const [change] = changesOf(plan.stdout);
    expect(change?.action).toBe('create');
    const codes = change?.warnings.map((w) => w.code);
    expect(codes).toEqual(expect.arrayContaining(['TM_SERVER_NOT_MANAGED', 'SHARE_QUOTAS_EXCEED_LIMIT']));
    expect(change?.warnings.find((w) => w.code === 'TM_SERVER_NOT_MANAGED')?.message).toContain('capsule answers at 127.0.0.1, port 445');

    for (const [mac, user, quota] of [['air', 'sam', 1000], ['imac', 'alex', 1500]] as const) {
      const apply = await provision(mac, 'apply', '--yes');
      expect(apply.exitCode, apply.stdout + apply.stderr).toBe(0);
      expect((await tm(mac)).destinations.map((d) => [d.Kind, d.URL, d.QuotaGB])).toEqual([['Network', `smb://${user}@Time-Capsule.local/Data`, quota]]);
    }

    // Away from home: the destination is there, so the server is not asked and nothing changes.
    await ns.stopSmbd();
    const away = await provision('air', 'plan', '--detailed-exitcode');
    expect(away.exitCode, away.stdout + away.stderr).toBe(0);
    expect(away.stdout).not.toContain('does not answer');
  });
});
