import type { HostReads } from '../host/host.js';

/**
 * The Mac's version as `sw_vers -productVersion` prints it ("10.14.6", "15.1"; sw_vers(1)), or
 * undefined when it cannot be told (no sw_vers, a failure, output that is not a version): the
 * caller then does what it did before it knew.
 */
export async function readMacosVersion(host: HostReads): Promise<string | undefined> {
  try {
    const r = await host.query('sw_vers', ['-productVersion']);
    const v = r.stdout.trim();
    return r.exitCode === 0 && /^\d+(\.\d+)*$/.test(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Whether version a is at least b, compared number by number ("10.15" >= "10.9"). */
export function versionAtLeast(a: string, b: string): boolean {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i] ?? 0;
    const q = y[i] ?? 0;
    if (p !== q) return p > q;
  }
  return true;
}
