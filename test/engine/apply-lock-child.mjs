// A separate process for the apply lock tests (test/engine/apply-lock.test.ts). It runs the
// COMPILED lock (npm run build first), so that locks are taken by real, distinct processes.
//
//   node apply-lock-child.mjs try  LOCK          acquire, print the outcome as JSON, release
//   node apply-lock-child.mjs hold LOCK          acquire, print the outcome, hold until stdin ends
//   node apply-lock-child.mjs exit LOCK          acquire, then process.exit() without releasing
//   node apply-lock-child.mjs race LOCK RECORD HOLD_MS
//        print "ready", wait for a line on stdin (the start signal every racer gets at once),
//        acquire, hold HOLD_MS, append the hold interval (or the error code) to RECORD, release

import { appendFile } from 'node:fs/promises';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { acquireApplyLock } from '../../dist/engine/lock/apply-lock.js';
import { RealHost } from '../../dist/host/real-host.js';

const [mode, lockFile, recordFile, holdMs] = process.argv.slice(2);
const host = new RealHost();
const info = { command: `apply-lock-child ${mode}`, user: 'racer' };
const now = () => performance.timeOrigin + performance.now();
const failure = (error) => ({ outcome: error?.code ?? 'ERROR', message: String(error?.message ?? error) });
const print = (value) => process.stdout.write(`${JSON.stringify({ pid: process.pid, ...value })}\n`);

async function race() {
  print({ outcome: 'ready' });
  await once(process.stdin, 'data');
  process.stdin.destroy();
  let record;
  try {
    const lock = await acquireApplyLock(host, lockFile, info);
    const start = now();
    await sleep(Number(holdMs));
    // The interval ends before the release: the next holder can only start after it.
    record = { outcome: 'held', start, end: now() };
    await appendFile(recordFile, `${JSON.stringify({ pid: process.pid, ...record })}\n`);
    await lock.release();
  } catch (error) {
    record = failure(error);
    await appendFile(recordFile, `${JSON.stringify({ pid: process.pid, ...record })}\n`);
  }
}

async function main() {
  if (mode === 'race') return race();
  let lock;
  try {
    lock = await acquireApplyLock(host, lockFile, info);
  } catch (error) {
    print(failure(error));
    return;
  }
  print({ outcome: 'held', startedAt: lock.holder.startedAt });
  if (mode === 'exit') process.exit(0);
  if (mode === 'hold') {
    process.stdin.resume();
    await once(process.stdin, 'end');
  }
  await lock.release();
}

await main();
