/**
 * Seeded randomness. One run has one seed; it is split into named streams (network, byzantine, ...) so that
 * making one replica malicious does not reshuffle every network delay drawn after it.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max]. */
  uniform(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** An integer in [0, n). */
  int(n: number): number;
}

/** 32-bit FNV-1a: names streams and digests requests; stable across platforms. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let k = 0; k < text.length; k++) {
    h ^= text.charCodeAt(k);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * sfc32 (Small Fast Counting generator): passes PractRand, 128-bit state, fast in JS. A class, not closures: a run makes
 * several streams, and the attack search makes thousands of runs a second, so a stream must cost next to nothing to make.
 */
class Sfc32 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }

  static seeded(seed: number, stream: string): Sfc32 {
    const rng = new Sfc32(fnv1a(stream, 0x9e3779b9 ^ (seed >>> 0)), fnv1a(stream + '#b', seed >>> 0) | 0, fnv1a(stream + '#c', (seed * 2654435761) >>> 0) | 0, 1);
    // Warm up so that nearby seeds diverge immediately.
    for (let k = 0; k < 12; k++) rng.next();
    return rng;
  }

  /** A stream in this one's state: it draws what this one would draw next. */
  copy(): Sfc32 {
    return new Sfc32(this.a, this.b, this.c, this.d);
  }

  next(): number {
    const a = this.a | 0;
    const b = this.b | 0;
    const c = this.c | 0;
    const d = this.d | 0;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    const r = (c << 21) | (c >>> 11);
    this.c = (r + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

export function createRng(seed: number, stream = ''): Rng {
  return Sfc32.seeded(seed, stream);
}

/** The last state each named stream started from, by name: a world's streams are the same for every run of one seed. */
const STARTS = new Map<string, { seed: number; rng: Sfc32 }>();

/**
 * The same stream as createRng(seed, stream), made by copying its starting state when the last world of this seed made it
 * (a world's few named streams — network, links, … — cost three string hashes and a warm-up each to make, and the attack
 * search makes thousands of worlds a second from one seed). For a fixed set of names only: one entry per name is kept.
 */
export function worldRng(seed: number, stream: string): Rng {
  const start = STARTS.get(stream);
  if (start && start.seed === seed) return start.rng.copy();
  const rng = Sfc32.seeded(seed, stream);
  STARTS.set(stream, { seed, rng: rng.copy() });
  return rng;
}
