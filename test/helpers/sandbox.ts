import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(REPO, 'bin', 'provision.js');
export const SIM_BIN = path.join(REPO, 'sim', 'bin');

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * A machine root in a temp folder, with a private mount namespace held open by a sleeping
 * process (unshare --user --map-root-user --mount). Drives are real tmpfs volumes mounted at
 * <root>/Volumes/<name> inside that namespace: moves onto them really cross devices, a full one
 * really returns ENOSPC, an unmounted one is really absent. Commands run inside with nsenter;
 * the test reads drive contents through /proc/<pid>/root, the namespace's view of the tree.
 */
export class Sandbox {
  private constructor(
    readonly root: string,
    private readonly holder: ChildProcess,
    readonly simState: string,
  ) {}

  static async create(computerName = 'iMac'): Promise<Sandbox> {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-e2e-'));
    const holder = spawn('unshare', ['--user', '--map-root-user', '--mount', '--propagation', 'private', 'sleep', '3600'], {
      stdio: 'ignore',
    });
    await new Promise<void>((resolve, reject) => {
      holder.once('spawn', () => resolve());
      holder.once('error', reject);
    });
    const sb = new Sandbox(root, holder, path.join(root, '.sim-state.json'));
    // Wait until the namespace exists (the process has exec'd sleep inside it).
    for (let i = 0; i < 100; i++) {
      const ns = await fs.readlink(`/proc/${holder.pid}/ns/mnt`).catch(() => '');
      const self = await fs.readlink('/proc/self/ns/mnt');
      if (ns !== '' && ns !== self) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await fs.writeFile(sb.simState, JSON.stringify({ scutil: { ComputerName: computerName, LocalHostName: computerName.replace(/\s+/g, '-') } }));
    await fs.mkdir(path.join(root, 'Volumes'), { recursive: true });
    return sb;
  }

  get pid(): number {
    if (this.holder.pid === undefined) throw new Error('namespace holder has no pid');
    return this.holder.pid;
  }

  /** A host path as seen inside the namespace, readable from the test process. */
  inside(p: string): string {
    return `/proc/${this.pid}/root${p}`;
  }

  /** The host path (inside the namespace) of a path on the sandboxed machine. */
  machinePath(p: string): string {
    return path.join(this.root, p);
  }

  volume(name: string): string {
    return this.inside(path.join(this.root, 'Volumes', name));
  }

  async exec(command: string, args: string[]): Promise<CliResult> {
    const r = await execa('nsenter', ['--target', String(this.pid), '--user', '--mount', '--preserve-credentials', command, ...args], {
      reject: false,
      stdin: 'ignore',
    });
    return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
  }

  async mountDrive(name: string, size = '64m'): Promise<string> {
    const dir = path.join(this.root, 'Volumes', name);
    await fs.mkdir(dir, { recursive: true });
    const r = await this.exec('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir]);
    if (r.exitCode !== 0) throw new Error(`mount failed: ${r.stderr}`);
    return this.volume(name);
  }

  /** Merges sections into the simulators' state (a section given replaces that section whole). */
  async setSimState(sections: Record<string, unknown>): Promise<void> {
    const state = JSON.parse(await fs.readFile(this.simState, 'utf8')) as Record<string, unknown>;
    await fs.writeFile(this.simState, JSON.stringify({ ...state, ...sections }));
  }

  /** A diskutil state section listing drives under /Volumes with their file system types. */
  simVolumes(types: Record<string, string>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, type] of Object.entries(types)) out[path.join(this.root, 'Volumes', name)] = { VolumeName: name, FilesystemType: type };
    return { volumes: out };
  }

