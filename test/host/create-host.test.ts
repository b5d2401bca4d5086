import { describe, expect, it } from 'vitest';
import { createHost } from '../../src/host/create-host.js';
import { DryRunHost } from '../../src/host/dry-run-host.js';
import { ReadOnlyHost } from '../../src/host/read-only-host.js';
import { RealHost } from '../../src/host/real-host.js';

describe('createHost', () => {
  it('composes each kind', async () => {
    expect(createHost('real')).toBeInstanceOf(RealHost);
    const readOnly = createHost('read-only');
    expect(readOnly).toBeInstanceOf(ReadOnlyHost);
    expect(readOnly.kind).toBe('read-only');
    await expect(readOnly.mkdir('/nonexistent-provision/x', 0o755)).rejects.toMatchObject({ code: 'READ_ONLY_HOST' });
    const dryRun = createHost('dry-run');
    expect(dryRun).toBeInstanceOf(DryRunHost);
    expect(dryRun.kind).toBe('dry-run');
    expect(await dryRun.lstat('/')).toMatchObject({ kind: 'directory' });
  });
});
