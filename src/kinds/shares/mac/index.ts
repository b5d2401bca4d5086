import { defaultHome } from '../../../desired/default-home.js';
import type { MachineFacts } from '../../../desired/machine-context.js';
import { stepRunner, type MachineKind } from '../../../engine/kind.js';
import type { DesiredMachine } from '../../../desired/desired-machine.js';
import { MAC_SHARE_OPS, type MacShareStep } from './steps.js';
import { MAC_SHARES_KIND } from './kind-id.js';
import type { Blocker, Change, Step, Warning } from '../../../engine/types.js';
import type { HostReads } from '../../../host/host.js';
import { quotaFitWarnings } from '../quota-fit.js';
import { driveBlocker } from '../../../drives/drive-blockers.js';
import { readShareAttribute, TIME_MACHINE_FLAG, TIME_MACHINE_QUOTA } from './timemachine-flag.js';
import { desiredShares, observeShareFolders } from '../desire-shares.js';
import type { MacSharesDesired, MacSharesObserved } from './types.js';
import { SHARE_FOLDER_MODE } from '../types.js';
import { parseSharingList } from './sharing-list.js';

/** A folder only its one user may open: Mac File Sharing lets in whoever the folder lets in. */
const PRIVATE_MODE = 0o700;
const PARENT_MODE = 0o755;

function desireMacShares(ctx: DesiredMachine): MacSharesDesired[] {
  const shares = desiredShares(ctx);
  if (shares === undefined || ctx.platform !== 'macos') return [];
  return [{ id: 'shares', machine: ctx.name, shares }];
}

async function observeMacShares(host: HostReads, ctx: MachineFacts, d: MacSharesDesired): Promise<MacSharesObserved> {
  const out = await host.query('sharing', ['-l']);
  const list: MacSharesObserved['list'] =
    out.exitCode === 0 ? { ok: true, shares: parseSharingList(out.stdout) } : { ok: false, message: `sharing -l failed (exit ${out.exitCode}): ${out.stderr.trim()}` };
  const o: MacSharesObserved = { root: ctx.runningAsRoot, list, ...(await observeShareFolders(host, d.shares)), owners: [], flags: [] };
  for (const s of d.shares) {
    const only = s.users.length === 1 ? s.users[0] : undefined;
    const home = only === undefined ? undefined : await host.lstat(ctx.paths.toHost(defaultHome('macos', only)));
    o.owners.push(home === undefined ? undefined : { uid: home.uid, gid: home.gid });
    const shared = list.ok && list.shares.some((p) => p.name === s.name);
    o.flags.push(
      shared && s.timeMachine
        ? { flag: await readShareAttribute(host, s.name, TIME_MACHINE_FLAG), quota: await readShareAttribute(host, s.name, TIME_MACHINE_QUOTA) }
        : undefined,
    );
  }
  return o;
}

