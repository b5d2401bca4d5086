/**
 * The number to hand Node's utimes/lutimes so that a copy keeps its original's time to the
 * microsecond.
 *
 * Node passes a time to libuv as a double of seconds, and libuv makes a timespec of it by
 * truncation (`uv__fs_to_timespec` in libuv's src/unix/fs.c: `tv_sec = time`, `tv_nsec = (time -
 * tv_sec) * 1e9`; the libuv of Node 22 then also drops the nanoseconds below the microsecond,
 * libuv since its pull request #4951 of December 2025, as in Node 26, keeps them). At today's
 * dates doubles are 2^-22 s (about 0.24 µs) apart, so the nearest double to a time is often just
 * below it, and truncation then lands in the microsecond before: a file written at
 * 12:00:00.185000100 became 12:00:00.184999 (Node 22) or 12:00:00.184999942 (Node 26), another
 * millisecond for anything that compares milliseconds. This picks, among the doubles next to the
 * time, the nearest one that libuv turns into a time in the same microsecond as the original,
 * which both behaviours then keep.
 *
 * Times before 1970 are left as they were handed before (Node itself replaces a negative time
 * with the present, `toUnixTimestamp` in lib/internal/fs/utils.js).
 */

const NS_PER_S = 1_000_000_000n;

/** Seconds for utimes that land in the same microsecond as `ns` (nanoseconds since 1970). */
export function utimesSeconds(ns: bigint): number {
  const whole = ns / NS_PER_S;
  const nearest = Number(whole) + Number(ns - whole * NS_PER_S) / 1e9;
  if (ns < 0n) return nearest;
  const low = ns - (ns % 1000n);
  const high = low + 1000n;
  let seconds = nearest;
  // The doubles are about 240 ns apart here, so a microsecond holds four of them: a step or two.
  while (landsAt(seconds) < low) seconds = nextDouble(seconds, 1);
  while (landsAt(seconds) >= high) seconds = nextDouble(seconds, -1);
  return seconds;
}

/** The time libuv sets for `seconds` (non-negative), in nanoseconds, before any microsecond rounding. */
export function landsAt(seconds: number): bigint {
  const whole = Math.trunc(seconds);
  return BigInt(whole) * NS_PER_S + BigInt(Math.trunc((seconds - whole) * 1e9));
}

const bits = new DataView(new ArrayBuffer(8));

/** The next double above (1) or below (-1) a positive finite `x`. */
function nextDouble(x: number, direction: 1 | -1): number {
  bits.setFloat64(0, x);
  bits.setBigUint64(0, bits.getBigUint64(0) + BigInt(direction));
  return bits.getFloat64(0);
}
