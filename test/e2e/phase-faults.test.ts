import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SIM_BIN, Sandbox, type CliResult } from '../helpers/sandbox.js';
import { makeDeviceBackup, snapshotTree, udid } from '../helpers/fixtures.js';
import { macBackupFolder, makeHome, writeHousehold } from './household.js';
import { expectMovedIntact, journalPhase, makeAlexBackups } from './move-fixture.js';

/**
 * The joints between a move's phases, each hit with a real fault: the drive unplugged right
 * after the copy was verified, swapped for a twin of the same name, made read-only, the hidden
 * partial copy deleted, the original written to while it is being moved. Each test fails on
 * the mover that trusted its journal over the disk (it removed the original and said "Apply
 * complete"). Drives are tmpfs "stores" bind-mounted at /Volumes/<name> (Sandbox.plugDrive), so
 * an unplugged drive keeps its data and can come back; a twin is another tmpfs at the same place.
 */
const NAME = 'Archive 2TB';
const HOOKS_DELAY = JSON.stringify({ delayMs: 30 });

describe('faults at the joints between a move’s phases', () => {
  let sb: Sandbox;
  let config: string;
  let gate: string;
  const args = (...more: string[]) => ['-c', config, '--root', sb.root, '--machine', 'imac', '--user', 'alex', ...more];
  const apply = () => sb.cli(['apply', '--yes', ...args()]);
  const volume = () => path.join(sb.root, 'Volumes', NAME);
  /** The right drive's own contents, wherever it is (or is not) mounted. */
  const store = () => sb.inside(path.join(sb.root, '.drives', NAME));
  const src = () => macBackupFolder(sb.root, 'alex');

  beforeEach(async () => {
    sb = await Sandbox.create();
    config = await writeHousehold(sb.root);
    await makeHome(sb.root, 'alex');
    gate = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-gate-'));
  });
  afterEach(async () => {
    await sb.dispose();
    await fs.rm(gate, { recursive: true, force: true });
  });

  /** Starts apply paused before the nth call of a host write; resolves once it is paused. */
  async function applyPausedAt(op: string, nth: number) {
    const child = sb.spawnCli(['apply', '--yes', ...args()], { PROVISION_TEST_HOOKS: JSON.stringify({ gate: { op, nth, dir: gate } }) });
    for (let i = 0; i < 2000 && !(await exists(path.join(gate, 'paused'))); i++) await sleep(10);
    expect(await exists(path.join(gate, 'paused')), 'apply never reached the gate').toBe(true);
    // Wrapped: an async function returning the running process would wait for it to end.
    return { child };
  }
  const goOn = () => fs.writeFile(path.join(gate, 'continue'), '');

  /** A twin: another volume of the same name, holding someone else's device backup. */
  async function plugTwin(): Promise<Record<string, string>> {
    await sb.mountDrive(NAME, '32m');
    await makeDeviceBackup(path.join(sb.volume(NAME), 'MobileSync', 'alex', udid(40)), 40, 5);
    return snapshotTree(sb.volume(NAME));
  }
  async function unplugTwin(): Promise<void> {
    await sb.unmountDrive(NAME, false);
  }
  async function setReadOnly(ro: boolean): Promise<void> {
    const r = await sb.exec('mount', ['-o', `remount,bind,${ro ? 'ro' : 'rw'}`, volume()]);
    expect(r.exitCode, r.stderr).toBe(0);
  }

  /** Every original file, byte for byte, in the original folder, put aside beside it, or on the right drive. */
  async function expectNothingLost(want: Record<string, string>): Promise<void> {
    const places = [src()];
    const parent = path.dirname(src());
    for (const n of await fs.readdir(parent)) if (n.startsWith('.provision-aside-')) places.push(path.join(parent, n));
    places.push(path.join(store(), 'MobileSync', 'alex'));
    const seen = await Promise.all(places.map((p) => snapshotTree(p).catch(() => ({}) as Record<string, string>)));
    for (const [file, content] of Object.entries(want)) {
      if (content.startsWith('dir:')) continue;
      expect(
        seen.some((s) => s[file] === content),
        `${file} is nowhere: not in the original, not aside, not on the drive`,
      ).toBe(true);
    }
  }

  async function applyUntilDone(): Promise<CliResult> {
    let last: CliResult = { exitCode: 1, stdout: '', stderr: '' };
    for (let i = 0; i < 3; i++) {
      last = await apply();
      if (last.exitCode === 0) return last;
    }
    return last;
  }

  it('the drive is unplugged right after the copy was verified: apply stops with the original untouched; plugged back, the move finishes', async () => {
    await sb.plugDrive(NAME, '64m');
    const want = await makeAlexBackups(sb, 60);
    // The first host rename is the first verified copy taking its final name on the drive.
    const { child } = await applyPausedAt('rename', 1);
    expect(await journalPhase(sb)).toBe('copied');
    await sb.unplugDrive(NAME);
    await goOn();
    const r = await child;
    expect(r.exitCode, r.stdout).toBe(1);
    expect(r.stderr).toMatch(/went away|not mounted|is not there/);
    expect(r.stderr + r.stdout).not.toMatch(/Internal error|Apply complete/);
    expect(await snapshotTree(src())).toEqual(want);
    // Nothing was written to the internal disk in the drive's place.
    expect(await fs.readdir(volume())).toEqual([]);
    await sb.plugDrive(NAME);
    const done = await applyUntilDone();
    expect(done.exitCode, done.stderr + done.stdout).toBe(0);
    await expectMovedIntact(sb, sb.volume(NAME), want);
  });

  it('the hidden partial copy is deleted after verification: the next apply copies again instead of removing the original', async () => {
    await sb.plugDrive(NAME, '64m');
    const want = await makeAlexBackups(sb, 60);
    const { child } = await applyPausedAt('rename', 1);
    child.kill('SIGKILL');
    await child;
    expect(await journalPhase(sb)).toBe('copied');
    const dest = path.join(sb.volume(NAME), 'MobileSync', 'alex');
    for (const n of await fs.readdir(dest)) if (n.startsWith('.provision-partial-')) await fs.rm(path.join(dest, n), { recursive: true });
    const plan = await sb.cli(['plan', ...args()]);
    expect(plan.stdout).toMatch(/no longer on the drive: the original was never touched, so the copy starts over/);
    const done = await apply();
    expect(done.exitCode, done.stderr + done.stdout).toBe(0);
    await expectMovedIntact(sb, sb.volume(NAME), want);
  });

  it('the original is rewritten in place (same size, time put back) after the copy: the move stops, keeps the new bytes, and starts over', async () => {
    await sb.plugDrive(NAME, '64m');
    await makeAlexBackups(sb, 60);
    const db = path.join(src(), udid(1), 'Manifest.db');
    // The first flush comes after the verified copies took their final names; the original is
    // put aside right after it, once the mover has looked again.
    const { child } = await applyPausedAt('flush', 1);
    await rewriteInPlace(db, 0x5a);
    const wantNow = await snapshotTree(src());
    await goOn();
    const r = await child;
    expect(r.exitCode, r.stdout).toBe(1);
    expect(r.stderr).toMatch(/changed while it was being moved/);
    expect(r.stderr).toContain('The original at');
    expect(await snapshotTree(src())).toEqual(wantNow);
    // The stale copies are gone from the drive; the next apply moves what the folder holds now.
    expect(await journalPhase(sb)).toBeUndefined();
    const done = await apply();
    expect(done.exitCode, done.stderr + done.stdout).toBe(0);
    await expectMovedIntact(sb, sb.volume(NAME), wantNow);
  });

  it("the original is rewritten in place (same size, time put back) after the plan's walk, right before the copy: the copy is judged by that walk's fingerprint, the move stops, keeps the new bytes, and starts over", async () => {
    await sb.plugDrive(NAME, '64m');
    await makeAlexBackups(sb, 60);
    const db = path.join(src(), udid(1), 'Manifest.db');
    // Paused before the copier's first run: the plan walked the folder (its fingerprint is the
    // one the copy is judged by) and the journal names the move; the copy has not begun.
    const { child } = await applyPausedAt('copyTree', 1);
    await rewriteInPlace(db, 0x5b);
    const wantNow = await snapshotTree(src());
    await goOn();
    const r = await child;
    expect(r.exitCode, r.stdout).toBe(1);
    expect(r.stderr).toMatch(/changed while it was being moved/);
    expect(await snapshotTree(src())).toEqual(wantNow);
    expect(await journalPhase(sb)).toBeUndefined();
    const done = await apply();
    expect(done.exitCode, done.stderr + done.stdout).toBe(0);
    await expectMovedIntact(sb, sb.volume(NAME), wantNow);
  });

  it("an attribute is set on a file of the original right after the copier read them: the verification takes that read, the original's last fingerprint stops the move, and the next apply carries the attribute", async () => {
    await sb.plugDrive(NAME, '64m');
    await makeAlexBackups(sb, 20);
    const db = path.join(src(), udid(1), 'Manifest.db');
    // getfattr as the copier runs it in the original, and then an app setting an attribute.
    const wrapDir = path.join(sb.root, '.getfattr-wrapper');
    await fs.mkdir(wrapDir);
    const real = (await execa('sh', ['-c', 'command -v getfattr'])).stdout.trim();
    const done = path.join(wrapDir, 'set');
    const script = [
      '#!/bin/sh',
      `"${real}" "$@"`,
      'rc=$?',
      `if [ "$(pwd)" = "${src()}" ] && [ ! -e "${done}" ]; then : > "${done}"; setfattr -n user.late -v 1 "${db}"; fi`,
      'exit $rc',
      '',
    ].join('\n');
    await fs.writeFile(path.join(wrapDir, 'getfattr'), script, { mode: 0o755 });
    const want = await snapshotTree(src());
    const r = await sb.cli(['apply', '--yes', ...args()], { PATH: `${wrapDir}:${SIM_BIN}:${process.env['PATH'] ?? ''}` });
    expect(await exists(done), 'the copier never read the original').toBe(true);
    expect(r.exitCode, r.stdout).toBe(1);
    expect(r.stderr).toMatch(/changed while it was being moved \(the last entry changed: [^)]*Manifest\.db\)/);
    expect(await snapshotTree(src())).toEqual(want);
    expect((await execa('getfattr', ['-n', 'user.late', '--only-values', db])).stdout).toBe('1');
    expect(await journalPhase(sb)).toBeUndefined();
    const next = await apply();
    expect(next.exitCode, next.stderr + next.stdout).toBe(0);
    await expectMovedIntact(sb, sb.volume(NAME), want);
    const moved = path.join(sb.volume(NAME), 'MobileSync', 'alex', udid(1), 'Manifest.db');
    expect((await execa('getfattr', ['-n', 'user.late', '--only-values', moved])).stdout).toBe('1');
  });

  it('the copy on the drive is rewritten in place (same size, time put back) after it was verified: the move stops before the original goes aside, and starts over', async () => {
    await sb.plugDrive(NAME, '64m');
    const want = await makeAlexBackups(sb, 60);
    // The first flush comes after the verified copies took their final names: the copy is known
    // there again (by its entries' identity, or compared) before the original is put aside.
    const { child } = await applyPausedAt('flush', 1);
    const onDrive = path.join(sb.volume(NAME), 'MobileSync', 'alex', udid(1), 'Manifest.db');
    // The times kept to the nanosecond by a reference file (touch -r), as the copier set them.
    const reference = path.join(gate, 'times');
    await fs.writeFile(reference, '');
    await execa('touch', ['-r', onDrive, reference]);
    const before = await fs.stat(onDrive, { bigint: true });
    const bytes = await fs.readFile(onDrive);
    bytes.fill(0x5a, 0, 64);
    await fs.writeFile(onDrive, bytes);
    await execa('touch', ['-r', reference, onDrive]);
    const after = await fs.stat(onDrive, { bigint: true });
    expect([after.size, after.mtimeNs]).toEqual([before.size, before.mtimeNs]);
    await goOn();
    const r = await child;
    expect(r.exitCode, r.stdout).toBe(1);
    expect(r.stderr).toMatch(/no longer matches the original/);
    expect(r.stderr).toContain('Manifest.db');
    expect(r.stderr + r.stdout).not.toMatch(/Internal error|Apply complete/);
    expect(await snapshotTree(src())).toEqual(want);
    // The copies were discarded: the next apply copies again and the drive holds the original's bytes.
    expect(await journalPhase(sb)).toBeUndefined();
    const done = await applyUntilDone();
    expect(done.exitCode, done.stderr + done.stdout).toBe(0);
    await expectMovedIntact(sb, sb.volume(NAME), want);
  });

  it('a process holds a file of the original open for writing: the plan blocks and names it', async () => {
    await sb.plugDrive(NAME, '64m');
    const want = await makeAlexBackups(sb, 10);
    const file = path.join(src(), udid(1), 'Status.plist');
    // A shell inside the sandbox's namespaces, as an app would be, holding the file open to append.
    const writer = execa('nsenter', ['--target', String(sb.pid), '--user', '--mount', '--preserve-credentials', 'sh', '-c', 'exec 3>>"$1"; while :; do sleep 1; done', 'sh', file], { reject: false, stdin: 'ignore' });
    try {
      let r: CliResult = { exitCode: 0, stdout: '', stderr: '' };
      for (let i = 0; i < 50; i++) {
        r = await sb.cli(['plan', ...args()]);
        if (r.stdout.includes('open for writing')) break;
        await sleep(100);
      }
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toContain('open for writing');
      expect(r.stdout).toContain('Status.plist');
      expect(r.stdout).toMatch(/\bsh\b/);
      const a = await apply();
      expect(a.exitCode).toBe(1);
      expect(await snapshotTree(src())).toEqual(want);
    } finally {
      writer.kill('SIGKILL');
      await writer.catch(() => undefined);
    }
  });

  it('a process opens a file of the original for writing after the copy was verified: lsof, run beside the last comparison, stops the move before the original goes aside', async () => {
    await sb.plugDrive(NAME, '64m');
    const want = await makeAlexBackups(sb, 60);
    const file = path.join(src(), udid(1), 'Status.plist');
    // The first flush comes after the verified copies took their final names; right after it the
    // copy is compared again while lsof runs, then the original would be put aside.
    const { child } = await applyPausedAt('flush', 1);
    const writer = execa('nsenter', ['--target', String(sb.pid), '--user', '--mount', '--preserve-credentials', 'sh', '-c', 'exec 3>>"$1"; echo ready; while :; do sleep 1; done', 'sh', file], { reject: false, stdin: 'ignore' });
    try {
      // Holding the file once it says so.
      await Promise.race([new Promise<void>((resolve) => writer.stdout?.once('data', () => resolve())), sleep(5000)]);
      await goOn();
      const r = await child;
      expect(r.exitCode, r.stdout).toBe(1);
      expect(r.stderr).toContain('open for writing');
      expect(r.stderr).toContain('The original at');
      expect(await snapshotTree(src())).toEqual(want);
      // The copies were discarded: the next apply starts over.
      expect(await journalPhase(sb)).toBeUndefined();
    } finally {
      writer.kill('SIGKILL');
      await writer.catch(() => undefined);
    }
    const done = await applyUntilDone();
    expect(done.exitCode, done.stderr + done.stdout).toBe(0);
    await expectMovedIntact(sb, sb.volume(NAME), want);
  });

  it('a twin drive of the same name after the move: the plan refuses it, names both, and says where the right one is', async () => {
    await sb.plugDrive(NAME, '64m');
    await makeAlexBackups(sb, 10);
    expect((await apply()).exitCode).toBe(0);
    await sb.unplugDrive(NAME);
    const twin = await plugTwin();
    const plan = await sb.cli(['plan', '--json', ...args()]);
    expect(plan.exitCode, plan.stdout + plan.stderr).toBe(1);
    const blocker = (JSON.parse(plan.stdout) as { changes: { blockers: { code: string; reason: string }[] }[] }).changes.flatMap((c) => c.blockers)[0];
    expect(blocker?.code).toBe('DRIVE_MISMATCH');
    expect(blocker?.reason).toMatch(/provision id/);
    const a = await apply();
    expect(a.exitCode).toBe(1);
    expect(await snapshotTree(sb.volume(NAME))).toEqual(twin);
    // The right drive mounted beside it, as macOS names a second volume of one name.
    const beside = path.join(sb.root, 'Volumes', `${NAME} 1`);
    await fs.mkdir(beside);
    const b = await sb.exec('mount', ['--bind', path.join(sb.root, '.drives', NAME), beside]);
    expect(b.exitCode, b.stderr).toBe(0);
    const again = await sb.cli(['plan', ...args()]);
    expect(again.stdout).toContain(`mounted at /Volumes/${NAME} 1`);
  });

  it('drives declared by id: a rotation set takes either drive, a third of the same name is refused', async () => {
    await sb.plugDrive(NAME, '64m');
    await fs.writeFile(path.join(sb.volume(NAME), '.provision-drive.json'), JSON.stringify({ provision: 'drive', id: 'AAAA1111-ROTATION-A' }));
    const text = (await fs.readFile(config, 'utf8')).replace('    volume: Archive 2TB\n', '    volume: Archive 2TB\n    id: [AAAA1111-ROTATION-A, BBBB2222-ROTATION-B]\n');
    await fs.writeFile(config, text);
    await makeAlexBackups(sb, 5);
    expect((await apply()).exitCode).toBe(0);
    await sb.unplugDrive(NAME);
    await sb.mountDrive(NAME, '32m');
    await fs.writeFile(path.join(sb.volume(NAME), '.provision-drive.json'), JSON.stringify({ provision: 'drive', id: 'BBBB2222-ROTATION-B' }));
    const b = await apply();
    expect(b.exitCode, b.stdout).toBe(0);
    await sb.unmountDrive(NAME, false);
    await sb.mountDrive(NAME, '32m');
    const c = await sb.cli(['plan', ...args()]);
    expect(c.exitCode).toBe(1);
    expect(c.stdout).toMatch(/DRIVE_MISMATCH|is not drive archive/);
  });

  it('a restore interrupted after its swap, finished with a twin plugged in: the twin is never touched', async () => {
    await sb.plugDrive(NAME, '64m');
    const want = await makeAlexBackups(sb, 20);
    expect((await apply()).exitCode).toBe(0);
    // restore: the swap renames the link aside and the copy into place (renames 1 and 2); the
    // third rename puts the drive's folder aside. Killed right before it.
    const child = sb.spawnCli(['restore', '--yes', ...args()], { PROVISION_TEST_HOOKS: JSON.stringify({ gate: { op: 'rename', nth: 3, dir: gate } }) });
    for (let i = 0; i < 2000 && !(await exists(path.join(gate, 'paused'))); i++) await sleep(10);
    child.kill('SIGKILL');
    await child;
    expect(await journalPhase(sb, 'alex_mobilesync.restore.0')).toBe('swapped');
    await sb.unplugDrive(NAME);
    const twin = await plugTwin();
    const r = await sb.cli(['restore', '--yes', ...args()]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/DRIVE_MISMATCH|not the drive/);
    expect(await snapshotTree(sb.volume(NAME))).toEqual(twin);
    expect(await snapshotTree(src())).toEqual(want);
    await unplugTwin();
    await sb.plugDrive(NAME);
    const done = await sb.cli(['restore', '--yes', ...args()]);
    expect(done.exitCode, done.stderr + done.stdout).toBe(0);
    expect(await snapshotTree(src())).toEqual(want);
    expect(await fs.readdir(path.join(sb.volume(NAME), 'MobileSync'))).toEqual([]);
  });

  /**
   * The crash test's joints with a fault before the next apply: killed in each phase, then the
   * drive removed, swapped for a twin, or made read-only. The next apply either finishes or
   * stops with a clear message; no byte is lost, a twin is never touched; with the drive back
   * as it was, apply converges.
   */
  const PHASES = ['copying', 'copied', 'promoted', 'aside', 'linked'] as const;
  const FAULTS = ['gone', 'twin', 'read-only'] as const;
  it(`killed in each phase, then the drive gone, swapped for a twin, or read-only: nothing lost, then it converges`, async () => {
    const outcomes: string[] = [];
    for (const phase of PHASES) {
      for (const fault of FAULTS) {
        await fs.rm(path.join(sb.root, 'var'), { recursive: true, force: true });
        await fs.rm(path.dirname(src()), { recursive: true, force: true });
        if (await exists(path.join(sb.root, '.drives', NAME))) {
          await sb.unplugDrive(NAME).catch(() => undefined);
          await sb.exec('umount', ['-l', path.join(sb.root, '.drives', NAME)]);
        }
        await fs.rm(path.join(sb.root, '.drives'), { recursive: true, force: true });
        await sb.plugDrive(NAME, '64m');
        const want = await makeAlexBackups(sb, 40);

        const child = sb.spawnCli(['apply', '--yes', ...args()], { PROVISION_TEST_HOOKS: HOOKS_DELAY });
        let exited = false;
        void child.then(() => {
          exited = true;
        });
        while (!exited && (await journalPhase(sb)) !== phase) await sleep(2);
        child.kill('SIGKILL');
        await child;

        let twin: Record<string, string> | undefined;
        if (fault === 'gone') await sb.unplugDrive(NAME);
        if (fault === 'twin') {
          await sb.unplugDrive(NAME);
          twin = await plugTwin();
        }
        if (fault === 'read-only') await setReadOnly(true);
        const r = await apply();
        outcomes.push(`${phase}/${fault}: exit ${r.exitCode}`);
        expect([0, 1], `${phase}/${fault}: ${r.stderr}`).toContain(r.exitCode);
        expect(r.stderr + r.stdout, `${phase}/${fault}`).not.toMatch(/Internal error/);
        await expectNothingLost(want);
        if (twin !== undefined) expect(await snapshotTree(sb.volume(NAME)), `${phase}/twin untouched`).toEqual(twin);

        if (fault === 'gone') await sb.plugDrive(NAME);
        if (fault === 'twin') {
          await unplugTwin();
          await sb.plugDrive(NAME);
        }
        if (fault === 'read-only') await setReadOnly(false);
        const done = await applyUntilDone();
        expect(done.exitCode, `${phase}/${fault}: ${done.stderr}${done.stdout}`).toBe(0);
        await expectMovedIntact(sb, sb.volume(NAME), want);
      }
    }
    console.log(outcomes.join('\n'));
  }, 600_000);
});

/** Rewrites a file's first bytes in place, at the same size, with its times put back. */
async function rewriteInPlace(file: string, byte: number): Promise<void> {
  const before = await fs.stat(file);
  const bytes = await fs.readFile(file);
  bytes.fill(byte, 0, 64);
  await fs.writeFile(file, bytes);
  await fs.utimes(file, before.atime, before.mtime);
}

async function exists(p: string): Promise<boolean> {
  return (await fs.lstat(p).catch(() => undefined)) !== undefined;
}
