/**
 * Benchmark 3: how `validate` and `plan` grow with the declaration: N machines x 5 users, for
 * each N given (10, 100, 1000 by default). `plan` runs for the last machine under a --root with
 * the five homes and the drive present (as root, so it plans all five users), with nothing yet
 * in place, so its plan has five creations. Each is timed twice: never seen before (the cache of
 * checked declarations off, PROVISION_CACHE_DIR=off), and kept (the same file checked by an
 * earlier run: docs/declaration.md). All the commands alternate, warm-up round first.
 * A declaration provision refuses (over its size limit, MAX_CONFIG_BYTES) is reported as such.
 */

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchContext } from './context.js';
import { householdDeclaration, machineName, SCALE_USERS } from './household-declaration.js';
import { alternate, type Contender } from './rounds.js';
import type { Command } from './run-timed.js';
import { formatBytes, median, ratio, renderTable, timingCells } from './table.js';

const KINDS = ['validate', 'validate, kept', 'plan', 'plan, kept'] as const;
type Kind = (typeof KINDS)[number];

/** The budget: a 1,000-machine declaration never seen before, validated and planned for one machine. */
const BUDGET_SECONDS = 0.5;
const BUDGET_MACHINES = 1000;

export async function benchScale(ctx: BenchContext, sizes: readonly number[]): Promise<void> {
  const rounds = Math.max(ctx.pairs, 10);
  ctx.log(`\n== 3. validate and plan of N machines x ${SCALE_USERS.length} users, ${ctx.node.label}; warm-up + ${rounds} rounds ==`);
  const sb = await ctx.sandbox('scale', { driveBytes: 64 * 1024 * 1024, users: SCALE_USERS });
  try {
    const contenders: Contender[] = [{ name: 'node -e 0', floor: true, commands: [ctx.nodeFloor()] }];
    const rows: { n: number; kind: Kind; bytes: number; refused?: string }[] = [];
    for (const n of sizes) {
      const file = join(sb.dir, `household-${n}.yaml`);
      const text = householdDeclaration(n);
      await writeFile(file, text);
      const bytes = Buffer.byteLength(text);
      const off = { PROVISION_CACHE_DIR: 'off' };
      const commands: Record<Kind, Command> = {
        validate: sb.provision(['validate', '-c', file], [0], off),
        'validate, kept': sb.provision(['validate', '-c', file]),
        plan: sb.provision(['plan', '-c', file, '--root', sb.root, '--machine', machineName(n)], [0], off),
        'plan, kept': sb.provision(['plan', '-c', file, '--root', sb.root, '--machine', machineName(n)]),
      };
      // Tried once first (which also keeps the checked declaration for the `kept` rows): a
      // refusal (too big, or invalid) is a result to report, not a crash.
      for (const kind of KINDS) {
        const first = await ctx.run([commands[kind]]);
        if (!first.ok) {
          rows.push({ n, kind, bytes, refused: firstLines(`${first.stdout}\n${first.stderr}`.replaceAll(`${sb.dir}/`, '')) });
          continue;
        }
        rows.push({ n, kind, bytes });
        contenders.push({ name: `${kind} ${n}`, commands: [commands[kind]] });
      }
    }
    const { times, failures } = await alternate(ctx, contenders, rounds);
    for (const [name, why] of failures) ctx.fail(`scale: ${name} failed: ${why}`);
    const floorMedian = median(times.get('node -e 0') ?? []);
    const smallest = (kind: string): number => median(times.get(`${kind} ${sizes.find((n) => times.has(`${kind} ${n}`)) ?? 0}`) ?? []);
    const floorCells = timingCells(times.get('node -e 0') ?? []);
    const table = [['node -e 0 (floor)', '', '', floorCells.median, floorCells.range, '1.00x', '', String(times.get('node -e 0')?.length ?? 0)]];
    for (const r of rows) {
      const ms = times.get(`${r.kind} ${r.n}`) ?? [];
      const cells = timingCells(ms);
      const size = `${r.n} x ${SCALE_USERS.length}`;
      if (r.refused !== undefined) {
        table.push([r.kind, size, formatBytes(r.bytes), 'REFUSED', '-', '-', '-', '0']);
        continue;
      }
      table.push([r.kind, size, formatBytes(r.bytes), cells.median, cells.range, ratio(median(ms), floorMedian), ratio(median(ms), smallest(r.kind)), String(ms.length)]);
    }
    ctx.log(renderTable(['command', 'machines x users', 'file', 'median', 'min-max', 'vs floor', `vs ${sizes[0] ?? ''}`, 'runs'], table));
    for (const r of rows) {
      if (r.refused !== undefined) ctx.log(`   REFUSED ${r.kind} of ${r.n} machines (${formatBytes(r.bytes)}), not timed: ${r.refused}`);
    }
    if (sizes.includes(BUDGET_MACHINES)) {
      ctx.budgets.record({
        runtime: ctx.node.label,
        budget: `plan of one machine of ${BUDGET_MACHINES} x ${SCALE_USERS.length}, declaration never seen before`,
        value: median(times.get(`plan ${BUDGET_MACHINES}`) ?? []) / 1000,
        bar: BUDGET_SECONDS,
        unit: 's',
      });
    }
  } finally {
    await ctx.release(sb);
  }
}

function firstLines(text: string): string {
  return text.trim().split('\n').filter((l) => l.trim() !== '').slice(0, 2).join(' / ').slice(0, 200);
}
