/**
 * The built CLI against every bad declaration of the corpus (committed and generated) and against
 * abuse of the command line. Each run must end with exit code 1, quickly, with the first problem
 * as FILE:LINE:COLUMN on stderr, nothing on stdout, no stack trace, nothing a terminal would act
 * on (escape sequences, bidi marks), no password, and nothing changed on disk.
 *
 * Time, measured against runs of `validate` on a good declaration made alongside (one in every
 * eight, at the same concurrency), so Node's start-up is allowed for:
 * - CPU time, as the CLI process itself reports it (a preloaded module writes process.cpuUsage()
 *   at exit): at most one second more than the costliest good run, plus time linear in the
 *   file's size (rejectAllowanceMs: 6 s per MiB, for declarations up to the 1 MiB limit). CPU
 *   time does not swell when four runs share a loaded test machine.
 * - Wall time: at most twice that more than the slowest good run. Generous, because on a
 *   machine with fewer cores than runs the wall time of the same work varies by a factor of two,
 *   but real: a run that blocks (reading a pipe, say) uses no CPU and is caught here.
 * The loader's own CPU time per file is held to the same allowance in test/config/bad-corpus.test.ts.
 */

import { statSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, REPO } from '../helpers/sandbox.js';
import { snapshotTree } from '../helpers/fixtures.js';
import { committedExpectation, rejectAllowanceMs, writeHostileFiles, type Expectation } from '../config/hostile-files.js';
import { FIXTURES, fixtureFiles } from '../config/fixtures.js';

const BAD = path.join(FIXTURES, 'bad');
const GOOD = path.join(FIXTURES, 'good', 'household.yaml');
const CONCURRENCY = 4;

/** Preloaded into each CLI run: writes the process's CPU time (ms) to the file the test names. */
const CPU_REPORTER = `import { writeFileSync } from 'node:fs';
const out = process.env.PROVISION_TEST_CPU_REPORT;
if (out) process.on('exit', () => { const u = process.cpuUsage(); writeFileSync(out, String((u.user + u.system) / 1000)); });
`;

/** What a terminal acts on; line feeds are the output's own. */
const ACTIVE = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const STACK_TRACE = /\n\s+at /;
/** Passwords written in the secret-* fixtures: none may appear in any output. */
const PASSWORDS = ['hunter2', 's3cret', 'pa55', 'p%40ss', 'p@ss@word', ':pw@'];

interface Run {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Wall time. */
  ms: number;
  /** CPU time the process reported. */
  cpuMs: number;
}

interface Baseline {
  ms: number;
  cpuMs: number;
}

interface Task {
  label: string;
  args: string[];
  /** The first problem's place, when the run is about a declaration. */
  expected?: Expectation & { file: string };
}

let runCount = 0;

/** Runs the built CLI from `cwd` (also its HOME), with the CPU reporter preloaded from `cwd`. */
async function runCli(args: string[], cwd: string): Promise<Run> {
  const report = path.join(cwd, `.cpu-${process.pid}-${runCount++}`);
  const started = performance.now();
  const r = await execa(process.execPath, ['--import', pathToFileURL(path.join(cwd, 'cpu-reporter.mjs')).href, CLI, ...args], {
    cwd,
    reject: false,
    stdin: 'ignore',
    env: { NO_COLOR: '1', HOME: cwd, PATH: process.env['PATH'] ?? '', PROVISION_TEST_CPU_REPORT: report },
    extendEnv: false,
    timeout: 30_000,
  });
  const ms = performance.now() - started;
  const cpuMs = Number(await fs.readFile(report, 'utf8').catch(() => 'NaN'));
  await fs.rm(report, { force: true });
  return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr), ms, cpuMs };
}

/** Runs every task, CONCURRENCY at a time, in order of start. */
async function runAll<T>(tasks: readonly T[], run: (task: T) => Promise<Run>): Promise<Run[]> {
  const results: Run[] = new Array<Run>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      const task = tasks[i];
      if (task !== undefined) results[i] = await run(task);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return results;
}

/** The costliest of the good runs, in wall time and in CPU time. */
function baselineOf(runs: readonly Run[]): Baseline {
  for (const r of runs) expect(r.exitCode, r.stderr).toBe(0);
  return { ms: Math.max(...runs.map((r) => r.ms)), cpuMs: Math.max(...runs.map((r) => r.cpuMs)) };
}

