/**
 * The program macOS judges when a scheduled run asks for a protected folder. A job launchd
 * starts is its own "responsible process": the Full Disk Access given to a terminal does not
 * carry over, and the job's executable, node, by its real path, needs it itself
 * (docs/platform-facts.md, "Scheduled runs"). Version managers and Homebrew keep node under a
 * folder named for its version, so an upgrade changes that path and the access is lost with it.
 */

import fs from 'node:fs/promises';

export interface NodeProgram {
  /** The real path: links resolved, as the kernel runs it. */
  path: string;
  /** Set when the path holds a version number that an upgrade will change. */
  versioned?: { by: string; after: string };
}

/** Where version managers and Homebrew keep a node of one version, and what changes the path. */
const VERSIONED: readonly { test: RegExp; by: string; after: string }[] = [
  { test: /\/Cellar\/node(@\d+)?\/[^/]+\//, by: 'Homebrew', after: 'brew upgrade' },
  { test: /\/\.nvm\/versions\/node\/[^/]+\//, by: 'nvm', after: 'nvm install' },
  { test: /\/fnm\/node-versions\/[^/]+\//, by: 'fnm', after: 'fnm install' },
  { test: /\/\.volta\/tools\/image\/node\/[^/]+\//, by: 'Volta', after: 'volta install node' },
  { test: /\/\.asdf\/installs\/nodejs\/[^/]+\//, by: 'asdf', after: 'asdf install nodejs' },
  { test: /\/mise\/installs\/node\/[^/]+\//, by: 'mise', after: 'mise install node' },
  { test: /\/n\/versions\/node\/[^/]+\//, by: 'n', after: 'n install' },
  { test: /\/\.nodenv\/versions\/[^/]+\//, by: 'nodenv', after: 'nodenv install' },
];

/** Which manager, if any, put node at a path named for its version. */
export function versionedBy(p: string): NodeProgram['versioned'] {
  const hit = VERSIONED.find((v) => v.test.test(p));
  return hit === undefined ? undefined : { by: hit.by, after: hit.after };
}

/** This node, by its real path (a link on PATH is not what macOS judges). */
export async function nodeProgram(execPath = process.execPath): Promise<NodeProgram> {
  let real = execPath;
  try {
    real = await fs.realpath(execPath);
  } catch {
    // A node that cannot be resolved is named as it was started.
  }
  const versioned = versionedBy(real);
  return { path: real, ...(versioned === undefined ? {} : { versioned }) };
}

/** Where to give it, in words a person follows on the Mac. */
export function fullDiskAccessSteps(program: string): string {
  return `give ${program} Full Disk Access: System Settings > Privacy & Security > Full Disk Access, click +, press Command-Shift-G, paste that path, choose Open, and turn it on`;
}
