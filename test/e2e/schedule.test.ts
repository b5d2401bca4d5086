import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import plist from 'plist';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, Sandbox, SIM_BIN, type CliResult } from '../helpers/sandbox.js';
import { macBackupFolder, makeHome, writeHousehold } from './household.js';
import { makeDeviceBackup, udid } from '../helpers/fixtures.js';
import { parsePlistXml } from '../../src/macos/plist.js';
import type { LaunchctlJob, LaunchctlState } from '../helpers/launchctl-state.js';
import { expectOutputMatches } from '../helpers/output-schemas.js';

const LABEL = 'org.provision.apply';
const AGENT = `/Users/alex/Library/LaunchAgents/${LABEL}.plist`;
const LOG = '/Users/alex/Library/Logs/provision/apply.log';
const RECORD = '/Users/alex/Library/Logs/provision/scheduled-runs.json';


/** Parses the status JSON and checks it against schemas/schedule-status.schema.json. */
function statusDoc(r: CliResult): { needs_attention: boolean; agents: Record<string, unknown>[] } {
  expect(r.exitCode, r.stderr).toBe(0);
  return expectOutputMatches('schedule-status', r.stdout) as unknown as { needs_attention: boolean; agents: Record<string, unknown>[] };
}

describe('provision schedule end to end, under --root with the launchctl simulator', () => {
  let sb: Sandbox;
  let config: string;
  // The sandbox runs provision as root of its user namespace: the homes belong to uid 0 there.
  const domain = 'gui/0';
  // Wide enough that the lines asserted on are not wrapped (100 is the widest provision uses).
  const schedule = (action: string, ...args: string[]) =>
    sb.cli(['schedule', action, '-c', config, '--root', sb.root, '--machine', 'imac', ...args], { COLUMNS: '100' });
  const launchctl = async (): Promise<LaunchctlState> => {
    const state = JSON.parse(await fs.readFile(sb.simState, 'utf8')) as { launchctl?: LaunchctlState };
    return state.launchctl ?? { services: {} };
  };
  const loadedJob = async (): Promise<LaunchctlJob | undefined> => (await launchctl()).services[domain]?.[LABEL];

  /**
   * Does what launchd does when a volume mounts: runs the plist's ProgramArguments with its
   * environment, and appends the output to its StandardOutPath. Inside the sandbox's mount
   * namespace, with the simulators standing in for /usr/bin and /usr/sbin's tools.
   */
  async function runAgentAsLaunchd(env: Record<string, string> = {}): Promise<CliResult> {
    const job = await parsePlistXml(await fs.readFile(sb.machinePath(AGENT), 'utf8')) as {
      ProgramArguments: string[];
      EnvironmentVariables: { PATH: string };
      StandardOutPath: string;
    };
    const r = await execa('nsenter', ['--target', String(sb.pid), '--user', '--mount', '--preserve-credentials', ...job.ProgramArguments], {
      env: { PATH: `${SIM_BIN}:${job.EnvironmentVariables.PATH}`, PROVISION_SIM_STATE: sb.simState, HOME: sb.machinePath('/Users/alex'), ...env },
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
      all: true,
    });
    await fs.appendFile(sb.machinePath(job.StandardOutPath), `${String(r.all)}\n`);
    return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
  }

  beforeEach(async () => {
    sb = await Sandbox.create();
    config = await writeHousehold(sb.root);
    await makeHome(sb.root, 'alex');
    await makeHome(sb.root, 'sam');
  });
  afterEach(async () => {
    await sb.dispose();
  });

  it('install writes a valid plist and loads it; the job it runs links the backup folder once the drive is mounted', async () => {
    const install = await schedule('install', '--user', 'alex');
    expect(install.exitCode, install.stderr).toBe(0);
    expect(install.stdout).toContain(`~/Library/LaunchAgents/${LABEL}.plist: written`);
    expect(install.stdout).toContain(`launchd:  loaded in ${domain}`);
    expect(install.stdout.replace(/\s+/g, ' ')).toContain('Installed: provision apply runs for alex each time a volume mounts, and provision check every day at 10:30.');
    // The program macOS asks Full Disk Access for: this node, by its real path, and how to give it.
    expect(install.stdout.replace(/\s+/g, ' ')).toContain(`Full Disk Access: the agents run ${await fs.realpath(process.execPath)}, which needs it`);
    expect(install.stdout.replace(/\s+/g, ' ')).toContain('Privacy & Security > Full Disk Access, click +, press Command-Shift-G');

    // The plist: a property list with exactly these keys, in Apple's XML form, and the bytes
    // the plist package itself would build from what it holds.
    const text = await fs.readFile(sb.machinePath(AGENT), 'utf8');
    expect(text).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<!DOCTYPE plist PUBLIC "-\/\/Apple\/\/DTD PLIST 1\.0\/\/EN" "http:\/\/www\.apple\.com\/DTDs\/PropertyList-1\.0\.dtd">\n<plist version="1\.0">\n/);
    const job = await parsePlistXml(text) as Record<string, unknown>;
    expect(job).toEqual({
      Label: LABEL,
      ProgramArguments: [process.execPath, CLI, 'apply', '--yes', '--scheduled', '-c', config, '--machine', 'imac', '--user', 'alex', '--root', sb.root],
      StartOnMount: true,
      RunAtLoad: false,
      ThrottleInterval: 30,
      StandardOutPath: LOG,
      StandardErrorPath: LOG,
      EnvironmentVariables: { PATH: '/usr/bin:/bin:/usr/sbin:/sbin' },
    });
    expect(`${plist.build(job as plist.PlistObject, { pretty: true, indent: '\t' })}\n`).toBe(text);
    for (const dir of ['/usr/bin', '/usr/sbin']) expect((job['EnvironmentVariables'] as { PATH: string }).PATH.split(':')).toContain(dir);
    expect((await fs.stat(sb.machinePath(AGENT))).mode & 0o777).toBe(0o644);
    expect((await fs.stat(sb.machinePath('/Users/alex/Library/Logs/provision'))).mode & 0o777).toBe(0o700);
    expect((await fs.stat(sb.machinePath('/Users/alex/Library/LaunchAgents'))).mode & 0o777).toBe(0o755);
    // Only alex's: sam was not asked for.
    await expect(fs.lstat(sb.machinePath(`/Users/sam/Library/LaunchAgents/${LABEL}.plist`))).rejects.toThrow();

    // launchd (the simulator) has it, loaded from that file, as it was written.
    const loaded = await loadedJob();
    expect(loaded?.path).toBe(sb.machinePath(AGENT));
    expect(loaded?.plist).toEqual(job);

    // A mount of some other volume while the declared drive is away: apply returns at once,
    // without a word in the log and without a record (a disk image mounting is no news).
    const early = await runAgentAsLaunchd();
    expect(early.exitCode).toBe(0);
    expect(early.stderr + early.stdout).toBe('');
    await expect(fs.lstat(macBackupFolder(sb.root, 'alex'))).rejects.toThrow();
    await expect(fs.lstat(sb.machinePath(RECORD))).rejects.toThrow();

    // The drive comes back: the same command links alex's backup folder to it, and only alex's.
    const drive = await sb.mountDrive('Archive 2TB');
    const ran = await runAgentAsLaunchd();
    expect(ran.exitCode, ran.stderr + ran.stdout).toBe(0);
    expect(await fs.readlink(macBackupFolder(sb.root, 'alex'))).toBe('/Volumes/Archive 2TB/MobileSync/alex');
    expect((await fs.stat(path.join(drive, 'MobileSync', 'alex'))).isDirectory()).toBe(true);
    await expect(fs.lstat(macBackupFolder(sb.root, 'sam'))).rejects.toThrow();
    // And again, as at the next mount: nothing left to do.
    const again = await runAgentAsLaunchd();
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/^--- scheduled apply, \d{4}-\d\d-\d\d \d\d:\d\d ---\neverything is as declared: nothing to do$/);
    const record = JSON.parse(await fs.readFile(sb.machinePath(RECORD), 'utf8')) as { runs: { outcome: string; command: string }[] };
    expect(record.runs.map((r) => [r.command, r.outcome])).toEqual([
      ['apply', 'applied'],
      ['apply', 'nothing-to-do'],
    ]);

    // status reports it, with the log's last lines.
    const status = await schedule('status', '--user', 'alex');
    expect(status.exitCode, status.stderr).toBe(0);
    expect(status.stdout).toContain('state:    ok: installed and loaded');
    expect(status.stdout).toContain(`launchd:  loaded in ${domain}, not running, 0 runs, never`);
    expect(status.stdout).toContain('nothing to do');
    expect(status.stdout).toMatch(/last run: \d{4}-\d\d-\d\d \d\d:\d\d, nothing-to-do: everything is as declared/);
    const doc = statusDoc(await schedule('status', '--user', 'alex', '--json'));
    expect(doc.needs_attention).toBe(false);
    expect(doc.agents.map((a) => [a['agent'], a['label']])).toEqual([
      ['apply', LABEL],
      ['check', 'org.provision.check'],
    ]);
    expect(doc.agents[0]?.['last_run']).toMatchObject({ outcome: 'nothing-to-do', exit_code: 0, codes: [], fix: null });
    expect(doc.agents[0]).toMatchObject({
      user: 'alex',
      uid: 0,
      domain,
      state: 'ok',
      plist_path: AGENT,
      plist_present: true,
      plist_current: true,
      plist_mode: 0o644,
      program_arguments: job['ProgramArguments'],
      installed_arguments: job['ProgramArguments'],
      launchd: { checked: true, session: true, loaded: true, matches_plist: true, path: sb.machinePath(AGENT), state: 'not running', runs: 0, last_exit_code: null },
      log: { path: LOG, present: true },
    });
    const tail = (doc.agents[0]?.['log'] as { tail: string[] }).tail;
    expect(tail.length).toBeGreaterThan(0);
    expect(tail.length).toBeLessThanOrEqual(10);
    expect(tail.join('\n')).toContain('nothing to do');
  });

  it('a scheduled run refused by macOS for want of Full Disk Access says so in schedule status, doctor and check, naming node', async () => {
    expect((await schedule('install', '--user', 'alex')).exitCode).toBe(0);
    await sb.mountDrive('Archive 2TB');
    const backups = macBackupFolder(sb.root, 'alex');
    await makeDeviceBackup(path.join(backups, udid(1)), 1, 3, "Alex's iPhone");
    // macOS's privacy system (TCC), which Linux has not: listing the folder fails with EPERM
    // for a program without Full Disk Access, while the folder itself can still be looked at.
    const tcc = { PROVISION_TEST_HOOKS: JSON.stringify({ refuse: [{ under: backups, code: 'EPERM' }] }) };
    const refused = await runAgentAsLaunchd(tcc);
    const node = await fs.realpath(process.execPath);
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toContain(`${node} needs Full Disk Access`);
    // Nothing moved.
    expect((await fs.lstat(backups)).isDirectory()).toBe(true);
    expect(await fs.readdir(backups)).toEqual([udid(1)]);

    const status = await schedule('status', '--user', 'alex');
    expect(status.exitCode).toBe(0);
    const flat = status.stdout.replace(/\s+/g, ' ');
    expect(flat).toContain('ok: installed and loaded; apply runs each time a volume mounts; but its last run');
    expect(flat).toContain(`did not work: macOS refused ${backups.slice(sb.root.length)} to the scheduled run: ${node} needs Full Disk Access`);
    expect(flat).toContain(`fix: give ${node} Full Disk Access: System Settings > Privacy & Security > Full Disk Access`);
    expect(flat).toContain('alex: apply on mount (needs-full-disk-access)');
    const doc = statusDoc(await schedule('status', '--user', 'alex', '--json'));
    expect(doc.needs_attention).toBe(true);
    expect(doc.agents[0]).toMatchObject({ state: 'ok', severity: 'error', last_run: { outcome: 'needs-full-disk-access', exit_code: 1, program: node, codes: ['NEEDS_FULL_DISK_ACCESS'] } });

    const doctor = await sb.cli(['doctor', '--json', '-c', config, '--root', sb.root, '--machine', 'imac', '--user', 'alex']);
    const checks = (expectOutputMatches('doctor', doctor.stdout) as unknown as { checks: { id: string; status: string; code?: string; fix?: string }[] }).checks;
    expect(checks.find((c) => c.id === 'scheduled-runs')).toMatchObject({ status: 'problem', code: 'SCHEDULED_RUN_NEEDS_FULL_DISK_ACCESS', fix: expect.stringContaining(`give ${node} Full Disk Access`) });
    const check = await sb.cli(['check', '--json', '-c', config, '--root', sb.root, '--machine', 'imac', '--user', 'alex']);
    expect(check.exitCode).toBe(3);
    const finding = (expectOutputMatches('check', check.stdout) as unknown as { findings: { code: string; subject: string }[] }).findings.find((f) => f.subject === 'scheduled-run');
    expect(finding?.code).toBe('SCHEDULED_RUN_NEEDS_FULL_DISK_ACCESS');

    // Access given: the next run moves the backups, and everything says so.
    const ran = await runAgentAsLaunchd();
    expect(ran.exitCode, ran.stdout + ran.stderr).toBe(0);
    expect(await fs.readlink(backups)).toBe('/Volumes/Archive 2TB/MobileSync/alex');
    expect(statusDoc(await schedule('status', '--user', 'alex', '--json'))).toMatchObject({ needs_attention: false, agents: [{ last_run: { outcome: 'applied' } }, { last_run: null }] });
  });

  it('the log is rotated once it is over 1 MiB, keeping one older generation; the record keeps the last 20 runs', async () => {
    expect((await schedule('install', '--user', 'alex')).exitCode).toBe(0);
    await sb.mountDrive('Archive 2TB');
    await fs.mkdir(path.dirname(sb.machinePath(LOG)), { recursive: true });
    await fs.writeFile(sb.machinePath(LOG), 'old line\n'.repeat(150_000));
    expect((await runAgentAsLaunchd()).exitCode).toBe(0);
    expect((await fs.readFile(sb.machinePath(`${LOG}.1`), 'utf8')).startsWith('old line\n')).toBe(true);
    // The runner here appends after the run; launchd would have written into the renamed file.
    for (let i = 0; i < 21; i++) expect((await runAgentAsLaunchd()).exitCode).toBe(0);
    expect((await fs.stat(sb.machinePath(LOG))).size).toBeLessThan(64 * 1024);
    const record = JSON.parse(await fs.readFile(sb.machinePath(RECORD), 'utf8')) as { runs: { outcome: string }[] };
    expect(record.runs).toHaveLength(20);
    expect(record.runs.every((r) => r.outcome === 'nothing-to-do')).toBe(true);
  });

  it('a scheduled run whose declaration no longer validates records it as failed, with the error code, where status finds it', async () => {
    expect((await schedule('install', '--user', 'alex')).exitCode).toBe(0);
    await fs.writeFile(config, 'version: 1\nmachines: {}\n');
    const r = await runAgentAsLaunchd();
    expect(r.exitCode).toBe(1);
    const record = JSON.parse(await fs.readFile(sb.machinePath(RECORD), 'utf8')) as { runs: { command: string; outcome: string; codes: string[] }[] };
    expect(record.runs).toEqual([expect.objectContaining({ command: 'apply', outcome: 'failed' })]);
    expect(record.runs[0]?.codes[0]).toMatch(/^[A-Z_]+$/);
  });

  it('install again changes nothing; a stale plist is reported, then rewritten and reloaded', async () => {
    expect((await schedule('install', '--user', 'alex')).exitCode).toBe(0);
    // launchd has run it a few times: a reload would reset these, a no-op keeps them.
    const state = JSON.parse(await fs.readFile(sb.simState, 'utf8')) as { launchctl: LaunchctlState };
    const job = state.launchctl.services[domain]?.[LABEL];
    if (job === undefined) throw new Error('not loaded');
    Object.assign(job, { runs: 3, lastExitCode: 1 });
    await sb.setSimState({ launchctl: state.launchctl });
    const before = await fs.stat(sb.machinePath(AGENT));
    const simBefore = await fs.readFile(sb.simState, 'utf8');

    const again = await schedule('install', '--user', 'alex');
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain(': unchanged');
    expect(again.stdout).toContain(`already loaded in ${domain}`);
    expect(again.stdout).toContain('Nothing changed: the agents for alex are installed and loaded.');
    const after = await fs.stat(sb.machinePath(AGENT));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(await fs.readFile(sb.simState, 'utf8')).toBe(simBefore);

    // A failed last run that left no record (an older provision's) is a note, not a different state.
    const failedRun = statusDoc(await schedule('status', '--user', 'alex', '--json')).agents[0];
    expect(failedRun).toMatchObject({ state: 'ok', launchd: { runs: 3, last_exit_code: 1 }, last_run: null });
    expect(failedRun?.['notes']).toEqual([expect.stringMatching(/^the last run ended with exit code 1 and left no record of why/)]);

    // node moved (an upgrade): the installed plist runs a program that is not there any more.
    const stale = (await fs.readFile(sb.machinePath(AGENT), 'utf8')).replace(`<string>${process.execPath}</string>`, '<string>/opt/old-node/bin/node</string>');
    await fs.writeFile(sb.machinePath(AGENT), stale);
    const status = await schedule('status', '--user', 'alex');
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toContain('stale: the plist differs from what install would write now (ProgramArguments)');
    expect(status.stdout).toContain('/opt/old-node/bin/node is not there any more');
    expect(status.stdout).toContain('fix:      run provision schedule install to rewrite and reload it');
    const doc = statusDoc(await schedule('status', '--user', 'alex', '--json'));
    expect(doc.needs_attention).toBe(true);
    expect(doc.agents[0]).toMatchObject({ state: 'stale', severity: 'error', plist_current: false, differing_keys: ['ProgramArguments'], missing_programs: ['/opt/old-node/bin/node'] });

    const fixed = await schedule('install', '--user', 'alex');
    expect(fixed.exitCode, fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain('rewritten (it differed)');
    expect(fixed.stdout).toContain(`reloaded in ${domain}`);
    expect((await loadedJob())?.runs).toBe(0);
    expect(((await loadedJob())?.plist['ProgramArguments'] as string[])[0]).toBe(process.execPath);
    expect(statusDoc(await schedule('status', '--user', 'alex', '--json')).agents[0]?.['state']).toBe('ok');
  });

  it('remove unloads and deletes the plist, keeps the log, and is fine when run again', async () => {
    expect((await schedule('install', '--user', 'alex')).exitCode).toBe(0);
    await fs.writeFile(sb.machinePath(LOG), 'Apply complete. Everything is as declared.\n');

    const remove = await schedule('remove', '--user', 'alex');
    expect(remove.exitCode, remove.stderr).toBe(0);
    expect(remove.stdout).toContain(': removed');
    expect(remove.stdout).toContain(`unloaded from ${domain}`);
    expect(remove.stdout).toContain('kept: ~/Library/Logs/provision/apply.log');
    expect(remove.stdout).toContain('Removed: alex: apply on mount, alex: daily check.');
    await expect(fs.lstat(sb.machinePath(AGENT))).rejects.toThrow();
    expect(await loadedJob()).toBeUndefined();
    expect(await fs.readFile(sb.machinePath(LOG), 'utf8')).toContain('Apply complete');

    const again = await schedule('remove', '--user', 'alex');
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain('Nothing to remove: no agent for alex.');
    expect(statusDoc(await schedule('status', '--user', 'alex', '--json')).agents[0]).toMatchObject({
      state: 'not-installed',
      plist_present: false,
      launchd: { loaded: false },
    });
  });

  it('remove unloads an agent whose plist was deleted by hand; a plist provision did not write is left alone', async () => {
    expect((await schedule('install', '--user', 'alex')).exitCode).toBe(0);
    await fs.rm(sb.machinePath(AGENT));
    expect(statusDoc(await schedule('status', '--user', 'alex', '--json')).agents[0]?.['state']).toBe('loaded-without-plist');
    const remove = await schedule('remove', '--user', 'alex');
    expect(remove.exitCode, remove.stderr).toBe(0);
    expect(remove.stdout).toContain(`unloaded from ${domain}`);
    expect(await loadedJob()).toBeUndefined();

    const foreign = plist.build({ Label: 'com.example.other', ProgramArguments: ['/bin/true'] });
    await fs.writeFile(sb.machinePath(AGENT), foreign);
    for (const action of ['remove', 'install']) {
      const r = await schedule(action, '--user', 'alex');
      expect(r.exitCode, action).toBe(1);
      expect(r.stderr).toContain("not provision's agent");
      expect(await fs.readFile(sb.machinePath(AGENT), 'utf8')).toBe(foreign);
    }
    expect(statusDoc(await schedule('status', '--user', 'alex', '--json')).agents[0]?.['state']).toBe('foreign');
    expect(await loadedJob()).toBeUndefined();
  });

  it('leaves alone a job launchd runs under the same label from another plist', async () => {
    const other = '/Users/alex/Library/Elsewhere/org.provision.apply.plist';
    await sb.setSimState({
      launchctl: { services: { [domain]: { [LABEL]: { path: other, plist: { Label: LABEL, ProgramArguments: ['/bin/true'] }, runs: 0, lastExitCode: null, pid: null } } } },
    });
    const simBefore = await fs.readFile(sb.simState, 'utf8');
    const install = await schedule('install', '--user', 'alex');
    expect(install.exitCode).toBe(1);
    expect(install.stderr).toContain(`launchd runs ${LABEL} in ${domain} from another plist, ${other}`);
    await expect(fs.lstat(sb.machinePath(AGENT))).rejects.toThrow();
    expect(statusDoc(await schedule('status', '--user', 'alex', '--json')).agents[0]).toMatchObject({ state: 'loaded-elsewhere', severity: 'error' });
    const remove = await schedule('remove', '--user', 'alex');
    expect(remove.exitCode, remove.stderr).toBe(0);
    expect(remove.stdout).toContain('left loaded: launchd runs the label');
    expect(await fs.readFile(sb.simState, 'utf8')).toBe(simBefore);
  });

  it('a user with no login session now: the plist is written, launchd loads it at the next login', async () => {
    await sb.setSimState({ launchctl: { guiSessions: [501], services: {} } });
    const install = await schedule('install', '--user', 'alex');
    expect(install.exitCode, install.stderr).toBe(0);
    expect(install.stdout).toContain('not loaded now: alex is not logged in; launchd loads it at the next login');
    expect(install.stdout).toContain('Installed for alex, not loaded yet: launchd loads them at the next login.');
    expect((await fs.stat(sb.machinePath(AGENT))).isFile()).toBe(true);
    expect(await loadedJob()).toBeUndefined();
    expect(statusDoc(await schedule('status', '--user', 'alex', '--json')).agents[0]).toMatchObject({
      state: 'waiting-for-login',
      severity: 'warning',
      launchd: { checked: true, session: false, loaded: false },
    });
  });

  it('without launchctl (not a Mac): the plist is written and not loaded', async () => {
    const noLaunchctl = { PATH: '/usr/bin:/bin' };
    const install = await sb.cli(['schedule', 'install', '-c', config, '--root', sb.root, '--machine', 'imac', '--user', 'alex'], noLaunchctl);
    expect(install.exitCode, install.stderr).toBe(0);
    expect(install.stdout).toContain('not loaded: there is no launchctl on this computer');
    expect((await fs.stat(sb.machinePath(AGENT))).isFile()).toBe(true);
    const status = await sb.cli(['schedule', 'status', '-c', config, '--root', sb.root, '--machine', 'imac', '--user', 'alex', '--json'], noLaunchctl);
    expect(statusDoc(status).agents[0]).toMatchObject({ state: 'unchecked', launchd: { checked: false, loaded: null, session: null } });
  });

  it('refuses a machine declared as Windows, and writes nothing', async () => {
    for (const action of ['install', 'remove', 'status']) {
      const r = await sb.cli(['schedule', action, '-c', config, '--root', sb.root, '--machine', 'pc']);
      expect(r.exitCode, action).toBe(1);
      expect(r.stderr).toContain('machine pc is declared as windows');
      expect(r.stderr).toContain('Task Scheduler');
    }
    await expect(fs.lstat(path.join(sb.root, 'C'))).rejects.toThrow();
    expect(await launchctl()).toEqual({ services: {} });
  });

  it('refuses a user not declared on the machine, and a declaration that does not validate', async () => {
    const unknown = await schedule('install', '--user', 'kim');
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain('user kim is not declared on machine imac');
    await fs.writeFile(config, 'version: 1\nmachines: {}\n');
    const invalid = await schedule('install', '--user', 'alex');
    expect(invalid.exitCode).toBe(1);
    await expect(fs.lstat(sb.machinePath(AGENT))).rejects.toThrow();
  });

  it('stays readable at 60 columns: every line fits, long values wrap under their label', async () => {
    const narrow = (action: string) => sb.cli(['schedule', action, '-c', config, '--root', sb.root, '--machine', 'imac', '--user', 'alex'], { COLUMNS: '60' });
    const install = await narrow('install');
    expect(install.exitCode, install.stderr).toBe(0);
    await fs.writeFile(sb.machinePath(LOG), `${'x'.repeat(150)}\nApply complete. Everything is as declared.\n`);
    const status = await narrow('status');
    const remove = await narrow('remove');
    for (const r of [install, status, remove]) {
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines.filter((l) => [...l].length > 60), r.stdout).toEqual([]);
    }
    expect(status.stdout).toMatch(/\n {2}runs: {5}\S.*\n {12}\S/);
    expect(status.stdout).toContain('    Apply complete. Everything is as declared.');
  });

  it('--help explains each subcommand with examples', async () => {
    const help = await sb.cli(['schedule', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('Examples:');
    for (const sub of ['install', 'remove', 'status']) expect(help.stdout).toContain(sub);
    const status = await sb.cli(['schedule', 'status', '--help']);
    expect(status.stdout).toContain('--json');
  });
});

