import type { Blocker, Change, Warning } from '../../engine/types.js';
import type { TimeMachineStep } from './steps.js';
import { driveBlocker } from '../../drives/drive-blockers.js';
import { withoutPassword } from './destination-info.js';
import { decodeHost, isAddress, matches, relation, urlHost, urlScheme } from './match.js';
import { serverShareFitWarnings } from './server-share-fit.js';
import type { ServerAnswer, TimeMachineDesired, TimeMachineObserved, TmDestinationDesired, UnmanagedDestination } from './types.js';

/** Formats Time Machine backs up to on a local drive (docs/platform-facts.md, verified). */
const TM_FORMATS = new Set(['apfs', 'hfs']);

/**
 * Pure: the tmutil calls that make this Mac's destinations what the declaration says.
 * Destinations not declared are left alone unless `exclusive`; quotas are set where declared.
 * Without root the changes are still planned (and shown as needing sudo): apply stops before them.
 */
export function planTimeMachine(d: TimeMachineDesired, o: TimeMachineObserved): Change {
  const blockers: Blocker[] = [];
  const warnings: Warning[] = [];
  const base = {
    id: d.id,
    kind: 'timemachine',
    title: 'Time Machine destinations',
    path: d.destinations.map((x) => x.label).join(', ') || '(none declared)',
    after: d.destinations.map((x) => x.label + (x.quotaGB === undefined ? '' : ` (quota ${x.quotaGB} GB)`)).join(', ') || 'none',
    moves: { files: 0, bytes: 0 },
  };
  if (!o.info.ok) {
    return { ...base, action: 'blocked', before: 'unknown', reason: 'blocked: see the reasons', blockers: [{ code: 'TM_UNREADABLE', reason: o.info.message, fix: o.info.hint }], warnings, steps: [] };
  }
  const now = o.info.destinations;
  const before = now.map((x) => `${x.name} (${x.kind}${x.url === undefined ? '' : `, ${withoutPassword(x.url)}`}${x.quotaGB === undefined ? '' : `, quota ${x.quotaGB} GB`})`).join(', ') || 'no destinations';

  const removes: TimeMachineStep[] = [];
  if (d.exclusive) {
    for (const x of now) {
      // A destination that may be a declared one under another name is never removed.
      if (!d.destinations.some((want) => relation(x, want.match) !== 'other')) removes.push({ op: 'tm-remove-destination', id: x.id, label: x.name });
    }
  }
  let remaining = now.length - removes.length;
  const adds: TimeMachineStep[] = [];
  const quotas: TimeMachineStep[] = [];
  d.destinations.forEach((want, i) => {
    const found = now.find((x) => matches(x, want.match));
    const maybe = found === undefined ? now.find((x) => relation(x, want.match) === 'maybe') : undefined;
    if (maybe !== undefined && 'share' in want.match && urlScheme(maybe.url ?? '') !== (want.match.protocol ?? 'smb')) {
      // The same share over the other protocol: Time Machine already backs up there.
      warnings.push({
        code: 'TM_DESTINATION_MAYBE_DECLARED',
        message: `this Mac backs up to ${withoutPassword(maybe.url ?? maybe.name)}, which is ${want.label} over ${(urlScheme(maybe.url ?? '') ?? '?').toUpperCase()} rather than ${(want.match.protocol ?? 'smb').toUpperCase()} as declared. provision leaves it as it is and adds nothing. To switch, remove it in System Settings > General > Time Machine and run provision apply; or declare the protocol it uses`,
      });
      return;
    }
    if (maybe !== undefined && 'share' in want.match) {
      // Adding the declared one beside it could make two destinations of one share.
      const seen = urlHost(maybe.url ?? '') ?? '?';
      warnings.push({
        code: 'TM_DESTINATION_MAYBE_DECLARED',
        message: `this Mac backs up to ${withoutPassword(maybe.url ?? maybe.name)}: the account and share of ${want.label}, on a host named ${seen}, which is none of the names that machine is declared by. provision leaves it as it is and adds nothing. If it is that machine, add ${isAddress(seen) ? 'its address' : JSON.stringify(decodeHost(seen))} to its hostname: list in backups.yaml; if it is another server, remove it in System Settings > General > Time Machine`,
      });
      return;
    }
    if (found === undefined && want.unmanaged !== undefined) {
      const answer = o.answers[i];
      if (answer !== undefined && !answer.ok) {
        blockers.push(notAnswering(want, want.unmanaged, answer.tried));
        return;
      }
      if (answer !== undefined) warnings.push(...addingUnmanaged(want, want.unmanaged, answer));
    }
    if (found === undefined) {
      const drive = o.drives[i];
      if (want.drive !== undefined && drive !== undefined) {
        if (drive.kind !== 'mounted') {
          blockers.push(driveBlocker({ drive: want.drive }, drive));
          return;
        }
        if (drive.fsType !== undefined && !TM_FORMATS.has(drive.fsType.toLowerCase())) {
          blockers.push({
            code: 'TM_DRIVE_FORMAT',
            reason: `drive ${want.drive.name} is formatted ${drive.fsType}; Time Machine backs up only to APFS or Mac OS Extended (Journaled)`,
            fix: `reformat ${want.drive.name} in Disk Utility (this erases it), or declare another drive`,
          });
          return;
        }
      }
      adds.push({ op: 'tm-add-destination', target: want.target, label: want.label, append: remaining > 0, prompt: want.drive === undefined && o.interactive, match: want.match });
      remaining++;
    }
    if (want.quotaGB !== undefined && found?.quotaGB !== want.quotaGB) quotas.push({ op: 'tm-set-quota', match: want.match, gb: want.quotaGB, label: want.label });
  });
  for (const want of d.destinations) warnings.push(...serverShareFitWarnings(want));
  const steps = [...removes, ...adds, ...quotas];
  if (steps.length > 0 && !o.root) {
    warnings.push({ code: 'TM_NEEDS_ROOT', message: 'changing Time Machine needs root: run sudo provision apply (apply without it stops before these changes)' });
  }
  if (steps.some((s) => s.op === 'tm-add-destination' && /^(smb|afp):/.test(s.target) && !s.prompt)) {
    warnings.push({
      code: 'TM_PASSWORD_FROM_KEYCHAIN',
      // backupd and a sudo tmutil run as root: a password saved from Finder goes to the user's
      // login keychain, which root may not search (TM_PASSWORD_IN_SYSTEM_KEYCHAIN).
      message: `no terminal to type the share's password into: tmutil must find it saved where root looks. Either run provision apply in a terminal (tmutil then asks for it, -p), or save it first in the System keychain: sudo security add-internet-password -a ${shareAccounts(steps)} -s ${shareHosts(steps)} -r '${keychainProtocol(steps)}' /Library/Keychains/System.keychain -w (it asks for the password; never type it on the command line). A password saved from Finder goes to your login keychain, where root may not find it`,
    });
  }
  const blocked = blockers.length > 0;
  const onlyQuotas = removes.length === 0 && adds.length === 0;
  return {
    ...base,
    action: blocked ? 'blocked' : steps.length === 0 ? 'none' : now.length === 0 ? 'create' : 'update',
    before,
    reason: blocked
      ? 'blocked: see the reasons'
      : steps.length === 0
        ? 'as declared'
        : onlyQuotas
          ? 'quotas are set as declared'
          : `${adds.length} destination${adds.length === 1 ? '' : 's'} added${removes.length > 0 ? `, ${removes.length} not declared removed` : ''}`,
    blockers,
    warnings,
    steps: blocked ? [] : steps,
  };
}

