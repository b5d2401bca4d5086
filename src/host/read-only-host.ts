/**
 * Forwards every read and refuses every write (docs/design.md, note 3): `plan` runs on this host, so it
 * cannot change anything by construction. Writes reject (never throw synchronously) with
 * READ_ONLY_HOST naming the operation and the path, and never reach the inner host.
 */

import { ProvisionError } from '../errors.js';
import { ForwardingReads } from './forwarding-reads.js';
import type { CopyOptions, CopyProgress, Host, LinkType, RunOptions, RunResult } from './host.js';

export class ReadOnlyHost extends ForwardingReads implements Host {
  readonly kind = 'read-only' as const;

  mkdir(path: string, _mode: number): Promise<void> {
    return refuse('mkdir', path);
  }
  chown(path: string, _uid: number, _gid: number): Promise<void> {
    return refuse('chown', path);
  }
  chmod(path: string, _mode: number): Promise<void> {
    return refuse('chmod', path);
  }
  rename(from: string, to: string): Promise<void> {
    return refuse('rename', `${from} -> ${to}`);
  }
  link(target: string, path: string, _type: LinkType): Promise<void> {
    return refuse('link', `${path} -> ${target}`);
  }
  unlink(path: string): Promise<void> {
    return refuse('unlink', path);
  }
  rmdir(path: string): Promise<void> {
    return refuse('rmdir', path);
  }
  removeTree(path: string): Promise<void> {
    return refuse('removeTree', path);
  }
  writeFileAtomic(path: string, _data: string | Buffer): Promise<void> {
    return refuse('writeFileAtomic', path);
  }
  createExclusive(path: string, _data: string): Promise<boolean> {
    return refuse('createExclusive', path);
  }
  flush(path: string): Promise<void> {
    return refuse('flush', path);
  }
  copyTree(from: string, to: string, _options?: CopyOptions): Promise<CopyProgress> {
    return refuse('copyTree', `${from} -> ${to}`);
  }
  mutate(command: string, args: readonly string[], _options?: RunOptions): Promise<RunResult> {
    return refuse('mutate', [command, ...args].join(' '));
  }

  readBack<T>(read: () => Promise<T>, _simulated: T): Promise<T> {
    return read();
  }

  requireRoot(what: string): void {
    if (process.getuid?.() === 0) return;
    throw new ProvisionError('NEEDS_ROOT', `${what} needs root`, { hint: 'run sudo provision apply; everything before this step was applied' });
  }
}

function refuse(operation: string, subject: string): Promise<never> {
  return Promise.reject(
    new ProvisionError('READ_ONLY_HOST', `${operation} refused on a read-only host: ${subject}`, {
      hint: 'This command only reads; run `provision apply` to make changes.',
    }),
  );
}
