import os from 'node:os';
import type { HostReads } from '../../host/host.js';
import { describeLockHolder, parseLockHolder } from './lock-holder.js';
import { isProcessAlive } from './process-alive.js';

/**
 * Who is applying on this machine root right now, read from the lock without taking it (plan
 * only reads). A plan made meanwhile may show that apply's move in progress as interrupted.
 */
export async function runningApply(reads: HostReads, lockFile: string): Promise<string | undefined> {
  let text: string;
  try {
    text = (await reads.readFile(lockFile)).toString('utf8');
  } catch {
    return undefined;
  }
  const holder = parseLockHolder(text);
  if (holder === undefined) return undefined;
  if (holder.host === os.hostname() && !isProcessAlive(holder.pid)) return undefined;
  return describeLockHolder(holder);
}
