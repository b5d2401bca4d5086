import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitWhenIdle, type ExitSeams } from '../../src/cli/exit-when-idle.js';
import { REPO } from '../helpers/sandbox.js';

/** Seams that see what the test says and record an exit instead of ending the test's process. */
function seams(resources: string[], beforeExit = 0): ExitSeams & { exits: number[] } {
  const exits: number[] = [];
  return { exits, activeResources: () => [...resources], beforeExitListeners: () => beforeExit, exit: (code) => exits.push(code) };
}

describe('exitWhenIdle', () => {
  it('ends the process with the code when nothing is left running', async () => {
    const s = seams([]);
    expect(await exitWhenIdle(2, s)).toEqual([]);
    expect(s.exits).toEqual([2]);
  });

  it('leaves the process to end on its own while a handle, request or timer is active', async () => {
    const s = seams(['Timeout', 'FSReqPromise']);
    expect(await exitWhenIdle(0, s)).toEqual(['Timeout', 'FSReqPromise']);
    expect(s.exits).toEqual([]);
  });

  it("leaves it while someone listens for 'beforeExit', which process.exit would not emit", async () => {
    const s = seams([], 1);
    expect(await exitWhenIdle(0, s)).toEqual(['beforeExit listener']);
    expect(s.exits).toEqual([]);
  });

  it('looks only after the promise jobs already queued have run', async () => {
    let settled = false;
    void Promise.resolve()
      .then(() => undefined)
      .then(() => {
        settled = true;
      });
    const seen: boolean[] = [];
    await exitWhenIdle(0, { activeResources: () => [], beforeExitListeners: () => 0, exit: () => seen.push(settled) });
    expect(seen).toEqual([true]);
  });
});

describe('exitWhenIdle in a real process', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'provision-exit-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // The built module (npm test builds first), run by the Node under test.
  const moduleUrl = pathToFileURL(path.join(REPO, 'dist', 'cli', 'exit-when-idle.js')).href;
  const runScript = async (body: string) => {
    const file = path.join(dir, 'script.mjs');
    await writeFile(file, `import { exitWhenIdle } from ${JSON.stringify(moduleUrl)};\nconst dir = ${JSON.stringify(dir)};\n${body}\n`);
    return execa(process.execPath, [file], { reject: false });
  };

  it("ends at once with the code, 'exit' listeners run, when nothing is pending", async () => {
    const r = await runScript(`
      import { writeFileSync } from 'node:fs';
      process.on('exit', () => writeFileSync(dir + '/exit', 'ran'));
      process.on('beforeExit', () => {}); process.removeAllListeners('beforeExit');
      const left = await exitWhenIdle(3);
      writeFileSync(dir + '/after', JSON.stringify(left));
    `);
    expect(r.exitCode).toBe(3);
    expect(await readFile(path.join(dir, 'exit'), 'utf8')).toBe('ran');
    // Nothing ran after the exit.
    await expect(readFile(path.join(dir, 'after'), 'utf8')).rejects.toThrow();
  });

  it('waits for a timer still to fire, and what it does is done', async () => {
    const r = await runScript(`
      import { writeFileSync } from 'node:fs';
      setTimeout(() => writeFileSync(dir + '/late', 'written'), 150);
      const left = await exitWhenIdle(0);
      writeFileSync(dir + '/left', JSON.stringify(left));
    `);
    expect(r.exitCode).toBe(0);
    expect(await readFile(path.join(dir, 'late'), 'utf8')).toBe('written');
    expect(JSON.parse(await readFile(path.join(dir, 'left'), 'utf8'))).toContain('Timeout');
  });

  it('never cuts short a write still going out through a stream to a slow reader', async () => {
    // A child that reads its input only after a while: 4 MiB cannot all fit in the pipe, so the
    // rest waits in the stream when exitWhenIdle looks.
    const r = await runScript(`
      import { spawn } from 'node:child_process';
      const child = spawn(process.execPath, ['-e', "setTimeout(() => { let n = 0; process.stdin.on('data', (d) => { n += d.length; }); process.stdin.on('end', () => require('node:fs').writeFileSync(process.argv[1], String(n))); }, 300)", dir + '/count'], { stdio: ['pipe', 'inherit', 'inherit'] });
      child.stdin.end(Buffer.alloc(4 * 1024 * 1024, 1));
      child.unref();
      await exitWhenIdle(0);
    `);
    expect(r.exitCode).toBe(0);
    expect(await readFile(path.join(dir, 'count'), 'utf8')).toBe(String(4 * 1024 * 1024));
  });

  it("lets a 'beforeExit' listener run", async () => {
    const r = await runScript(`
      import { writeFileSync } from 'node:fs';
      let once = false;
      process.on('beforeExit', () => { if (!once) { once = true; writeFileSync(dir + '/before', 'ran'); } });
      await exitWhenIdle(0);
    `);
    expect(r.exitCode).toBe(0);
    expect(await readFile(path.join(dir, 'before'), 'utf8')).toBe('ran');
  });
});
