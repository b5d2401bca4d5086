import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HostReads } from './host.js';
import { isWriteMethod } from './write-methods.js';

/**
 * TEST-ONLY hooks, enabled by the environment variable PROVISION_TEST_HOOKS (JSON), which no
 * user sets. The crash tests kill a real `provision apply` from outside; these hooks only
 * stretch and pause the run so that those kills and a test's "unplug the drive now" can land
 * inside every phase of a move:
 * - `delayMs`: wait this long before every write (each phase then lasts at least that long);
 * - `gate`: before the `nth` call of write `op`, create `<dir>/paused` and wait until
 *   `<dir>/continue` exists.
 * - `refuse`: reads of what is inside `under` (its listing, its files, anything below it) fail with
 *   `code`, while `under` itself can still be looked at: how macOS's privacy system answers a
 *   program without Full Disk Access (EPERM; docs/platform-facts.md), which Linux cannot do.
 * - `windows`: Windows' rules for renames, junctions and names (windows-semantics-host.ts).
 * Apart from `windows`, they never change what a write does.
 */
export interface TestHooks {
  delayMs?: number;
  gate?: { op: string; nth: number; dir: string };
  refuse?: { under: string; code: string }[];
  /**
   * Windows' file-system rules on this disk (windows-semantics-host.ts), for the Windows
   * scenarios; `network` makes folders (host paths) mapped network drives, resolving to the
   * \\server\share given, as Windows' realpath does.
   */
  windows?: boolean | { network?: Record<string, string> };
}

/** Reads whose first argument is looked into (listed, read, walked); lstat and readlink only look at it. */
const LOOKS_INTO = new Set(['readdir', 'readFile', 'summarize', 'manifest', 'fingerprint', 'compareTrees']);
const LOOKS_AT = new Set(['lstat', 'readlink']);

function refusal(hooks: TestHooks, op: string, target: unknown): NodeJS.ErrnoException | undefined {
  if (hooks.refuse === undefined || typeof target !== 'string') return undefined;
  for (const r of hooks.refuse) {
    const inside = target.startsWith(`${r.under}${path.sep}`);
    if ((LOOKS_INTO.has(op) && (inside || target === r.under)) || (LOOKS_AT.has(op) && inside)) {
      const e: NodeJS.ErrnoException = new Error(`${r.code}: operation not permitted, ${op} '${target}'`);
      e.code = r.code;
      e.path = target;
      return e;
    }
  }
  return undefined;
}

export function parseTestHooks(value: string | undefined): TestHooks | undefined {
  if (value === undefined || value === '') return undefined;
  return JSON.parse(value) as TestHooks;
}

export function withTestHooks<H extends HostReads>(host: H, hooks: TestHooks): H {
  const calls = new Map<string, number>();
  return new Proxy(host, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const fn = (value as (...args: unknown[]) => Promise<unknown>).bind(target);
      const name = String(prop);
      if (LOOKS_INTO.has(name) || LOOKS_AT.has(name)) {
        return async (...args: unknown[]) => {
          const refused = refusal(hooks, name, args[0]);
          if (refused !== undefined) throw refused;
          return fn(...args);
        };
      }
      if (!isWriteMethod(prop)) return fn;
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
