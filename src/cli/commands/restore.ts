import { restoreView, type BoundResource } from '../../engine/kind.js';
import { ProvisionError, formatLocation } from '../../errors.js';
import type { HostReads } from '../../host/host.js';
import type { Style } from '../../text/style.js';
import type { CommonOptions } from '../../app/session.js';
import { computePlan } from './plan.js';
import { runChanges, type PlannedRun } from './run-changes.js';

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
      plan: (reads) => computeRestorePlan(opts, reads),
      notes: keepHereNotes,
      doneMessage: 'Restore complete.',
    },
    style,
  );
}

/** Observes and plans the restore of every selected resource on a read-only host. */
export async function computeRestorePlan(opts: RestoreOptions, reads: HostReads): Promise<PlannedRun> {
  return computePlan(opts, reads, { select: (all) => selectResources(all, opts.only), intent: 'restore' });
}

/** The resources to restore, each seen through its kind's restore planner. */
function selectResources(all: readonly BoundResource[], only: string | undefined): BoundResource[] {
  const chosen = only === undefined ? all : all.filter((r) => r.kind === only);
  if (only !== undefined && chosen.length === 0) {
    const kinds = [...new Set(all.map((r) => r.kind))];
    throw new ProvisionError('USAGE', `--only ${only}: no resource of that kind is declared for these users on this machine`, {
      hint: kinds.length > 0 ? `kinds declared here: ${kinds.join(', ')}` : 'nothing is declared for these users on this machine',
    });
  }
  const views = chosen.map(restoreView).filter((r): r is BoundResource => r !== undefined);
  if (only !== undefined && views.length === 0) {
    throw new ProvisionError('USAGE', `--only ${only}: resources of that kind cannot be restored`);
  }
  return views;
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