/** Pure: folders, share points and Time Machine flags that make a Mac's declared shares true. */
export function planMacShares(d: MacSharesDesired, o: MacSharesObserved): Change {
  const blockers: Blocker[] = [];
  const warnings: Warning[] = [];
  const steps: (Step | MacShareStep)[] = [];
  const base = {
    id: d.id,
    kind: MAC_SHARES_KIND,
    title: 'Shared folders (File Sharing)',
    path: d.shares.map((s) => s.folder.machine).join(', '),
    after: d.shares.map((s) => `${s.name} (${s.users.join(', ')}${s.timeMachine ? ', Time Machine' : ''})`).join(', '),
    moves: { files: 0, bytes: 0 },
  };
  if (!o.list.ok) {
    return { ...base, action: 'blocked', before: 'unknown', reason: 'blocked: see the reasons', blockers: [{ code: 'SHARING_UNREADABLE', reason: o.list.message, fix: 'run sharing -l yourself' }], warnings, steps: [] };
  }
  const points = o.list.shares;
  d.shares.forEach((s, i) => {
    const drive = o.drives[i];
    warnings.push(...quotaFitWarnings(s, drive, 'mac'));
    if (drive !== undefined && drive.kind !== 'mounted') {
      blockers.push(driveBlocker(s, drive));
      return;
    }
    const owner = o.owners[i];
    s.folders.forEach((f, j) => {
      if (o.existing[i]?.[j] === true) return;
      if (j < s.folders.length - 1) steps.push({ op: 'mkdir', path: f.host, mode: PARENT_MODE });
      else if (owner !== undefined) steps.push({ op: 'mkdir', path: f.host, mode: PRIVATE_MODE, owner });
      else steps.push({ op: 'mkdir', path: f.host, mode: SHARE_FOLDER_MODE });
    });
    const point = points.find((p) => p.name === s.name);
    if (point !== undefined && point.path.replace(/\/+$/, '') !== s.folder.host) {
      blockers.push({
        code: 'SHARE_NAME_TAKEN',
        reason: `this Mac already shares ${point.path} as ${s.name}`,
        fix: `give the declared share another name, or stop sharing ${point.path} (System Settings > General > Sharing > File Sharing)`,
      });
      return;
    }
    if (point === undefined) steps.push({ op: 'mac-share-add', name: s.name, path: s.folder.host });
    // Shared, but not over SMB or open to guests: put it back as declared.
    else if (!point.smbShared || point.smbGuest) steps.push({ op: 'mac-share-edit', name: s.name, path: s.folder.host });
    const flags = o.flags[i];
    const quotaBytes = s.quotaGB === undefined ? undefined : s.quotaGB * 1e9;
    const wantQuota = quotaBytes === undefined ? undefined : String(quotaBytes);
    if (s.timeMachine && (point === undefined || flags?.flag !== '1' || (wantQuota !== undefined && flags?.quota !== wantQuota))) {
      steps.push({ op: 'mac-share-timemachine', name: s.name, ...(quotaBytes === undefined ? {} : { quotaBytes }) });
    }
  });
  if (steps.length > 0 && !o.root) warnings.push({ code: 'SHARING_NEEDS_ROOT', message: 'changing File Sharing needs root: run sudo provision apply (apply without it stops before these changes)' });
  const blocked = blockers.length > 0;
  return {
    ...base,
    action: blocked ? 'blocked' : steps.length === 0 ? 'none' : points.some((p) => d.shares.some((s) => s.name === p.name)) ? 'update' : 'create',
    before: points.map((p) => `${p.name} (${p.path})`).join(', ') || 'nothing shared',
    reason: blocked ? 'blocked: see the reasons' : steps.length === 0 ? 'as declared' : 'the folders are created and shared as declared',
    blockers,
    warnings,
    steps: blocked ? [] : steps,
  };
}

/** A Mac's shared folders, served by File Sharing. */
export const macShares: MachineKind<MacSharesDesired, MacSharesObserved> = {
  kind: MAC_SHARES_KIND,
  scope: 'machine',
  // The step runner and health are loaded on use, not by a plan (engine/kind.ts).
  steps: stepRunner<MacShareStep>(MAC_SHARE_OPS, async (ctx, step) => (await import('./run-mac-share.js')).runMacShareStep(ctx, step)),
  tools: (_machine, desired) =>
    desired.length === 0
      ? []
      : [
          { command: 'sharing', neededFor: 'sharing folders with File Sharing', ifMissing: 'problem' },
          { command: 'dscl', neededFor: 'marking a shared folder as a Time Machine destination, and reading it back', ifMissing: 'problem' },
        ],
  needsRoot: (change) => (change.warnings.some((w) => w.code === 'SHARING_NEEDS_ROOT') ? 'File Sharing' : undefined),
  drives: (d) => d.shares.map((s) => ({ drive: s.drive.name, usedBy: `share ${s.name}` })),
  desire: desireMacShares,
  health: async (host, machine, d, now) => (await import('../backup-bundles.js')).shareBundleFindings(host, machine, d.shares, now),
  observe: observeMacShares,
  plan: planMacShares,
};
