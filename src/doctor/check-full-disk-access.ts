import { FULL_DISK_ACCESS_PROBES } from '../assumptions.js';
import type { Session } from '../app/session.js';
import { errnoCode } from '../errors.js';
import type { HostReads } from '../host/host.js';
import { tildePath } from '../text/tilde-path.js';
import type { DoctorCheck } from './types.js';

const FIX = 'System Settings > Privacy & Security > Full Disk Access: add your terminal (Terminal, iTerm...) and turn it on, then open a new window';

/**
 * Full Disk Access (Macs only): whether the protected folders that exist can be listed (the
 * MobileSync folder provision moves, then Mail's and Safari's as a second probe for a user
 * with no iOS backup yet: FULL_DISK_ACCESS_PROBES). EPERM is how macOS refuses a terminal
 * without it; EACCES is an ordinary permission (another user's folder, when not run as root),
 * which blocks the plan just the same. A folder that is a link is not followed (it may lead to
 * a drive, and under --root it means a path on the machine).
 */
export async function checkFullDiskAccess(run: Session, reads: HostReads): Promise<DoctorCheck | undefined> {
  const { ctx } = run;
  if (ctx.platform !== 'macos' || run.users.length === 0) return undefined;
  const listed: string[] = [];
  const refused: { path: string; code: string }[] = [];
  for (const u of run.users) {
    for (const segments of FULL_DISK_ACCESS_PROBES) {
      const machinePath = ctx.paths.machine.join(u.desired.home.machine, ...segments);
      const st = await reads.lstat(ctx.paths.toHost(machinePath));
      if (st?.kind !== 'directory') continue;
      try {
        await reads.readdir(ctx.paths.toHost(machinePath));
        // ~alex/... as a shell writes another user's home, when there are several.
        const short = tildePath(machinePath, u.desired.home.machine);
        listed.push(run.users.length > 1 ? short.replace(/^~/, `~${u.desired.name}`) : short);
      } catch (e) {
        const code = errnoCode(e) ?? 'an error';
        refused.push({ path: machinePath, code });
      }
    }
  }
  const title = 'Full Disk Access';
  if (refused.length > 0) {
    const eperm = refused.some((r) => r.code === 'EPERM');
    return {
      id: 'full-disk-access',
      title,
      status: 'problem',
      code: eperm ? 'FULL_DISK_ACCESS' : 'PERMISSION',
      found: eperm
        ? `the terminal lacks Full Disk Access: macOS refused to list ${refused.map((r) => r.path).join(', ')} (EPERM)`
        : `permission denied listing ${refused.map((r) => `${r.path} (${r.code})`).join(', ')}`,
      details: refused.map((r) => `${r.path}: ${r.code}`),
      fix: eperm ? FIX : `run provision as the folder's owner, or with sudo; on a Mac also check Full Disk Access (${FIX})`,
    };
  }
  if (listed.length === 0) {
    return {
      id: 'full-disk-access',
      title,
      status: 'warning',
      code: 'FULL_DISK_ACCESS_UNKNOWN',
      found: 'could not tell: none of the folders macOS protects (MobileSync, Mail, Safari) exists yet in the homes looked at',
      details: [],
      fix: `if plan later reports a folder it cannot read: ${FIX}`,
    };
  }
  return { id: 'full-disk-access', title, status: 'ok', found: `the protected folders can be listed: ${[...new Set(listed)].join(', ')}`, details: [] };
}
