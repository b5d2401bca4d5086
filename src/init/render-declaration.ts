/**
 * The text of a new backups.yaml: the schema modeline, a short header, then drives, users and
 * machines, each introduced by a comment that says what it is and what was found. Pure: the
 * detection is done before, and the result is validated by the loader before it is written.
 */

import type { Platform } from '../config/model/declared.js';
import type { KeyedDrive } from './choose-locations.js';
import { comment, driveEntry, indent, machineEntry, userEntry, type MachineEntryInput, type UserEntryInput } from './render-entries.js';

export interface DeclarationInput {
  modeline: string;
  platform: Platform;
  drives: readonly KeyedDrive[];
  user: UserEntryInput;
  machine: MachineEntryInput;
}

const STEP = '  ';

/** How a drive is declared on each platform, for the example shown when none was mounted. */
function driveExample(platform: Platform, user: string): string[] {
  switch (platform) {
    case 'macos':
      return ['drives:', '  archive:', "    volume: Archive 2TB    # the drive's name in Finder: /Volumes/Archive 2TB"];
    case 'linux':
      return ['drives:', '  archive:', `    mount: /media/${user}/Archive    # where it is mounted`];
    case 'windows':
      return ['drives:', "  archive: {}    # and in the machine below: drives: { archive: 'E:' }"];
  }
}

export function renderDeclaration(d: DeclarationInput): string {
  const out: string[] = [
    d.modeline,
    comment('Where this household keeps its backups, for provision. Written by `provision init`;'),
    comment('edit it freely. `provision validate` checks it, and `provision plan` shows what'),
    comment('`provision apply` would change. Every key is explained in provision\'s docs/declaration.md.'),
    'version: 1',
    '',
  ];

  if (d.drives.length > 0) {
    out.push(comment('The external drives, each by a short name of your choosing. Mounted now:'));
    out.push('drives:');
    for (const { key, drive } of d.drives) out.push(...indent(driveEntry(key, drive, d.platform, STEP), STEP));
  } else {
    out.push(comment('The external drives, each by a short name of your choosing. None was mounted'));
    out.push(comment('when this file was written: plug the drive in and run `provision init` again'));
    out.push(comment('(after moving this file away), or declare it here, for example:'));
    out.push(...driveExample(d.platform, d.user.name).map((l) => `#   ${l}`));
  }
  out.push('');

  out.push(comment('The people, by their account\'s short name, and where each kind of their data'));
  out.push(comment('is kept: a drive from drives: above and a folder on it, created when missing.'));
  out.push('users:');
  out.push(...indent(userEntry(d.user, STEP), STEP));
  out.push('');

  out.push(comment('The computers, each by a short name of your choosing. A computer finds itself'));
  out.push(comment('here by its name; `provision init --add-machine` adds another one.'));
  out.push('machines:');
  out.push(...indent(machineEntry(d.machine, STEP), STEP));
  return `${out.join('\n')}\n`;
}
