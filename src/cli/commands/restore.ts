import { formatLocation } from '../../errors.js';
import type { Style } from '../../text/style.js';
import type { CommonOptions } from '../../app/session.js';
import type { PlannedRun } from '../../app/plan.js';
import { computeRestorePlan } from '../../app/restore-plan.js';
import { runChanges } from './run-changes.js';

export interface RestoreOptions extends CommonOptions {
  /** Only resources of this kind (mobilesync, photos, music). */
  only?: string;
  dryRun?: boolean;
  yes?: boolean;
  /** How copies are verified: size (the default) or content (every byte). */
  verify?: 'size' | 'content';
  json?: boolean;
}

/**
 * Undoes apply: the data comes back from the drives into the home folders and the links go,
 * with the same safety as a move (space check, journal, verified copy). The plan is shown
 * first; --dry-run stops there.
 */
export async function restoreCommand(opts: RestoreOptions, style: Style): Promise<number> {
  return runChanges(
    {
      verb: 'restore',
      options: opts,
      ...(opts.yes ? { yes: true } : {}),
      ...(opts.verify === 'content' ? { verifyContent: true } : {}),
      ...(opts.dryRun ? { dryRun: true } : {}),
      ...(opts.json ? { json: true } : {}),
      plan: (run, reads) => computeRestorePlan(run, reads, opts.only),
      notes: keepHereNotes,
      doneMessage: 'Restore complete.',
    },
    style,
  );
}

/**
 * The declaration still says the data belongs on a drive, so the next apply would move it
 * back: say so, and show what to write in the declaration to keep it on this machine.
 */
export function keepHereNotes({ run, plan }: PlannedRun): string {
  const restored = plan.changes.filter((c) => c.action === 'restore' && c.user !== undefined);
  if (restored.length === 0) return '';
  const off = new Map<string, string[]>();
  for (const c of restored) off.set(c.user ?? '', [...(off.get(c.user ?? '') ?? []), c.kind]);
  const entry = (user: string): string => {
    const kinds = off.get(user);
    return kinds === undefined ? `${user}: {}` : `${user}: { ${kinds.map((k) => `${k}: false`).join(', ')} }`;
  };
  const machine = run.ctx.name;
  const listed = run.loaded.config.machines[machine]?.users;
  const where = `machines.${machine}.users (${formatLocation(run.loaded.locate(['machines', machine, 'users']))})`;
  const them = restored.length === 1 ? 'it' : 'them';
  const lines = [`Note: the declaration still puts ${restored.length === 1 ? 'this' : 'these'} on a drive, so the next provision apply moves ${them} back.`];
  if (Array.isArray(listed)) {
    lines.push(`To keep ${them} on this machine, change ${where} to:`, `    users: { ${listed.map((u) => entry(u)).join(', ')} }`);
  } else {
    lines.push(`To keep ${them} on this machine, set under ${where}, keeping any other settings there:`);
    for (const user of off.keys()) lines.push(`    ${entry(user)}`);
  }
  const everywhere = restored.map((c) => `users.${c.user ?? ''}.${c.kind}`).join(', ');
  lines.push(`Or, to keep ${them} off drives on every machine, remove ${everywhere}.`);
  return `${lines.join('\n')}\n`;
}
