import { ownEntry } from '../config/model/own-entry.js';
import type { RunContext } from '../app/session.js';
import { drivesUsed } from '../app/drive-status.js';
import type { HostReads } from '../host/host.js';
import type { DoctorCheck, ToolFinding } from './types.js';

type Need = Omit<ToolFinding, 'found'>;

/**
 * The commands provision would call for this declaration on this machine's platform, and only
 * those: each is asked for by one module (named in its line), so a tool the declaration does
 * not need is not required. Where provision has a fallback, a missing tool is a warning.
 */
export function toolsNeeded(run: RunContext, opts: { machineGiven: boolean; machineLevel: boolean }): Need[] {
  const { ctx } = run;
  const machine = ownEntry(ctx.loaded.config.machines, ctx.name);
  const needs: Need[] = [];
  const need = (command: string, neededFor: string, ifMissing: Need['ifMissing'] = 'problem'): void => {
    if (!needs.some((n) => n.command === command)) needs.push({ command, neededFor, ifMissing });
  };
  const tm = opts.machineLevel && (machine?.timemachine?.destinations?.length ?? 0) > 0;
  const shares = opts.machineLevel && (machine?.shares?.length ?? 0) > 0;
  if (ctx.platform === 'macos') {
    const withPhotos = run.users.filter((u) => u.effective.photos !== undefined);
    const withApps = run.users.filter((u) => u.effective.photos !== undefined || u.effective.music !== undefined);
    // machine/computer-names.ts: without it the OS host name is matched instead.
    if (!opts.machineGiven) need('scutil', "finding this Mac's name (ComputerName, LocalHostName)", 'warning');
    // drives/observe-drive.ts: without it statfs names the format.
    if (drivesUsed(ctx, run.users, opts.machineLevel).size > 0) need('diskutil', "telling a drive's format (APFS, Mac OS Extended, exFAT)", 'warning');
    // machine/open-writers.ts: every kind that moves a folder (iOS backups, photo and music libraries).
    const moving = run.users.filter((u) => u.effective.mobilesync !== undefined || u.effective.photos !== undefined || u.effective.music !== undefined);
    if (moving.length > 0) need('lsof', 'checking that no app is writing into a folder before it is moved');
    // macos/running-apps.ts
    if (withApps.length > 0) need('pgrep', 'checking that Photos, iPhoto, Music and iTunes are not running before their library moves');
    // macos/defaults.ts
    if (withPhotos.length > 0) need('defaults', "reading and setting iPhoto's library location (RootDirectory)");
    // macos/defaults.ts runs defaults as the library's owner when provision runs as root.
    if (withPhotos.some((u) => u.desired.name !== ctx.invoker.name)) need('sudo', "running defaults as each user whose iPhoto preference is read");
    // resources/timemachine/
    if (tm) need('tmutil', "reading and setting Time Machine's destinations");
    // kinds/shares/mac/index.ts and mac-timemachine-flag.ts
    if (shares) {
      need('sharing', 'sharing folders with File Sharing');
      need('dscl', "marking a shared folder as a Time Machine destination, and reading it back");
    }
  } else if (ctx.platform === 'linux' && shares) {
    // kinds/shares/samba/run-samba-config.ts and kinds/shares/samba/testparm.ts
    need('testparm', 'checking the Samba configuration before it is switched in');
    // The reload is skipped under --root, where no smbd of that machine runs here.
    if (ctx.paths.root === undefined) need('smbcontrol', 'telling a running smbd to read its configuration again');
  }
  return needs;
}

export async function checkTools(run: RunContext, opts: { machineGiven: boolean; machineLevel: boolean }, reads: HostReads): Promise<DoctorCheck> {
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