/** Checks that every hostile run holds, within the time allowed over the baseline. */
/** What a task may cost over a good run: by the size of the declaration it reads, if any. */
function allowance(task: Task): { cpu: number; wall: number } {
  const file = task.expected?.file;
  const bytes = file === undefined ? 0 : statSync(file).size;
  const cpu = rejectAllowanceMs(bytes);
  return { cpu, wall: 2 * cpu };
}

function expectRejections(tasks: readonly Task[], runs: readonly Run[], baseline: Baseline): void {
  tasks.forEach((task, i) => {
    const r = runs[i];
    if (r === undefined) return expect.fail(`${task.label}: did not run`);
    const context = `${task.label}\n--- stderr ---\n${r.stderr.slice(0, 2000)}`;
    expect(r.exitCode, context).toBe(1);
    expect(r.stdout, context).toBe('');
    expect(r.stderr, context).not.toMatch(STACK_TRACE);
    expect(r.stderr, context).not.toMatch(ACTIVE);
    for (const password of PASSWORDS) expect(r.stderr, context).not.toContain(password);
    expect(r.stderr.length, context).toBeLessThan(20_000);
    if (task.expected !== undefined) {
      const { file, line, column } = task.expected;
      expect(r.stderr, context).toContain(`${file}:${line}:${column}: `);
    } else {
      expect(r.stderr.trim().length, context).toBeGreaterThan(0);
    }
    const timing = `${task.label}: ${Math.round(r.ms)} ms (${Math.round(r.cpuMs)} ms CPU); good runs took up to ${Math.round(baseline.ms)} ms (${Math.round(baseline.cpuMs)} ms CPU)`;
    expect(r.cpuMs, timing).toBeLessThanOrEqual(baseline.cpuMs + allowance(task).cpu);
    expect(r.ms, timing).toBeLessThanOrEqual(baseline.ms + allowance(task).wall);
  });
}

