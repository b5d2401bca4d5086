import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, Sandbox, SIM_BIN } from '../helpers/sandbox.js';
import { makeDeviceBackup, snapshotTree, udid } from '../helpers/fixtures.js';
import { HOUSEHOLD, macBackupFolder, makeHome } from './household.js';

/**
 * The package as a user gets it: `npm pack`, installed globally into an empty prefix, run as
 * `provision` from there. It must carry the schemas and the examples, install nothing but its
 * runtime dependencies (everything else is bundled), and plan and apply as the repository does.
 */
describe('the npm package, installed globally into an empty prefix', () => {
  let dir: string;
  let prefix: string;
  let bin: string;
  let installed: string;
  const env = (): Record<string, string> => ({ PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, NO_COLOR: '1', HOME: dir });

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-pack-'));
    prefix = path.join(dir, 'prefix');
    // `npm test` has built dist/ already; prepack would build it again.
    const packed = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: REPO });
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    if (info === undefined) throw new Error('npm pack printed nothing');
    const tarball = path.join(dir, path.basename(info.filename));
    await fs.writeFile(path.join(dir, 'files.json'), JSON.stringify(info.files.map((f) => f.path)));
    // From npm's cache, which `npm ci` filled: no network needed for ajv, the one dependency.
    await execa('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], {
      cwd: dir,
      env: { HOME: process.env['HOME'] ?? dir, PATH: process.env['PATH'] ?? '' },
    });
    bin = path.join(prefix, 'bin', 'provision');
    installed = path.join(prefix, 'lib', 'node_modules', 'provision-backups');
  }, 180_000);
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('carries the bundle, the schemas, the examples and the README, and no sources or tests', async () => {
    const files = JSON.parse(await fs.readFile(path.join(dir, 'files.json'), 'utf8')) as string[];
    for (const f of ['bin/provision.js', 'dist/bundle/provision.cjs', 'dist/bundle/start.mjs', 'dist/bundle/vendor-yaml.cjs', 'dist/bundle/backups-validator.cjs', 'schemas/backups.schema.json', 'schemas/plan.schema.json', 'examples/household.yaml', 'README.md', 'package.json']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /^(src|test|sim|bench|scripts)\/|^dist\/(?!bundle\/)/.test(f))).toEqual([]);
  });

  it('publishes cleanly under its own name, with the command still called provision', async () => {
    // `provision` on the registry is someone else's package: npx provision would run it.
    const pkg = JSON.parse(await fs.readFile(path.join(REPO, 'package.json'), 'utf8')) as { name: string; bin: Record<string, string>; engines: { node: string } };
    expect(pkg.name).toBe('provision-backups');
    expect(Object.keys(pkg.bin)).toEqual(['provision']);
    expect(pkg.engines.node).toBe('>=22.3.0');
    const dry = await execa('npm', ['publish', '--dry-run', '--ignore-scripts'], { cwd: REPO, reject: false });
    expect(dry.exitCode, dry.stderr).toBe(0);
    // Only the reminder that a real publish needs a login: no warning about the package itself.
    const warnings = dry.stderr.split('\n').filter((l) => /\bwarn\b/i.test(l) && !/logged in/.test(l));
    expect(warnings).toEqual([]);
    expect(dry.stderr).toContain('provision-backups@');
  }, 120_000);

  it('installs only its runtime dependencies', async () => {
    const deps = (await fs.readdir(path.join(installed, 'node_modules'))).filter((n) => !n.startsWith('.'));
    expect(deps).toContain('ajv');
    for (const bundled of ['yaml', 'commander', 'execa', 'listr2', 'plist', 'fs-extra', 'typescript', 'vitest', 'esbuild']) expect(deps).not.toContain(bundled);
    const pkg = JSON.parse(await fs.readFile(path.join(installed, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).toEqual(['ajv']);
  });

  it('runs as provision: --version, schema, validate', async () => {
    const version = await execa(bin, ['--version'], { env: env(), extendEnv: false });
    expect(version.stdout.trim()).toBe((JSON.parse(await fs.readFile(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version);
    const schema = await execa(bin, ['schema'], { env: env(), extendEnv: false });
    expect(schema.stdout.trim()).toBe((await fs.readFile(path.join(REPO, 'schemas', 'backups.schema.json'), 'utf8')).trim());
    const where = await execa(bin, ['schema', '--path'], { env: env(), extendEnv: false });
    expect(where.stdout.trim()).toBe(path.join(installed, 'schemas', 'backups.schema.json'));
    const valid = await execa(bin, ['validate', '-c', path.join(installed, 'examples', 'household.yaml')], { env: env(), extendEnv: false });
    expect(valid.stdout).toContain('Valid:');
  });

  it('plans, saves a plan and applies it on a sandbox Mac, as the repository does', async () => {
    const sb = await Sandbox.create();
    try {
      const config = path.join(sb.root, 'backups.yaml');
      await fs.writeFile(config, HOUSEHOLD);
      await makeHome(sb.root, 'alex');
      await makeHome(sb.root, 'sam');
      const src = macBackupFolder(sb.root, 'alex');
      await makeDeviceBackup(path.join(src, udid(1)), 1, 10);
      const before = await snapshotTree(src);
      const drive = await sb.mountDrive('Archive 2TB');
      const run = (...args: string[]) =>
        sb.exec('env', [`PATH=${SIM_BIN}:${env()['PATH'] ?? ''}`, `PROVISION_SIM_STATE=${sb.simState}`, 'NO_COLOR=1', bin, ...args]);
      const plan = await run('plan', '-c', config, '--root', sb.root, '--machine', 'imac', '--out', path.join(sb.root, 'p.plan'));
      expect(plan.exitCode, plan.stderr).toBe(0);
      expect(plan.stdout).toContain('Plan: 1 to relocate, 1 to create, 0 to update.');
      // apply FILE checks the plan file against its schema with ajv, the runtime dependency.
      const apply = await run('apply', path.join(sb.root, 'p.plan'));
      expect(apply.exitCode, apply.stderr).toBe(0);
      expect(await fs.readlink(src)).toBe('/Volumes/Archive 2TB/MobileSync/alex');
      expect(await snapshotTree(path.join(drive, 'MobileSync', 'alex'))).toEqual(before);
    } finally {
      await sb.dispose();
    }
  });

  it('runs with npx from a clone of the repository', async () => {
    const r = await execa('npm', ['exec', '--no', '--', 'provision', '--version'], { cwd: REPO });
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
