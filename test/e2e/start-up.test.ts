import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, Sandbox } from '../helpers/sandbox.js';
import { makeHome, writeHousehold } from './household.js';

/**
 * What a converged plan's start loads (docs/performance.md): login scripts and every drive mount
 * run one, so Node's own modules it needs no part of stay unloaded.
 */
describe("a converged plan's start", () => {
  let sb: Sandbox;
  let config: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    sb = await Sandbox.create();
    config = await writeHousehold(sb.root);
    await makeHome(sb.root, 'alex');
    await makeHome(sb.root, 'sam');
    await sb.mountDrive('Archive 2TB');
    env = { PROVISION_CACHE_DIR: path.join(sb.root, 'cache') };
    const apply = await sb.cli(['apply', '--yes', '-c', config, '--root', sb.root, '--machine', 'imac'], env);
    expect(apply.exitCode, apply.stderr).toBe(0);
  });
  afterEach(async () => {
    await sb.dispose();
  });

  it('writes to pipes and reads its answers without process.stdout, stderr or stdin: neither node:net, node:tty, the streams nor node:fs/promises', async () => {
    // At exit: Node's own modules loaded, written to a file (writing them to stderr would make the stream).
    const report = path.join(sb.root, 'loaded.json');
    // Preloaded with --require: Node 22 and 26 load the streams for any module given to --import.
    const reporter = path.join(sb.root, 'loaded.cjs');
    await fs.writeFile(reporter, `const { writeFileSync } = require('node:fs');\nprocess.on('exit', () => writeFileSync(${JSON.stringify(report)}, JSON.stringify(process.moduleLoadList)));\n`);
    const args = ['plan', '-c', config, '--root', sb.root, '--machine', 'imac'];
    const plain = await sb.cli(args, env);
    const r = await sb.run(process.execPath, ['--require', reporter, CLI, ...args], env);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe(plain.stdout);
    expect(r.stdout).toContain('No changes. Everything is as declared.');
    expect(r.stderr).toBe(`Using ${config} (given with -c)`);
    const loaded = JSON.parse(await fs.readFile(report, 'utf8')) as string[];
    for (const name of ['net', 'tty', 'stream', 'internal/streams/readable', 'crypto', 'child_process', 'fs/promises', 'internal/fs/promises', 'internal/readline/interface']) {
      expect(loaded, name).not.toContain(`NativeModule ${name}`);
    }
  });

  it('writes the same bytes into a file, and into /dev/null without a stream either', async () => {
    const args = ['plan', '-c', config, '--root', sb.root, '--machine', 'imac'];
    const piped = await sb.cli(args, env);
    const out = path.join(sb.root, 'plan.txt');
    const quoted = [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' ');
    const r = await sb.run('bash', ['-c', `${quoted} > '${out}' 2>/dev/null; echo "exit $?"`], env);
    expect(r.stdout.trim()).toBe('exit 0');
    // execa drops the output's last newline.
    expect(await fs.readFile(out, 'utf8')).toBe(`${piped.stdout}\n`);
    const quiet = await sb.run('bash', ['-c', `${quoted} > /dev/null 2>&1; echo "exit $?"`], env);
    expect(quiet.stdout.trim()).toBe('exit 0');
  });
});