describe('hostile input to the CLI: exit 1 within a second, located, escaped, no trace, nothing changed', () => {
  let work: string;
  let generatedDir: string;
  let root: string;
  let declarations: (Expectation & { file: string })[] = [];
  let before: { fixtures: Record<string, string>; root: Record<string, string> };

  beforeAll(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-hostile-e2e-'));
    generatedDir = path.join(work, 'generated');
    root = path.join(work, 'root');
    await fs.mkdir(generatedDir);
    await fs.writeFile(path.join(work, 'cpu-reporter.mjs'), CPU_REPORTER);
    await fs.mkdir(path.join(root, 'Users', 'alex', 'Library'), { recursive: true });
    await fs.writeFile(path.join(root, 'Users', 'alex', 'notes.txt'), 'keep me\n');
    const committed = fixtureFiles('bad').map((file) => {
      const expected = committedExpectation(file);
      if (expected === undefined) throw new Error(`no expectation for ${file}`);
      return { file, ...expected };
    });
    declarations = [...committed, ...(await writeHostileFiles(generatedDir))];
    before = { fixtures: await snapshotTree(BAD), root: await snapshotTree(root) };
  });

  afterAll(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  it('rejects every bad declaration, with validate and (for a sample) with plan', async () => {
    const hostile: Task[] = declarations.flatMap((d, i) => {
      const name = path.relative(REPO, d.file).startsWith('..') ? path.basename(d.file) : path.relative(REPO, d.file);
      const tasks: Task[] = [{ label: `validate ${name}`, args: ['validate', '-c', d.file], expected: d }];
      // plan reads the declaration the same way; a sample shows it stops there too.
      if (i % 5 === 0 || d.file.startsWith(generatedDir)) {
        tasks.push({ label: `plan ${name}`, args: ['plan', '-c', d.file, '--root', root, '--machine', 'x'], expected: d });
      }
      return tasks;
    });
    // One baseline run (a good declaration) in every eight, so it meets the same load.
    const baseline: Task = { label: 'baseline', args: ['validate', '-c', GOOD] };
    const tasks = hostile.flatMap((t, i) => (i % 7 === 0 ? [baseline, t] : [t]));
    const runs = await runAll(tasks, (t) => runCli(t.args, work));

    const good = baselineOf(runs.filter((_, i) => tasks[i] === baseline));
    const hostileRuns = runs.filter((_, i) => tasks[i] !== baseline);
    // Times swell with a load spike from the test files running beside this one (the fault
    // tests start many processes; CPU time too, by a few percent, through caches shared with
    // them): a run over either bound is timed once more, alone, before it counts as slow. A run
    // that blocks or loops is as slow the second time.
    for (const [i, t] of hostile.entries()) {
      const r = hostileRuns[i];
      if (r !== undefined && (r.ms > good.ms + allowance(t).wall || r.cpuMs > good.cpuMs + allowance(t).cpu)) hostileRuns[i] = await runCli(t.args, work);
    }
    expect(hostile.length).toBeGreaterThanOrEqual(150);
    expectRejections(hostile, hostileRuns, good);
    // HOSTILE_TIMING=1 prints the costliest runs, to see how much room the bounds leave.
    if (process.env['HOSTILE_TIMING']) {
      const slowest = hostile.map((t, i) => [Math.round(hostileRuns[i]?.ms ?? 0), Math.round(hostileRuns[i]?.cpuMs ?? 0), t.label] as const).sort((a, b) => b[1] - a[1]).slice(0, 8);
      process.stderr.write(`good runs: up to ${Math.round(good.ms)} ms, ${Math.round(good.cpuMs)} ms CPU; costliest: ${JSON.stringify(slowest)}\n`);
    }

    expect(await snapshotTree(BAD)).toEqual(before.fixtures);
    expect(await snapshotTree(root)).toEqual(before.root);
  }, 600_000);

  it('rejects abuse of the command line with a clear message', async () => {
    const fifo = path.join(work, 'pipe.yaml');
    await execa('mkfifo', [fifo]);
    const aFile = path.join(work, 'a-file');
    await fs.writeFile(aFile, 'not a folder\n');
    const long = 'x'.repeat(100_000);
    const common = ['-c', GOOD, '--root', root];
    const cases: [string, string[], RegExp][] = [
      ['an unknown option', ['validate', '--frobnicate'], /unknown option/],
      ['an unknown option carrying an escape sequence', ['validate', '--\x1b[2J\x1b[31mx'], /unknown option '--\\x1B\[2J/],
      ['an unknown command', ['frobnicate'], /unknown command/],
      ['an unknown command carrying a bidi mark', ['plan\u202Etxt'], /unknown command 'plan\\u202Etxt'/],
      ['-c with no value', ['validate', '-c'], /argument missing/],
      ['-c naming nothing', ['validate', '-c', path.join(work, 'nope.yaml')], /does not exist/],
      ['-c naming a folder', ['validate', '-c', work], /folder/],
      ['-c naming a pipe (which would block)', ['validate', '-c', fifo], /not a regular file/],
      ['-c naming /dev/zero (which never ends)', ['validate', '-c', '/dev/zero'], /not a regular file/],
      ['-c with an absurdly long path', ['validate', '-c', long], /does not exist/],
      ['--root that does not exist', ['plan', '-c', GOOD, '--root', path.join(work, 'nowhere'), '--machine', 'imac'], /--root .* is not a folder/],
      ['--root that is a file', ['plan', '-c', GOOD, '--root', aFile, '--machine', 'imac'], /--root .* is not a folder/],
      ['--machine with control characters', ['plan', ...common, '--machine', 'im\x1b[31mac\x07\r'], /no machine im\\x1B\[31mac\\x07\\r /],
      ['--machine absurdly long', ['plan', ...common, '--machine', long], /no machine x+… \(\d+ characters in all\)/],
      ['--user with control characters', ['plan', ...common, '--machine', 'imac', '--user', '\x1b]0;pwned\x07'], /\\x1B\]0;pwned\\x07/],
      ['an absurdly long unknown option', ['plan', `--${long}`], /unknown option/],
    ];
    const before = await snapshotTree(root);
    const baseline: Task = { label: 'baseline', args: ['validate', '-c', GOOD] };
    const tasks: Task[] = [baseline, ...cases.map(([label, args]) => ({ label, args })), baseline];
    const runs = await runAll(tasks, (t) => runCli(t.args, work));
    const good = baselineOf(runs.filter((_, i) => tasks[i] === baseline));
    const abuse = tasks.slice(1, -1);
    const abuseRuns = runs.slice(1, -1);
    expectRejections(abuse, abuseRuns, good);
    cases.forEach(([label, , message], i) => expect(abuseRuns[i]?.stderr, label).toMatch(message));
    expect(await snapshotTree(root)).toEqual(before);
  }, 120_000);
});
