/**
 * A network and mount namespace of its own for the mDNS tests: only a loopback interface (with
 * multicast on, which avahi-daemon accepts), its own /run (so avahi-daemon's pid file and
 * runtime folder are the test's), its own /etc/samba and a tmpfs drive at /srv/backup. A D-Bus
 * system bus, avahi-daemon and smbd started in it are the real ones and see nothing of the
 * machine's. Every command runs with nsenter and an argument array.
 *
 * Needs real root (avahi-daemon changes its runtime folder's owner to its own user, which a user
 * namespace cannot map) and the Debian packages avahi-daemon, avahi-utils, dbus, samba.
 */

import { accessSync, constants } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa, type ResultPromise } from 'execa';

const COMMANDS = ['unshare', 'nsenter', 'ip', 'mount', 'dbus-daemon', 'avahi-daemon', 'avahi-browse', 'smbd', 'testparm'];
export const NS_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function onPath(command: string): boolean {
  return NS_PATH.split(':').some((dir) => {
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Why the mDNS tests cannot run here, or undefined when they can. */
export function mdnsSkipReason(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs real root';
  const missing = COMMANDS.filter((c) => !onPath(c));
  return missing.length > 0 ? `not installed: ${missing.join(', ')} (Debian packages avahi-daemon, avahi-utils, dbus, samba)` : undefined;
}

export interface NsResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export class MdnsNamespace {
  private constructor(
    private readonly holder: ResultPromise,
    private readonly pid: number,
    readonly dir: string,
  ) {}

  /** The bus address every process in the namespace is given. */
  get bus(): string {
    return `unix:path=${path.join(this.dir, 'system_bus_socket')}`;
  }

  static async create(): Promise<MdnsNamespace> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-mdns-'));
    const holder = execa('unshare', ['--net', '--mount', '--fork', '--kill-child', '--', 'sleep', 'infinity'], { reject: false, stdin: 'ignore' });
    const parent = holder.pid;
    if (parent === undefined) throw new Error('unshare did not start');
    let child: number | undefined;
    for (let i = 0; i < 200 && child === undefined; i++) {
      const text = await fs.readFile(`/proc/${parent}/task/${parent}/children`, 'utf8').catch(() => '');
      const first = Number(text.trim().split(/\s+/)[0]);
      if (Number.isInteger(first) && first > 0) child = first;
      else await sleep(10);
    }
    if (child === undefined) throw new Error('the namespace did not start');
    const ns = new MdnsNamespace(holder, child, dir);
    for (const sub of ['run', 'lock', 'state', 'cache', 'private', 'ncalrpc', 'logs']) await fs.mkdir(path.join(dir, sub));
    const setup: [string, string[]][] = [
      ['mount', ['--make-rprivate', '/']],
      ['mount', ['-t', 'tmpfs', 'tmpfs', '/run']],
      ['mkdir', ['-p', '/run/avahi-daemon']],
      ['mount', ['-t', 'tmpfs', 'tmpfs', '/etc/samba']],
      ['mount', ['-t', 'tmpfs', 'tmpfs', '/srv']],
      ['mkdir', ['-p', '/srv/backup']],
      ['mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', '/srv/backup']],
      ['ip', ['link', 'set', 'lo', 'up']],
      ['ip', ['link', 'set', 'lo', 'multicast', 'on']],
      // mDNS sends to 224.0.0.251: without a route for multicast nothing resolves.
      ['ip', ['route', 'add', '224.0.0.0/4', 'dev', 'lo']],
    ];
    for (const [cmd, args] of setup) {
      const r = await ns.run(cmd, args);
      if (r.exitCode !== 0) {
        await ns.dispose();
        throw new Error(`${cmd} ${args.join(' ')} failed in the namespace: ${r.stderr}`);
      }
    }
    return ns;
  }

  /** Runs a command in the namespace. */
  async run(command: string, args: readonly string[], env: Record<string, string> = {}): Promise<NsResult> {
    const r = await execa('nsenter', ['--target', String(this.pid), '--net', '--mount', '--', command, ...args], {
      reject: false,
      stdin: 'ignore',
      timeout: 30_000,
      env: { PATH: NS_PATH, DBUS_SYSTEM_BUS_ADDRESS: this.bus, ...env },
      extendEnv: false,
    });
    return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
  }

  /** Starts the system bus and avahi-daemon, announcing on the loopback interface only. */
  async startAvahi(): Promise<void> {
    const busConf = path.join(this.dir, 'dbus.conf');
    await fs.writeFile(
      busConf,
      `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>${this.bus}</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
    <allow user="*"/>
  </policy>
</busconfig>
`,
    );
    // Both daemons in the foreground, held by the test: a forked daemon would keep the pipes
    // execa waits on open.
    this.bus_ = this.hold('dbus-daemon', ['--config-file', busConf, '--nofork', '--nopidfile']);
    const socket = path.join(this.dir, 'system_bus_socket');
    for (let i = 0; i < 100 && !(await fs.stat(socket).then(() => true, () => false)); i++) await sleep(20);
    const avahiConf = path.join(this.dir, 'avahi.conf');
    await fs.writeFile(avahiConf, '[server]\nuse-ipv4=yes\nuse-ipv6=no\nallow-interfaces=lo\nenable-dbus=yes\n[wide-area]\nenable-wide-area=no\n[publish]\npublish-workstation=no\npublish-hinfo=no\n');
    // In the foreground, held by the test (its -D waits on a pipe that nsenter's child does not give it).
    this.avahi = this.hold('avahi-daemon', ['-f', avahiConf, '--no-drop-root', '--no-chroot', '--no-rlimits']);
    for (let i = 0; i < 100; i++) {
      if ((await this.run('avahi-daemon', ['--check'])).exitCode === 0) return;
      await sleep(50);
    }
    throw new Error('avahi-daemon did not start');
  }

  private avahi: ResultPromise | undefined;
  private bus_: ResultPromise | undefined;
  private smbd: ResultPromise | undefined;

  /** A daemon in the foreground in the namespace, stopped by dispose(). */
  private hold(command: string, args: readonly string[]): ResultPromise {
    return execa('nsenter', ['--target', String(this.pid), '--net', '--mount', '--', command, ...args], {
      reject: false,
      stdin: 'ignore',
      stdout: 'ignore',
      stderr: 'ignore',
      env: { PATH: NS_PATH, DBUS_SYSTEM_BUS_ADDRESS: this.bus },
      extendEnv: false,
    });
  }

  /** An smb.conf for this namespace: its state in the test's folder, serving on the loopback interface. */
  smbConf(): string {
    const d = (s: string): string => path.join(this.dir, s);
    return [
      '[global]',
      '   server role = standalone server',
      `   pid directory = ${d('run')}`,
      `   lock directory = ${d('lock')}`,
      `   state directory = ${d('state')}`,
      `   cache directory = ${d('cache')}`,
      `   private dir = ${d('private')}`,
      `   ncalrpc dir = ${d('ncalrpc')}`,
      `   log file = ${d('logs')}/log.%m`,
      '   smb ports = 1445',
      '   disable netbios = yes',
      '   interfaces = lo',
      '   bind interfaces only = yes',
      '   netbios name = PVTNAS',
      '',
    ].join('\n');
  }

  /** Starts smbd on /etc/samba/smb.conf as it stands. */
  startSmbd(): void {
    // In the foreground (smbd -F), held like the other daemons; it stops with them.
    this.smbd = this.hold('smbd', ['-F', '-s', '/etc/samba/smb.conf']);
  }

  /** Stops smbd (a server switched off, or a Mac away from it). */
  async stopSmbd(): Promise<void> {
    await stop(this.smbd);
    this.smbd = undefined;
  }

  /** What avahi-browse resolves for a service type, in its parsable form (one line each). */
  async browse(type: string): Promise<string[]> {
    const r = await this.run('avahi-browse', ['--resolve', '--terminate', '--parsable', '--no-db-lookup', type]);
    return r.stdout.split('\n').filter((l) => l.startsWith('='));
  }

  async dispose(): Promise<void> {
    for (const held of [this.smbd, this.avahi, this.bus_, this.holder]) await stop(held);
    await sleep(200);
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}

/** Stops a held process: SIGTERM, then SIGKILL if it has not ended within 3 s. */
async function stop(p: ResultPromise | undefined): Promise<void> {
  if (p === undefined) return;
  p.kill('SIGTERM');
  const ended = await Promise.race([p.then(() => true, () => true), sleep(3000).then(() => false)]);
  if (!ended) {
    p.kill('SIGKILL');
    await Promise.race([p.catch(() => undefined), sleep(3000)]);
  }
}
