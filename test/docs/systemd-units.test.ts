import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

/**
 * The systemd units docs/schedule.md tells Linux users to copy, checked by systemd itself:
 * `systemd-analyze verify` loads them as systemd would and complains about an unknown key, a
 * relative ExecStart, a calendar it cannot parse. Any complaint at all fails the test, since a
 * warning there is a line a user would have to puzzle over.
 */
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function unitsInDocs(): Promise<{ name: string; text: string }[]> {
  const doc = await fs.readFile(path.join(REPO, 'docs', 'schedule.md'), 'utf8');
  return [...doc.matchAll(/```ini\n# \/etc\/systemd\/system\/(\S+)\n([\s\S]*?)```/g)].map((m) => ({ name: m[1] ?? '', text: m[2] ?? '' }));
}

async function verify(files: string[]): Promise<{ exitCode: number; output: string }> {
  const r = await execa('systemd-analyze', ['verify', '--man=no', ...files], { reject: false, all: true });
  return { exitCode: r.exitCode ?? 1, output: String(r.all ?? '') };
}

describe('the systemd units in docs/schedule.md', () => {
  it('are a service and its timer that systemd-analyze verify accepts without a word', async () => {
    const units = await unitsInDocs();
    expect(units.map((u) => u.name)).toEqual(['provision-check.service', 'provision-check.timer']);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-units-'));
    try {
      const files = [];
      for (const u of units) {
        const file = path.join(dir, u.name);
        await fs.writeFile(file, u.text);
        files.push(file);
      }
      expect(await verify(files)).toEqual({ exitCode: 0, output: '' });
      // The check can fail: a broken unit is caught.
      await fs.writeFile(files[1] ?? '', (units[1]?.text ?? '').replace('10:30:00', '25:30:00'));
      expect((await verify(files)).exitCode).not.toBe(0);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
