import { describe, expect, it } from 'vitest';
import { parseDestinationInfo, withoutPassword } from '../../../src/kinds/timemachine/destination-info.js';
import { matches } from '../../../src/kinds/timemachine/match.js';
import { planTimeMachine } from '../../../src/kinds/timemachine/plan.js';
import type { TimeMachineDesired, TimeMachineObserved } from '../../../src/kinds/timemachine/types.js';

/** The sample in platform-facts.md ("tmutil"). */
const SAMPLE = `====================================================
Name          : Backup_Drive
Kind          : Local
Mount Point   : /Volumes/Backup_Drive
ID            : 12345678-E876-4242-92A3-41DAF53EFE4E
====================================================
Name          : timemachine
Kind          : Network
URL           : smb://smbuser@tm._smb._tcp.local./timemachine
ID            : 530BA50F-A553-46C3-A625-70DBABC72C9E
Quota         : 380 GB
`;

const desired: TimeMachineDesired = {
  id: 'timemachine',
  machine: 'air',
  exclusive: false,
  destinations: [
    { label: 'share tm/timemachine', target: 'smb://smbuser@tm.local/timemachine', match: { user: 'smbuser', host: 'tm.local', share: 'timemachine' }, quotaGB: 380 },
  ],
};
const observed = (text: string, over: Partial<TimeMachineObserved> = {}): TimeMachineObserved => ({
  root: true,
  interactive: false,
  info: { ok: true, destinations: parseDestinationInfo(text) },
  drives: [undefined],
  answers: [undefined],
  ...over,
});

describe('tmutil destinationinfo', () => {
  it('reads the documented layout, the quota included; none configured is an empty list', () => {
    expect(parseDestinationInfo(SAMPLE)).toEqual([
      { name: 'Backup_Drive', kind: 'Local', mountPoint: '/Volumes/Backup_Drive', id: '12345678-E876-4242-92A3-41DAF53EFE4E' },
      { name: 'timemachine', kind: 'Network', url: 'smb://smbuser@tm._smb._tcp.local./timemachine', id: '530BA50F-A553-46C3-A625-70DBABC72C9E', quotaGB: 380 },
    ]);
    expect(parseDestinationInfo('tmutil: No destinations configured.\n')).toEqual([]);
    expect(() => parseDestinationInfo('====================================================\nName          : x\n')).toThrow(/no ID/);
  });

  it('a "> " before the current destination (TMUTIL_CURRENT_MARKER) reads the same destinations, that one marked current', () => {
    const marked = SAMPLE.replace('Name          : timemachine', '> Name          : timemachine');
    expect(parseDestinationInfo(marked)).toEqual(parseDestinationInfo(SAMPLE).map((d) => (d.name === 'timemachine' ? { ...d, current: true } : d)));
    // A plan reads them exactly as without the marker: nothing to change.
    expect(planTimeMachine(desired, observed(marked)).action).toBe('none');
  });

  it('matches a share however Bonjour writes the host, and never shows a password', () => {
    const [, net] = parseDestinationInfo(SAMPLE);
    expect(net !== undefined && matches(net, { user: 'SMBUSER', host: 'tm.local', share: 'TimeMachine' })).toBe(true);
    expect(net !== undefined && matches(net, { user: 'other', host: 'tm.local', share: 'timemachine' })).toBe(false);
    expect(withoutPassword('smb://sam:secret@nas.local/Backups')).toBe('smb://sam@nas.local/Backups');
    expect(withoutPassword('afp://sam:secret@Time-Capsule.local/Data')).toBe('afp://sam@Time-Capsule.local/Data');
  });
});

