import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { buildDesiredMachine } from '../../src/desired/desired-machine.js';
import type { MachineContext } from '../../src/desired/machine-context.js';
import { resolveUsers } from '../../src/desired/resolve-users.js';
import { createPathMapper } from '../../src/machine/path-mapper.js';

const YAML = `version: 1
drives:
  archive: { volume: Archive 2TB, id: 11111111-2222-3333-4444-555555555555 }
  tm: { volume: Time Machine }
  nas: { mount: /srv/backup }
users:
  alex:
    mobilesync: { drive: archive, path: MobileSync/alex }
    photos: { drive: archive, path: Photos/alex, libraries: [Family.photoslibrary] }
  sam:
    music: { drive: archive, path: Music/sam }
machines:
  imac:
    hostname: iMac
    platform: macos
    users: [alex, sam]
    timemachine:
      destinations: [{ drive: tm, quota: 500GB }, { share: box/Backups }]
  box:
    hostname: [box, box.lan]
    platform: linux
    users: [alex]
    shares:
      - { name: Backups, drive: nas, path: timemachine, users: [alex], timemachine: { quota: 1TB } }
`;

function context(machine: string, root: string): MachineContext {
  const loaded = parseConfig(YAML, '/dotfiles/backups.yaml');
  const platform = loaded.config.machines[machine]?.platform ?? 'macos';
  return { name: machine, platform, paths: createPathMapper(platform, root), loaded, runningAsRoot: true, invoker: { name: 'root' } };
}

describe('buildDesiredMachine: the declaration resolved once for one machine', () => {
  it('places every drive once, with its pins, and every location and destination refers to that one drive', () => {
    const ctx = context('imac', '/r');
    const m = buildDesiredMachine(ctx, resolveUsers(ctx, undefined));
    const archive = m.drives.get('archive');
    expect(archive).toMatchObject({ name: 'archive', mountPoint: { machine: '/Volumes/Archive 2TB', host: '/r/Volumes/Archive 2TB' }, pins: ['11111111-2222-3333-4444-555555555555'] });
    const [alex, sam] = m.users;
    expect(alex?.locations.mobilesync?.drive).toBe(archive);
    expect(alex?.locations.photos?.drive).toBe(archive);
    expect(sam?.locations.music?.drive).toBe(archive);
    expect(alex?.locations.photos).toMatchObject({ folder: { machine: '/Volumes/Archive 2TB/Photos/alex' }, segments: ['Photos', 'alex'], libraries: ['Family.photoslibrary'] });
    expect(alex?.locations.mobilesync?.libraries).toEqual([]);
    const [local, remote] = m.timemachine?.destinations ?? [];
    expect(local).toEqual({ drive: m.drives.get('tm'), quotaGB: 500 });
    expect(remote).toEqual({ share: { machine: 'box', name: 'Backups', account: 'alex', hostnames: ['box', 'box.lan'], protocol: 'smb' } });
    expect(m.timemachine?.exclusive).toBe(false);
    expect(m.shares).toBeUndefined();
  });

  it('gives a Linux machine its shares on its own drives, and leaves out the kinds that do not exist there', () => {
    const ctx = context('box', '/r');
    const m = buildDesiredMachine(ctx, resolveUsers(ctx, undefined));
    expect(m.shares).toEqual([
      { name: 'Backups', place: { drive: m.drives.get('nas'), folder: { machine: '/srv/backup/timemachine', host: '/r/srv/backup/timemachine' }, segments: ['timemachine'] }, users: ['alex'], timeMachine: true, quotaGB: 1000, clients: [{ machine: 'imac' }] },
    ]);
    // iOS backups do not exist on Linux, and photos are declared for alex on a Mac-only kind.
    expect(m.users.map((u) => Object.keys(u.locations))).toEqual([[]]);
    expect(m.timemachine).toBeUndefined();
    // The declaration stays behind: kinds read this value only.
    expect(m).not.toHaveProperty('loaded');
  });
});
