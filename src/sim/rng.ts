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

/** sfc32 (Small Fast Counting generator): passes PractRand, 128-bit state, fast in JS. */
export function createRng(seed: number, stream = ''): Rng {
  let a = fnv1a(stream, 0x9e3779b9 ^ (seed >>> 0));
  let b = fnv1a(stream + '#b', seed >>> 0) | 0;
  let c = fnv1a(stream + '#c', (seed * 2654435761) >>> 0) | 0;
  let d = 1;
  const next = (): number => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // Warm up so that nearby seeds diverge immediately.
  for (let k = 0; k < 12; k++) next();
  return {
    next,
    uniform: (min, max) => min + (max - min) * next(),
    chance: (p) => p > 0 && next() < p,
    int: (n) => Math.floor(next() * n),
  };
}
