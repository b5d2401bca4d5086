import { ProvisionError, isProvisionError } from '../errors.js';
import type { HostReads, RunResult } from '../host/host.js';

/** One line of macOS's `mount` listing. */
export interface MountLine {
  device: string;
  mountPoint: string;
  /** The file system type: apfs, hfs, msdos, exfat, smbfs, afpfs, nfs, webdav, ... */
  type: string;
  options: string[];
}

/**
 * Reads one line of macOS mount(8)'s listing: `<device> on <mount point> (<type>, <options>)`
 * (docs/platform-facts.md). The options never hold parentheses, but a mount point may ("/Users/x/
 * volatile (vault.lan)" in a published sample), so the options are the last " (...)"; the device
 * ends at the first " on " (an SMB device percent-encodes its spaces).
 */
export function parseMountLine(line: string): MountLine | undefined {
  const trimmed = line.trimEnd();
  if (!trimmed.endsWith(')')) return undefined;
  const open = trimmed.lastIndexOf(' (');
  if (open < 0) return undefined;
  const head = trimmed.slice(0, open);
  const on = head.indexOf(' on ');
  if (on <= 0) return undefined;
  const [type, ...options] = trimmed
    .slice(open + 2, -1)
    .split(',')
    .map((s) => s.trim());
  if (type === undefined || type === '') return undefined;
  return { device: head.slice(0, on), mountPoint: head.slice(on + 4), type, options };
}

/** Drops trailing slashes, so "/Volumes/X/" is "/Volumes/X". */
function normalize(p: string): string {
  const trimmed = p.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/**
 * The file system type macOS's `mount` lists for exactly this mount point, or undefined when
 * nothing is mounted there. This is how a Mac's network share is recognised: Node's statfs gives
 * no type name on macOS, and diskutil answers "Could not find disk" for an SMB, AFP, NFS or
 * WebDAV mount. Ask only on a Mac (Linux's mount prints another layout). A failing mount is a
 * ProvisionError (COMMAND_FAILED), never a crash.
 */
export async function macMountType(host: HostReads, mountPoint: string): Promise<string | undefined> {
  let result: RunResult;
  try {
    result = await host.query('mount', []);
  } catch (e) {
    if (isProvisionError(e)) throw e;
    throw new ProvisionError('COMMAND_FAILED', 'mount (listing what is mounted) could not be run', { cause: e });
  }
  if (result.exitCode !== 0) {
    const detail = result.stderr.trim();
    throw new ProvisionError('COMMAND_FAILED', `mount failed (exit ${result.exitCode})${detail === '' ? '' : `: ${detail}`}`, {
      hint: 'Run "mount" yourself to see what it says.',
    });
  }
  const want = normalize(mountPoint);
  // The last line for a mount point wins: a later mount hides an earlier one there.
  let found: string | undefined;
  for (const line of result.stdout.split('\n')) {
    const m = parseMountLine(line);
    if (m !== undefined && normalize(m.mountPoint) === want) found = m.type;
  }
  return found;
}
