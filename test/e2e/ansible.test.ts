import fs from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, REPO, Sandbox, type CliResult } from '../helpers/sandbox.js';
import { makeDeviceBackup, snapshotTree, udid } from '../helpers/fixtures.js';
import { HOUSEHOLD, macBackupFolder, makeHome } from './household.js';

const PLAYBOOK = path.join(REPO, 'examples', 'ansible', 'provision.yml');
const TARGET_ALEX = '/Volumes/Archive 2TB/MobileSync/alex';
const RUN_TASK = 'Run provision apply (provision plan in check mode)';

/** PLAY RECAP's counts for one host, as the default callback prints them. */
interface Recap {
  ok: number;
  changed: number;
  failed: number;
  skipped: number;
  rescued: number;
}

function recap(out: string, host: string): Recap {
  const m = new RegExp(`^${host}\\s+: ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=\\d+\\s+failed=(\\d+)\\s+skipped=(\\d+)\\s+rescued=(\\d+)`, 'm').exec(out);
  if (m === null) throw new Error(`no recap line for ${host} in:\n${out}`);
  const [ok, changed, failed, skipped, rescued] = m.slice(1).map(Number) as [number, number, number, number, number];
  return { ok, changed, failed, skipped, rescued };
}

/** What the default callback printed under `TASK [name]`, up to the next task or the recap. */
function taskOutput(out: string, name: string): string {
  const start = out.indexOf(`TASK [${name}]`);
  if (start < 0) throw new Error(`task "${name}" did not run:\n${out}`);
  const rest = out.slice(start + name.length + 7);
  const end = rest.search(/^(TASK \[|PLAY RECAP)/m);
  return end < 0 ? rest : rest.slice(0, end);
}

/** The result object a task printed (`ok: [host] => {...}` or `fatal: [host]: FAILED! => {...}`). */
function taskResult(out: string, name: string, host: string): { status: string; result: Record<string, unknown> } {
  const text = taskOutput(out, name);
  const m = new RegExp(`^(ok|changed|fatal): \\[${host}\\](?:: FAILED!)? => (\\{.*\\}|\\{[\\s\\S]*?^\\})$`, 'm').exec(text);
  if (m === null) throw new Error(`task "${name}" printed no result:\n${text}`);
  return { status: m[1] ?? '', result: JSON.parse(m[2] ?? '{}') as Record<string, unknown> };
}

/** The status line a task printed for the host: ok, changed, skipping or fatal. */
function taskStatus(out: string, name: string, host: string): string {
  const m = new RegExp(`^(ok|changed|skipping|fatal): \\[${host}\\]`, 'm').exec(taskOutput(out, name));
  return m?.[1] ?? 'none';
}

/**
 * examples/ansible/provision.yml run by the real ansible-playbook (Debian's ansible-core, or the
 * full ansible package, which brings the same ansible-playbook) against localhost with
 * `ansible_connection: local`, inside the sandbox's mount namespace so that its tmpfs drive is
 * visible. provision itself runs under --root with the macOS simulators, as everywhere else.
 */
describe('the Ansible example playbook, run by ansible-playbook against localhost', () => {
  let sb: Sandbox;
  let work: string;
  let backupBefore: Record<string, string>;

  beforeEach(async () => {
    sb = await Sandbox.create();
    work = path.join(sb.root, '.ansible-work');
    for (const d of ['home', 'local-tmp', 'remote-tmp', 'scratch', 'controller', 'bin']) await fs.mkdir(path.join(work, d), { recursive: true });
    // An empty config file, so that no ansible.cfg of the machine running the tests applies.
    await fs.writeFile(path.join(work, 'ansible.cfg'), '');
    // The string form of provision_command: a program on the Mac, here a wrapper script.
    await fs.writeFile(path.join(work, 'bin', 'provision'), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`, { mode: 0o755 });
    await fs.writeFile(path.join(work, 'controller', 'backups.yaml'), HOUSEHOLD);
    await makeHome(sb.root, 'alex');
    await makeHome(sb.root, 'sam');
    await makeDeviceBackup(path.join(macBackupFolder(sb.root, 'alex'), udid(1)), 1, 20);
    backupBefore = await snapshotTree(macBackupFolder(sb.root, 'alex'));
  });
  afterEach(async () => {
    await sb.dispose();
  });

  /** Writes an inventory of one Mac, `imac`, that is localhost, with these variables. */
  async function inventory(vars: Record<string, unknown>): Promise<string> {
    const file = path.join(work, 'inventory.yml');
    const host = {
      ansible_connection: 'local',
      // The Python that runs ansible-playbook, whichever package installed it.
      ansible_python_interpreter: '{{ ansible_playbook_python }}',
      provision_machine: 'imac',
      provision_root: sb.root,
      ...vars,
    };
    // JSON is YAML: no quoting to get wrong for paths with spaces.
    await fs.writeFile(file, JSON.stringify({ macs: { hosts: { imac: host } } }, null, 2));
    return file;
  }

  async function playbook(inv: string, ...extra: string[]): Promise<CliResult> {
    return sb.run(
      'ansible-playbook',
      ['-i', inv, PLAYBOOK, ...extra],
      {
        HOME: path.join(work, 'home'),
        ANSIBLE_CONFIG: path.join(work, 'ansible.cfg'),
        ANSIBLE_LOCAL_TEMP: path.join(work, 'local-tmp'),
        ANSIBLE_REMOTE_TEMP: path.join(work, 'remote-tmp'),
        ANSIBLE_STDOUT_CALLBACK: 'default',
        ANSIBLE_NOCOLOR: '1',
        // Where tempfile makes check mode's scratch folder, so the test can see it is gone.
        TMPDIR: path.join(work, 'scratch'),
      },
      work,
    );
  }

  async function backupUntouched(): Promise<void> {
    const folder = macBackupFolder(sb.root, 'alex');
    expect((await fs.lstat(folder)).isDirectory()).toBe(true);
    expect(await snapshotTree(folder)).toEqual(backupBefore);
  }

  it('ansible-playbook is installed (ansible-core 2.14 or later)', async () => {
    const r = await execa('ansible-playbook', ['--version'], { reject: false });
    expect(r.exitCode, 'install ansible-core: apt-get install ansible-core').toBe(0);
    const v = /core (\d+)\.(\d+)/.exec(String(r.stdout));
    expect(v).not.toBeNull();
    expect(Number(v?.[1]) * 100 + Number(v?.[2])).toBeGreaterThanOrEqual(214);
  });

  it('the example declaration beside the playbook validates', async () => {
    const r = await execa(process.execPath, [CLI, 'validate', '-c', path.join(REPO, 'examples', 'ansible', 'backups.yaml')], { reject: false, env: { NO_COLOR: '1' } });
    expect(r.exitCode, String(r.stderr)).toBe(0);
  });

  it('a declaration already on the Mac: the first run applies (changed=1), the second changes nothing', async () => {
    const drive = await sb.mountDrive('Archive 2TB');
    // In a dotfiles clone in the home, given with ~ as a user would (HOME is work/home).
    await fs.mkdir(path.join(work, 'home', 'dotfiles'));
    await fs.writeFile(path.join(work, 'home', 'dotfiles', 'backups.yaml'), HOUSEHOLD);
    const inv = await inventory({
      provision_command: path.join(work, 'bin', 'provision'),
      provision_declaration_src: '',
      provision_declaration: '~/dotfiles/backups.yaml',
    });

    const first = await playbook(inv);
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    // Nothing the play uses is on its way out of ansible-core.
    expect(first.stdout + first.stderr).not.toContain('[DEPRECATION WARNING]');
    expect(recap(first.stdout, 'imac')).toMatchObject({ changed: 1, failed: 0 });
    expect(taskStatus(first.stdout, 'Copy the declaration', 'imac')).toBe('skipping');
    expect(taskStatus(first.stdout, RUN_TASK, 'imac')).toBe('changed');
    const said = taskResult(first.stdout, 'Say what provision did', 'imac').result['msg'];
    expect(said).toEqual(['imac: Applied 2 changes.', 'alex/mobilesync: relocate, applied', 'sam/mobilesync: create, applied']);
    // The backup really moved to the drive, and the link took its place.
    expect(await fs.readlink(macBackupFolder(sb.root, 'alex'))).toBe(TARGET_ALEX);
    expect(await snapshotTree(path.join(drive, 'MobileSync', 'alex'))).toEqual(backupBefore);
    expect(await fs.readlink(macBackupFolder(sb.root, 'sam'))).toBe('/Volumes/Archive 2TB/MobileSync/sam');

    const second = await playbook(inv);
    expect(second.exitCode, second.stdout + second.stderr).toBe(0);
    expect(recap(second.stdout, 'imac')).toMatchObject({ changed: 0, failed: 0 });
    expect(taskStatus(second.stdout, RUN_TASK, 'imac')).toBe('ok');
    expect(taskResult(second.stdout, 'Say what provision did', 'imac').result['msg']).toEqual(['imac: no changes, everything is as declared']);
    expect(await fs.readlink(macBackupFolder(sb.root, 'alex'))).toBe(TARGET_ALEX);
  });

  it('--check plans with the declaration as it would be copied and changes nothing; then a real run copies and applies', async () => {
    await sb.mountDrive('Archive 2TB');
    // The list form of provision_command, and the default place of the declaration (~/.config/provision).
    const inv = await inventory({ provision_command: [process.execPath, CLI], provision_declaration_src: path.join(work, 'controller', 'backups.yaml') });
    const copied = path.join(work, 'home', '.config', 'provision', 'backups.yaml');

    const check = await playbook(inv, '--check');
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
    // The folder and the copy would change; the plan has changes pending.
    expect(recap(check.stdout, 'imac')).toMatchObject({ changed: 3, failed: 0 });
    expect(taskStatus(check.stdout, RUN_TASK, 'imac')).toBe('changed');
    const said = taskResult(check.stdout, 'Say what provision did', 'imac').result['msg'] as string[];
    expect(said[0]).toMatch(/^imac: Plan: 1 to relocate, 1 to create, 0 to update\. Moves \d+(\.\d)? KiB\.$/);
    expect(said.slice(1)).toEqual(['alex/mobilesync: relocate', 'sam/mobilesync: create']);
    // Nothing changed: the backup is where it was, no declaration was written, no scratch is left.
    await backupUntouched();
    await expect(fs.lstat(path.join(work, 'home', '.config'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await fs.readdir(path.join(work, 'scratch'))).toEqual([]);
    await expect(fs.lstat(macBackupFolder(sb.root, 'sam'))).rejects.toMatchObject({ code: 'ENOENT' });

    const real = await playbook(inv);
    expect(real.exitCode, real.stdout + real.stderr).toBe(0);
    expect(recap(real.stdout, 'imac')).toMatchObject({ changed: 3, failed: 0 });
    expect(await fs.readFile(copied, 'utf8')).toBe(HOUSEHOLD);
    expect(await fs.readlink(macBackupFolder(sb.root, 'alex'))).toBe(TARGET_ALEX);
  });

  it('a blocked plan (the drive is not plugged in) fails the task with the code, in apply and in check mode', async () => {
    const inv = await inventory({ provision_command: path.join(work, 'bin', 'provision'), provision_declaration_src: path.join(work, 'controller', 'backups.yaml') });

    const apply = await playbook(inv);
    expect(apply.exitCode, apply.stdout + apply.stderr).toBe(2);
    expect(recap(apply.stdout, 'imac')).toMatchObject({ failed: 1, rescued: 1 });
    expect(taskStatus(apply.stdout, RUN_TASK, 'imac')).toBe('fatal');
    const why = taskResult(apply.stdout, 'Say why provision failed', 'imac');
    expect(why.status).toBe('fatal');
    expect(why.result['msg']).toMatch(/^provision apply failed: PLAN_BLOCKED: .* Hint: .* Blocked: alex\/mobilesync: DRIVE_NOT_MOUNTED: /);
    await backupUntouched();

    const check = await playbook(inv, '--check');
    expect(check.exitCode, check.stdout + check.stderr).toBe(2);
    expect(recap(check.stdout, 'imac')).toMatchObject({ changed: 0, failed: 1 });
    expect(taskResult(check.stdout, 'Say why provision failed', 'imac').result['msg']).toMatch(
      /^provision plan: the plan is blocked \(PLAN_BLOCKED\) Blocked: alex\/mobilesync: DRIVE_NOT_MOUNTED: /,
    );
    expect(await fs.readdir(path.join(work, 'scratch'))).toEqual([]);
    await backupUntouched();
  });
});
