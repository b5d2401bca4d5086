import path from 'node:path';
import type { HostReads } from '../../host/host.js';
import { keptName, readKeptRecord, type KeptRecord } from '../../engine/kept/kept-record.js';
import type { Change, Step, Warning } from '../../engine/types.js';
import { formatBytes } from '../../text/units.js';
import type { RemoveKeptOriginalStep } from './steps.js';
import type { AppLibraryDesired, AppLibraryObserved, KeptObserved, PreferenceObserved } from './types.js';

/**
 * Originals kept beside a library's link after its move (RelocateStep.keepOriginal), found by
 * their name (`<library> (original, kept by provision)`, or that name numbered) and read with
 * their record. Anything else in the folder is not looked at.
 */
export async function findKeptOriginals(host: HostReads, linkPath: string): Promise<KeptObserved[]> {
  const dir = path.dirname(linkPath);
  const prefix = keptName(path.basename(linkPath));
  const names = (await host.readdir(dir).catch(() => [] as string[])).filter((n) => n === prefix || (n.startsWith(prefix) && /^ \d+$/.test(n.slice(prefix.length))));
  const found: KeptObserved[] = [];
  for (const name of names.sort()) {
    const p = path.join(dir, name);
    if ((await host.lstat(p))?.kind !== 'directory') continue;
    found.push({ path: p, record: await readKeptRecord(host, p) });
  }
  return found;
}

/** A kept original's path as the machine sees it: beside the library's link, under its own name. */
export function keptOnMachine(d: AppLibraryDesired, hostPath: string): string {
  const link = d.links[0]?.machine;
  if (link === undefined) return hostPath;
  const m = d.platform === 'windows' ? path.win32 : path.posix;
  return m.join(m.dirname(link), path.basename(hostPath));
}

/** Why a kept original may go now, in words, or undefined while it waits for its owner. */
export function whyRemovable(d: AppLibraryDesired, r: KeptRecord, opened: PreferenceObserved | undefined): string | undefined {
  if (r.confirmedAt !== undefined) return `you confirmed on ${r.confirmedAt.slice(0, 10)} that the moved library works`;
  if (opened === undefined || !opened.ok || opened.value === undefined) return undefined;
  const now = opened.value.replace(/\/+$/, '');
  const places = new Set([d.target.machine, r.linkTarget.replace(/\/+$/, '')]);
  // The setting must have changed to the moved library since the move: one that named it
  // already then says nothing about this move.
  if (places.has(now) && r.context['systemLibraryPath'] !== now) return `Photos now uses ${now} as its System Photo Library`;
  return undefined;
}

/**
 * What a library's kept originals add to its change: a removal step for each one its owner has
 * opened or confirmed (never in a scheduled run, never while the drive is away or the change is
 * blocked), a note for each one still waiting, saying how much it holds and what to do.
 */
export function keptOriginalsPlan(d: AppLibraryDesired, o: AppLibraryObserved, blocked: boolean): { steps: Step[]; warnings: Warning[] } {
  const steps: Step[] = [];
  const warnings: Warning[] = [];
  for (const k of o.kept ?? []) {
    if (!k.record.ok) {
      warnings.push({
        code: 'KEPT_ORIGINAL_UNRECOGNISED',
        message: `${keptOnMachine(d, k.path)} looks like an original provision kept, but ${k.record.reason}: provision leaves it alone. Once you have checked the library at ${d.target.machine}, delete it yourself`,
      });
      continue;
    }
    const r = k.record.record;
    const size = `${r.volume.files} files, ${formatBytes(r.volume.bytes)}`;
    const because = whyRemovable(d, r, o.opened);
    const driveHere = o.folder.drive.kind === 'mounted';
    if (because !== undefined && !blocked && driveHere && o.scheduled !== true) {
      const step: RemoveKeptOriginalStep = { op: 'remove-kept-original', kept: k.path, movedTo: r.movedTo, because, volume: r.volume };
      steps.push(step);
      continue;
    }
    const how = because !== undefined
      ? o.scheduled === true
        ? 'the next provision apply you run yourself removes it (a scheduled run never does)'
        : `it is removed once drive ${d.drive.name} is connected`
      : `open the moved library in Photos (hold Option while opening Photos, choose Other Library, pick ${d.target.machine}); ` +
        'if you use iCloud Photos, make it the System Photo Library (Photos > Settings > General). When it works, run `provision confirm-library` and then provision apply: the original is removed';
    warnings.push({
      code: 'KEPT_ORIGINAL_WAITING',
      message: `the original of this library is kept at ${keptOnMachine(d, k.path)} (${size}) until you have opened the moved one: ${how}`,
    });
  }
  return { steps, warnings };
}

/** The change of a library whose only work is removing kept originals. */
export function removalChange(base: Change, steps: readonly Step[], d: AppLibraryDesired): Pick<Change, 'action' | 'reason' | 'before' | 'after'> {
  const removals = steps.filter((s): s is RemoveKeptOriginalStep => s.op === 'remove-kept-original');
  const first = removals[0];
  return {
    action: 'update',
    reason: first === undefined ? base.reason : `${first.because}, so the original provision kept is removed`,
    before: `${base.before}; the original kept beside it, ${removals.map((r) => `"${path.basename(r.kept)}"`).join(', ')}`,
    after: `${base.after}; no original kept beside it (the library is at ${d.target.machine})`,
  };
}