  /** A tmpfs drive at any machine path (a Linux machine's /srv/backup); returns its path as the test reads it. */
  async mountAt(machinePath: string, size = '64m'): Promise<string> {
    const dir = path.join(this.root, machinePath);
    await fs.mkdir(dir, { recursive: true });
    const r = await this.exec('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir]);
    if (r.exitCode !== 0) throw new Error(`mount failed: ${r.stderr}`);
    return this.inside(dir);
  }

  async unmountDrive(name: string, removeFolder = true): Promise<void> {
    const dir = path.join(this.root, 'Volumes', name);
    const r = await this.exec('umount', ['-l', dir]);
    if (r.exitCode !== 0) throw new Error(`umount failed: ${r.stderr}`);
    if (removeFolder) await fs.rmdir(dir);
  }

  /**
   * A drive that can be unplugged and plugged back with its contents: a tmpfs held at a hidden
   * place of the sandbox, bind-mounted at /Volumes/<name>. Unplugging detaches the bind mount
   * lazily, as a pulled cable does to open files; the data stays on the "drive".
   */
  async plugDrive(name: string, size = '64m'): Promise<string> {
    const store = path.join(this.root, '.drives', name);
    const dir = path.join(this.root, 'Volumes', name);
    if (!(await this.isMountPoint(store))) {
      await fs.mkdir(store, { recursive: true });
      const r = await this.exec('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', store]);
      if (r.exitCode !== 0) throw new Error(`mount failed: ${r.stderr}`);
    }
    await fs.mkdir(dir, { recursive: true });
    const b = await this.exec('mount', ['--bind', store, dir]);
    if (b.exitCode !== 0) throw new Error(`bind mount failed: ${b.stderr}`);
    return this.volume(name);
  }

  async unplugDrive(name: string): Promise<void> {
    await this.unmountDrive(name, false);
  }

  private async isMountPoint(dir: string): Promise<boolean> {
    const r = await this.exec('mountpoint', ['-q', dir]);
    return r.exitCode === 0;
  }

  private cliCommand(args: string[], env: Record<string, string>): { file: string; args: string[]; env: Record<string, string> } {
    return {
      file: 'nsenter',
      // nsenter execs node (no --fork), so the child's pid is node's: signals reach it directly.
      args: ['--target', String(this.pid), '--user', '--mount', '--preserve-credentials', process.execPath, CLI, ...args],
      env: { PATH: `${SIM_BIN}:${process.env['PATH'] ?? ''}`, PROVISION_SIM_STATE: this.simState, NO_COLOR: '1', ...env },
    };
  }

  /** Runs the built CLI inside the namespace, as root there, with the simulators on PATH. */
  async cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
    const c = this.cliCommand(args, env);
    const r = await execa(c.file, c.args, { reject: false, stdin: 'ignore', env: c.env, extendEnv: true });
    return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
  }

  /** Starts the CLI and returns the running process, for tests that signal it. */
  spawnCli(args: string[], env: Record<string, string> = {}): ResultPromise<{ reject: false; stdin: 'ignore'; extendEnv: true }> {
    const c = this.cliCommand(args, env);
    return execa(c.file, c.args, { reject: false, stdin: 'ignore', env: c.env, extendEnv: true });
  }

  /**
   * Runs any program inside the namespace, as root there, with the environment the CLI gets
   * (the simulators first on PATH, their state): for tools that run the CLI themselves, such
   * as ansible-playbook, and must see the sandbox's drives.
   */
  async run(file: string, args: string[], env: Record<string, string> = {}, cwd?: string): Promise<CliResult> {
    const c = this.cliCommand([], env);
    const r = await execa('nsenter', ['--target', String(this.pid), '--user', '--mount', '--preserve-credentials', file, ...args], {
      reject: false,
      stdin: 'ignore',
      env: c.env,
      extendEnv: true,
      ...(cwd === undefined ? {} : { cwd }),
    });
    return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
  }

  async dispose(): Promise<void> {
    this.holder.kill('SIGKILL');
    await new Promise((r) => this.holder.once('exit', r));
    await fs.rm(this.root, { recursive: true, force: true });
  }
}
