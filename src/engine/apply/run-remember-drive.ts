import path from 'node:path';
import { ProvisionError } from '../../errors.js';
import { recordIdentity } from '../../drives/drive-record.js';
import { isKnown, MARKER_FILE, markerContent, readMarker, volumeUuid } from '../../drives/identity.js';
import { isMountPoint } from '../../drives/is-mount-point.js';
import type { Step } from '../types.js';
import type { StepContext } from './step-context.js';
import { noteIdentityRead } from './drive-check.js';
import { nodeCrypto } from '../../host/lazy-crypto.js';
import { atomicTempWriter } from '../../host/fs/write-file-atomic.js';
import { isProcessAlive } from '../lock/process-alive.js';
import type { Host } from '../../host/host.js';

type RememberStep = Extract<Step, { op: 'remember-drive' }>;

/**
 * Gives the drive provision's marker if it has none, then records its identity on this machine.
 * The folder must still be a mounted volume: a marker written into a stale /Volumes folder would
 * land on the boot disk and make it pass for the drive.
 */
export async function runRememberDrive(ctx: StepContext, step: RememberStep): Promise<void> {
  const { host } = ctx;
  if (!(await isMountPoint(host, step.mount))) {
    throw new ProvisionError('DRIVE_GONE', `drive ${step.drive} is no longer mounted at ${step.mount}`, {
      hint: 'connect the drive and run provision apply again',
    });
  }
  await removeStaleMarkerTemps(host, step.mount);
  let marker = await readMarker(host, step.mount);
  if (marker === undefined && (await host.canWrite(step.mount))) {
    marker = nodeCrypto().randomUUID().toUpperCase();
    await host.writeFileAtomic(path.join(step.mount, MARKER_FILE), markerContent(marker, step.drive));
  }
  // The plan's answer while recent and the same volume is mounted (host/round-reads.ts).
  const uuid = await volumeUuid(ctx.recent ?? host, step.mount);
  const identity = { ...(uuid === undefined ? {} : { uuid }), ...(marker === undefined ? {} : { marker }) };
  if (!isKnown(identity)) return;
  // The move that follows on this drive begins from this reading (drive-check.ts); a dry run's
  // marker is only simulated, so only a real reading counts.
  const dev = host.kind === 'real' ? (await host.lstat(step.mount))?.dev : undefined;
  if (dev !== undefined) noteIdentityRead(step.mount, dev, identity);
  await recordIdentity(host, { write: step.recordIn, read: [step.recordIn] }, step.drive, identity);
}

/**
 * A run killed while it wrote the marker (between its temporary file and the rename) left that
 * file at the drive's top: provision's own, named for the marker and the writer's pid
 * (writeFileAtomic). Removed when that process is gone from this computer; a file of a live one
 * (another run of this computer writing it now) is left alone. Tidying only: a drive that will
 * not let it go keeps it, and the step goes on.
 */
async function removeStaleMarkerTemps(host: Host, mount: string): Promise<void> {
  const marker = path.join(mount, MARKER_FILE);
  let names: string[];
  try {
    names = await host.readdir(mount);
  } catch {
    return;
  }
  for (const name of names) {
    const writer = atomicTempWriter(name, marker);
    if (writer === undefined || isProcessAlive(writer)) continue;
    const file = path.join(mount, name);
    const st = await host.lstat(file).catch(() => undefined);
    if (st?.kind !== 'file') continue;
    await host.unlink(file).catch(() => undefined);
  }
}
