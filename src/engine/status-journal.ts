import { isRestoreEntry, type JournalEntry } from './journal.js';
import { severityOf, type ResourceStatus } from './status-types.js';

/**
 * Pure: the statuses with the journal's unfinished moves and restores laid over them. An entry
 * belongs to a location by its change id (the resource's id) or, for a move that was resumed
 * and interrupted again, by the user and the paths it manages. An entry of a selected user that
 * matches no location (its resource has since left the declaration) gets a row of its own, so
 * an unfinished move is never hidden.
 */
export function withInterruptions(statuses: readonly ResourceStatus[], entries: readonly JournalEntry[], users: readonly string[]): ResourceStatus[] {
  const left = entries.filter((e) => users.includes(e.user));
  const out = statuses.map((s) => {
    const mine = left.filter((e) => e.user === s.user && (e.changeId === s.id || (s.paths.length > 0 && e.path === s.paths.join(', '))));
    const first = mine[0];
    for (const e of mine) left.splice(left.indexOf(e), 1);
    return first === undefined ? s : interrupted(s, first);
  });
  for (const e of left) {
    out.push(
      interrupted(
        { id: e.changeId, kind: 'resume', user: e.user, title: e.title, declared: isRestoreEntry(e) ? e.step.linkTarget : e.step.link.target, paths: e.path.split(', '), state: 'interrupted', words: '', severity: 'error', links: [], data: [], sized: false, notes: [] },
        e,
      ),
    );
  }
  return out;
}

function interrupted(s: ResourceStatus, e: JournalEntry): ResourceStatus {
  const restore = isRestoreEntry(e);
  const what = restore ? 'restore' : 'move';
  const stage = e.phase === 'copying' ? 'while copying' : `after the verified copy (phase: ${e.phase})`;
  return {
    ...s,
    state: 'interrupted',
    severity: severityOf('interrupted'),
    words: `interrupted ${what}: it stopped ${stage} on ${e.startedAt.slice(0, 10)}`,
    hint: restore ? 'run provision restore again to finish it (apply finishes it too)' : 'run provision apply to finish it from where it stopped; no data was lost',
    interrupted: { op: restore ? 'restore' : 'relocate', phase: e.phase, startedAt: e.startedAt },
  };
}
