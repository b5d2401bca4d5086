/**
 * ASSUMPTION (unverified, docs/platform-facts.md "sharing"): no documented `sharing` flag offers a
 * share to Time Machine. Scripts set `dsAttrTypeNative:timeMachineBackup` to 1 on the share
 * point's record with dscl, and a quota in `dsAttrTypeNative:backupQuotaSize` (bytes, assumed).
 * This is the one place that knows it; docs/assumptions.md lists it.
 */

import type { HostReads, RunOptions, RunResult } from '../../../host/host.js';

export const TIME_MACHINE_FLAG = 'dsAttrTypeNative:timeMachineBackup';
export const TIME_MACHINE_QUOTA = 'dsAttrTypeNative:backupQuotaSize';

const record = (share: string): string => `/SharePoints/${share}`;

/** What dscl reads for one attribute: its value, or undefined ("No such key", wherever it is printed). */
export async function readShareAttribute(host: HostReads, share: string, attribute: string): Promise<string | undefined> {
  const out = await host.query('dscl', ['.', '-read', record(share), attribute]);
  const text = `${out.stdout}\n${out.stderr}`;
  if (/No such key/.test(text)) return undefined;
  if (out.exitCode !== 0) throw new Error(`dscl . -read ${record(share)} ${attribute} failed (exit ${out.exitCode}): ${out.stderr.trim()}`);
  const m = new RegExp(`^${attribute.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\s*(.*)$`, 'm').exec(out.stdout);
  return m?.[1]?.trim();
}

/** The dscl calls that offer a share to Time Machine, with a quota or without. */
export function timeMachineFlagCommands(share: string, quotaBytes: number | undefined): [string, string[]][] {
  const calls: [string, string[]][] = [['dscl', ['.', '-create', record(share), TIME_MACHINE_FLAG, '1']]];
  if (quotaBytes !== undefined) calls.push(['dscl', ['.', '-create', record(share), TIME_MACHINE_QUOTA, String(quotaBytes)]]);
  return calls;
}

export type Mutate = (command: string, args: readonly string[], options?: RunOptions) => Promise<RunResult>;
