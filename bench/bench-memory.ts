/**
 * Benchmark 4: peak memory of each relocation, per preset, from GNU time -v ("Maximum resident
 * set size": the largest single process of the command's tree, not their sum; for a sequence
 * such as cp, rm, ln, the largest of the three). Three alternating rounds on fresh trees, no
 * warm-up: memory does not warm up. provision's tree is checked after each run, as in bench 1.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AnsibleJob, ansibleAvailable } from './ansible.js';
import { driveBytesFor, type BenchContext } from './context.js';
import type { Preset } from './presets.js';
import { checkMoved, relocationCompetitors } from './relocate-competitors.js';
import { bytesRange, formatBytes, formatSeconds, median, ratio, renderTable } from './table.js';
import { snapshotTree } from './tree-snapshot.js';

const ROUNDS = 3;

export async function benchMemory(ctx: BenchContext, presets: readonly Preset[]): Promise<void> {
  if (!existsSync('/usr/bin/time')) {
    ctx.fail('memory: needs GNU time at /usr/bin/time (Debian: apt-get install time)');
    return;
  }
  ctx.log(`\n== 4. peak memory of the relocation (GNU time -v), ${ctx.node.label}, ${ROUNDS} rounds per preset ==`);
  const table: string[][] = [];
  for (const preset of presets) {
    const tree = await ctx.tree(preset);
    const sb = await ctx.sandbox(`memory-${preset.name}`, { driveBytes: driveBytesFor(tree.summary) });
    try {
      const ansible = ansibleAvailable() && !ctx.skip.has('ansible') ? await AnsibleJob.create(join(sb.dir, 'ansible')) : undefined;
      const { competitors, skipped } = relocationCompetitors(ansible, ctx.skip);
      for (const note of skipped) ctx.log(`   skipped ${note}`);
      const peaks = new Map<string, number[]>(competitors.map((c) => [c.name, []]));
      const times = new Map<string, number[]>(competitors.map((c) => [c.name, []]));
      const broken = new Map<string, string>();
      for (let round = 1; round <= ROUNDS; round++) {
        const line: string[] = [];
        for (const c of competitors) {
          if (broken.has(c.name)) continue;
          await sb.freshBackup(tree.backupDir);
          const before = snapshotTree(sb.backupPath());
          const r = await ctx.runWithPeakMemory(c.commands(sb));
          if (!r.ok) {
            broken.set(c.name, (r.failure ?? 'failed').split('\n')[0] ?? 'failed');
            if (c.mustKeepTree === true) ctx.fail(`memory ${preset.name}: ${c.name} failed: ${r.failure ?? ''}`);
            continue;
          }
          const verdict = checkMoved(sb, before);
          if (!verdict.ok && c.mustKeepTree === true) ctx.fail(`memory ${preset.name}: ${c.name} did not keep the tree: ${verdict.summary}`);
          peaks.get(c.name)?.push(r.maxRssKiB * 1024);
          times.get(c.name)?.push(r.ms);
          line.push(`${shortName(c.name)} ${formatBytes(r.maxRssKiB * 1024)} ${(r.ms / 1000).toFixed(2)}s`);
        }
        ctx.log(`   ${preset.name} round ${round}: ${line.join(', ')}`);
      }
      const floor = competitors.find((c) => c.floor === true);
      const floorPeak = median(peaks.get(floor?.name ?? '') ?? []);
      for (const c of competitors) {
        const p = peaks.get(c.name) ?? [];
        const failure = broken.get(c.name);
        table.push([
          preset.name,
          c.name + (c.floor === true ? ' (floor)' : ''),
          p.length > 0 ? formatBytes(median(p)) : '-',
          bytesRange(p),
          ratio(median(p), floorPeak),
          formatSeconds(median(times.get(c.name) ?? [])),
          failure === undefined ? String(p.length) : `FAILED: ${failure}`,
        ]);
      }
    } finally {
      await ctx.release(sb);
    }
  }
  ctx.log(renderTable(['preset', 'competitor', 'peak RSS', 'min-max', 'vs floor', 'time (median)', 'runs'], table));
}

/** A competitor's name short enough for a progress line: its command, and provision's --verify. */
function shortName(name: string): string {
  const command = name.split(' ')[0] ?? name;
  return name.includes('--verify content') ? `${command} (content)` : command;
}
