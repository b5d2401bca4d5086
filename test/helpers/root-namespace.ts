import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import { execa, type ResultPromise } from 'execa';

/**
 * A private mount namespace of REAL root (unshare --mount, no user namespace), held open by a
 * sleeping process, for tests that need real users: the Sandbox's user namespace maps only
 * root, so a real unprivileged account cannot run in it. tmpfs drives are mounted inside; the
 * test reads them through /proc/<pid>/root. Only for a test process that is real root.
 */
export class RootNamespace {
  private constructor(private readonly holder: ChildProcess) {}

  static async create(): Promise<RootNamespace> {
    const holder = spawn('unshare', ['--mount', '--propagation', 'private', 'sleep', '3600'], { stdio: 'ignore' });
    await new Promise<void>((resolve, reject) => {
      holder.once('spawn', () => resolve());
      holder.once('error', reject);
    });
    const ns = new RootNamespace(holder);
    const self = await fs.readlink('/proc/self/ns/mnt');
    for (let i = 0; i < 100; i++) {
      const theirs = await fs.readlink(`/proc/${ns.pid}/ns/mnt`).catch(() => '');
      if (theirs !== '' && theirs !== self) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    return ns;
  }

  get pid(): number {
    if (this.holder.pid === undefined) throw new Error('namespace holder has no pid');
    return this.holder.pid;
  }

  /** A path as seen inside the namespace, readable from the test process. */
  inside(p: string): string {
    return `/proc/${this.pid}/root${p}`;
  }

  /** A tmpfs at dir (created if missing), writable by every user like a drive that ignores ownership. */
  async mountTmpfs(dir: string, size = '64m'): Promise<string> {
    await fs.mkdir(dir, { recursive: true });
    const r = await execa('nsenter', ['--target', String(this.pid), '--mount', 'mount', '-t', 'tmpfs', '-o', `size=${size},mode=0777`, 'tmpfs', dir], { reject: false });
    if (r.exitCode !== 0) throw new Error(`mount failed: ${r.stderr}`);
    return this.inside(dir);
  }

  /**
   * Starts `argv` inside the namespace, as root or, given `as`, as that real account (setpriv,
   * with its groups). nsenter and setpriv exec, so the process's pid is the program's own.
   */
  spawn(argv: string[], options: { as?: { uid: number; gid: number }; env: Record<string, string>; cwd: string }): ResultPromise<{ reject: false; stdin: 'ignore' }> {
    const as = options.as === undefined ? [] : ['setpriv', '--reuid', String(options.as.uid), '--regid', String(options.as.gid), '--init-groups'];
    return execa('nsenter', ['--target', String(this.pid), '--mount', '--', ...as, ...argv], {
      reject: false,
      stdin: 'ignore',
      env: options.env,
      extendEnv: false,
      cwd: options.cwd,
    });
  }

  async dispose(): Promise<void> {
    this.holder.kill('SIGKILL');
    await new Promise((r) => this.holder.once('exit', r));
  }
}

/** A real unprivileged account for a test (useradd), removed again by the returned function. */
export async function createTestUser(prefix: string): Promise<{ name: string; uid: number; gid: number; remove: () => Promise<void> }> {
  const name = `${prefix}${process.pid % 100000}`;
  await execa('userdel', [name], { reject: false });
  await execa('useradd', ['--no-create-home', '--user-group', '--shell', '/usr/sbin/nologin', name]);
  const uid = Number((await execa('id', ['-u', name])).stdout);
  const gid = Number((await execa('id', ['-g', name])).stdout);
  return { name, uid, gid, remove: async () => void (await execa('userdel', [name], { reject: false })) };
}

/** chown -R, without following links. */
export async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  await execa('chown', ['-R', '-h', `${uid}:${gid}`, dir]);
}

