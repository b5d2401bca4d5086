/**
 * `provision schedule status --json`: one document, format_version 1, snake_case keys, paths as
 * the machine sees them (the programs the agent runs are this computer's files, as written in
 * the plist). Described by schemas/schedule-status.schema.json.
 */

import type { AgentStatus } from '../../schedule/agent-status.js';
import { AGENT_LABEL } from '../../schedule/agent-job.js';
import { describeAgent } from '../../schedule/describe-agent.js';
import type { ScheduleHeader } from './schedule-text.js';
import { statusSummary } from './schedule-text.js';

export function renderAgentStatusJson(h: ScheduleHeader & { configFile: string }, statuses: readonly AgentStatus[]): string {
  const doc = {
    format_version: 1,
    machine: h.machine,
    platform: h.platform,
    config_file: h.configFile,
    root: h.root ?? null,
    label: AGENT_LABEL,
    node: { path: statuses[0]?.user.node.path ?? null, versioned_by: statuses[0]?.user.node.versioned?.by ?? null },
    needs_attention: statuses.some((s) => describeAgent(s).severity !== 'ok'),
    summary: statusSummary(statuses),
    agents: statuses.map(agentJson),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function agentJson(s: AgentStatus): Record<string, unknown> {
  const u = s.user;
  const d = describeAgent(s);
  const job = s.launchd;
  const loaded = job.kind === 'loaded' ? job : undefined;
  return {
    user: u.place.user,
    agent: u.place.kind,
    label: u.place.label,
    uid: u.owner.uid,
    domain: u.domain,
    state: s.state,
    state_text: d.words,
    severity: d.severity,
    hint: d.hint ?? null,
    notes: d.notes,
    plist_path: u.place.plist.machine,
    plist_present: s.plist.present,
    plist_current: s.plist.current,
    plist_mode: s.plist.mode ?? null,
    differing_keys: s.plist.differs,
    program_arguments: u.job.ProgramArguments,
    installed_arguments: s.plist.installedArguments ?? null,
    missing_programs: s.missingPrograms,
    launchd: {
      checked: job.kind !== 'no-launchctl',
      session: job.kind === 'no-launchctl' ? null : job.kind !== 'no-session',
      loaded: job.kind === 'no-launchctl' ? null : job.kind === 'loaded',
      matches_plist: s.loadedMatches ?? null,
      path: loaded?.path ?? null,
      state: loaded?.state ?? null,
      pid: loaded?.pid ?? null,
      runs: loaded?.runs ?? null,
      last_exit_code: loaded?.lastExitCode ?? null,
    },
    log: {
      path: u.place.log.machine,
      present: s.log.present,
      modified_at: s.log.modifiedAt?.toISOString() ?? null,
      size_bytes: s.log.bytes ?? null,
      tail: s.log.tail,
    },
    last_run:
      s.lastRun === undefined
        ? null
        : {
            started_at: s.lastRun.startedAt,
            finished_at: s.lastRun.finishedAt,
            outcome: s.lastRun.outcome,
            exit_code: s.lastRun.exitCode,
            codes: s.lastRun.codes,
            text: s.lastRun.words,
            fix: s.lastRun.fix ?? null,
            program: s.lastRun.program ?? null,
          },
  };
}