/**
 * Run as root (sudo) for every user of the machine: each user's agent in their own home, owned
 * by them, loaded into their own gui/<uid> domain. Homes owned by different uids need a real
 * root outside the sandbox's namespace (which maps only one uid), so provision runs directly
 * here, under --root, and the test is skipped when not run as root.
 */
describe.skipIf(process.getuid?.() !== 0)('provision schedule as root for every user, each with their own uid', () => {
  let root: string;
  let state: string;
  const run = async (...args: string[]): Promise<CliResult> => {
    const r = await execa(process.execPath, [CLI, 'schedule', ...args, '-c', path.join(root, 'backups.yaml'), '--root', root, '--machine', 'imac'], {
      env: { PATH: `${SIM_BIN}:${process.env['PATH'] ?? ''}`, PROVISION_SIM_STATE: state, NO_COLOR: '1', COLUMNS: '100' },
      reject: false,
      stdin: 'ignore',
    });
    return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
  };

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-schedule-'));
    state = path.join(root, '.sim-state.json');
    await writeHousehold(root);
    for (const [user, uid] of [['alex', 501], ['sam', 502]] as const) {
      const home = await makeHome(root, user);
      for (const dir of [home, path.join(home, 'Library')]) await fs.chown(dir, uid, 20);
    }
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('installs, reports and removes one agent per user', async () => {
    const install = await run('install');
    expect(install.exitCode, install.stderr).toBe(0);
    expect(install.stdout).toContain('loaded in gui/501');
    expect(install.stdout).toContain('loaded in gui/502');
    const sim = JSON.parse(await fs.readFile(state, 'utf8')) as { launchctl: LaunchctlState };
    for (const [user, uid] of [['alex', 501], ['sam', 502]] as const) {
      const file = path.join(root, 'Users', user, 'Library', 'LaunchAgents', `${LABEL}.plist`);
      const job = await parsePlistXml(await fs.readFile(file, 'utf8')) as { ProgramArguments: string[]; StandardOutPath: string };
      expect(job.ProgramArguments.slice(9, 11)).toEqual(['--user', user]);
      expect(job.StandardOutPath).toBe(`/Users/${user}/Library/Logs/provision/apply.log`);
      // launchd wants an agent's files to be its user's: what provision made is theirs, not root's.
      for (const p of [file, path.dirname(file), path.join(root, 'Users', user, 'Library', 'Logs', 'provision')]) {
        expect((await fs.stat(p)).uid, p).toBe(uid);
      }
      expect(sim.launchctl.services[`gui/${uid}`]?.[LABEL]?.path).toBe(file);
    }
    const status = await run('status', '--json');
    const doc = statusDoc(status);
    expect(doc.agents.map((a) => [a['user'], a['agent'], a['uid'], a['domain'], a['state']])).toEqual([
      ['alex', 'apply', 501, 'gui/501', 'ok'],
      ['alex', 'check', 501, 'gui/501', 'ok'],
      ['sam', 'apply', 502, 'gui/502', 'ok'],
      ['sam', 'check', 502, 'gui/502', 'ok'],
    ]);
    const one = await run('remove', '--user', 'sam');
    expect(one.exitCode, one.stderr).toBe(0);
    const after = JSON.parse(await fs.readFile(state, 'utf8')) as { launchctl: LaunchctlState };
    expect(Object.keys(after.launchctl.services)).toEqual(['gui/501']);
  });
});
