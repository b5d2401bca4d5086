import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(REPO, 'bin', 'provision.js');
export const SIM_BIN = path.join(REPO, 'sim', 'bin');

/** Formats a drive image can have: mounted by the kernel (ext4, through a loop device) or by FUSE. */
export type ImageFormat = 'ext4' | 'exfat' | 'fat';

export interface ImageOptions {
  /** Image size, as truncate(1) takes it: '32M'. */
  size?: string;
  /** exFAT cluster (allocation unit), as mkfs.exfat -c takes it: '128K'. */
  cluster?: string;
}

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
  /** FUSE file systems mounted here: their daemons live on until unmounted (see dispose). */
  private readonly fuseMounts: string[] = [];

  private constructor(
    readonly root: string,
    private readonly holder: ChildProcess,
    readonly simState: string,
    /** nsenter's namespace options: the user namespace too, unless the sandbox runs as real root. */
    private readonly enter: readonly string[],
  ) {}

  /**
   * With realRoot, the namespace is a mount namespace only (unshare --mount, no --user): the CLI
   * runs as the real root, which may do what a user namespace's root may not (chattr +i/-i needs
   * CAP_LINUX_IMMUTABLE in the initial namespace). Only when the tests run as real root.
   */
  static async create(computerName = 'iMac', options: { realRoot?: boolean } = {}): Promise<Sandbox> {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-e2e-'));
    const realRoot = options.realRoot === true;
    const userNs = realRoot ? [] : ['--user', '--map-root-user'];
    const holder = spawn('unshare', [...userNs, '--mount', '--propagation', 'private', 'sleep', '3600'], {
      stdio: 'ignore',
    });
    await new Promise<void>((resolve, reject) => {
      holder.once('spawn', () => resolve());
      holder.once('error', reject);
    });
    const enter = realRoot ? ['--mount'] : ['--user', '--mount', '--preserve-credentials'];
    const sb = new Sandbox(root, holder, path.join(root, '.sim-state.json'), enter);
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
    const r = await execa('nsenter', ['--target', String(this.pid), ...this.enter, command, ...args], {
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
      args: ['--target', String(this.pid), ...this.enter, process.execPath, CLI, ...args],
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
    const r = await execa('nsenter', ['--target', String(this.pid), ...this.enter, file, ...args], {
      reject: false,
      stdin: 'ignore',
      env: c.env,
      extendEnv: true,
      ...(cwd === undefined ? {} : { cwd }),
    });
    return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
  }

  /**
   * Why real drive images cannot be mounted here, or undefined when they can. ext4 and exFAT
   * images are mounted by the real root into the sandbox's mount namespace: a user namespace
   * may mount neither a loop device nor a FUSE "fuseblk" file system (exfat-fuse uses one as
   * root). FAT goes through fusefat, a plain FUSE file system, inside the namespace.
   */
  static async imageSupport(format: ImageFormat): Promise<string | undefined> {
    const tools: Record<ImageFormat, string[]> = {
      ext4: ['mkfs.ext4', 'losetup'],
      exfat: ['mkfs.exfat', 'mount.exfat-fuse', 'losetup'],
      fat: ['mkfs.vfat', 'fusefat'],
    };
    for (const tool of tools[format]) {
      const found = await execa('sh', ['-c', 'command -v "$1"', 'sh', tool], { reject: false });
      if (found.exitCode !== 0) return `${tool} is not installed (.ci/run installs it)`;
    }
    if (format !== 'fat' && process.getuid?.() !== 0) return `mounting a ${format} image needs the tests to run as root`;
    if (format !== 'ext4') {
      const fuse = await fs.access('/dev/fuse').then(() => true, () => false);
      if (!fuse) return '/dev/fuse is missing (no FUSE in this kernel or container)';
    }
    return undefined;
  }

  /**
   * A real drive of another format at <root>/Volumes/<name>: an image file in the sandbox
   * (made by mkfs), mounted in the namespace. ext4 is the kernel's own driver on a loop device;
   * exFAT and FAT are FUSE (exfat-fuse, fusefat), as the kernel here has no driver for them.
   * Returns the drive's path as the test reads it.
   */
  async mountImage(name: string, format: ImageFormat, options: ImageOptions = {}): Promise<string> {
    const images = path.join(this.root, '.images');
    await fs.mkdir(images, { recursive: true });
    const image = path.join(images, `${name}.img`);
    const dir = path.join(this.root, 'Volumes', name);
    await fs.mkdir(dir, { recursive: true });
    await execa('truncate', ['-s', options.size ?? '64M', image]);
    const run = async (file: string, args: string[]): Promise<string> => {
      const r = await execa(file, args, { reject: false, stdin: 'ignore' });
      if (r.exitCode !== 0) throw new Error(`${file} ${args.join(' ')} failed: ${String(r.stderr)}`);
      return String(r.stdout).trim();
    };
    // The real root enters the namespace's mounts only (see imageSupport).
    const asRealRoot = ['--target', String(this.pid), '--mount'];
    if (format === 'ext4') {
      await run('mkfs.ext4', ['-q', '-F', '-E', 'root_owner=0:0', image]);
      // mount -o loop sets autoclear: the loop device goes when the file system is unmounted.
      await run('nsenter', [...asRealRoot, 'mount', '-o', 'loop', image, dir]);
    } else if (format === 'exfat') {
      await run('mkfs.exfat', [...(options.cluster === undefined ? [] : ['-c', options.cluster]), image]);
      const loop = await run('losetup', ['--find', '--show', image]);
      try {
        await run('nsenter', [...asRealRoot, 'mount.exfat-fuse', loop, dir]);
      } finally {
        // Detaching a device in use only marks it: it goes when exfat-fuse closes it.
        await run('losetup', ['-d', loop]);
      }
      this.fuseMounts.push(dir);
    } else {
      await run('mkfs.vfat', ['-F', '32', image]);
      const r = await this.exec('fusefat', ['-o', 'rw+', image, dir]);
      if (r.exitCode !== 0) throw new Error(`fusefat failed: ${r.stderr}`);
      this.fuseMounts.push(dir);
    }
    return this.volume(name);
  }

  async dispose(): Promise<void> {
    // A FUSE daemon started in the namespace keeps it alive: unmount first, which ends it.
    for (const dir of this.fuseMounts) await this.exec('umount', ['-l', dir]);
    this.holder.kill('SIGKILL');
    await new Promise((r) => this.holder.once('exit', r));
    await fs.rm(this.root, { recursive: true, force: true });
  }
}
