import { describe, expect, it } from 'vitest';
import type { DeclaredConfig } from '../../src/config/model/declared.js';
import { driveMountPoint, hostnames, machinePlatform, machineUsers } from '../../src/config/model/effective.js';

const config: DeclaredConfig = {
  version: 1,
  drives: {
    archive: { volume: 'Archive 2TB' },
    shelf: { volume: 'Shelf', mount: '/srv/shelf/' },
    bare: {},
  },
  users: {
    alex: { mobilesync: { drive: 'archive', path: 'MobileSync/alex' } },
    sam: { home: '/Users/sam', mobilesync: { drive: 'archive', path: 'MobileSync/sam' } },
    kim: {},
  },
  machines: {
    imac: { hostname: 'iMac', users: ['alex', 'sam'] },
    air: {
      hostname: ['Air', 'air.local'],
      platform: 'macos',
      users: { alex: { mobilesync: { path: 'MobileSync/alex-air' } }, sam: false, kim: null },
    },
    pc: {
      hostname: 'PC',
      platform: 'windows',
      users: { sam: { home: 'D:\\sam', mobilesync: { drive: 'shelf' } }, alex: { mobilesync: false }, kim: {} },
      drives: { archive: 'e:', shelf: 'F:/' },
    },
    nas: { hostname: 'nas', platform: 'linux', users: ['kim'], drives: { archive: '/mnt/archive/' } },
  },
};

describe('machineUsers', () => {
  it('gives a listed user their own settings, with where they are listed', () => {
    expect(machineUsers(config, 'imac')).toEqual([
      { name: 'alex', mobilesync: { drive: 'archive', path: 'MobileSync/alex' }, path: ['machines', 'imac', 'users', 0] },
      { name: 'sam', home: '/Users/sam', mobilesync: { drive: 'archive', path: 'MobileSync/sam' }, path: ['machines', 'imac', 'users', 1] },
    ]);
  });

  it('merges overrides over the user, leaves out opted-out users, and treats null as "as declared"', () => {
    expect(machineUsers(config, 'air')).toEqual([
      { name: 'alex', mobilesync: { drive: 'archive', path: 'MobileSync/alex-air' }, path: ['machines', 'air', 'users', 'alex'] },
      { name: 'kim', path: ['machines', 'air', 'users', 'kim'] },
    ]);
  });

  it('drops a location set to false and overrides home', () => {
    expect(machineUsers(config, 'pc')).toEqual([
      { name: 'sam', home: 'D:\\sam', mobilesync: { drive: 'shelf', path: 'MobileSync/sam' }, path: ['machines', 'pc', 'users', 'sam'] },
      { name: 'alex', path: ['machines', 'pc', 'users', 'alex'] },
      { name: 'kim', path: ['machines', 'pc', 'users', 'kim'] },
    ]);
  });

  it('knows no users for an unknown machine', () => {
    expect(machineUsers(config, 'nope')).toEqual([]);
    expect(machineUsers(config, 'constructor')).toEqual([]);
  });
});

describe('driveMountPoint', () => {
  it('uses /Volumes/<volume> on a Mac, and a mount before that', () => {
    expect(driveMountPoint(config, 'imac', 'archive')).toEqual({ ok: true, mountPoint: '/Volumes/Archive 2TB' });
    expect(driveMountPoint(config, 'imac', 'shelf')).toEqual({ ok: true, mountPoint: '/srv/shelf' });
  });

  it("prefers the machine's drives: entry: a drive root on Windows, a mount point elsewhere", () => {
    expect(driveMountPoint(config, 'pc', 'archive')).toEqual({ ok: true, mountPoint: 'E:\\' });
    expect(driveMountPoint(config, 'pc', 'shelf')).toEqual({ ok: true, mountPoint: 'F:\\' });
    expect(driveMountPoint(config, 'nas', 'archive')).toEqual({ ok: true, mountPoint: '/mnt/archive' });
  });

  it('cannot place a drive on Windows without a letter, or on Linux without a mount point', () => {
    expect(driveMountPoint(config, 'pc', 'bare')).toMatchObject({ ok: false });
    expect(driveMountPoint({ ...config, machines: { ...config.machines, pc: { hostname: 'PC', platform: 'windows' } } }, 'pc', 'archive')).toMatchObject({ ok: false });
    expect(driveMountPoint(config, 'nas', 'shelf')).toEqual({ ok: true, mountPoint: '/srv/shelf' });
    expect(driveMountPoint(config, 'nas', 'bare')).toMatchObject({ ok: false });
    expect(driveMountPoint(config, 'imac', 'bare')).toMatchObject({ ok: false });
  });

  it('rejects unknown machines and drives, and malformed entries', () => {
    expect(driveMountPoint(config, 'nope', 'archive')).toMatchObject({ ok: false });
    expect(driveMountPoint(config, 'imac', 'toString')).toMatchObject({ ok: false });
    const bad: DeclaredConfig = { version: 1, drives: { a: { volume: 'A' } }, machines: { pc: { hostname: 'p', platform: 'windows', drives: { a: 'E:\\x' } }, m: { hostname: 'm', drives: { a: 'rel' } } } };
    expect(driveMountPoint(bad, 'pc', 'a')).toMatchObject({ ok: false });
    expect(driveMountPoint(bad, 'm', 'a')).toMatchObject({ ok: false });
  });
});

describe('machinePlatform and hostnames', () => {
  it('defaults to macos and lists names as an array', () => {
    expect(machinePlatform({ hostname: 'x' })).toBe('macos');
    expect(machinePlatform({ hostname: 'x', platform: 'linux' })).toBe('linux');
    expect(hostnames({ hostname: 'iMac' })).toEqual(['iMac']);
    expect(hostnames({ hostname: ['A', 'B'] })).toEqual(['A', 'B']);
  });
});
