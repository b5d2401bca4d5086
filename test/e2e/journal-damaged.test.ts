import fs from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/sandbox.js';
import { makeDeviceBackup, snapshotTree, udid } from '../helpers/fixtures.js';
import { changesOf } from '../helpers/plan-json.js';
import { macBackupFolder, makeHome, writeHousehold } from './household.js';

const ID = 'alex_mobilesync.0';

function statusRows(stdout: string): { kind: string; state_text: string; severity: string; hint: string | null }[] {
  return (JSON.parse(stdout) as { locations: { kind: string; state_text: string; severity: string; hint: string | null }[] }).locations;
}

/**
 * A damaged journal entry is a blocker, never skipped: a move cut off after its original was
 * put aside, whose journal file is then damaged. Plan, apply, status and doctor name the file
 * and the folder put aside; provision journal set-aside keeps the file under another name and
 * deletes nothing; the folder put aside then stays in front of the user until dealt with.
 */
describe('a damaged journal entry', () => {
  let sb: Sandbox;
  let config: string;
  const run = (...args: string[]) => sb.cli([...args, '-c', config, '--root', sb.root, '--machine', 'imac', '--user', 'alex']);

  beforeEach(async () => {
    sb = await Sandbox.create();
    config = await writeHousehold(sb.root);
    await makeHome(sb.root, 'alex');
  });
  afterEach(async () => {
    await sb.dispose();
  });

  /** The state after phase `aside`: copy on the drive, original put aside, no link yet. */
  async function putAside(drive: string): Promise<{ aside: string; want: Record<string, string>; journal: string }> {
    const src = macBackupFolder(sb.root, 'alex');
    await makeDeviceBackup(path.join(src, udid(1)), 1, 10);
    const want = await snapshotTree(src);
    const dest = path.join(drive, 'MobileSync', 'alex');
    await fs.mkdir(dest, { recursive: true });
    await execa('cp', ['-a', path.join(src, udid(1)), path.join(dest, udid(1))]);
    const aside = path.join(path.dirname(src), `.provision-aside-${ID}-Backup`);
    await fs.rename(src, aside);
    const journal = path.join(sb.root, 'var', 'db', 'provision');
    await fs.mkdir(journal, { recursive: true });
    // Cut off in the middle, as a disk error or a restore from an old backup can leave it.
    await fs.writeFile(path.join(journal, `${ID}.json`), `{"version": 1, "id": "${ID}", "changeId": "alex/mobi`);
    return { aside, want, journal };
  }

  it('blocks plan and apply, shows in status and doctor; set-aside keeps the file and the data, which stays shown', async () => {
    const drive = await sb.mountDrive('Archive 2TB');
    const { aside, want, journal } = await putAside(drive);

    const plan = await run('plan', '--json');
    expect(plan.exitCode, plan.stderr).toBe(1);
    const blocker = changesOf(plan.stdout).flatMap((c) => c.blockers).find((b) => b.code === 'JOURNAL_DAMAGED');
    expect(blocker?.reason).toContain(path.join(journal, `${ID}.json`));
    expect(blocker?.reason).toContain('not valid JSON');
    expect(blocker?.reason).toContain(`${aside} (the original folder, put aside)`);
    expect(blocker?.fix).toContain(`provision journal set-aside ${ID}`);
    expect(blocker?.fix).toContain('is in /Volumes/Archive 2TB/MobileSync/alex on the drive');

    const apply = await run('apply', '--yes');
    expect(apply.exitCode).toBe(1);
    expect(apply.stdout).toContain('the journal entry');
    expect(await snapshotTree(aside)).toEqual(want);

    const status = await run('status', '--json');
    expect(status.exitCode).toBe(0);
    const row = statusRows(status.stdout).find((l) => l.kind === 'journal');
    expect(row?.state_text).toContain('damaged journal entry');
    expect(row?.state_text).toContain(aside);
    expect(row?.severity).toBe('error');
    const doctor = await run('doctor', '--json');
    const check = (JSON.parse(doctor.stdout) as { checks: { id: string; code?: string; details: string[] }[] }).checks.find((c) => c.id === 'journal');
    expect(check?.code).toBe('JOURNAL_DAMAGED');
    expect(check?.details.join('\n')).toContain(aside);

    const listed = await run('journal', 'list');
    expect(listed.exitCode).toBe(1);
    expect(listed.stdout).toContain(aside);

    const setAside = await run('journal', 'set-aside', ID);
    expect(setAside.exitCode, setAside.stderr).toBe(0);
    const names = await fs.readdir(journal);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(new RegExp(`^${ID.replace('.', '\\.')}\\.json\\.damaged-`));
    expect(await snapshotTree(aside)).toEqual(want);

    // The folder put aside is never forgotten: plan stays blocked, naming it and what to check.
    const after = await run('plan', '--json');
    expect(after.exitCode).toBe(1);
    const left = changesOf(after.stdout).flatMap((c) => c.blockers).find((b) => b.code === 'LEFTOVER_ASIDE');
    expect(left?.reason).toContain(aside);
    expect(left?.reason).toContain(`set aside as ${path.join(journal, names[0] ?? '')}`);
    expect(left?.fix).toContain('is also in /Volumes/Archive 2TB/MobileSync/alex on the drive');
    const status2 = await run('status', '--json');
    const leftover = statusRows(status2.stdout).find((l) => l.kind === 'leftover');
    expect(leftover?.state_text).toContain(aside);
    expect(leftover?.hint).toContain('check that everything in');

    // The user checks it against the drive and deletes it; then apply puts the link back.
    expect(await snapshotTree(path.join(drive, 'MobileSync', 'alex'))).toEqual(want);
    await fs.rm(aside, { recursive: true });
    const fixed = await run('apply', '--yes');
    expect(fixed.exitCode, fixed.stderr + fixed.stdout).toBe(0);
    expect(await fs.readlink(macBackupFolder(sb.root, 'alex'))).toBe('/Volumes/Archive 2TB/MobileSync/alex');
  });

  it('set-aside refuses an id with no damaged entry', async () => {
    await sb.mountDrive('Archive 2TB');
    const journal = path.join(sb.root, 'var', 'db', 'provision');
    await fs.mkdir(journal, { recursive: true });
    const r = await run('journal', 'set-aside', 'nothing.0');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('no damaged journal entry nothing.0');
  });
});
