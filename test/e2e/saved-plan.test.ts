import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/sandbox.js';
import { makeDeviceBackup, snapshotTree, udid } from '../helpers/fixtures.js';
import { expectOutputMatches } from '../helpers/output-schemas.js';
import { expectNothingPlanned, macBackupFolder, makeHome, writeHousehold } from './household.js';

const TARGET_ALEX = '/Volumes/Archive 2TB/MobileSync/alex';

/**
 * Saved plans end to end: plan --out writes the plan with the fingerprint of what it observed;
 * apply FILE applies exactly it, and refuses it, naming what changed and changing nothing,
 * when anything it observed, the declaration or the plan file itself is not as saved.
 */
describe('saved plans: plan --out FILE, apply FILE', () => {
  let sb: Sandbox;
  let config: string;
  let planFile: string;
  let src: string;
  const run = (cmd: string, ...args: string[]) => sb.cli([cmd, '-c', config, '--root', sb.root, '--machine', 'imac', ...args]);
  const applySaved = (...args: string[]) => sb.cli(['apply', planFile, ...args]);

  beforeEach(async () => {
    sb = await Sandbox.create();
    config = await writeHousehold(sb.root);
    await makeHome(sb.root, 'alex');
    await makeHome(sb.root, 'sam');
    planFile = path.join(sb.root, 'reviewed.plan');
    src = macBackupFolder(sb.root, 'alex');
    await makeDeviceBackup(path.join(src, udid(1)), 1, 20);
  });
  afterEach(async () => {
    await sb.dispose();
  });

  /** diskutil's view of the drive, with the volume UUID given. */
  function volumeWithUuid(uuid: string): Record<string, unknown> {
    const mount = path.join(sb.root, 'Volumes', 'Archive 2TB');
    return { volumes: { [mount]: { VolumeName: 'Archive 2TB', FilesystemType: 'apfs', VolumeUUID: uuid } } };
  }

  async function savePlan(...args: string[]): Promise<void> {
    const r = await run('plan', '--user', 'alex', '--out', planFile, ...args);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Saved the plan to ${planFile}`);
  }

  /** Nothing was changed: the backup is where it was, and the drive holds nothing. */
  async function expectUntouched(before: Record<string, string>, drive: string): Promise<void> {
    expect((await fs.lstat(src)).isDirectory()).toBe(true);
    expect(await fs.readdir(drive)).toEqual([]);
  }

  it('applies exactly the saved plan, which carries its fingerprint and matches the plan schema', async () => {
    await sb.mountDrive('Archive 2TB');
    const before = await snapshotTree(src);
    await savePlan();
    const doc = expectOutputMatches('plan', await fs.readFile(planFile, 'utf8'));
    const saved = doc['saved'] as { options: Record<string, string>; fingerprint: { observations: Record<string, string> } };
    expect(saved.options).toEqual({ config, machine: 'imac', user: 'alex', root: sb.root });
    expect(Object.keys(saved.fingerprint.observations)).toContain(`lstat ${src}`);
    expect(Object.values(saved.fingerprint.observations).join('\n')).not.toContain('free');

    // No --yes, no terminal: a saved plan is what was reviewed, so it needs no confirmation.
    const apply = await applySaved();
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);
    expect(apply.stdout).toContain('> alex: iOS device backups');
    expect(apply.stdout).toContain('Apply complete.');
    expect(await fs.readlink(src)).toBe(TARGET_ALEX);
    expect(await snapshotTree(path.join(sb.volume('Archive 2TB'), 'MobileSync', 'alex'))).toEqual(before);
    await expectNothingPlanned(run, '--user', 'alex');

    // Once applied, the same plan file is stale: it saw a folder where a link now is.
    const again = await applySaved();
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain('the saved plan is stale');
    expect(again.stderr).toContain(`${src}: was folder`);
  });

  it('refuses the plan when the tree changed between plan and apply, naming what changed, and changes nothing', async () => {
    const drive = await sb.mountDrive('Archive 2TB');
    await savePlan();
    // A device backs up between plan and apply.
    await makeDeviceBackup(path.join(src, udid(2)), 2, 5);
    const before = await snapshotTree(src);
    const r = await applySaved();
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Error: the saved plan is stale');
    const listed = [udid(1), udid(2)].sort().map((n) => `"${n}"`).join(', ');
    expect(r.stderr).toContain(`the contents of ${src}: was holds "${udid(1)}", now holds ${listed}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    await expectUntouched(before, drive);
  });

  it('refuses the plan when a file inside changed size, when the drive was swapped, and when the declaration was edited', async () => {
    await sb.mountDrive('Archive 2TB');
    await sb.setSimState({ diskutil: volumeWithUuid('11111111-1111-4111-8111-111111111111') });
    await savePlan();
    const info = path.join(src, udid(1), 'Info.plist');
    await fs.appendFile(info, '<!-- -->');
    const grown = await applySaved();
    expect(grown.exitCode).toBe(1);
    expect(grown.stderr).toContain(`everything in ${src}: was`);
    // Back to its size: a walk's observation is its counts and sizes.
    await fs.writeFile(info, (await fs.readFile(info, 'utf8')).replace('<!-- -->', ''));

    // Another drive of the same name. Linux may give the new tmpfs the device number the old
    // one had, as macOS may; the volume's UUID, which diskutil reports, tells them apart.
    await sb.unmountDrive('Archive 2TB');
    const other = await sb.mountDrive('Archive 2TB');
    await sb.setSimState({ diskutil: volumeWithUuid('22222222-2222-4222-8222-222222222222') });
    const swapped = await applySaved();
    expect(swapped.exitCode).toBe(1);
    expect(swapped.stderr).toContain(`the output of diskutil info -plist ${path.join(sb.root, 'Volumes', 'Archive 2TB')}: was exit 0`);

    // The drive is the one planned for again, but the declaration gains a comment.
    await savePlan();
    await fs.appendFile(config, '# edited after the plan\n');
    const edited = await applySaved();
    expect(edited.exitCode).toBe(1);
    expect(edited.stderr).toContain(`the declaration ${config} changed since the plan`);
    expect(await fs.readdir(other).catch(() => [])).toEqual([]);
    expect((await fs.lstat(src)).isDirectory()).toBe(true);
  });

  it('refuses a plan file edited by hand, made by another version, or not a saved plan, and options that contradict it', async () => {
    const drive = await sb.mountDrive('Archive 2TB');
    const before = await snapshotTree(src);
    await savePlan();
    const text = await fs.readFile(planFile, 'utf8');

    // A step pointed elsewhere: the fingerprint still matches, the changes do not.
    const tampered = JSON.parse(text) as { changes: { steps: { op: string; dest?: string }[] }[] };
    const relocate = tampered.changes[0]?.steps.find((s) => s.op === 'relocate');
    expect(relocate).toBeDefined();
    if (relocate !== undefined) relocate.dest = path.join(sb.root, 'elsewhere');
    await fs.writeFile(planFile, JSON.stringify(tampered));
    const r1 = await applySaved();
    expect(r1.exitCode).toBe(1);
    expect(r1.stderr).toContain('the changes planned now differ from the saved ones');

    const older = JSON.parse(text) as { saved: { provision_version: string } };
    older.saved.provision_version = '0.0.1';
    await fs.writeFile(planFile, JSON.stringify(older));
    const r2 = await applySaved();
    expect(r2.exitCode).toBe(1);
    expect(r2.stderr).toContain('the plan was made by provision 0.0.1');

    // Broken JSON: the file, line and column.
    await fs.writeFile(planFile, text.replace('"machine": "imac",', '"machine": "imac",,'));
    const r3 = await applySaved();
    expect(r3.exitCode).toBe(1);
    expect(r3.stderr).toMatch(new RegExp(`Error: ${planFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3:\\d+: not a saved plan`));

    // plan --json prints a plan, not a saved plan.
    const printed = await run('plan', '--user', 'alex', '--json');
    await fs.writeFile(planFile, printed.stdout);
    const r4 = await applySaved();
    expect(r4.exitCode).toBe(1);
    expect(r4.stderr).toContain('not one saved with plan --out');

    await fs.writeFile(planFile, text);
    const r5 = await applySaved('--user', 'sam');
    expect(r5.exitCode).toBe(1);
    expect(r5.stderr).toContain('--user sam differs from the saved plan');
    const r6 = await applySaved('--machine', 'imac', '--root', sb.root, '--user', 'alex');
    expect(r6.exitCode, r6.stderr).toBe(0);
    expect(await fs.readlink(src)).toBe(TARGET_ALEX);
    expect(await snapshotTree(path.join(drive, 'MobileSync', 'alex'))).toEqual(before);
  });

  it('a blocked plan is saved with a warning, and apply refuses it', async () => {
    // No drive: blocked.
    const r = await run('plan', '--user', 'alex', '--out', planFile);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('but it is blocked');
    const apply = await applySaved();
    expect(apply.exitCode).toBe(1);
    expect(apply.stderr).toContain('the plan is blocked');
  });
});
