import { isCoreStep, type Blocker, type Change, type CoreStep, type Step, type Warning } from '../../engine/types.js';
import type { SetPreferenceStep } from './steps.js';
import { changeHeader } from '../linked-folder/describe.js';
import { nothingThere, planLinkedFolder } from '../linked-folder/plan.js';
import path from 'node:path';
import { keptName } from '../../engine/kept/kept-record.js';
import { appsBlockers } from './apps-blockers.js';
import { iPhotoCannotRun } from './iphoto-runs.js';
import { keptOriginalsPlan, removalChange } from './kept-originals.js';
import { appleDriveProblems } from './drive-rules.js';
import type { AppLibraryDesired, AppLibraryObserved } from './types.js';

/**
 * Pure: desired + observed → the change for one app library, or undefined when the user has no
 * such library anywhere. The linked-folder planner decides the moves; this adds what a library
 * needs beyond that: the running-app and drive rules, the app's pointer, and what to tell the user.
 */
export function planAppLibrary(d: AppLibraryDesired, o: AppLibraryObserved): Change | undefined {
  if (nothingThere(o.folder)) return d.declared ? notFound(d) : undefined;
  const base = planLinkedFolder(d, o.folder);
  const blockers = base.blockers.map((b) => (b.code === 'BOTH_SIDES' ? bothSides(d, o, b) : b.code === 'HARD_LINKS_OUTSIDE' ? migratedLibrary(d, o, b) : b));
  const warnings = [...base.warnings];
  const steps: Step[] = base.steps.map((s) => (isCoreStep(s) && s.op === 'relocate' ? libraryMove(d, o, s) : s));

  const pref = preferenceStep(d, o, blockers, warnings);
  if (pref !== undefined) steps.push(pref);

  const rules = appleDriveProblems(d, o.folder.drive);
  // Recording which drive holds the library changes nothing of it: no app or drive rule applies to that.
  const changes = steps.some((s) => s.op !== 'remember-drive');
  if (changes) blockers.push(...rules);
  else warnings.push(...rules.map((r) => ({ code: r.code, message: `${r.reason}; ${r.fix}` })));
  if (changes) blockers.push(...appsBlockers(d, o.apps, `moving the ${d.wholeNoun} while it is open could copy it half-written`, 'plan again'));

  if (d.family === 'photos' && o.folder.drive.kind !== 'mounted' && base.action === 'none') {
    warnings.push({
      code: 'PHOTOS_WAIT_FOR_DRIVE',
      message: `do not open Photos until drive ${d.drive.name} is back: without it Photos starts a new, empty library in its place`,
    });
  }
  if (d.family === 'photos' && steps.some((s) => s.op === 'relocate' || s.op === 'link')) {
    warnings.push({
      code: 'PHOTOS_CHOOSE_LIBRARY',
      message:
        `once this is applied, open Photos with the Option key held, choose Other Library and pick ${d.target.machine}; ` +
        'if you use iCloud Photos, then make it the System Photo Library (Photos > Settings > General). Photos remembers a library by a bookmark that no command can set',
    });
  }

  const blocked = blockers.length > 0;
  const kept = keptOriginalsPlan(d, o, blocked || base.action !== 'none');
  warnings.push(...kept.warnings);
  const prefOnly = pref !== undefined && base.steps.every((s) => s.op === 'remember-drive') && base.blockers.length === 0;
  const removalOnly = !blocked && kept.steps.length > 0 && base.action === 'none' && pref === undefined;
  return {
    ...base,
    action: blocked ? 'blocked' : prefOnly ? 'update' : base.action,
    reason: blocked ? 'blocked: see the reasons' : prefOnly ? `iPhoto is told the library is at ${d.target.machine}` : base.reason,
    after: pref === undefined ? base.after : `${base.after}; iPhoto's ${pref.key} set to it`,
    ...(removalOnly ? removalChange(base, kept.steps, d) : {}),
    blockers,
    warnings,
    steps: blocked ? [] : [...steps, ...kept.steps],
  };
}

/**
 * A library's move: its databases compared byte for byte, and for a photo library the original
 * kept beside the link (with the System Photo Library setting of the moment, so that a later
 * change to the moved library shows).
 */
function libraryMove(d: AppLibraryDesired, o: AppLibraryObserved, s: Extract<CoreStep, { op: 'relocate' }>): Step {
  const opened = o.opened?.ok === true ? o.opened.value : undefined;
  return {
    ...s,
    ...(d.databases.length > 0 ? { databases: [...d.databases] } : {}),
    ...(d.keepOriginal === undefined
      ? {}
      : { keepOriginal: { as: keptName(path.basename(s.source)), context: { systemLibraryPath: opened ?? (o.opened === undefined ? '' : 'unreadable') } } }),
  };
}

