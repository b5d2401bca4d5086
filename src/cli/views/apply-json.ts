import type { ApplyReport, ChangeOutcome } from '../../app/apply.js';
import type { ProvisionError } from '../../errors.js';
import { FORMAT_VERSION } from '../../engine/types.js';
import { planDocument } from './plan-json.js';

/**
 * The result of apply or restore as versioned JSON, for scripts and fleet tools: `changed` says
 * whether anything on the machine was changed (Ansible's changed), `ok` whether the run
 * succeeded, and each change has its outcome. Printed on stdout in every case, an error
 * included, so a script always has one document to read.
 */
export function renderApplyJson(r: ApplyReport): string {
  const count = (o: ChangeOutcome['outcome']): number => r.outcomes.filter((x) => x.outcome === o).length;
  const applied = count('applied');
  const failed = count('failed');
  const doc = {
    // The same format as the plan it carries (engine/types.ts, FORMAT_VERSION).
    format_version: FORMAT_VERSION,
    command: r.command,
    ok: r.error === undefined,
    changed: r.outcomes.some((o) => o.outcome === 'applied' || o.started),
    machine: r.plan?.machine ?? null,
    platform: r.plan?.platform ?? null,
    root: r.plan?.root ?? null,
    users: r.plan?.users ?? [],
    results: r.outcomes.map((o) => ({
      id: o.change.id,
      kind: o.change.kind,
      ...(o.change.user === undefined ? {} : { user: o.change.user }),
      title: o.change.title,
      action: o.change.action,
      outcome: o.outcome,
      error: o.error === undefined ? null : errorDoc(o.error),
    })),
    summary: {
      applied,
      failed,
      not_run: count('not-run'),
      text: summaryText(r, applied, failed),
    },
    error: r.error === undefined ? null : errorDoc(r.error),
    plan: r.plan === undefined ? null : planDocument(r.plan),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function errorDoc(e: ProvisionError): { code: string; message: string; hint: string | null } {
  return { code: e.code, message: e.message, hint: e.hint ?? null };
}

function summaryText(r: ApplyReport, applied: number, failed: number): string {
  if (r.error !== undefined) return `${r.command} stopped: ${r.error.message}`;
  if (applied === 0 && failed === 0) return 'No changes. Everything is as declared.';
  return `${r.command === 'apply' ? 'Applied' : 'Restored'} ${applied} change${applied === 1 ? '' : 's'}.`;
}
