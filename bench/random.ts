/**
 * Deterministic randomness from a seed: numbers from a small PRNG (sfc32), and file contents
 * from AES-256-CTR keyed by the seed. A backup's files are encrypted or compressed, so their
 * bytes must not compress; AES-CTR gives such bytes at memory speed, the same for the same seed
 * and name on every run.
 */

import { createCipheriv, createHash } from 'node:crypto';

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string) {
    const h = createHash('sha256').update(seed).digest();
    this.a = h.readUInt32LE(0);
    this.b = h.readUInt32LE(4);
    this.c = h.readUInt32LE(8);
    this.d = h.readUInt32LE(12);
    for (let i = 0; i < 16; i++) this.next();
  }

  /** A uniform number in [0, 1). */
  next(): number {
    // sfc32: four 32-bit words, passes PractRand far beyond what a benchmark draws.
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** `length` lowercase hex digits. */
  hex(length: number): string {
    let s = '';
    while (s.length < length) s += Math.floor(this.next() * 4294967296).toString(16).padStart(8, '0');
    return s.slice(0, length);
  }
}

/** Incompressible bytes, a deterministic function of the seed and the name. */
export class ByteStream {
  private readonly cipher;
  private static readonly zeros = Buffer.alloc(1024 * 1024);

  constructor(seed: string, name: string) {
    const key = createHash('sha256').update(`content:${seed}`).digest();
    const iv = createHash('md5').update(name).digest();
    this.cipher = createCipheriv('aes-256-ctr', key, iv);
  }

  /** The next `length` bytes (at most 1 MiB at a time). */
  take(length: number): Buffer {
    if (length > ByteStream.zeros.length) throw new RangeError('ByteStream.take: at most 1 MiB at a time');
    return this.cipher.update(ByteStream.zeros.subarray(0, length));
  }
}
