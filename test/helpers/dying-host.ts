import type { Host } from '../../src/host/host.js';
import { isWriteMethod } from '../../src/host/write-methods.js';

/**
 * A real host that "dies" at its n-th write, as a killed process would: that write and every
 * later one fail. `tear` may run the fatal write partly first (a copy that got half way).
 */
export function dyingHost(
  inner: Host,
  dieAt: number,
  tear?: (method: string, args: unknown[], run: () => Promise<unknown>) => Promise<void>,
): { host: Host; writes: () => number } {
  let count = 0;
  const crash = (): Error => Object.assign(new Error('simulated crash'), { code: 'ECRASH' });
  const host = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const fn = value as (...a: unknown[]) => Promise<unknown>;
      if (!isWriteMethod(prop)) return fn.bind(target);
      return async (...args: unknown[]) => {
        count++;
        if (count === dieAt && tear !== undefined) await tear(String(prop), args, () => fn.apply(target, args));
        if (count >= dieAt) throw crash();
        return fn.apply(target, args);
      };
    },
  });
  return { host, writes: () => count };
}
