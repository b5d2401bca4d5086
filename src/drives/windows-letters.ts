import type { HostReads } from '../host/host.js';
import type { PathMapper } from '../machine/path-mapper.js';
import { expectedIdentity, identifyMounted } from './identify-drive.js';
import { isMountPoint } from './is-mount-point.js';
import type { DesiredDrive } from './types.js';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** "E:\" (a drive letter's root, as a Windows machine path). */
export function isLetterRoot(machinePath: string): boolean {
  return /^[A-Za-z]:\\$/.test(machinePath);
}

/**
 * The \\server\share a Windows letter stands for, when it is a mapped network drive; undefined
 * for a local volume or when the system cannot tell. Node's realpath on Windows is libuv's
 * GetFinalPathNameByHandleW, which answers a UNC path (\\?\UNC\server\share, given back as
 * \\server\share) for a mapped drive (docs/platform-facts.md, "Windows drive letters";
 * WINDOWS_NETWORK_LETTER_BY_REALPATH).
 */
export async function networkShare(host: HostReads, hostPath: string): Promise<string | undefined> {
  const real = await host.realpath(hostPath).catch(() => undefined);
  return real !== undefined && real.startsWith('\\\\') ? real.replace(/\\$/, '') : undefined;
}

/**
 * Windows gives a drive whatever letter is free when it is plugged in: the drive declared as E:
 * can come back as F:. Each declared drive whose identity is known (pinned, or recorded when
 * provision first wrote to it) and that is not at its declared letter is looked for under every
 * other letter, by that identity, never by its name; the letters where it is found now, by
 * drive name. Network letters are never taken. A drive whose identity is not known yet is not
 * looked for: another drive could take its place.
 */
export async function findMovedLetters(host: HostReads, paths: PathMapper, drives: Iterable<DesiredDrive>): Promise<Map<string, string>> {
  const moved = new Map<string, string>();
  const taken = new Set<string>();
  for (const drive of drives) {
    if (!isLetterRoot(drive.mountPoint.machine)) continue;
    const expected = await expectedIdentity(host, drive);
    if (expected.from === 'nothing') continue;
    const declared = drive.mountPoint.machine[0]?.toUpperCase() ?? '';
    const home = drive.mountPoint.host;
    if ((await isLocalVolume(host, home)) && (await identifyMounted(host, home, expected)).ok) continue;
    for (const letter of LETTERS) {
      if (letter === declared || taken.has(letter)) continue;
      const at = paths.toHost(`${letter}:\\`);
      if (!(await isLocalVolume(host, at))) continue;
      if ((await identifyMounted(host, at, expected)).ok) {
        moved.set(drive.name, `${letter}:`);
        taken.add(letter);
        break;
      }
    }
  }
  return moved;
}

async function isLocalVolume(host: HostReads, hostPath: string): Promise<boolean> {
  const st = await host.lstat(hostPath);
  if (st?.kind !== 'directory') return false;
  if ((await networkShare(host, hostPath)) !== undefined) return false;
  return isMountPoint(host, hostPath);
}