/** A library named in the declaration that is neither in Pictures nor on the drive. */
function notFound(d: AppLibraryDesired): Change {
  return {
    ...changeHeader(d),
    action: 'none',
    before: 'not there',
    after: `link to ${d.target.machine} on ${d.drive.name}`,
    reason: 'nothing to move',
    moves: { files: 0, bytes: 0 },
    blockers: [],
    warnings: [
      {
        code: 'LIBRARY_NOT_FOUND',
        message: `${d.links[0]?.machine ?? d.title} is named in the declaration but is neither there nor at ${d.target.machine} (when drive ${d.drive.name} is not connected, it cannot be looked for there); check the name`,
      },
    ],
    steps: [],
  };
}

/**
 * Two libraries, one at the home path and one on the drive. When the one at home is new and
 * almost empty it is most likely the library Photos started while the drive was missing: say so,
 * since the user's photos are then on the drive, and how to get the link back.
 */
function bothSides(d: AppLibraryDesired, o: AppLibraryObserved, b: Blocker): Blocker {
  const home = d.links[0]?.machine ?? '';
  const layout = o.homeLayout;
  if (layout === undefined || !layout.looksNew) return b;
  return {
    code: 'NEW_LIBRARY_IN_PLACE',
    reason:
      `${home} is a new, almost empty library (${layout.mediaFiles} media file${layout.mediaFiles === 1 ? '' : 's'}) where the link to the library on drive ${d.drive.name} was: ` +
      `Photos starts one when it opens while the drive is missing. Your library is still at ${d.target.machine}; provision never merges two libraries`,
    fix:
      `if you added nothing to the new library, quit Photos, move ${home} to the Trash and plan again: the link is put back. ` +
      'If you did add photos to it, export them first (File > Export), then do the same and import them into the library on the drive',
  };
}

/**
 * A Photos library that shares its files by hard links with something outside it. When an old
 * library Photos migrated from iPhoto or Aperture is beside it, that is the other side: Photos
 * made the new library from it and shares the originals by hard links (docs/platform-facts.md).
 * Moving one of the two frees almost nothing and doubles the photos on the drive, so it is
 * blocked with the choice.
 */
function migratedLibrary(d: AppLibraryDesired, o: AppLibraryObserved, b: Blocker): Blocker {
  const old = o.migrated?.[0];
  if (d.family !== 'photos' || old === undefined) return b;
  const home = d.links[0]?.machine ?? d.title;
  const beside = path.posix.join(path.posix.dirname(home), old);
  return {
    code: 'MIGRATED_LIBRARY_SHARES_FILES',
    reason:
      `${b.reason}. The other names are most likely in ${beside}: when Photos migrated that library it made this one share its originals with it by hard links`,
    fix:
      `if you no longer use iPhoto (or Aperture), check that ${home} has all your photos, then move ${beside} to the Trash and empty it: ` +
      'the shared originals stay in the Photos library, and it can then move whole. To keep the old library, leave the Photos library where it is (remove photos: for this Mac from the declaration)',
  };
}

/**
 * iPhoto finds its library through a preference. It is set to the library on the drive when it
 * is unset or names this library's old places (the home path, or where an old link pointed);
 * a preference naming some other library is the user's choice and is left alone, with a note.
 */
function preferenceStep(
  d: AppLibraryDesired,
  o: AppLibraryObserved,
  blockers: Blocker[],
  warnings: Warning[],
): SetPreferenceStep | undefined {
  const want = d.preference;
  if (want !== undefined && iPhotoCannotRun(o)) {
    // Said when the library moves or is linked: a converged plan does not repeat it every time.
    if (!o.folder.links.every((l) => l.state.kind === 'symlink' && l.state.pointsAtTarget)) warnings.push({
      code: 'IPHOTO_CANNOT_RUN',
      message:
        `iPhoto cannot run on macOS 10.15 and later (this Mac runs ${o.macosVersion ?? 'a later version'}), so its preference is not written; the library still moves whole to the drive. ` +
        'To see these photos, open the library in Photos (hold Option while opening Photos, choose Other Library), which offers to upgrade a copy of it',
    });
    return undefined;
  }
  const seen = o.preference;
  if (want === undefined || seen === undefined) return undefined;
  if (!seen.ok) {
    blockers.push({ code: 'PREFERENCE_UNREADABLE', reason: seen.message, fix: seen.hint });
    return undefined;
  }
  const value = seen.value;
  if (value === d.target.machine) return undefined;
  const ours = new Set(d.links.map((l) => l.machine));
  for (const l of o.folder.links) if (l.state.kind === 'symlink') ours.add(l.state.resolved.machine);
  if (value !== undefined && !ours.has(value.replace(/\/+$/, ''))) {
    warnings.push({
      code: 'IPHOTO_OPENS_ANOTHER_LIBRARY',
      message: `iPhoto is set to open ${value}, another library, and that choice is left alone; to use this one, open iPhoto with the Option key held and choose ${d.target.machine}`,
    });
    return undefined;
  }
  return setPreference(want, d.target.machine);
}

/** The step that points the app's preference at `value`, as the library's owner. */
export function setPreference(p: NonNullable<AppLibraryDesired['preference']>, value: string): SetPreferenceStep {
  return { op: 'set-preference', domain: p.domain, key: p.key, value, ...(p.asUser === undefined ? {} : { asUser: p.asUser }) };
}
