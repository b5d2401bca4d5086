/**
 * A real Samba server for tests: smbd in the foreground on 127.0.0.1 at a free port, every
 * piece of its state (pid, lock, state, cache, private, ncalrpc, logs, passdb) in a folder the
 * test owns, so it neither sees nor touches the machine's own Samba. Its smb.conf includes the
 * provision.conf under test, exactly as a machine's smb.conf would.
 *
 * Also: throwaway Unix users with a unique prefix (removed afterwards, even when a test
 * fails), their Samba passwords, and smbclient run as one of them.
 *
 * Needs root (smbd, useradd) and the Debian packages samba, samba-vfs-modules (vfs_fruit) and
 * smbclient; see sambaSkipReason.
 */

import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { runCommand } from '../../src/host/fs/run-command.js';
import type { RunResult } from '../../src/host/host.js';

const SAMBA_COMMANDS = ['smbd', 'testparm', 'smbclient', 'smbcontrol', 'smbpasswd'];
const USER_COMMANDS = ['useradd', 'userdel'];

/** Why the real-server tests cannot run here, or undefined when they can. */
export function sambaSkipReason(): string | undefined {
  if (process.platform !== 'linux') return 'a real smbd needs Linux';
  if (process.getuid?.() !== 0) return 'a real smbd and test users need root';
  const missing = [...SAMBA_COMMANDS, ...USER_COMMANDS].filter((c) => !onPath(c));
  if (missing.length > 0) return `not installed: ${missing.join(', ')} (Debian packages samba, smbclient, passwd)`;
  return undefined;
}

/** Why testparm cannot run here, or undefined when it can (it needs no root). */
export function testparmSkipReason(): string | undefined {
  return onPath('testparm') ? undefined : 'testparm is not installed (Debian package samba-common-bin)';
}

function onPath(command: string): boolean {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin'];
  return dirs.some((dir) => {
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** smbclient and the Samba tools run with their own dirs; this is what they return. */
export type CommandOutput = RunResult;

export interface SambaUser {
  name: string;
  password: string;
}

/**
 * Unix users made for one test file. Names are `pvt<random>-<short>`, so they cannot clash
 * with real accounts or with another run; remove() deletes every one created, and only those.
 */
export class TestUsers {
  private readonly created: string[] = [];
  private readonly prefix = `pvt${randomBytes(3).toString('hex')}`;

  async add(short: string): Promise<SambaUser> {
    const name = `${this.prefix}-${short}`;
    const result = await runCommand('useradd', ['--no-create-home', '--user-group', '--shell', '/usr/sbin/nologin', '--comment', 'provision test user', name]);
    if (result.exitCode !== 0) throw new Error(`useradd ${name} failed (${result.exitCode}): ${result.stderr}`);
    this.created.push(name);
    return { name, password: `pw-${randomBytes(8).toString('hex')}` };
  }

  /** Deletes the users (and their groups); reports every failure at the end, after trying all. */
  async remove(): Promise<void> {
    const failures: string[] = [];
    for (const name of this.created.splice(0)) {
      const result = await runCommand('userdel', [name]);
      if (result.exitCode !== 0) failures.push(`userdel ${name}: ${result.stderr.trim()}`);
    }
    if (failures.length > 0) throw new Error(failures.join('\n'));
  }
}

export interface SambaServerOptions {
  /** A folder only root can write; the server's state goes in it and survives a restart. */
  dir: string;
  /** The provision.conf the server's smb.conf includes. */
  includePath: string;
}

const STATE_DIRS = ['pid', 'lock', 'state', 'cache', 'private', 'ncalrpc', 'winbindd', 'log', 'client'] as const;

export class SambaServer {
  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly smbConfPath: string,
    private readonly clientConfPath: string,
    private readonly child: ResultPromise,
    private readonly output: string[],
  ) {}

  /**
   * Starts smbd and returns once it accepts connections. Fails with smbd's own log if it exits
   * or does not listen within 20 s. A port taken between choosing and binding is retried.
   */
  static async start(options: SambaServerOptions): Promise<SambaServer> {
    for (const name of STATE_DIRS) await fs.mkdir(path.join(options.dir, name), { recursive: true, mode: 0o755 });
    const clientConfPath = path.join(options.dir, 'client.conf');
    await fs.writeFile(clientConfPath, clientConf(options.dir));
    let lastError: Error | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const smbConfPath = path.join(options.dir, 'smb.conf');
      await fs.writeFile(smbConfPath, serverConf(options.dir, port, options.includePath));
      const output: string[] = [];
      const child = execa('smbd', ['--foreground', '--no-process-group', '--debug-stdout', '--configfile', smbConfPath], {
        detached: true,
        stdin: 'ignore',
        buffer: false,
        reject: false,
      });
      child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      const server = new SambaServer(options.dir, port, smbConfPath, clientConfPath, child, output);
      const listening = await server.waitUntilListening(20_000);
      if (listening) return server;
      await server.stop();
      const log = output.join('');
      lastError = new Error(`smbd did not start on 127.0.0.1:${port}:\n${log}`);
      if (!/Address already in use|No sockets available/.test(log)) break;
    }
    throw lastError ?? new Error('smbd did not start');
  }

  /** Everything smbd has logged so far (it logs to stdout here). */
  log(): string {
    return this.output.join('');
  }

  /** Gives a Unix user a Samba password in this server's passdb (smbpasswd -a, read from stdin). */
  async setPassword(user: SambaUser): Promise<void> {
    const result = await runCommand('smbpasswd', ['-c', this.smbConfPath, '-a', '-s', user.name], {
      input: `${user.password}\n${user.password}\n`,
    });
    if (result.exitCode !== 0) throw new Error(`smbpasswd -a ${user.name} failed (${result.exitCode}): ${result.stderr}${result.stdout}`);
  }

  /**
   * Runs smbclient against //127.0.0.1/<share> as user, with commands joined by `;` (smbclient
   * splits -c on `;`, so no command may hold one). The password goes in the PASSWD environment
   * variable (smbclient(1)), never on the command line where ps would show it. Local file names
   * should be absolute: smbclient runs in this process's working folder.
   */
  async smbclient(share: string, user: SambaUser, commands: readonly string[]): Promise<CommandOutput> {
    return runCommand(
      'smbclient',
      ['--configfile', this.clientConfPath, `//127.0.0.1/${share}`, '--port', String(this.port), '--user', user.name, '--command', commands.join('; ')],
      { env: { PASSWD: user.password } },
    );
  }

  /** Tells the running smbd to read its configuration again, as provision does after a change. */
  async reloadConfig(): Promise<void> {
    const result = await runCommand('smbcontrol', ['--configfile', this.smbConfPath, 'smbd', 'reload-config']);
    if (result.exitCode !== 0) throw new Error(`smbcontrol reload-config failed (${result.exitCode}): ${result.stderr}${result.stdout}`);
  }

  /**
   * Stops smbd (SIGTERM, then SIGKILL after 5 s) and then whatever is left of its process
   * group: the group is the one made for this smbd (detached), so nothing else is in it.
   */
  async stop(): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined) return;
    if (this.child.exitCode === null) {
      this.child.kill('SIGTERM');
      const exited = await Promise.race([this.child.then(() => true), sleep(5_000).then(() => false)]);
      if (!exited) this.child.kill('SIGKILL');
      await this.child;
    }
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      try {
        process.kill(-pid, signal);
      } catch {
        return; // ESRCH: the group is empty.
      }
      await sleep(200);
    }
  }

  private async waitUntilListening(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.child.then(() => {
      exited = true;
    });
    while (Date.now() < deadline && !exited) {
      if (await canConnect(this.port)) return true;
      await sleep(50);
    }
    return false;
  }
}

