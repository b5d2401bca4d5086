/**
 * The ways to move the Backup folder to the drive and leave a link, as commands. Each leaves the
 * same result: the tree in the drive's MobileSync/alex and a symlink to it at the old place.
 * provision writes the link's target as the Mac sees it (/Volumes/Archive/...); the others as
 * this process sees it, since they know nothing of --root.
 */

import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AnsibleJob } from './ansible.js';
import { MACHINE, type MacSandbox } from './sandbox.js';
import type { Command } from './run-timed.js';
import { measuredEnv } from './run-timed.js';
import { compareTrees, describeDifferences, snapshotTree, type Snapshot } from './tree-snapshot.js';

export interface Competitor {
  name: string;
  /** The floor: what the move costs done by hand with the fastest standard tools. */
  floor?: boolean;
  /** The tree must arrive identical, or the benchmark fails loudly. */
  mustKeepTree?: boolean;
  /** The bar against the floor, by preset (docs/performance.md); none: measured, not budgeted. */
  budget?: Partial<Record<string, number>>;
  commands(sb: MacSandbox): Command[];
}

const tool = (file: string, args: readonly string[]): Command => ({ file, args, env: measuredEnv() });

export function relocationCompetitors(
  ansible: AnsibleJob | undefined,
  skip: ReadonlySet<string>,
): { competitors: Competitor[]; skipped: string[] } {
  const competitors: Competitor[] = [
    {
      name: 'provision apply',
      mustKeepTree: true,
      budget: { small: 1.5, large: 1.1 },
      commands: (sb) => [sb.provision(['apply', '-c', sb.config, '--root', sb.root, '--machine', MACHINE, '--yes'])],
    },
    {
      // Every byte compared with the original before it goes (budget: 1.6x the floor).
      name: 'provision apply --verify content',
      mustKeepTree: true,
      budget: { large: 1.6 },
      commands: (sb) => [sb.provision(['apply', '-c', sb.config, '--root', sb.root, '--machine', MACHINE, '--yes', '--verify', 'content'])],
    },
    {
      name: 'cp -a; rm -rf; ln -s',
      floor: true,
      commands: (sb) => [
        tool('mkdir', ['-p', dirname(sb.driveFolder())]),
        tool('cp', ['-a', sb.backupPath(), sb.driveFolder()]),
        tool('rm', ['-rf', sb.backupPath()]),
        tool('ln', ['-s', sb.driveFolder(), sb.backupPath()]),
      ],
    },
  ];
  const skipped: string[] = [];
  if (skip.has('rsync')) {
    skipped.push('rsync (--skip)');
  } else if (existsSync('/usr/bin/rsync')) {
    competitors.push({
      name: 'rsync -a --remove-source-files',
      commands: (sb) => [
        tool('mkdir', ['-p', dirname(sb.driveFolder())]),
        tool('rsync', ['-a', '--remove-source-files', `${sb.backupPath()}/`, `${sb.driveFolder()}/`]),
        // rsync leaves the emptied folders behind.
        tool('rm', ['-rf', sb.backupPath()]),
        tool('ln', ['-s', sb.driveFolder(), sb.backupPath()]),
      ],
    });
  } else {
    skipped.push('rsync: not installed (Debian: apt-get install rsync)');
  }
  if (skip.has('ansible')) {
    skipped.push('ansible-playbook (--skip)');
  } else if (ansible !== undefined) {
    competitors.push({ name: 'ansible-playbook', commands: (sb) => [ansible.command(sb.backupPath(), sb.driveFolder())] });
  } else {
    skipped.push('ansible-playbook: not installed (Debian: apt-get install ansible)');
  }
  return { competitors, skipped };
}

/** The link in place, and the tree on the drive as it was at home. */
export function checkMoved(sb: MacSandbox, before: Snapshot): { ok: boolean; summary: string; examples: string[] } {
  const link = sb.backupPath();
  let target = '';
  try {
    if (lstatSync(link).isSymbolicLink()) target = readlinkSync(link);
  } catch {
    // Missing: reported below.
  }
  if (!target.endsWith('/Volumes/Archive/MobileSync/alex')) {
    return { ok: false, summary: `no link to the drive at ~/Library/.../Backup (found ${target || 'none'})`, examples: [] };
  }
  // The folder itself is not compared: provision moves what is inside Backup into the declared
  // folder, which it makes private (0700) on a drive others may use, as the README says.
  const d = compareTrees(before, snapshotTree(sb.driveFolder()), { skipRoot: true });
  return { ok: Object.keys(d.counts).length === 0, summary: describeDifferences(d), examples: d.examples };
}
