import path from 'node:path';
import fs from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/sandbox.js';
import { makeDeviceBackup, udid } from '../helpers/fixtures.js';
import { expectOutputMatches } from '../helpers/output-schemas.js';
import { macBackupFolder, makeHome, writeHousehold } from './household.js';

interface ApplyDoc {
  ok: boolean;
  changed: boolean;
  command: string;
  results: { id: string; action: string; outcome: string; error: { code: string } | null }[];
  summary: { applied: number; failed: number; not_run: number };
  error: { code: string; message: string; hint: string | null } | null;
  plan: { changes: { id: string; action: string }[] } | null;
}

/**
 * --json on plan, apply and restore: one document on stdout, valid against its schema in
 * schemas/, in every outcome (success, nothing to do, blocked, an error before planning);
 * everything for people goes to stderr.
 */
describe('JSON output of plan, apply and restore, checked against schemas/', () => {
  let sb: Sandbox;
  let config: string;
  const run = (cmd: string, ...args: string[]) => sb.cli([cmd, '-c', config, '--root', sb.root, '--machine', 'imac', ...args]);

  beforeEach(async () => {
    sb = await Sandbox.create();
    config = await writeHousehold(sb.root);
    await makeHome(sb.root, 'alex');
    await makeHome(sb.root, 'sam');
    await makeDeviceBackup(path.join(macBackupFolder(sb.root, 'alex'), udid(1)), 1, 10);
  });
  afterEach(async () => {
    await sb.dispose();
  });

  it('plan --json: blocked, then pending changes, then converged, each valid', async () => {
    const blocked = await run('plan', '--json');
    expect(blocked.exitCode).toBe(1);
    const b = expectOutputMatches('plan', blocked.stdout);
    expect(b['blocked']).toBe(true);

    await sb.mountDrive('Archive 2TB');
    const pending = await run('plan', '--json', '--detailed-exitcode');
    expect(pending.exitCode).toBe(2);
    const p = expectOutputMatches('plan', pending.stdout);
    expect(p['changes_pending']).toBe(true);
    expect((p['summary'] as Record<string, number>)['relocate']).toBe(1);
    expect(pending.stderr).not.toContain('Using');

    expect((await run('apply', '--yes')).exitCode).toBe(0);
    const done = expectOutputMatches('plan', (await run('plan', '--json')).stdout);
    expect(done['changes_pending']).toBe(false);
  });

  it('apply --json: one document on stdout, progress and the plan in words on stderr; then nothing changed', async () => {
    await sb.mountDrive('Archive 2TB');
    const r = await run('apply', '--yes', '--json');
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = expectOutputMatches('apply', r.stdout) as unknown as ApplyDoc;
    expect(doc.ok).toBe(true);
    expect(doc.changed).toBe(true);
    expect(doc.results.map((x) => [x.id, x.action, x.outcome])).toEqual([
      ['alex/mobilesync', 'relocate', 'applied'],
      ['sam/mobilesync', 'create', 'applied'],
    ]);
    expect(doc.plan?.changes.map((c) => c.action)).toEqual(['relocate', 'create']);
    expect(r.stderr).toContain('> alex: iOS device backups');
    expect(r.stderr).toContain('copying');
    expect(await fs.readlink(macBackupFolder(sb.root, 'alex'))).toBe('/Volumes/Archive 2TB/MobileSync/alex');

    const again = await run('apply', '--yes', '--json');
    const second = expectOutputMatches('apply', again.stdout) as unknown as ApplyDoc;
    expect(second).toMatchObject({ ok: true, changed: false, results: [] });
  });

  it('apply --json reports errors as JSON too, with the code, and exit 1', async () => {
    // Blocked: the drive is not there.
    const blocked = await run('apply', '--yes', '--json');
    expect(blocked.exitCode).toBe(1);
    const b = expectOutputMatches('apply', blocked.stdout) as unknown as ApplyDoc;
    expect(b).toMatchObject({ ok: false, changed: false, error: { code: 'PLAN_BLOCKED' } });
    expect(b.plan?.changes.some((c) => c.action === 'blocked')).toBe(true);
    expect(blocked.stderr).toContain('Error: the plan is blocked');

    // No --yes and no terminal.
    await sb.mountDrive('Archive 2TB');
    const noYes = await run('apply', '--json');
    expect(noYes.exitCode).toBe(1);
    expect(expectOutputMatches('apply', noYes.stdout)).toMatchObject({ ok: false, changed: false, error: { code: 'NEEDS_YES' } });

    // Before any plan: an unknown machine.
    const unknown = await sb.cli(['apply', '-c', config, '--root', sb.root, '--machine', 'nope', '--yes', '--json']);
    expect(unknown.exitCode).toBe(1);
    expect(expectOutputMatches('apply', unknown.stdout)).toMatchObject({ ok: false, machine: null, plan: null, error: { code: 'MACHINE_UNKNOWN' } });
  });

  it('doctor --json prints its document even when an error stops it before any check', async () => {
    const r = await sb.cli(['doctor', '--json', '-c', config, '--root', path.join(sb.root, 'no-such-folder'), '--machine', 'imac']);
    expect(r.exitCode).toBe(1);
    expect(expectOutputMatches('doctor', r.stdout)).toMatchObject({ ok: false, checks: [{ id: 'machine', status: 'problem', code: 'ROOT_INVALID' }] });
    expect(r.stderr).toContain('is not a folder');
  });

  it('restore --json: the restore result, valid against the same schema', async () => {
    await sb.mountDrive('Archive 2TB');
    expect((await run('apply', '--yes')).exitCode).toBe(0);
    const r = await run('restore', '--yes', '--json', '--user', 'alex');
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = expectOutputMatches('apply', r.stdout) as unknown as ApplyDoc;
    expect(doc).toMatchObject({ command: 'restore', ok: true, changed: true });
    expect(doc.results.map((x) => [x.id, x.action, x.outcome])).toEqual([['alex/mobilesync', 'restore', 'applied']]);
    expect((await fs.lstat(macBackupFolder(sb.root, 'alex'))).isDirectory()).toBe(true);
  });
});
