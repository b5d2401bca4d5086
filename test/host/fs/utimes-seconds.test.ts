import { describe, expect, it } from 'vitest';
import { landsAt, utimesSeconds } from '../../../src/host/fs/utimes-seconds.js';

/** What libuv makes of `seconds`: its nanoseconds (Node 26), or those cut to the microsecond (Node 22). */
function libuv(seconds: number, microseconds: boolean): bigint {
  const ns = landsAt(seconds);
  return microseconds ? ns - (ns % 1000n) : ns;
}

/** A deterministic spread of times (xorshift), from 1970 to 2100, with every kind of fraction. */
function times(count: number): bigint[] {
  let x = 0x2545f491n;
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) {
    x ^= (x << 13n) & 0xffffffffffffn;
    x ^= x >> 7n;
    x ^= (x << 17n) & 0xffffffffffffn;
    const seconds = x % 4_102_444_800n;
    const fraction = [x % 1_000_000_000n, (x % 1_000_000n) * 1000n + (x % 7n), (x % 1000n) * 1_000_000n + (x % 300n), 999_999_999n - (x % 500n)][i % 4] ?? 0n;
    out.push(seconds * 1_000_000_000n + fraction);
  }
  return out;
}

describe('utimesSeconds', () => {
  it('lands every time in its own microsecond, with or without libuv cutting to the microsecond', () => {
    for (const ns of [...times(40_000), 1796428205185000100n, 1796428205184999999n, 0n, 999n, 1000n]) {
      const seconds = utimesSeconds(ns);
      const want = ns - (ns % 1000n);
      expect({ ns, cut: libuv(seconds, true) }).toEqual({ ns, cut: want });
      const kept = libuv(seconds, false);
      expect({ ns, kept: kept - (kept % 1000n) }).toEqual({ ns, kept: want });
    }
  });

  it('is the nearest double where that already lands right (whole seconds stay whole)', () => {
    expect(landsAt(utimesSeconds(1796428205000000000n))).toBe(1796428205000000000n);
    expect(utimesSeconds(1796428205000000000n)).toBe(1796428205);
    // The case a CI run met: the time handed before (mtimeMs / 1000) is 57 ns short of the millisecond.
    expect(landsAt(1796428205185.0001 / 1000)).toBeLessThan(1796428205185000000n);
    expect(landsAt(utimesSeconds(1796428205185000100n)) / 1000n).toBe(1796428205185000n);
  });
});
