import { isRestoreEntry, type JournalEntry } from '../journal/journal.js';
import { damagedFix, damagedLeftBehind, orphanFix, orphanReason, type JournalFindings } from '../journal/journal-findings.js';
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

/**
 * Pure: a row for each of the journal's problems (engine/journal/journal-findings.ts), so that status
 * shows a damaged entry and an original put aside that no entry accounts for, each with its
 * path and what to do, until the user has dealt with it.
 */
export function journalProblemRows(f: JournalFindings): ResourceStatus[] {
  const rows: ResourceStatus[] = [];
  for (const d of f.damaged) {
    const e = d.entry;
    rows.push({
      id: `journal:${e.id === '' ? e.file : e.id}`,
      kind: 'journal',
      ...(e.user === undefined ? {} : { user: e.user }),
      title: e.title ?? 'Damaged journal entry',
      declared: e.file,
      paths: e.path === undefined ? [] : e.path.split(', '),
      state: 'interrupted',
      severity: severityOf('interrupted'),
      words: `damaged journal entry ${e.file} (${e.reason}); ${damagedLeftBehind(d)}`,
      hint: damagedFix(d),
      links: [],
      data: [],
      sized: false,
      notes: [],
    });
  }
  for (const o of f.orphans) {
    rows.push({
      id: `leftover:${o.found.path}`,
      kind: 'leftover',
      ...(o.user === undefined ? {} : { user: o.user }),
      title: o.place.title,
      declared: o.place.declared,
      paths: [o.found.path],
      state: 'conflict',
      severity: severityOf('conflict'),
      words: orphanReason(o),
      hint: orphanFix(o),
      links: [],
      data: [],
      sized: false,
      notes: [],
    });
  }
  return rows;
}
