/**
 * The checks beyond the schema. Each check's failing case with its position lives in the bad
 * corpus (fixtures/configs/bad/invalid-*.yaml); these tests cover how checks combine and where
 * they deliberately stay quiet.
 */

import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { EXAMPLE, problemSpots } from './fixtures.js';

const HEAD = `version: 1
drives:
  archive: { volume: Archive }
users:
  alex: { mobilesync: { drive: archive, path: MobileSync/alex } }
  sam: { mobilesync: { drive: archive, path: MobileSync/sam } }
`;

describe('semantic checks', () => {
  it('reports every problem at once, in file order', () => {
    const spots = problemSpots(`${HEAD}machines:
  imac:
    hostname: iMac
    users: [alex, sal]
    drives: { archiv: /Volumes/A }
  mini:
    hostname: IMAC
    users: { sam: { mobilesync: { path: /abs } } }
  pc:
    hostname: pc
    platform: windows
    users: [alex]
`);
    expect(spots).toEqual([
      'CONFIG_INVALID 10:19', // unknown user sal
      'CONFIG_INVALID 11:15', // unknown drive archiv
      'CONFIG_INVALID 13:15', // hostname IMAC taken by imac
      'CONFIG_INVALID 14:41', // absolute path
      'CONFIG_INVALID 18:13', // Windows needs a letter for archive
    ]);
  });

  it('lets one user keep one folder from several machines (that is what a user location means)', () => {
    expect(() => parseConfig(EXAMPLE, 'f.yaml')).not.toThrow();
  });

  it('sees one folder through case and spelling differences, and nesting, between users', () => {
    expect(problemSpots(`${HEAD}machines:
  imac:
    hostname: iMac
    users: { alex: {}, sam: { mobilesync: { path: ./mobilesync//ALEX/ } } }
`)).toEqual(['CONFIG_INVALID 10:51']);
    expect(problemSpots(`${HEAD}machines:
  imac:
    hostname: iMac
    users: { alex: { mobilesync: { path: MobileSync } }, sam: {} }
`)).toEqual(['CONFIG_INVALID 6:46']); // sam's folder, inside the one alex's override chose
  });

  it('points at the second machine when the same declared folder clashes through it', () => {
    // alex's folder nests inside sam's on the PC only; the override on the PC is what to change.
    expect(problemSpots(`${HEAD}machines:
  imac: { hostname: iMac, users: [sam] }
  pc: { hostname: pc, users: { alex: { mobilesync: { path: MobileSync/sam/alex } } } }
`)).toEqual(['CONFIG_INVALID 9:60']);
  });

  it('allows the same folder on different drives', () => {
    expect(() =>
      parseConfig(`${HEAD.replace('archive: { volume: Archive }', 'archive: { volume: Archive }\n  other: { volume: Other }')}machines:
  imac: { hostname: iMac, users: { alex: {}, sam: { mobilesync: { drive: other, path: MobileSync/alex } } } }
`, 'f.yaml'),
    ).not.toThrow();
  });

  it('accepts a drive known only by letters when every machine using it gives one', () => {
    const text = `version: 1
drives:
  usb: {}
users:
  alex: { mobilesync: { drive: usb, path: Backups } }
machines:
  pc: { hostname: pc, platform: windows, users: [alex], drives: { usb: 'F:' } }
`;
    expect(() => parseConfig(text, 'f.yaml')).not.toThrow();
    expect(problemSpots(`${text}  mac: { hostname: mac, users: [alex] }\n`)).toEqual(['CONFIG_INVALID 3:8']);
  });

  it('checks a home folder against each platform it is used on', () => {
    const text = `version: 1
users:
  alex: { home: /Users/alex }
machines:
  mac: { hostname: mac, users: [alex] }
  pc: { hostname: pc, platform: windows, users: [alex] }
`;
    expect(problemSpots(text)).toEqual(['CONFIG_INVALID 3:17']);
    const fixed = text.replace('platform: windows, users: [alex] }', "platform: windows, users: { alex: { home: 'C:\\Users\\alex' } } }");
    expect(() => parseConfig(fixed, 'f.yaml')).not.toThrow();
  });

  it('needs a complete location after merging', () => {
    expect(problemSpots(`version: 1
drives: { archive: { volume: A } }
users: { kim: {} }
machines:
  mac: { hostname: mac, users: { kim: { mobilesync: { drive: archive } } } }
`)).toEqual(['CONFIG_INVALID 5:53']);
  });
});

describe('the check of folders grows linearly with the household', () => {
  const users = (n: number): string[] => Array.from({ length: n }, (_, i) => `u${String(i).padStart(4, '0')}`);
  /** `machines` machines, each listing every user; each user's location is declared once, for all. */
  const household = (names: string[], machines: number, path: (user: string) => string): string => {
    const lines = ['version: 1', 'drives:', '  archive: { volume: Archive }', 'users:'];
    for (const u of names) lines.push(`  ${u}: { mobilesync: { drive: archive, path: ${path(u)} }, photos: { drive: archive, path: Photos/${path(u)} } }`);
    lines.push('machines:');
    for (let m = 0; m < machines; m++) lines.push(`  m${m}: { hostname: Mac-${m}, users: [${names.join(', ')}] }`);
    return `${lines.join('\n')}\n`;
  };
  const cpuMs = (f: () => void): number => {
    const start = process.cpuUsage();
    f();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
  // The best of three: a pause of the machine only ever adds.
  const best = (f: () => void): number => Math.min(cpuMs(f), cpuMs(f), cpuMs(f));

  it('accepts each user in one folder from many machines in time linear in the machines', () => {
    // Every machine lists the same five users: the same five folders, placed once per machine.
    // Each machine's look used to pass over every earlier machine's placements: 8,000 machines
    // took 17 s.
    const five = users(5);
    const small = household(five, 1500, (u) => `MobileSync/${u}`);
    const large = household(five, 6000, (u) => `MobileSync/${u}`);
    const accept = (text: string) => () => {
      parseConfig(text, 'f.yaml');
    };
    accept(small)(); // warm: the first run compiles the validator and the parser's code
    const ratio = best(accept(large)) / best(accept(small));
    // Linear is 4; quadratic was about 15.
    expect(ratio).toBeLessThan(6.5);
  }, 120_000);

  it('refuses many users in one folder on many machines in time linear in the file', () => {
    // 300 users all in one folder, listed on every machine: each placement clashes, and each
    // machine's look passed over every clash already reported with the earlier machines.
    const many = users(300);
    const refuse = (text: string) => () => {
      expect(() => parseConfig(text, 'f.yaml')).toThrow(/their data would mix/);
    };
    const small = household(many, 20, () => 'Shared');
    const large = household(many, 80, () => 'Shared');
    refuse(small)();
    const ratio = best(refuse(large)) / best(refuse(small));
    expect(ratio).toBeLessThan(6.5);
  }, 120_000);
});
