import { chmod, lstat, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { commandKey } from '../../src/cli/load-cli.js';
import { CLI } from '../helpers/sandbox.js';
import { cliCacheSandbox, runCli } from '../helpers/cli-cache-sandbox.js';

const SCRIPT = path.join(path.dirname(CLI), '..', 'dist', 'bundle', 'provision.cjs');

describe('commandKey', () => {
  it('is the first word of the arguments when it can be a command, else "other"', () => {
    expect(commandKey(['node', 'provision', 'plan', '-c', 'x.yaml'])).toBe('plan');
    expect(commandKey(['node', 'provision', '--no-color', 'status'])).toBe('status');
    expect(commandKey(['node', 'provision', 'drive', 'adopt', 'alex'])).toBe('drive');
    expect(commandKey(['node', 'provision', '--version'])).toBe('other');
    expect(commandKey(['node', 'provision', '/etc/passwd'])).toBe('other');
    expect(commandKey(['node', 'provision', '../../x'])).toBe('other');
    expect(commandKey(['node', 'provision', 'a'.repeat(40)])).toBe('other');
  });
});

describe("the CLI script's code cache (src/cli/load-cli.ts)", () => {
  const sb = cliCacheSandbox('provision-script-cache-');
  let cache = '';
  let file = '';
  beforeEach(() => {
    ({ cache, file } = sb);
  });
  const run = (args: string[], extra: Record<string, string> = {}) => runCli(sb, args, extra);
  const scriptCaches = async (): Promise<string[]> => (await readdir(path.join(cache, 'compiled'))).filter((n) => n.endsWith('.v8')).sort();
  const validateCache = async (): Promise<string> => {
    const names = (await scriptCaches()).filter((n) => n.endsWith('.validate.v8'));
    expect(names).toHaveLength(1);
    return path.join(cache, 'compiled', names[0] ?? '');
  };
  /** What a later run would show if it wrote the file again: its inode, time and bytes. */
  const state = async (at: string): Promise<string> => {
    const st = await lstat(at, { bigint: true });
    return `${st.ino} ${st.mtimeNs} ${st.mode.toString(8)} ${(await readFile(at)).toString('base64')}`;
  };

  it('is kept after a run that succeeded, for its command, private; the next run takes it and writes nothing; a refused run keeps none', async () => {
    const first = await run(['validate', '-c', file]);
    expect(first.exitCode, first.stderr).toBe(0);
    const kept = await validateCache();
    expect((await lstat(kept)).mode & 0o777).toBe(0o600);
    const folder = (await readdir(path.join(cache, 'compiled'))).find((n) => !n.endsWith('.v8')) ?? '';
    const script = await lstat(SCRIPT, { bigint: true });
    // Made from this script, for this build and Node.
    expect((await readFile(kept, 'latin1')).split('\n')[0]).toBe(`provision code cache 1 ${folder} ${script.size} ${script.mtimeNs} ${script.ino}`);
    const before = await state(kept);
    // Taken by V8: a refused one would be written again after this run.
    const again = await run(['validate', '-c', file]);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(await state(kept)).toBe(before);
    // Refused runs of other commands keep nothing.
    expect((await run(['plan', '-c', file, '--machine', 'nope'])).exitCode).toBe(1);
    expect((await run(['status', '--bogus'])).exitCode).toBe(1);
    expect(await scriptCaches()).toEqual([path.basename(kept)]);
  });

  it('runs that keep it at the same time leave one whole cache and no temporary file, which the next run takes and leaves as it is', async () => {
    const runs = await Promise.all([1, 2, 3, 4, 5, 6].map(() => run(['validate', '-c', file])));
    for (const r of runs) expect(r.exitCode, r.stderr).toBe(0);
    expect(await scriptCaches()).toEqual([path.basename(await validateCache())]);
    expect((await readdir(path.join(cache, 'compiled'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    const kept = await validateCache();
    const before = await state(kept);
    expect((await run(['validate', '-c', file])).exitCode).toBe(0);
    expect(await state(kept)).toBe(before);
  });

  it('one V8 refuses (damaged, cut short), one of another script, or one others may write to is not used; the next run that succeeds replaces it', async () => {
    expect((await run(['validate', '-c', file])).exitCode).toBe(0);
    const kept = await validateCache();
    const good = await readFile(kept);
    const header = good.subarray(0, good.indexOf(10) + 1);
    const body = good.subarray(header.length);
    const damaged = Buffer.concat([header, Buffer.alloc(body.length, 0x5a)]);
    const cut = Buffer.concat([header, body.subarray(0, body.length >> 1)]);
    const otherScript = Buffer.concat([Buffer.from(header.toString('latin1').replace(/ (\d+) (\d+) (\d+)\n$/, ' $1 1 $3\n'), 'latin1'), body]);
    for (const [what, bytes, mode] of [
      ['damaged', damaged, 0o600],
      ['cut short', cut, 0o600],
      ['of another script', otherScript, 0o600],
      ['writable by others', good, 0o666],
    ] as const) {
      await rm(kept);
      await writeFile(kept, bytes, { mode });
      await chmod(kept, mode);
      const r = await run(['validate', '-c', file]);
      expect(r.exitCode, `${what}: ${r.stderr}`).toBe(0);
      expect(r.stdout, what).toMatch(/^Valid: /);
      // Written again: whole, private, and not what was there.
      expect((await lstat(kept)).mode & 0o777, what).toBe(0o600);
      if (what !== 'writable by others') expect((await readFile(kept)).equals(bytes), what).toBe(false);
      expect((await readFile(kept)).subarray(0, header.length).equals(header), what).toBe(true);
    }
  });

  it('is not kept with the cache off, or under Node options (V8 takes a cache back only under the same flags)', async () => {
    expect((await run(['validate', '-c', file], { PROVISION_CACHE_DIR: 'off' })).exitCode).toBe(0);
    await expect(readdir(cache)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await run(['validate', '-c', file], { NODE_OPTIONS: '--no-warnings' })).exitCode).toBe(0);
    // Only the checked declaration is kept.
    expect(await readdir(cache)).toEqual(['declarations']);
  });
});