/** The accounts of the shares about to be added, for the keychain command. */
function shareAccounts(steps: readonly TimeMachineStep[]): string {
  const users = new Set<string>();
  for (const s of steps) if (s.op === 'tm-add-destination' && 'user' in s.match) users.add(s.match.user);
  return [...users].join(' / ') || 'ACCOUNT';
}

/** The server of the shares about to be added, when there is one. */
function shareHosts(steps: readonly TimeMachineStep[]): string {
  const hosts = new Set(steps.flatMap((s) => (s.op === 'tm-add-destination' && 'share' in s.match ? [s.match.host] : [])));
  return hosts.size === 1 ? [...hosts].join('') : 'HOST';
}

/** The keychain's protocol code for the shares about to be added: 'afp ' when every one is AFP, else 'smb '. */
function keychainProtocol(steps: readonly TimeMachineStep[]): string {
  const shares = steps.flatMap((s) => (s.op === 'tm-add-destination' && 'share' in s.match ? [s.match] : []));
  return shares.length > 0 && shares.every((m) => m.protocol === 'afp') ? 'afp ' : 'smb ';
}

/** A server provision does not manage that answers under none of its names: its share cannot be added now. */
function notAnswering(want: TmDestinationDesired, u: UnmanagedDestination, tried: { host: string; reason: string }[]): Blocker {
  return {
    code: 'TM_SERVER_NOT_ANSWERING',
    reason: `${want.label}: server ${u.server} does not answer on its ${u.protocol.toUpperCase()} port (${u.port}) under any of its names: ${tried.map((t) => `${t.host}: ${t.reason}`).join('; ')}`,
    fix: `turn ${u.server} on and connect this Mac to its network (or correct servers.${u.server}.hostname in backups.yaml: a name or address this Mac can reach), then run provision apply again`,
  };
}

/** What the plan could and could not check of a server's share it is about to add, and AFP's end. */
function addingUnmanaged(want: TmDestinationDesired, u: UnmanagedDestination, answer: Extract<ServerAnswer, { ok: true }>): Warning[] {
  const out: Warning[] = [
    {
      code: 'TM_SERVER_NOT_MANAGED',
      message: `${u.server} answers at ${answer.host === answer.address ? answer.host : `${answer.host} (${answer.address})`}, port ${u.port}; provision does not manage it, so whether the share exists, offers Time Machine and takes ${u.account}'s password is known only when Time Machine signs in to it (tmutil says so if not)`,
    },
  ];
  if (u.protocol === 'afp') {
    out.push({
      code: 'TM_AFP_RETIRING',
      message: `${want.label} is reached over AFP, which Apple is retiring: macOS 26 warns that the next major version will not back up to AFP destinations such as a Time Capsule (docs/platform-facts.md). Plan its replacement: an SMB share (a NAS, or a Mac or Linux machine declared under machines:)`,
    });
  }
  return out;
}
