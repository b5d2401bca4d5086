import { damagedFix, damagedLeftBehind, orphanFix, orphanReason, type JournalFindings } from './journal-findings.js';
import type { Change } from '../types.js';

/**
 * Pure: the plan's blocked changes for the journal's problems. A damaged entry (code
 * JOURNAL_DAMAGED) names its file and what its move left behind; an original put aside that
 * no entry accounts for (LEFTOVER_ASIDE) names its path and what to check. Both stop apply
 * before its first write: provision cannot tell what such a move still needs, and a new move
 * of the same resource would reuse its temporary names.
 */
export function journalProblemChanges(f: JournalFindings): Change[] {
  const out: Change[] = [];
  for (const d of f.damaged) {
    const e = d.entry;
    out.push({
      id: `journal:${e.id === '' ? e.file : e.id}`,
      kind: 'journal',
      ...(e.user === undefined ? {} : { user: e.user }),
      title: e.title === undefined ? 'Damaged journal entry' : `${e.title} (damaged journal entry)`,
      path: e.path ?? e.file,
      action: 'blocked',
      before: `an unfinished move whose journal entry cannot be used`,
      after: 'unchanged',
      reason: `${e.file}: ${e.reason}`,
      moves: { files: 0, bytes: 0 },
      blockers: [
        {
          code: 'JOURNAL_DAMAGED',
          reason: `the journal entry ${e.file} is damaged (${e.reason}); ${damagedLeftBehind(d)}`,
          fix: damagedFix(d),
        },
      ],
      warnings: [],
      steps: [],
    });
  }
  for (const o of f.orphans) {
    const folder = o.found.kind === 'directory';
    out.push({
      id: `leftover:${o.found.path}`,
      kind: 'leftover',
      ...(o.user === undefined ? {} : { user: o.user }),
      title: `${o.place.title} (${folder ? 'data put aside' : 'old link put aside'})`,
      path: o.found.path,
      action: 'blocked',
      before: folder ? 'a folder put aside by a move that never finished' : 'a link put aside by a restore that never finished',
      after: 'unchanged',
      reason: orphanReason(o),
      moves: { files: 0, bytes: 0 },
      blockers: [{ code: 'LEFTOVER_ASIDE', reason: orphanReason(o), fix: orphanFix(o) }],
      warnings: [],
      steps: [],
    });
  }
  return out;
}
