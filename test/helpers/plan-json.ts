/** The parts of `plan --json` the end-to-end tests look at. */

export interface PlanJsonChange {
  id: string;
  kind: string;
  action: string;
  reason: string;
  blockers: { code: string; reason: string; fix: string }[];
  warnings: { code: string; message: string }[];
  steps: { op: string; [k: string]: unknown }[];
}

export function changesOf(stdout: string): PlanJsonChange[] {
  return (JSON.parse(stdout) as { changes: PlanJsonChange[] }).changes;
}
