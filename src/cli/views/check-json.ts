import type { HealthFinding } from '../../engine/health/finding.js';
import type { HealthReport } from '../../watch/collect-health.js';
import { findingsSummary, orderFindings } from './check-findings.js';

/**
 * `provision check --json` (schemas/check.schema.json): snake_case keys, times ISO 8601 in
 * UTC, what is unknown null rather than missing, as the other documents.
 */
export function renderCheckJson(r: HealthReport): string {
  const doc = {
    format_version: r.formatVersion,
    machine: r.machine,
    platform: r.platform,
    config_file: r.configFile,
    root: r.root ?? null,
    users: r.users,
    generated_at: r.generatedAt.toISOString(),
    exit_code: r.exitCode,
    summary: findingsSummary(r.summary),
    counts: r.summary,
    findings: orderFindings(r.findings, r.users).map(findingJson),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function findingJson(f: HealthFinding): Record<string, unknown> {
  return {
    code: f.code,
    severity: f.severity,
    subject: f.subject.kind,
    name: f.subject.name,
    user: f.subject.user ?? null,
    machine: f.subject.machine,
    text: f.words,
    fix: f.fix ?? null,
    facts: f.facts,
  };
}
