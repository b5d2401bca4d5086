import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isProvisionError } from '../../src/errors.js';
import type { Host, HostWrites } from '../../src/host/host.js';
import { HOST_WRITE_METHODS } from '../../src/host/write-methods.js';
import { ReadOnlyHost } from '../../src/host/read-only-host.js';
import { RealHost } from '../../src/host/real-host.js';
import { makeTempDir, removeTempDir } from './fs/temp-dir.js';
import { diffSnapshots, snapshotTree } from './fs/tree-snapshot.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
  await mkdir(join(dir, 'tree', 'sub'), { recursive: true });
  await writeFile(join(dir, 'tree', 'sub', 'f'), 'content');
  await symlink('sub/f', join(dir, 'tree', 'link'));
});
afterEach(async () => {
  await removeTempDir(dir);
});

/** A real host whose writes are counted, to show that none reaches it. */
function countingHost(): { host: Host; writes: string[] } {
  const real = new RealHost();
  const writes: string[] = [];
  const names: readonly (keyof HostWrites)[] = HOST_WRITE_METHODS;
  const host = Object.create(real) as Host;
  for (const name of names) {
    Object.defineProperty(host, name, {
      value: (...args: unknown[]) => {
        writes.push(name);
        return (real[name] as (...a: unknown[]) => Promise<unknown>).apply(real, args);
      },
    });
  }
  return { host, writes };
}

/** Every write method, called with arguments that would change the tree. */
function everyWrite(host: Host, t: string): [string, () => Promise<unknown>][] {
  return [
    ['mkdir', () => host.mkdir(join(t, 'new'), 0o755)],
    ['chown', () => host.chown(join(t, 'sub', 'f'), 1234, 1234)],
    ['chmod', () => host.chmod(join(t, 'sub', 'f'), 0o600)],
    ['rename', () => host.rename(join(t, 'sub'), join(t, 'moved'))],
    ['link', () => host.link(join(t, 'sub'), join(t, 'new-link'), 'symlink')],
    ['unlink', () => host.unlink(join(t, 'link'))],
    ['rmdir', () => host.rmdir(join(t, 'sub'))],
    ['removeTree', () => host.removeTree(t)],
    ['writeFileAtomic', () => host.writeFileAtomic(join(t, 'sub', 'f'), 'changed')],
    ['copyTree', () => host.copyTree(join(t, 'sub'), join(t, 'copy'))],
    ['flush', () => host.flush(join(t, 'sub'))],
    ['mutate', () => host.mutate('touch', [join(t, 'touched')])],
    ['createExclusive', () => host.createExclusive(join(t, 'lock'), 'x')],
  ];
}

describe('ReadOnlyHost', () => {
  it('is the read-only kind', () => {
    expect(new ReadOnlyHost(new RealHost()).kind).toBe('read-only');
  });

  it('refuses every write with READ_ONLY_HOST naming the operation and path, and leaves the tree byte-identical', async () => {
    const tree = join(dir, 'tree');
    const { host: inner, writes } = countingHost();
    const host = new ReadOnlyHost(inner);
    const before = await snapshotTree(dir);
    const calls = everyWrite(host, tree);
    // Every write method of the Host interface is tried.
    expect(calls.map(([name]) => name).sort()).toEqual([...HOST_WRITE_METHODS].sort());
    for (const [name, call] of calls) {
      const error = await call().catch((e: unknown) => e);
      expect(isProvisionError(error), name).toBe(true);
      expect(error, name).toMatchObject({ code: 'READ_ONLY_HOST' });
      expect((error as Error).message, name).toContain(name);
      expect((error as Error).message, name).toContain(name === 'mutate' ? 'touch' : tree);
    }
    expect(writes).toEqual([]);
    expect(diffSnapshots(before, await snapshotTree(dir))).toEqual([]);
    // The counter itself works: a write made on the inner host directly is seen.
    await inner.mkdir(join(dir, 'probe'), 0o755);
    expect(writes).toEqual(['mkdir']);
  });

  it('rejects instead of throwing synchronously', () => {
    const host = new ReadOnlyHost(new RealHost());
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = host.mkdir('/x/y', 0o755);
    }).not.toThrow();
    return expect(promise).rejects.toMatchObject({ code: 'READ_ONLY_HOST' });
  });

  it('forwards every read', async () => {
    const tree = join(dir, 'tree');
    const real = new RealHost();
    const host = new ReadOnlyHost(real);
    expect(await host.lstat(join(tree, 'link'))).toEqual(await real.lstat(join(tree, 'link')));
    expect(await host.readlink(join(tree, 'link'))).toBe('sub/f');
    expect(await host.readdir(tree)).toEqual(['link', 'sub']);
    expect((await host.readFile(join(tree, 'sub', 'f'))).toString()).toBe('content');
    expect((await host.statfs(tree)).fsType).toBe((await real.statfs(tree)).fsType);
    expect(await host.canWrite(tree)).toBe(true);
    expect(await host.summarize(tree)).toEqual(await real.summarize(tree));
    expect(await host.manifest(tree)).toEqual(await real.manifest(tree));
    expect((await host.query(process.execPath, ['-e', 'process.stdout.write("hi")'])).stdout).toBe('hi');
    expect(await host.hasCommand('node')).toBe(true);
  });
});
