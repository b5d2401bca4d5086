import { describe, expect, it } from 'vitest';
import { versionedBy } from '../../src/app/node-program.js';
import { verdictOfError, verdictOfPlan } from '../../src/app/scheduled-verdict.js';
import { FORMAT_VERSION, type Blocker, type Change, type Plan } from '../../src/engine/types.js';
import { ProvisionError } from '../../src/errors.js';

const NODE = { path: '/opt/homebrew/Cellar/node/22.11.0/bin/node', versioned: { by: 'Homebrew', after: 'brew upgrade' } };

function change(action: Change['action'], blockers: Blocker[] = []): Change {
  return { id: 'alex/mobilesync', kind: 'mobilesync', user: 'alex', title: 'iOS device backups', path: '~/x', action, before: '', after: '', reason: '', moves: { files: 0, bytes: 0 }, blockers, warnings: [], steps: [] } as unknown as Change;
}
function plan(...changes: Change[]): Plan {
  return { formatVersion: FORMAT_VERSION, machine: 'imac', platform: 'macos', configFile: '/b.yaml', users: ['alex'], homes: {}, changes };
}

describe('what a scheduled apply tells its user', () => {
  it('needs Full Disk Access: names node by its real path, how to give it, and that an upgrade moves it (exit 1)', () => {
    const v = verdictOfPlan(plan(change('blocked', [{ code: 'NEEDS_FULL_DISK_ACCESS', reason: 'macOS refused to read /Users/alex/Library/Application Support/MobileSync/Backup (EPERM): ...', fix: '' }])), NODE);
    expect(v).toMatchObject({ outcome: 'needs-full-disk-access', exitCode: 1, program: NODE.path, codes: ['NEEDS_FULL_DISK_ACCESS'] });
    expect(v?.words).toContain('macOS refused /Users/alex/Library/Application Support/MobileSync/Backup to the scheduled run');
    expect(v?.fix).toContain(`give ${NODE.path} Full Disk Access`);
    expect(v?.fix).toContain('after each brew upgrade');
  });

  it('a drive away is a normal wait (exit 0); any other blocker needs the user (exit 1); no change is nothing to do', () => {
    expect(verdictOfPlan(plan(change('blocked', [{ code: 'DRIVE_NOT_MOUNTED', reason: 'r', fix: 'f' }])), NODE)).toMatchObject({ outcome: 'waiting-for-drive', exitCode: 0 });
    expect(verdictOfPlan(plan(change('blocked', [{ code: 'DRIVE_NOT_MOUNTED', reason: 'r', fix: 'f' }, { code: 'DRIVE_MISMATCH', reason: 'another drive', fix: 'plug in the right one' }])), NODE)).toMatchObject({
      outcome: 'blocked',
      exitCode: 1,
      codes: ['DRIVE_NOT_MOUNTED', 'DRIVE_MISMATCH'],
    });
    expect(verdictOfPlan(plan(change('none')), NODE)).toMatchObject({ outcome: 'nothing-to-do', exitCode: 0 });
    expect(verdictOfPlan(plan(change('relocate')), NODE)).toBeUndefined();
  });

  it('another apply running is busy (exit 0); an error is failed with its code and hint; a bug says so', () => {
    expect(verdictOfError(new ProvisionError('LOCKED', 'Another apply is running'), NODE)).toMatchObject({ outcome: 'busy', exitCode: 0 });
    expect(verdictOfError(new ProvisionError('DRIVE_GONE', 'the drive went away', { hint: 'plug it in' }), NODE)).toMatchObject({ outcome: 'failed', exitCode: 1, codes: ['DRIVE_GONE'], fix: 'plug it in' });
    expect(verdictOfError(new TypeError('x is undefined'), NODE)).toMatchObject({ outcome: 'failed', codes: ['INTERNAL'], fix: expect.stringContaining('bug') });
  });
});

describe('a node whose path an upgrade changes', () => {
  it('is recognised for Homebrew, nvm, fnm, Volta, asdf, mise, n and nodenv; a stable path is not', () => {
    const cases: [string, string | undefined][] = [
      ['/opt/homebrew/Cellar/node/22.11.0/bin/node', 'Homebrew'],
      ['/usr/local/Cellar/node@20/20.18.0/bin/node', 'Homebrew'],
      ['/Users/alex/.nvm/versions/node/v22.11.0/bin/node', 'nvm'],
      ['/Users/alex/Library/Application Support/fnm/node-versions/v22.11.0/installation/bin/node', 'fnm'],
      ['/Users/alex/.volta/tools/image/node/22.11.0/bin/node', 'Volta'],
      ['/Users/alex/.asdf/installs/nodejs/22.11.0/bin/node', 'asdf'],
      ['/Users/alex/.local/share/mise/installs/node/22.11.0/bin/node', 'mise'],
      ['/usr/local/n/versions/node/22.11.0/bin/node', 'n'],
      ['/Users/alex/.nodenv/versions/22.11.0/bin/node', 'nodenv'],
      ['/usr/local/bin/node', undefined],
      ['/opt/homebrew/opt/node/bin/node', undefined],
    ];
    for (const [p, by] of cases) expect(versionedBy(p)?.by, p).toBe(by);
  });
});