/**
 * The server's smb.conf: loopback only, no NetBIOS, no printers, no user shares, no on-demand
 * RPC helpers (samba-dcerpcd; tree connects and file operations need none), no guests.
 */
function serverConf(dir: string, port: number, includePath: string): string {
  const d = (name: string): string => path.join(dir, name);
  return [
    '# A test Samba server for provision: loopback only, all state below this folder.',
    '[global]',
    '   server role = standalone server',
    '   workgroup = PROVTEST',
    '   netbios name = PROVTESTSERVER',
    `   smb ports = ${port}`,
    // 127.0.0.1 rather than "lo": lo would also bind ::1, where the port was not checked free.
    '   interfaces = 127.0.0.1',
    '   bind interfaces only = yes',
    '   disable netbios = yes',
    '   load printers = no',
    '   printing = bsd',
    '   printcap name = /dev/null',
    '   disable spoolss = yes',
    '   usershare max shares = 0',
    '   rpc start on demand helpers = no',
    '   map to guest = never',
    `   passdb backend = tdbsam:${d('private/passdb.tdb')}`,
    `   pid directory = ${d('pid')}`,
    `   lock directory = ${d('lock')}`,
    `   state directory = ${d('state')}`,
    `   cache directory = ${d('cache')}`,
    `   private dir = ${d('private')}`,
    `   ncalrpc dir = ${d('ncalrpc')}`,
    `   winbindd socket directory = ${d('winbindd')}`,
    `   log file = ${d('log')}/log.%m`,
    `include = ${includePath}`,
    '',
  ].join('\n');
}

/** smbclient's own configuration, so it neither reads /etc/samba/smb.conf nor writes /var. */
function clientConf(dir: string): string {
  const d = (name: string): string => path.join(dir, 'client', name);
  return ['[global]', `   lock directory = ${d('lock')}`, `   state directory = ${d('state')}`, `   cache directory = ${d('cache')}`, `   private dir = ${d('private')}`, ''].join('\n');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Where vfs_fruit would be, from smbd's build options; undefined when it is not installed. */
export async function fruitModule(): Promise<string | undefined> {
  const result = await runCommand('smbd', ['-b']);
  const dir = /MODULESDIR:\s*(\S+)/.exec(result.stdout)?.[1];
  if (dir === undefined) return undefined;
  const file = path.join(dir, 'vfs', 'fruit.so');
  return existsSync(file) ? file : undefined;
}
