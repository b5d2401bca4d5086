import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** A deterministic pseudo-random generator (mulberry32), so fixtures are the same every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function udid(seed: number, modern = true): string {
  const hex = createHash('sha1').update(`device-${seed}`).digest('hex');
  return modern ? `${hex.slice(0, 8)}-${hex.slice(8, 24)}`.toUpperCase() : hex;
}

/**
 * A small iOS device backup with the real layout: Info.plist, Manifest.plist, Status.plist,
 * Manifest.db, and data files at <fileID[0:2]>/<fileID> named by 40-hex SHA-1s.
 */
export async function makeDeviceBackup(dir: string, seed: number, files = 12, deviceName = `iPhone ${seed}`): Promise<void> {
  const next = rng(seed);
  await fs.mkdir(dir, { recursive: true });
  const info = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
\t<key>Device Name</key><string>${deviceName}</string>
\t<key>Product Type</key><string>iPhone14,2</string>
\t<key>Product Version</key><string>17.5</string>
\t<key>Last Backup Date</key><date>2026-10-01T10:00:00Z</date>
\t<key>Unique Identifier</key><string>${path.basename(dir)}</string>
</dict>
</plist>
`;
  await fs.writeFile(path.join(dir, 'Info.plist'), info);
  await fs.writeFile(path.join(dir, 'Manifest.plist'), Buffer.from(`bplist00${'x'.repeat(200)}`));
  await fs.writeFile(path.join(dir, 'Status.plist'), Buffer.from(`bplist00${'s'.repeat(182)}`));
  await fs.writeFile(path.join(dir, 'Manifest.db'), Buffer.alloc(4096 + Math.floor(next() * 8192), seed % 251));
  for (let i = 0; i < files; i++) {
    const id = createHash('sha1').update(`${seed}-${i}`).digest('hex');
    const bucket = path.join(dir, id.slice(0, 2));
    await fs.mkdir(bucket, { recursive: true });
    const size = 100 + Math.floor(next() * 20000);
    await fs.writeFile(path.join(bucket, id), Buffer.alloc(size, (seed + i) % 256));
  }
}

/**
 * Every file below dir with its content hash, link target, or "dir": for byte-for-byte comparisons.
 * Times to the microsecond, what a copy keeps (src/host/fs/utimes-seconds.ts): whole milliseconds
 * of a double differ for a time a few nanoseconds either side of one.
 */
export async function snapshotTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(rel: string): Promise<void> {
    const full = path.join(dir, rel);
    const st = await fs.lstat(full, { bigint: true });
    if (st.isSymbolicLink()) {
      out[rel] = `link:${await fs.readlink(full)}`;
    } else if (st.isDirectory()) {
      if (rel !== '') out[rel] = `dir:${(st.mode & 0o7777n).toString(8)}:${st.mtimeNs / 1000n}`;
      for (const name of (await fs.readdir(full)).sort()) await walk(path.join(rel, name));
    } else {
      out[rel] = `file:${(st.mode & 0o7777n).toString(8)}:${st.mtimeNs / 1000n}:${createHash('sha256').update(await fs.readFile(full)).digest('hex')}`;
    }
  }
  await walk('');
  return out;
}
