import fs from 'node:fs/promises';
import path from 'node:path';
import type { BuiltLibrary } from '../helpers/photo-libraries.js';
import type { Sandbox } from '../helpers/sandbox.js';

/** Two people on an iMac with photo libraries and music; a MacBook Air that backs up to the archive drive. */
export const PHOTO_HOUSEHOLD = `version: 1
drives:
  archive: { volume: Archive 2TB }
  old: { volume: Old }
  stick: { volume: Stick }
users:
  alex:
    photos: { drive: archive, path: Photos/alex, libraries: [Family.photoslibrary] }
    music: { drive: archive, path: Music/alex }
  sam:
    photos: { drive: archive, path: Photos/sam }
machines:
  imac:
    hostname: iMac
    users: [alex, sam]
  air:
    hostname: MacBook Air
    timemachine: { destinations: [{ drive: archive }] }
    users: [alex]
  mini:
    hostname: Mac mini
    users: { alex: { photos: { drive: stick }, music: false } }
`;

export const ARCHIVE = '/Volumes/Archive 2TB';

export function pictures(sb: Sandbox, user: string): string {
  return path.join(sb.root, 'Users', user, 'Pictures');
}

export function music(sb: Sandbox, user: string): string {
  return path.join(sb.root, 'Users', user, 'Music');
}

/** Content of every file below dir (no times): what a move must keep byte for byte. */
export async function contents(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(rel: string): Promise<void> {
    const full = path.join(dir, rel);
    const st = await fs.lstat(full);
    if (st.isDirectory()) {
      for (const name of (await fs.readdir(full)).sort()) await walk(path.join(rel, name));
    } else if (st.isSymbolicLink()) {
      out[rel] = `link:${await fs.readlink(full)}`;
    } else {
      out[rel] = (await fs.readFile(full)).toString('base64');
    }
  }
  await walk('');
  return out;
}


let staged = 0;

/**
 * Builds a library with `build` in a staging folder of the sandbox, then copies it (cp -a, inside
 * the namespace) into folder `dir` of the machine (e.g. /Volumes/Archive 2TB/Photos/sam). The
 * fixtures' sqlite3 cannot write through /proc/<pid>/root: it resolves that link to the test's
 * own view of the tree, where the drive is not mounted.
 */
export async function onDrive(sb: Sandbox, dir: string, build: (parent: string) => Promise<BuiltLibrary>): Promise<BuiltLibrary> {
  const stage = path.join(sb.root, '.staging', String(staged++));
  await fs.mkdir(stage, { recursive: true });
  const built = await build(stage);
  const into = sb.machinePath(dir);
  for (const [cmd, args] of [
    ['mkdir', ['-p', into]],
    ['cp', ['-a', built.root, into]],
  ] as const) {
    const r = await sb.exec(cmd, [...args]);
    if (r.exitCode !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  }
  await fs.rm(stage, { recursive: true });
  return { root: sb.inside(path.join(into, path.basename(built.root))), files: built.files };
}
