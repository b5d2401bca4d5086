import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/sandbox.js';

/**
 * The demo's scripts: the Linux one runs in CI (`npm run demo`); the Mac one cannot run here (no
 * hdiutil, no diskutil), so this checks what can be checked: both parse, and both tell the one
 * shared transcript, so the Mac demo cannot drift from the one CI runs.
 */
describe('the demo scripts', () => {
  it.each(['demo.sh', 'demo-mac.sh', 'demo-lib.sh'])('%s parses', async (name) => {
    const r = await execa('bash', ['-n', path.join(REPO, 'scripts', name)], { reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
  });

  it('both platforms run the shared household and transcript; the Mac one uses a real disk image and the real diskutil', async () => {
    const linux = await readFile(path.join(REPO, 'scripts', 'demo.sh'), 'utf8');
    const mac = await readFile(path.join(REPO, 'scripts', 'demo-mac.sh'), 'utf8');
    for (const script of [linux, mac]) {
      expect(script).toContain('. "$REPO/scripts/demo-lib.sh"');
      expect(script).toContain('demo_household "$ROOT"');
      expect(script).toMatch(/^demo_transcript$/m);
    }
    expect(linux).toContain('exec bash "$REPO/scripts/demo-mac.sh"');
    expect(mac).toContain('hdiutil create -quiet -size 256m -fs APFS -volname "Archive 2TB"');
    // diskutil, mount, ditto and sw_vers are the Mac's own: they are not among the simulators linked in.
    const sims = /for tool in ([^;]+); do ln -s/.exec(mac)?.[1]?.split(' ') ?? [];
    expect(sims).not.toContain('diskutil');
    expect(sims).not.toContain('ditto');
    expect(sims).toContain('sudo');
  });
});
