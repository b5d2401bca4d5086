import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Host } from './host.js';
import { isWriteMethod } from './write-methods.js';

/**
 * TEST-ONLY hooks, enabled by the environment variable PROVISION_TEST_HOOKS (JSON), which no
 * user sets. The crash tests kill a real `provision apply` from outside; these hooks only
 * stretch and pause the run so that those kills and a test's "unplug the drive now" can land
 * inside every phase of a move:
 * - `delayMs`: wait this long before every write (each phase then lasts at least that long);
 * - `gate`: before the `nth` call of write `op`, create `<dir>/paused` and wait until
 *   `<dir>/continue` exists.
 * They never change what a write does.
 */
export interface TestHooks {
  delayMs?: number;
  gate?: { op: string; nth: number; dir: string };
}

export function parseTestHooks(value: string | undefined): TestHooks | undefined {
  if (value === undefined || value === '') return undefined;
  return JSON.parse(value) as TestHooks;
}

export function withTestHooks(host: Host, hooks: TestHooks): Host {
  const calls = new Map<string, number>();
  return new Proxy(host, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const fn = (value as (...args: unknown[]) => Promise<unknown>).bind(target);
      if (!isWriteMethod(prop)) return fn;
      const name = String(prop);
      return async (...args: unknown[]) => {
        const n = (calls.get(name) ?? 0) + 1;
        calls.set(name, n);
        const gate = hooks.gate;
        if (gate !== undefined && gate.op === name && gate.nth === n) {
          await writeFile(path.join(gate.dir, 'paused'), String(process.pid));
          while (!existsSync(path.join(gate.dir, 'continue'))) await sleep(10);
        }
        if (hooks.delayMs !== undefined && hooks.delayMs > 0) await sleep(hooks.delayMs);
        return fn(...args);
      };
    },
  });
}
