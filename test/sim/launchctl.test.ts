import fs from 'node:fs/promises';
import path from 'node:path';
import plist from 'plist';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimSandbox, type SimSandbox } from './run-sim.js';
import type { LaunchctlState } from '../helpers/launchctl-state.js';

const ROOT = { PROVISION_SIM_UID: '0' };
const ALEX = { PROVISION_SIM_UID: '501' };
const SAM = { PROVISION_SIM_UID: '502' };
const LABEL = 'org.example.job';


describe('sim launchctl', () => {
  let sb: SimSandbox;
  let agent: string;

  beforeEach(async () => {
    sb = await createSimSandbox();
    agent = path.join(sb.dir, `${LABEL}.plist`);
    await writeAgent(agent, {
      Label: LABEL,
      ProgramArguments: ['/usr/local/bin/node', '/opt/tool/bin/tool.js', 'run', '--yes'],
      StartOnMount: true,
      StandardOutPath: '/Users/alex/Library/Logs/tool.log',
      StandardErrorPath: '/Users/alex/Library/Logs/tool.log',
      EnvironmentVariables: { PATH: '/usr/bin:/bin:/usr/sbin:/sbin' },
      ThrottleInterval: 30,
    });
  });
  afterEach(async () => {
    await sb.remove();
  });

  async function writeAgent(file: string, job: plist.PlistObject, mode = 0o644): Promise<void> {
    await fs.writeFile(file, plist.build(job));
    await fs.chmod(file, mode);
  }
  const state = async (): Promise<LaunchctlState> => ((await sb.readState()) as { launchctl: LaunchctlState }).launchctl;

  it('print of a job not loaded: the not-found line on stderr, exit 113', async () => {
    const r = await sb.run('launchctl', ['print', `gui/501/${LABEL}`], { env: ALEX });
    expect(r).toEqual({ exitCode: 113, stdout: 'Bad request.\n', stderr: `Could not find service "${LABEL}" in domain for user gui: 501\n` });
  });

  it('bootstrap loads a plist; print shows the job in launchctl layout', async () => {
    const boot = await sb.run('launchctl', ['bootstrap', 'gui/501', agent], { env: ALEX });
    expect(boot).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    const s = await state();
    expect(s.services['gui/501']?.[LABEL]).toMatchObject({ path: agent, runs: 0, lastExitCode: null, pid: null });
    expect(s.services['gui/501']?.[LABEL]?.plist['ProgramArguments']).toEqual(['/usr/local/bin/node', '/opt/tool/bin/tool.js', 'run', '--yes']);

    const r = await sb.run('launchctl', ['print', `gui/501/${LABEL}`], { env: ALEX });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`gui/501/${LABEL} = {`);
    expect(lines).toContain(`\tpath = ${agent}`);
    expect(lines).toContain('\ttype = LaunchAgent');
    expect(lines).toContain('\tstate = not running');
    expect(lines).toContain('\tprogram = /usr/local/bin/node');
    const args = lines.indexOf('\targuments = {');
    expect(lines.slice(args + 1, args + 6)).toEqual(['\t\t/usr/local/bin/node', '\t\t/opt/tool/bin/tool.js', '\t\trun', '\t\t--yes', '\t}']);
    expect(lines).toContain('\tstdout path = /Users/alex/Library/Logs/tool.log');
    expect(lines).toContain('\t\tPATH => /usr/bin:/bin:/usr/sbin:/sbin');
    expect(lines).toContain(`\t\tXPC_SERVICE_NAME => ${LABEL}`);
    expect(lines).toContain('\tdomain = gui/501 [100003]');
    expect(lines).toContain('\tminimum runtime = 30');
    expect(lines).toContain('\truns = 0');
    expect(lines).toContain('\tlast exit code = (never exited)');
    expect(lines.at(-2)).toBe('}');
    expect(r.stdout.endsWith('}\n')).toBe(true);
  });

  it('print shows runs, a running pid and the last exit code from the state', async () => {
    await sb.writeState({
      launchctl: { services: { 'gui/501': { [LABEL]: { path: agent, plist: { Label: LABEL, Program: '/bin/true' }, runs: 4, lastExitCode: 1, pid: 812 } } } },
    });
    const r = await sb.run('launchctl', ['print', `gui/501/${LABEL}`]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('\tactive count = 1\n');
    expect(r.stdout).toContain('\tstate = running\n');
    expect(r.stdout).toContain('\tprogram = /bin/true\n');
    expect(r.stdout).not.toContain('arguments = {');
    expect(r.stdout).toContain('\truns = 4\n\tpid = 812\n\tlast exit code = 1\n}\n');
    expect(r.stdout).toContain('\tminimum runtime = 10\n');
  });

  it('bootstrap of a loaded job: 37 as root, 5 with a hint unprivileged; nothing changes', async () => {
    expect((await sb.run('launchctl', ['bootstrap', 'gui/501', agent], { env: ALEX })).exitCode).toBe(0);
    const before = await sb.readState();
    expect(await sb.run('launchctl', ['bootstrap', 'gui/501', agent], { env: ROOT })).toEqual({
      exitCode: 37,
      stdout: '',
      stderr: 'Bootstrap failed: 37: Operation already in progress\n',
    });
    expect(await sb.run('launchctl', ['bootstrap', 'gui/501', agent], { env: ALEX })).toEqual({
      exitCode: 5,
      stdout: '',
      stderr: 'Bootstrap failed: 5: Input/output error\nTry re-running the command as root for richer errors.\n',
    });
    expect(await sb.readState()).toEqual(before);
  });

  it('bootout unloads; bootout of a job not loaded exits 3', async () => {
    await sb.run('launchctl', ['bootstrap', 'gui/501', agent], { env: ALEX });
    expect(await sb.run('launchctl', ['bootout', `gui/501/${LABEL}`], { env: ALEX })).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect((await state()).services).toEqual({});
    expect(await sb.run('launchctl', ['bootout', `gui/501/${LABEL}`], { env: ALEX })).toEqual({
      exitCode: 3,
      stdout: '',
      stderr: 'Boot-out failed: 3: No such process\n',
    });
    expect((await sb.run('launchctl', ['print', `gui/501/${LABEL}`])).exitCode).toBe(113);
  });

  it('bootout by domain and plist path finds the job by the plist\'s Label', async () => {
    await sb.run('launchctl', ['bootstrap', 'gui/501', agent], { env: ALEX });
    expect((await sb.run('launchctl', ['bootout', 'gui/501', agent], { env: ALEX })).exitCode).toBe(0);
    expect((await state()).services).toEqual({});
  });

  it('only root or the domain\'s user may change it; anyone may print', async () => {
    const r = await sb.run('launchctl', ['bootstrap', 'gui/501', agent], { env: SAM });
    expect(r).toEqual({ exitCode: 1, stdout: '', stderr: 'Bootstrap failed: 1: Operation not permitted\n' });
    expect((await sb.run('launchctl', ['bootstrap', 'gui/501', agent], { env: ROOT })).exitCode).toBe(0);
    expect((await sb.run('launchctl', ['print', `gui/501/${LABEL}`], { env: SAM })).exitCode).toBe(0);
    expect(await sb.run('launchctl', ['bootout', `gui/501/${LABEL}`], { env: SAM })).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Boot-out failed: 1: Operation not permitted\n',
    });
    expect((await state()).services['gui/501']?.[LABEL]).toBeDefined();
  });

  it('a gui domain without a login session: bootstrap 125, print and bootout 112', async () => {
    await sb.writeState({ launchctl: { guiSessions: [502], services: {} } });
    expect(await sb.run('launchctl', ['bootstrap', 'gui/501', agent], { env: ROOT })).toEqual({
      exitCode: 125,
      stdout: '',
      stderr: 'Bootstrap failed: 125: Domain does not support specified action\n',
    });
    expect(await sb.run('launchctl', ['print', `gui/501/${LABEL}`])).toEqual({ exitCode: 112, stdout: '', stderr: 'Could not find domain for user gui: 501\n' });
    expect((await sb.run('launchctl', ['bootout', `gui/501/${LABEL}`], { env: ROOT })).exitCode).toBe(112);
    // user/<uid> domains exist without a login.
    expect((await sb.run('launchctl', ['bootstrap', 'user/501', agent], { env: ROOT })).exitCode).toBe(0);
    expect((await state()).guiSessions).toEqual([502]);
  });

  it('refuses a plist launchd would refuse: missing, writable by others, owned by someone else, damaged, without a program', async () => {
    expect(await sb.run('launchctl', ['bootstrap', 'gui/501', path.join(sb.dir, 'none.plist')], { env: ROOT })).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'Bootstrap failed: 2: No such file or directory\n',
    });
    const io = { exitCode: 5, stdout: '', stderr: 'Bootstrap failed: 5: Input/output error\n' };
    await fs.chmod(agent, 0o664);
    expect(await sb.run('launchctl', ['bootstrap', 'gui/501', agent], { env: ROOT })).toEqual(io);
    await fs.chmod(agent, 0o644);
    if (process.getuid?.() === 0) {
      await fs.chown(agent, 4321, 4321);
      expect(await sb.run('launchctl', ['bootstrap', 'gui/501', agent], { env: ROOT })).toEqual(io);
      await fs.chown(agent, 0, 0);
    }
    const damaged = path.join(sb.dir, 'damaged.plist');
    await fs.writeFile(damaged, '<?xml version="1.0"?><plist version="1.0"><dict><key>Label</key><string>x</dict>');
    await fs.chmod(damaged, 0o644);
    expect(await sb.run('launchctl', ['bootstrap', 'gui/501', damaged], { env: ROOT })).toEqual(io);
    const noProgram = path.join(sb.dir, 'no-program.plist');
    await writeAgent(noProgram, { Label: 'org.example.empty', RunAtLoad: true });
    expect(await sb.run('launchctl', ['bootstrap', 'gui/501', noProgram], { env: ROOT })).toEqual(io);
    expect(await sb.readState().catch(() => 'no state file')).toBe('no state file');
  });

  it('malformed targets and usage: 64; unmodelled verbs and domains: simulator fault 70', async () => {
    const bad = await sb.run('launchctl', ['print', 'not-a-domain-target']);
    expect(bad.exitCode).toBe(64);
    expect(bad.stderr).toMatch(/^Unrecognized target specifier\./);
    expect((await sb.run('launchctl', [])).exitCode).toBe(64);
    expect((await sb.run('launchctl', ['bootstrap', 'gui/501'])).exitCode).toBe(64);
    const unknown = await sb.run('launchctl', ['frobnicate']);
    expect(unknown.exitCode).toBe(64);
    expect(unknown.stderr).toMatch(/^Unrecognized subcommand: frobnicate\n/);
    for (const args of [['list'], ['print', 'system/com.apple.x'], ['print', 'gui/501']]) {
      const r = await sb.run('launchctl', args);
      expect(r.exitCode, args.join(' ')).toBe(70);
      expect(r.stderr).toMatch(/^launchctl \(simulator fault\): /);
    }
  });

  it('a wrongly shaped state section is a simulator fault', async () => {
    await sb.writeState({ launchctl: { services: { 'gui/501': { [LABEL]: { path: agent } } } } });
    const r = await sb.run('launchctl', ['print', `gui/501/${LABEL}`]);
    expect(r.exitCode).toBe(70);
    expect(r.stderr).toContain('needs path, plist, runs');
  });

  it('keeps the other sections of the state file', async () => {
    await sb.writeState({ scutil: { ComputerName: 'iMac' } });
    await sb.run('launchctl', ['bootstrap', 'gui/501', agent], { env: ALEX });
    expect(((await sb.readState()) as Record<string, unknown>)['scutil']).toEqual({ ComputerName: 'iMac' });
  });
});
