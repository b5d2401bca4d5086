/**
 * Telling people, where they look, that `provision check` found something: only when it did
 * (a healthy check stays silent), with the worst finding and its fix in one line.
 *
 * - On a Mac, a notification, posted with AppleScript's `display notification` through
 *   osascript(1). The text and title reach the script as arguments of its `run` handler
 *   (`on run argv`), never spliced into the script, so no quote in a finding can change it.
 *   Source: Apple's Mac Automation Scripting Guide, "Displaying Notifications", and
 *   osascript(1) ("arguments following the script are passed to the run handler").
 * - On Linux, lines on stderr with the kernel-style priority prefix `<3>` (error) or `<4>`
 *   (warning): under systemd, a service's stderr goes to the journal and such a prefix sets the
 *   entry's priority (sd-daemon(3); systemd.exec(5), SyslogLevelPrefix=, on by default), so
 *   `journalctl -p warning` shows them. Under cron the lines go to cron's mail as they are.
 * - On Windows, nothing yet: the exit code is for Task Scheduler.
 */

import type { HealthFinding } from '../engine/health/finding.js';
import type { Host } from '../host/host.js';
import type { HealthReport } from './collect-health.js';

export interface Notice {
  title: string;
  /** One line: the worst finding and its fix. */
  text: string;
  severity: 'warning' | 'problem';
  findings: HealthFinding[];
}

/** The AppleScript, one statement per -e; the text and title come in as argv. */
export const NOTIFY_SCRIPT = ['on run argv', 'display notification (item 1 of argv) with title (item 2 of argv)', 'end run'] as const;

/** What to tell, or undefined when everything is fine. Pure. */
export function noticeOf(report: HealthReport): Notice | undefined {
  const problems = report.findings.filter((f) => f.severity === 'problem');
  const warnings = report.findings.filter((f) => f.severity === 'warning');
  const worst = problems[0] ?? warnings[0];
  if (worst === undefined) return undefined;
  const severity = problems.length > 0 ? 'problem' : 'warning';
  const others = problems.length + warnings.length - 1;
  const fix = worst.fix === undefined ? '' : ` Fix: ${worst.fix}.`;
  const more = others > 0 ? ` (${others} more: run provision check)` : '';
  return {
    title: severity === 'problem' ? `provision: backups at risk on ${report.machine}` : `provision: backups need a look on ${report.machine}`,
    // A leading "-" would read as an option to osascript: the text never starts with one.
    text: `${worst.words.replace(/\s+/g, ' ').replace(/^[\s-]+/, '')}.${fix}${more}`,
    severity,
    findings: [...problems, ...warnings],
  };
}

/** Posts the notice the platform's way. Best effort: the exit code still says what was found. */
export async function postNotice(host: Host, platform: string, notice: Notice, stderr: (line: string) => void): Promise<'posted' | 'journal' | 'failed' | 'not-here'> {
  if (platform === 'macos') {
    const args = NOTIFY_SCRIPT.flatMap((line) => ['-e', line]);
    try {
      const r = await host.mutate('osascript', [...args, notice.text, notice.title]);
      if (r.exitCode === 0) return 'posted';
      stderr(`could not post a notification: osascript exited ${r.exitCode}: ${r.stderr.trim()}`);
    } catch (e) {
      stderr(`could not post a notification: ${e instanceof Error ? e.message : String(e)}`);
    }
    return 'failed';
  }
  if (platform === 'linux') {
    for (const f of notice.findings) {
      // One journal entry per finding: a newline inside one would start an entry without a priority.
      const line = `${f.words}${f.fix === undefined ? '' : ` (fix: ${f.fix})`}`.replace(/\s+/g, ' ');
      stderr(`${f.severity === 'problem' ? '<3>' : '<4>'}${line}`);
    }
    return 'journal';
  }
  return 'not-here';
}
