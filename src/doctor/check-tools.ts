import type { Session } from '../app/session.js';
import { drivesUsed } from '../app/drive-status.js';
import type { HostReads } from '../host/host.js';
import type { DoctorCheck, ToolFinding } from './types.js';

type Need = Omit<ToolFinding, 'found'>;


/**
 * The commands provision would call for this declaration on this machine's platform, and only
 * those: finding the machine and reading drives' formats are doctor's to know; every other
 * command is one a kind asked for (engine/kind.ts, tools), so a tool the declaration does not
 * need is not required. Where provision has a fallback, a missing tool is a warning.
 */
export function toolsNeeded(run: Session, opts: { machineGiven: boolean }): Need[] {
  const needs: Need[] = [];
  const need = (n: Need): void => {
    if (!needs.some((have) => have.command === n.command)) needs.push(n);
  };
  if (run.ctx.platform === 'macos') {
    // machine/computer-names.ts: without it the OS host name is matched instead.
    if (!opts.machineGiven) need({ command: 'scutil', neededFor: "finding this Mac's name (ComputerName, LocalHostName)", ifMissing: 'warning' });
    // drives/observe-drive.ts: without it statfs names the format.
    if (drivesUsed(run.resources).size > 0) need({ command: 'diskutil', neededFor: "telling a drive's format (APFS, Mac OS Extended, exFAT)", ifMissing: 'warning' });
  }
  for (const t of run.tools) need(t);
  return needs;
}

export async function checkTools(run: Session, opts: { machineGiven: boolean }, reads: HostReads): Promise<DoctorCheck> {
  const tools: ToolFinding[] = [];
  for (const n of toolsNeeded(run, opts)) tools.push({ ...n, found: await reads.hasCommand(n.command) });
  const title = 'Tools on PATH';
  // Only what is missing is explained; the JSON has every tool.
  const base = { id: 'tools', title, tools, details: tools.filter((t) => !t.found).map((t) => `${t.command}: needed for ${t.neededFor}`) };
  if (tools.length === 0) return { ...base, status: 'ok', found: `none needed: on ${run.ctx.platform}, this declaration calls no other program` };
  const missing = tools.filter((t) => !t.found);
  if (missing.length === 0) return { ...base, status: 'ok', found: `all found: ${tools.map((t) => t.command).join(', ')}` };
  const status = missing.some((t) => t.ifMissing === 'problem') ? 'problem' : 'warning';
  const system =
    run.ctx.platform === 'macos'
      ? 'these come with macOS: make sure PATH holds the system folders /usr/bin, /bin, /usr/sbin and /sbin (a launchd job or a cron line may start with a shorter PATH)'
      : 'install Samba (Debian, Raspberry Pi OS: sudo apt-get install samba) and put /usr/bin and /usr/sbin on PATH';
  return {
    ...base,
    status,
    code: 'TOOL_MISSING',
    found: `not found on PATH: ${missing.map((t) => t.command).join(', ')}`,
    fix: system,
  };
}
