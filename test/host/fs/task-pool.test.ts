import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { TaskPool } from '../../../src/host/fs/task-pool.js';

describe('TaskPool', () => {
  it('never runs more than its limit at once and waits for all in drain', async () => {
    const pool = new TaskPool(3);
    let running = 0;
    let peak = 0;
    let done = 0;
    for (let i = 0; i < 20; i++) {
      await pool.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await sleep(2);
        running--;
        done++;
      });
    }
    await pool.drain();
    expect(peak).toBe(3);
    expect(done).toBe(20);
  });

  it('keeps the first failure, lets the others finish, and rethrows it from drain', async () => {
    const pool = new TaskPool(4);
    let finished = 0;
    await pool.run(async () => {
      await sleep(1);
      throw Object.assign(new Error('first'), { code: 'EIO' });
    });
    await pool.run(async () => {
      await sleep(20);
      finished++;
    });
    await sleep(5);
    expect(pool.failed).toBe(true);
    await expect(pool.drain()).rejects.toMatchObject({ code: 'EIO' });
    expect(finished).toBe(1);
  });
});
