/**
 * A sandbox Mac for the benchmarks, as scripts/demo.sh builds one: a folder on the root file
 * system stands for the Mac's `/` (`--root`), with Alex's home in it, and the drive "Archive" is
 * a tmpfs mounted at <root>/Volumes/Archive. That needs the private mount namespace the
 * benchmark runs in (see namespace.ts). The simulated diskutil reports the drive as APFS, so
 * provision treats it as a Mac drive; the simulated scutil names the Mac.
 */

import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import type { NodeRuntime } from './node-runtimes.js';
import { measuredEnv, type Command } from './run-timed.js';

export const REPO = join(import.meta.dirname, '..', '..');
export const CLI = join(REPO, 'bin', 'provision.js');
export const MACHINE = 'bench-mac';
const VOLUME = 'Archive';

/** One user (alex) whose iOS backups live on the drive; the declaration the relocation uses. */
export const ONE_USER_DECLARATION = `version: 1
drives:
  archive:
    volume: ${VOLUME}
users:
  alex:
    mobilesync: { drive: archive, path: MobileSync/alex }
machines:
  ${MACHINE}:
    hostname: Bench-Mac
    users: [alex]
`;

export class MacSandbox {
  readonly root: string;
  readonly drive: string;
  readonly config: string;
  readonly simState: string;
  private mounted = false;
  private signal: AbortSignal | undefined;
  private node: NodeRuntime = { label: 'current', execPath: process.execPath, binDir: dirname(process.execPath) };

  private constructor(readonly dir: string) {
    this.root = join(dir, 'root');
    this.drive = join(this.root, 'Volumes', VOLUME);
    this.config = join(dir, 'backups.yaml');
    this.simState = join(dir, 'mac-state.json');
  }

  /** A sandbox in `dir` (made afresh) with a drive of `driveBytes`, and `users` with homes. */
  static async create(
    dir: string,
    options: { driveBytes: number; users?: readonly string[]; declaration?: string; signal?: AbortSignal; node?: NodeRuntime },
  ): Promise<MacSandbox> {
    const sb = new MacSandbox(dir);
    sb.signal = options.signal;
    if (options.node !== undefined) sb.node = options.node;
    await rm(dir, { recursive: true, force: true });
    for (const user of options.users ?? ['alex']) await mkdir(sb.mobileSyncParent(user), { recursive: true });
    await mkdir(sb.drive, { recursive: true });
    await writeFile(sb.config, options.declaration ?? ONE_USER_DECLARATION);
    const state = {
      scutil: { ComputerName: 'Bench-Mac', LocalHostName: 'Bench-Mac' },
      diskutil: { volumes: { [sb.drive]: { VolumeName: VOLUME, FilesystemType: 'apfs' } } },
    };
    await writeFile(sb.simState, JSON.stringify(state, null, 2) + '\n');
    // A drive at least 64 MiB, in whole MiB (tmpfs rounds to pages anyway).
    const mib = Math.max(64, Math.ceil(options.driveBytes / (1024 * 1024)));
    await execa('mount', ['-t', 'tmpfs', '-o', `size=${mib}m,mode=0755`, 'tmpfs', sb.drive]);
    sb.mounted = true;
    return sb;
  }

  home(user = 'alex'): string {
    return join(this.root, 'Users', user);
  }

  mobileSyncParent(user = 'alex'): string {
    return join(this.home(user), 'Library', 'Application Support', 'MobileSync');
  }

  /** ~/Library/Application Support/MobileSync/Backup, as this process opens it. */
  backupPath(user = 'alex'): string {
    return join(this.mobileSyncParent(user), 'Backup');
  }

  /** The declared folder on the drive, as this process opens it. */
  driveFolder(user = 'alex'): string {
    return join(this.drive, 'MobileSync', user);
  }

  /** Where provision keeps checked declarations during the benchmark (not the user's own cache folder). */
  get cacheDir(): string {
    return join(this.dir, 'cache');
  }

  /**
   * `provision <args>` on the Node version measured, with the simulators first on PATH (then that
   * node's folder, for their `#!/usr/bin/env node`), the sandbox's state file and cache folder;
   * `extra` adds to or overrides that environment (PROVISION_CACHE_DIR=off: never seen before).
   */
  provision(args: readonly string[], okCodes: readonly number[] = [0], extra: Record<string, string> = {}): Command {
    return {
      file: this.node.execPath,
      args: [CLI, ...args],
      env: measuredEnv({
        PATH: `${join(REPO, 'sim', 'bin')}:${this.node.binDir}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
        PROVISION_SIM_STATE: this.simState,
        PROVISION_CACHE_DIR: this.cacheDir,
        NO_COLOR: '1',
        ...extra,
      }),
      okCodes,
    };
  }

  /**
   * Puts a fresh copy of the template tree at the home's Backup folder (cp -a keeps every time
   * and mode), with nothing on the drive and no journal left, then syncs so that the copy's
   * dirty pages are not written back during the timed run. Outside the timing.
   */
  async freshBackup(templateBackupDir: string, user = 'alex'): Promise<void> {
    await rm(this.backupPath(user), { recursive: true, force: true });
    await rm(join(this.drive, 'MobileSync'), { recursive: true, force: true });
    await rm(join(this.root, 'var'), { recursive: true, force: true });
    const cancel = this.signal === undefined ? {} : { cancelSignal: this.signal };
    await execa('cp', ['-a', templateBackupDir, this.backupPath(user)], cancel);
    await execa('sync', [], cancel);
  }

  async destroy(): Promise<void> {
    if (this.mounted) {
      await execa('umount', [this.drive]).catch(() => undefined);
      this.mounted = false;
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}
