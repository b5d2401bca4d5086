import fs from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NOTIFY_SCRIPT } from '../../src/watch/notify.js';
import { createSimSandbox, type SimSandbox } from './run-sim.js';

describe('sim osascript', () => {
  let sb: SimSandbox;
  beforeEach(async () => {
    sb = await createSimSandbox();
  });
  afterEach(async () => {
    await sb.remove();
  });
  const script = NOTIFY_SCRIPT.flatMap((l) => ['-e', l]);

  it("posts provision's notification: the text and title reach the run handler as arguments, quotes and all; prints nothing", async () => {
    const text = 'Alex\'s iPad was last backed up 94 days ago, "over" its limit';
    expect(await sb.run('osascript', [...script, text, 'provision: backups at risk'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(await sb.run('osascript', [...script, 'second', 'title'])).toMatchObject({ exitCode: 0 });
    const state = JSON.parse(await fs.readFile(sb.statePath, 'utf8')) as { osascript: { notifications: unknown[] } };
    expect(state.osascript.notifications).toEqual([
      { text, title: 'provision: backups at risk' },
      { text: 'second', title: 'title' },
    ]);
  });

  it('fails as AppleScript would when an argument is missing, and refuses scripts it does not simulate', async () => {
    const short = await sb.run('osascript', [...script, 'only text']);
    expect(short.exitCode).toBe(1);
    expect(short.stderr).toContain('(-1728)');
    const other = await sb.run('osascript', ['-e', 'tell application "Finder" to quit']);
    expect(other.exitCode).toBe(1);
    expect(other.stderr).toContain('not simulated');
  });
});
