import type { Platform } from '../../src/config/model/declared.js';
import type { DetectedDrive } from '../../src/init/detect-drives.js';
import type { KindFindings } from '../../src/init/detect-locations.js';
import type { DetectedMachine } from '../../src/init/detect-machine.js';
import { createPathMapper } from '../../src/machine/path-mapper.js';

/** A machine as detectMachine would report it, without a disk behind it. */
export function machine(names: string[], user: string, platform: Platform = 'macos'): DetectedMachine {
  const home = platform === 'windows' ? `C:\\Users\\${user}` : platform === 'linux' ? `/home/${user}` : `/Users/${user}`;
  return { platform, paths: createPathMapper(platform, undefined), names, user, home: { machine: home, host: home }, homeExists: true };
}

export function drive(label: string, mountPoint: string, over: Partial<DetectedDrive> = {}): DetectedDrive {
  return {
    label,
    keyBase: label,
    mountPoint: { machine: mountPoint, host: mountPoint },
    freeBytes: 1e12,
    totalBytes: 2e12,
    fsType: 'apfs',
    writable: true,
    network: false,
    timeMachine: false,
    identity: {},
    ...over,
  };
}

/** Two device backups in the MobileSync folder, nothing else. */
export function backupsOnly(home: string): KindFindings[] {
  return [
    { kind: 'mobilesync', places: [{ path: `${home}/Library/Application Support/MobileSync/Backup`, name: 'Backup', state: { kind: 'folder', entries: 2, files: 40, bytes: 1_500_000 } }], extraLibraries: [] },
    { kind: 'photos', places: [], extraLibraries: [] },
    { kind: 'music', places: [], extraLibraries: [] },
  ];
}
