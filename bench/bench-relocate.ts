/**
 * Benchmark 1: moving the Backup folder from the home file system to the drive (a tmpfs in the
 * private mount namespace: a different file system, so every byte is copied), by provision and
 * by its competitors, alternately (A B C D, A B C D, ...): a warm-up round, then `pairs` timed
 * rounds. Each run starts from a fresh copy of the generated tree, made and synced outside the
 * timing. After every run the link must be in place and the tree on the drive must match the
 * source as it was (sizes, modes, owners, file and folder times of everything inside Backup):
 * for provision a mismatch is a loud failure; for the others it is reported in the table.
 *
 * The page cache is warm for everyone alike (the fresh copy was just written); dropping it would
 * need the real root's /proc/sys/vm/drop_caches and would disturb other work on the machine.
 */

import { join } from 'node:path';
import { execa } from 'execa';
import { AnsibleJob, ansibleAvailable } from './ansible.js';
import { driveBytesFor, type BenchContext } from './context.js';
import type { Preset } from './presets.js';
import { checkMoved, relocationCompetitors } from './relocate-competitors.js';
import { formatBytes, median, ratio, renderTable, timingCells } from './table.js';
import { snapshotTree } from './tree-snapshot.js';

export async function benchRelocate(ctx: BenchContext, preset: Preset): Promise<void> {
  const tree = await ctx.tree(preset);
  const s = tree.summary;
  const sb = await ctx.sandbox(`relocate-${preset.name}`, { driveBytes: driveBytesFor(s) });
  try {
    const ansible = ansibleAvailable() && !ctx.skip.has('ansible') ? await AnsibleJob.create(join(sb.dir, 'ansible')) : undefined;
    const { competitors, skipped } = relocationCompetitors(ansible, ctx.skip);
    const fromFs = (await execa('findmnt', ['-n', '-o', 'FSTYPE', '--target', sb.root], { reject: false })).stdout.trim() || 'home';
    ctx.log(
      `\n== 1. relocate (${preset.name}): ${s.files} files in ${s.folders} folders, ${formatBytes(s.bytes)}, ` +
        `${s.devices.length} device(s); ${fromFs} -> tmpfs; ${ctx.node.label}; warm-up + ${ctx.pairs} rounds ==`,
    );
    for (const note of skipped) ctx.log(`   skipped ${note}`);
    ctx.log('   checked after every run: the link, and every file and folder inside Backup (size, mode, owner, mtime)');

    const times = new Map<string, number[]>(competitors.map((c) => [c.name, []]));
    const treeNotes = new Map<string, Set<string>>(competitors.map((c) => [c.name, new Set<string>()]));
    const broken = new Map<string, string>();
    for (let round = 0; round <= ctx.pairs; round++) {
      const line: string[] = [];
      for (const c of competitors) {
        if (broken.has(c.name)) continue;
        await sb.freshBackup(tree.backupDir);
        const before = snapshotTree(sb.backupPath());
        const result = await ctx.run(c.commands(sb));
        if (!result.ok) {
          broken.set(c.name, result.failure ?? 'failed');
          if (c.mustKeepTree === true) ctx.fail(`relocate ${preset.name}: ${c.name} failed: ${result.failure ?? ''}`);
          else ctx.log(`   ${c.name} failed, left out from here on: ${result.failure ?? ''}`);
          continue;
        }
        const verdict = checkMoved(sb, before);
        treeNotes.get(c.name)?.add(verdict.summary);
        if (!verdict.ok && c.mustKeepTree === true) {
          ctx.fail(`relocate ${preset.name}, round ${round}: ${c.name} did not keep the tree: ${verdict.summary}\n  ${verdict.examples.join('\n  ')}`);
        }
        if (round > 0) times.get(c.name)?.push(result.ms);
        line.push(`${c.name.split(' ')[0] ?? c.name} ${(result.ms / 1000).toFixed(2)}s`);
      }
      ctx.log(`   ${round === 0 ? 'warm-up' : `round ${round}`}: ${line.join(', ')}`);
    }

    const floor = competitors.find((c) => c.floor === true);
    const floorMedian = median(times.get(floor?.name ?? '') ?? []);
    const rows = competitors.map((c) => {
      const ms = times.get(c.name) ?? [];
      const cells = timingCells(ms);
      const failure = broken.get(c.name);
      const treeCell = failure !== undefined ? `FAILED: ${failure.split('\n')[0] ?? ''}` : [...(treeNotes.get(c.name) ?? [])].join('; ');
      return [c.name + (c.floor === true ? ' (floor)' : ''), cells.median, cells.range, ratio(median(ms), floorMedian), String(ms.length), treeCell];
    });
    ctx.log('');
    ctx.log(renderTable(['competitor', 'median', 'min-max', 'vs floor', 'runs', 'tree on the drive'], rows));
    for (const c of competitors) {
      const bar = c.budget?.[preset.name];
      if (bar === undefined || broken.has(c.name)) continue;
      ctx.budgets.record({
        runtime: ctx.node.label,
        budget: `${c.name}, ${preset.name} preset, vs ${floor?.name ?? 'the floor'}`,
        value: median(times.get(c.name) ?? []) / floorMedian,
        bar,
        unit: 'x',
      });
    }
  } finally {
    await ctx.release(sb);
  }
}