describe('planTimeMachine (pure)', () => {
  it('already as declared: nothing to do', () => {
    expect(planTimeMachine(desired, observed(SAMPLE)).action).toBe('none');
  });

  it('a different quota is set; a missing destination is added with -a after the others', () => {
    const c = planTimeMachine({ ...desired, destinations: [{ ...desired.destinations[0]!, quotaGB: 500 }] }, observed(SAMPLE));
    expect(c.steps).toEqual([{ op: 'tm-set-quota', match: desired.destinations[0]!.match, gb: 500, label: 'share tm/timemachine' }]);
    const other = planTimeMachine(
      { ...desired, destinations: [{ label: 'share nas/B', target: 'smb://sam@nas.local/B', match: { user: 'sam', host: 'nas.local', share: 'B' } }] },
      observed(SAMPLE, { interactive: true }),
    );
    expect(other.steps).toEqual([{ op: 'tm-add-destination', target: 'smb://sam@nas.local/B', label: 'share nas/B', append: true, prompt: true, match: { user: 'sam', host: 'nas.local', share: 'B' } }]);
  });

  it('without root the changes are planned with a note that they need sudo', () => {
    const c = planTimeMachine(desired, observed('tmutil: No destinations configured.\n', { root: false }));
    expect(c.action).toBe('create');
    expect(c.warnings.map((w) => w.code)).toContain('TM_NEEDS_ROOT');
  });

  it('exclusive removes what is not declared, then adds without -a', () => {
    const c = planTimeMachine(
      { ...desired, exclusive: true, destinations: [{ label: 'share nas/B', target: 'smb://sam@nas.local/B', match: { user: 'sam', host: 'nas.local', share: 'B' } }] },
      observed(SAMPLE),
    );
    expect(c.steps.map((s) => s.op)).toEqual(['tm-remove-destination', 'tm-remove-destination', 'tm-add-destination']);
    expect(c.steps[2]).toMatchObject({ append: false });
  });

  it('an unreadable Time Machine state blocks', () => {
    const c = planTimeMachine(desired, { ...observed(''), info: { ok: false, message: 'tmutil needs Full Disk Access', hint: 'h' } });
    expect(c.blockers.map((b) => b.code)).toEqual(['TM_UNREADABLE']);
  });
});

/** One destination in the text form, as tmutil destinationinfo lists it. */
function listed(...urls: string[]): string {
  return urls
    .map((url, i) => `====================================================\nName          : Backups\nKind          : Network\nURL           : ${url}\nID            : 0000000${i}-0000-4000-8000-000000000000\n`)
    .join('');
}

describe('a share destination under every name macOS may store it by', () => {
  // Anna's iMac shares Backups; it is declared by its ComputerName or its LocalHostName, maybe with an address.
  const want = (hostnames: string[], exclusive = false): TimeMachineDesired => ({
    id: 'timemachine',
    machine: 'air',
    exclusive,
    destinations: [
      {
        label: 'share imac/Backups',
        target: `smb://alex@${hostnames[0]}/Backups`,
        match: { user: 'alex', host: `${(hostnames[0] ?? '').replace(/\s+/g, '-')}.local`, share: 'Backups', hosts: hostnames },
      },
    ],
  });
  const FORMS = [
    'smb://alex@Anna%E2%80%99s%20iMac._smb._tcp.local/Backups', // System Settings: the Bonjour service name, the ComputerName encoded
    'smb://alex@Anna%E2%80%99s%20iMac._smb._tcp.local./Backups',
    'smb://alex@Annas-iMac.local/Backups', // the LocalHostName
    'smb://alex@annas-imac._smb._tcp.local/Backups',
    'smb://alex@Annas-iMac/Backups',
  ];

  it('each form is the declared share, whether the server is declared by its ComputerName or its LocalHostName: nothing added, nothing removed', () => {
    for (const names of [['Anna’s iMac'], ['Annas-iMac'], ['Annas-iMac', 'Anna’s iMac']]) {
      for (const url of FORMS) {
        const c = planTimeMachine(want(names, true), observed(listed(url)));
        expect([names, url, c.action, c.steps]).toEqual([names, url, 'none', []]);
      }
    }
  });

  it('an address is the declared share when it is among the declared names', () => {
    expect(planTimeMachine(want(['Annas-iMac', '192.168.1.20'], true), observed(listed('smb://alex@192.168.1.20/Backups'))).action).toBe('none');
  });

  it('an address or a service name that is none of its names: never removed by exclusive, never duplicated, and the plan says how to settle it', () => {
    for (const url of ['smb://alex@192.168.1.20/Backups', 'smb://alex@Family%20Storage._smb._tcp.local/Backups']) {
      const c = planTimeMachine(want(['Annas-iMac'], true), observed(listed(url, 'smb://alex@old-nas.local/Other')));
      // Only the other share goes; the one that may be the declared one stays, and nothing is added.
      expect(c.steps).toEqual([{ op: 'tm-remove-destination', id: '00000001-0000-4000-8000-000000000000', label: 'Backups' }]);
      const w = c.warnings.find((x) => x.code === 'TM_DESTINATION_MAYBE_DECLARED');
      expect(w?.message).toContain(url.includes('192') ? 'add its address to its hostname: list' : 'add "Family Storage" to its hostname: list');
    }
  });

  it('another account or another share is another destination', () => {
    const c = planTimeMachine(want(['Annas-iMac'], true), observed(listed('smb://sam@Annas-iMac.local/Backups', 'smb://alex@Annas-iMac.local/Music')));
    expect(c.steps.map((s) => s.op)).toEqual(['tm-remove-destination', 'tm-remove-destination', 'tm-add-destination']);
  });
});
