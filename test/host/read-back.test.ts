import { describe, expect, it } from 'vitest';
import { DryRunHost } from '../../src/host/dry-run-host.js';
import { ReadOnlyHost } from '../../src/host/read-only-host.js';
import { RealHost } from '../../src/host/real-host.js';

describe('hosts answer for themselves (no caller asks which host it has)', () => {
  it('a dry run answers a read-back with the intended result, without reading', async () => {
    const host = new DryRunHost(new ReadOnlyHost(new RealHost()));
    let read = false;
    const got = await host.readBack(async () => {
      read = true;
      return 'what the tool really did';
    }, 'what the write meant to do');
    expect(got).toBe('what the write meant to do');
    expect(read).toBe(false);
  });

  it('the real host reads back', async () => {
    const host = new RealHost();
    expect(await host.readBack(async () => 'read', 'simulated')).toBe('read');
  });

  it('a dry run lets a change that needs root through; the real host refuses it without root', () => {
    expect(() => new DryRunHost(new ReadOnlyHost(new RealHost())).requireRoot('changing Time Machine')).not.toThrow();
    const real = (): void => new RealHost().requireRoot('changing Time Machine');
    if (process.getuid?.() === 0) expect(real).not.toThrow();
    else expect(real).toThrow(expect.objectContaining({ code: 'NEEDS_ROOT', message: 'changing Time Machine needs root' }) as unknown as Error);
  });
});
