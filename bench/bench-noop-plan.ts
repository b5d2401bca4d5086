/**
 * Benchmark 2: `provision plan` on a converged machine (the backups already on the drive, the
 * link in place), which is what a daily run costs. The floor is `node -e 0`, the start-up of any
 * Node CLI; the competitor is `ansible-playbook --check` of the relocation playbook on a machine
 * it converged (its own link to the same folder on the drive).
 *
 * provision is given --machine, as a Mac's native scutil answers in a few milliseconds while the
 * simulated one is a Node start; the row without it shows what the simulator adds.
 */

import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AnsibleJob, ansibleAvailable, changedCount } from './ansible.js';
import { driveBytesFor, type BenchContext } from './context.js';
import type { Preset } from './presets.js';
import { alternate, type Contender } from './rounds.js';
import { MACHINE } from './sandbox.js';
import { median, ratio, renderTable, timingCells } from './table.js';

export async function benchNoopPlan(ctx: BenchContext, preset: Preset): Promise<void> {
  const tree = await ctx.tree(preset);
  const sb = await ctx.sandbox('noop', { driveBytes: driveBytesFor(tree.summary) });
  try {
    const rounds = Math.max(ctx.pairs, 10);
    ctx.log(`\n== 2. no-op plan on a converged machine (${preset.name} tree on the drive), ${ctx.node.label}; warm-up + ${rounds} rounds ==`);
    await sb.freshBackup(tree.backupDir);
    const applied = await ctx.run([sb.provision(['apply', '-c', sb.config, '--root', sb.root, '--machine', MACHINE, '--yes'])]);
    if (!applied.ok) throw new Error(`could not converge the machine first: ${applied.failure ?? ''}`);
    const plan = (args: string[]): Contender['commands'] => [sb.provision(['plan', '-c', sb.config, '--root', sb.root, ...args, '--detailed-exitcode'])];
    const noChanges = (r: { stdout: string }): string | undefined =>
      r.stdout.includes('No changes') ? undefined : `the plan is not empty:\n${r.stdout.slice(0, 2000)}`;
    const contenders: Contender[] = [
      { name: 'node -e 0', floor: true, commands: [ctx.nodeFloor()] },
      { name: 'provision plan --machine', commands: plan(['--machine', MACHINE]), check: noChanges },
      { name: 'provision plan (simulated scutil)', commands: plan([]), check: noChanges },
    ];
    if (ctx.skip.has('ansible')) {
      ctx.log('   skipped ansible-playbook (--skip)');
    } else if (ansibleAvailable()) {
      const ansible = await AnsibleJob.create(join(sb.dir, 'ansible'));
      // Ansible's own converged state: its link to the same folder, as its playbook writes it.
      const home = join(sb.dir, 'ansible-home', 'Backup');
      await mkdir(join(sb.dir, 'ansible-home'), { recursive: true });
      await symlink(sb.driveFolder(), home);
      contenders.push({
        name: 'ansible-playbook --check',
        commands: [ansible.command(home, sb.driveFolder(), true)],
        check: (r) => (changedCount(r.stdout) === 0 ? undefined : `the check found changes:\n${r.stdout.slice(-2000)}`),
      });
    } else {
      ctx.log('   skipped ansible-playbook: not installed (Debian: apt-get install ansible)');
    }
    const { times, failures } = await alternate(ctx, contenders, rounds);
    for (const [name, why] of failures) ctx.fail(`noop: ${name} failed: ${why}`);
    const floorMedian = median(times.get('node -e 0') ?? []);
    const rows = contenders.map((c) => {
      const ms = times.get(c.name) ?? [];
      const cells = timingCells(ms);
      return [c.name + (c.floor === true ? ' (floor)' : ''), cells.median, cells.range, ratio(median(ms), floorMedian), String(ms.length)];
    });
    ctx.log(renderTable(['competitor', 'median', 'min-max', 'vs floor', 'runs'], rows));
    ctx.budgets.record({
      runtime: ctx.node.label,
      budget: 'no-op plan on a converged machine, vs node -e 0',
      value: median(times.get('provision plan --machine') ?? []) / floorMedian,
      bar: 1.5,
      unit: 'x',
    });
  } finally {
    await ctx.release(sb);
  }
}
