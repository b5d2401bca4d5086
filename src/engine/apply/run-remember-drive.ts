import path from 'node:path';
import { ProvisionError } from '../../errors.js';
import { recordIdentity } from '../../drives/drive-record.js';
import { isKnown, MARKER_FILE, markerContent, readMarker, volumeUuid } from '../../drives/identity.js';
import { isMountPoint } from '../../drives/is-mount-point.js';
import type { Step } from '../types.js';
import type { StepContext } from './step-context.js';
import { noteIdentityRead } from './drive-check.js';
import { nodeCrypto } from '../../host/lazy-crypto.js';

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
