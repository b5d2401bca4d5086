import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load-config.js';
import { buildDesiredMachine } from '../../../src/desired/desired-machine.js';
import { resolveUsers } from '../../../src/desired/resolve-users.js';
import { createPathMapper } from '../../../src/machine/path-mapper.js';
import { parseDestinationInfo } from '../../../src/kinds/timemachine/destination-info.js';
import { desireTimeMachine } from '../../../src/kinds/timemachine/desire.js';
import { planTimeMachine } from '../../../src/kinds/timemachine/plan.js';
import type { ServerAnswer, TimeMachineDesired, TimeMachineObserved } from '../../../src/kinds/timemachine/types.js';
import { timeCapsuleHousehold } from '../../e2e/household.js';

/** The seed question: two Macs, one Time Capsule (a server provision does not manage), quotas. */
const HOUSEHOLD = timeCapsuleHousehold('10.0.1.1');

function desired(machine: string, yaml = HOUSEHOLD): TimeMachineDesired {
  const loaded = parseConfig(yaml, '/dotfiles/backups.yaml');
  const ctx = { name: machine, platform: 'macos' as const, paths: createPathMapper('macos', '/'), loaded, runningAsRoot: true, invoker: { name: 'root' } };
  const [tm] = desireTimeMachine(buildDesiredMachine(ctx, resolveUsers(ctx, undefined)));
  if (tm === undefined) throw new Error('no Time Machine desired');
  return tm;
}

const observed = (info: string, answers: (ServerAnswer | undefined)[]): TimeMachineObserved => ({
  root: true,
  interactive: false,
  info: { ok: true, destinations: parseDestinationInfo(info) },
  drives: answers.map(() => undefined),
  answers,
});

const LISTED = (url: string): string => `====================================================
Name          : Data
Kind          : Network
URL           : ${url}
ID            : 530BA50F-A553-46C3-A625-70DBABC72C9E
Quota         : 1000 GB
`;

describe('a share on a server provision does not manage', () => {
  it('is desired as smb://ACCOUNT@NAME.local/SHARE, tried under every declared name on the SMB port', () => {
    const d = desired('air');
    expect(d.destinations).toEqual([
      expect.objectContaining({
        label: 'share capsule/Data',
        target: 'smb://sam@Time-Capsule.local/Data',
        quotaGB: 1000,
        unmanaged: { server: 'capsule', protocol: 'smb', hosts: ['Time-Capsule.local', '10.0.1.1'], port: 445, account: 'sam', sizeGB: 2000, clients: [{ machine: 'imac', quotaGB: 1500 }, { machine: 'air', quotaGB: 1000 }] },
      }),
    ]);
  });

  it('a server that does not answer blocks the add, naming what each name said and the fix', () => {
    const c = planTimeMachine(desired('air'), observed('tmutil: No destinations configured.\n', [{ ok: false, tried: [{ host: 'Time-Capsule.local', reason: 'the name is not found on this network' }, { host: '10.0.1.1', reason: 'no answer within 4 s' }] }]));
    expect(c.action).toBe('blocked');
    expect(c.blockers[0]?.code).toBe('TM_SERVER_NOT_ANSWERING');
    expect(c.blockers[0]?.reason).toContain('Time-Capsule.local: the name is not found on this network; 10.0.1.1: no answer within 4 s');
    expect(c.blockers[0]?.fix).toContain('turn capsule on');
  });

  it('a server that answers is added, and the plan says what it could not check; the quotas that do not fit are named', () => {
    const c = planTimeMachine(desired('air'), observed('tmutil: No destinations configured.\n', [{ ok: true, host: '10.0.1.1', address: '10.0.1.1' }]));
    expect(c.action).toBe('create');
    expect(c.steps).toEqual([
      expect.objectContaining({ op: 'tm-add-destination', target: 'smb://sam@Time-Capsule.local/Data' }),
      expect.objectContaining({ op: 'tm-set-quota', gb: 1000 }),
    ]);
    const codes = c.warnings.map((w) => w.code);
    expect(codes).toContain('TM_SERVER_NOT_MANAGED');
    expect(codes).toContain('SHARE_QUOTAS_EXCEED_LIMIT');
    expect(c.warnings.find((w) => w.code === 'SHARE_QUOTAS_EXCEED_LIMIT')?.message).toContain('(imac 1500 GB, air 1000 GB) add up to 2500 GB, more than the 2000 GB it holds');
    expect(codes).not.toContain('TM_AFP_RETIRING');
  });

  it('already there (under its address, as System Settings may store it): nothing to add, and the server is not asked', () => {
    const c = planTimeMachine(desired('air'), observed(LISTED('smb://sam@10.0.1.1/Data'), [undefined]));
    expect(c.action).toBe('none');
    expect(c.blockers).toEqual([]);
  });

  it('over AFP: afp:// URL on port 548, the keychain entry is "afp ", and the plan warns that AFP is retiring', () => {
    const yaml = HOUSEHOLD.replace('shares: [{ name: Data, users: [alex, sam], size: 2TB }]', 'shares: [{ name: Data, protocol: afp, account: household, size: 3TB }]');
    const d = desired('imac', yaml);
    expect(d.destinations[0]?.target).toBe('afp://household@Time-Capsule.local/Data');
    expect(d.destinations[0]?.unmanaged?.port).toBe(548);
    const c = planTimeMachine(d, observed('tmutil: No destinations configured.\n', [{ ok: true, host: 'Time-Capsule.local', address: '10.0.1.1' }]));
    expect(c.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['TM_SERVER_NOT_MANAGED', 'TM_AFP_RETIRING', 'TM_PASSWORD_FROM_KEYCHAIN']));
    expect(c.warnings.find((w) => w.code === 'TM_PASSWORD_FROM_KEYCHAIN')?.message).toContain("-a household -s Time-Capsule.local -r 'afp '");
    expect(c.warnings.map((w) => w.code)).not.toContain('SHARE_QUOTAS_EXCEED_LIMIT');
  });

  it('the same share over the other protocol is never removed by exclusive nor added twice', () => {
    const yaml = HOUSEHOLD.replace('timemachine: { destinations: [{ share: capsule/Data, quota: 1TB }] }', 'timemachine: { exclusive: true, destinations: [{ share: capsule/Data, quota: 1TB }] }');
    const c = planTimeMachine(desired('air', yaml), observed(LISTED('afp://sam@Time-Capsule.local/Data'), [undefined]));
    expect(c.steps.filter((s) => s.op !== 'tm-set-quota')).toEqual([]);
    expect(c.warnings.find((w) => w.code === 'TM_DESTINATION_MAYBE_DECLARED')?.message).toContain('over AFP rather than SMB as declared');
  });

  it('two Macs on one share, one without a quota: the plan says each needs its own', () => {
    const yaml = HOUSEHOLD.replace('{ share: capsule/Data, quota: 1500GB }', '{ share: capsule/Data }');
    const c = planTimeMachine(desired('air', yaml), observed(LISTED('smb://sam@Time-Capsule.local/Data'), [undefined]));
    expect(c.warnings.map((w) => w.code)).toEqual(['SHARE_CLIENT_WITHOUT_QUOTA']);
    expect(c.warnings[0]?.message).toContain('imac declares no quota');
  });
});
