import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, REPO, SIM_BIN } from '../helpers/sandbox.js';
import { snapshotTree } from '../helpers/fixtures.js';
import { HOUSEHOLD } from './household.js';

describe('the CLI on bad input: a clear message, exit 1, no stack trace, nothing written', () => {
  let dir: string;
  const cli = async (args: string[], env: Record<string, string> = {}) => {
    const r = await execa(process.execPath, [CLI, ...args], {
      cwd: dir,
      reject: false,
      stdin: 'ignore',
      env: { NO_COLOR: '1', HOME: dir, PATH: `${SIM_BIN}:${process.env['PATH'] ?? ''}`, PROVISION_SIM_STATE: path.join(dir, 'sim.json'), ...env },
      extendEnv: false,
    });
    return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
  };

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-cli-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a declaration with several problems: each as FILE:LINE:COLUMN with a hint, all at once', async () => {
    const bad = HOUSEHOLD.replace('drive: archive, path: MobileSync/sam', 'drive: archiv, path: MobileSync/sam').replace(
      'users: [alex, sam]',
      'users: [alex, sam, kim]',
    );
    await fs.writeFile(path.join(dir, 'backups.yaml'), bad);
    const before = await snapshotTree(dir);
    for (const cmd of [['validate'], ['plan', '--root', dir, '--machine', 'imac'], ['apply', '--yes', '--root', dir, '--machine', 'imac']]) {
      const r = await cli(cmd);
      expect(r.exitCode, cmd.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/backups\.yaml:\d+:\d+: .*archiv/);
      expect(r.stderr).toMatch(/did you mean .?archive/i);
      expect(r.stderr).toMatch(/backups\.yaml:\d+:\d+: .*kim/);
      expect(r.stderr).toContain('hint:');
      expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
    }
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('a YAML syntax error names its place', async () => {
    await fs.writeFile(path.join(dir, 'backups.yaml'), 'version: 1\nmachines:\n  imac: { hostname: "iMac }\n');
    const r = await cli(['validate']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/backups\.yaml:3:\d+: /);
  });

  it('no declaration found: lists where it looked', async () => {
    const r = await cli(['plan']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(path.join(dir, 'backups.yaml'));
    expect(r.stderr).toContain('.config/provision/backups.yaml');
  });

  it('finds the declaration through $PROVISION_CONFIG and says so', async () => {
    const file = path.join(dir, 'elsewhere.yaml');
    await fs.writeFile(file, HOUSEHOLD);
    const r = await cli(['validate'], { PROVISION_CONFIG: file });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('elsewhere.yaml');
    expect(r.stdout).toContain('PROVISION_CONFIG');
  });

  it('refuses a machine of another platform without --root', async () => {
    await fs.writeFile(path.join(dir, 'backups.yaml'), HOUSEHOLD);
    const r = await cli(['plan', '--machine', 'imac']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('--root');
  });

  it('an unknown user, an unknown option, and --help with an example', async () => {
    await fs.writeFile(path.join(dir, 'backups.yaml'), HOUSEHOLD);
    await fs.mkdir(path.join(dir, 'Users', 'alex'), { recursive: true });
    const u = await cli(['plan', '--root', dir, '--machine', 'imac', '--user', 'kim']);
    expect(u.exitCode).toBe(1);
    expect(u.stderr).toContain('alex, sam');
    expect((await cli(['plan', '--frobnicate'])).exitCode).toBe(1);
    const help = await cli(['plan', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('--detailed-exitcode');
    const version = await cli(['--version']);
    expect(version.stdout.trim()).toBe(JSON.parse(await fs.readFile(path.join(REPO, 'package.json'), 'utf8')).version);
    for (const command of ['plan', 'apply', 'restore', 'status', 'init', 'validate']) {
      const h = await cli([command, '--help']);
      expect(h.exitCode, command).toBe(0);
      expect(h.stdout, command).toMatch(/Examples?:\n {2}provision /);
    }
  });

  it('schema prints the declaration\'s schema by default, each output schema by name, and refuses an unknown name', async () => {
    const read = async (name: string) => (await fs.readFile(path.join(REPO, 'schemas', `${name}.schema.json`), 'utf8')).trim();
    expect((await cli(['schema'])).stdout.trim()).toBe(await read('backups'));
    for (const name of ['plan', 'apply', 'status', 'schedule-status', 'doctor', 'check']) expect((await cli(['schema', name])).stdout.trim()).toBe(await read(name));
    expect((await cli(['schema', '--path'])).stdout.trim()).toBe(path.join(REPO, 'schemas', 'backups.schema.json'));
    const bad = await cli(['schema', 'nope']);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('Allowed choices are backups, plan, apply, status, schedule-status, doctor, check');
  });

  it('output piped into a reader that stops early (| head -1): no stack trace, the command still ends normally', async () => {
    // The help is longer than one pipe buffer read by head; each is written after head has gone.
    const r = await execa('bash', ['-c', 'for c in --help "plan --help" "status --help"; do node "$0" $c | true; echo "exit ${PIPESTATUS[0]}"; done', CLI], { reject: false });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(['exit 0', 'exit 0', 'exit 0']);
  });
});
