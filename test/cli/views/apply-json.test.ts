import { describe, expect, it } from 'vitest';
import { ProvisionError } from '../../../src/errors.js';
import type { Change, Plan } from '../../../src/engine/types.js';
import { renderApplyJson } from '../../../src/cli/views/apply-json.js';
import { expectOutputMatches } from '../../helpers/output-schemas.js';

const change = (id: string, action: Change['action']): Change => ({
  id,
  kind: 'mobilesync',
  user: id.split('/')[0] ?? '',
  title: 'iOS device backups',
  path: '/Users/x/Library/Application Support/MobileSync/Backup',
  action,
  before: 'a folder',
  after: 'a link',
  reason: 'because',
  moves: { files: 1, bytes: 3 },
  blockers: [],
  warnings: [],
  steps: [{ op: 'mkdir', path: '/Volumes/A/x', mode: 0o700 }],
});

const plan: Plan = { formatVersion: 2, machine: 'imac', platform: 'macos', configFile: '/c/backups.yaml', users: ['alex', 'sam'], homes: {}, changes: [change('alex/mobilesync', 'relocate'), change('sam/mobilesync', 'create')] };

describe('apply --json document', () => {
  it('a change that failed after it began writing counts as changed; the ones after it did not run', () => {
    const [a, b] = plan.changes;
    if (a === undefined || b === undefined) throw new Error('fixture');
    const error = new ProvisionError('NO_SPACE', 'the drive is full', { hint: 'make room' });
    const doc = expectOutputMatches(
      'apply',
      renderApplyJson({ command: 'apply', plan, outcomes: [{ change: a, outcome: 'failed', started: true, error }, { change: b, outcome: 'not-run', started: false }], error }),
    );
    expect(doc).toMatchObject({
      ok: false,
      changed: true,
      summary: { applied: 0, failed: 1, not_run: 1 },
      error: { code: 'NO_SPACE', hint: 'make room' },
      results: [{ outcome: 'failed', error: { code: 'NO_SPACE' } }, { outcome: 'not-run', error: null }],
    });
  });

  it('a change refused as stale before writing is not a change', () => {
    const [a] = plan.changes;
    if (a === undefined) throw new Error('fixture');
    const error = new ProvisionError('PLAN_STALE', 'changed since the plan');
    const doc = expectOutputMatches('apply', renderApplyJson({ command: 'apply', plan, outcomes: [{ change: a, outcome: 'failed', started: false, error }], error }));
    expect(doc).toMatchObject({ ok: false, changed: false, error: { hint: null } });
  });
});
