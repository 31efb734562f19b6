import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyedHash, keyedPair } from './signatures';

describe('signatures', () => {
  it('the one-pass pair is exactly the two keyed hashes it stands for, whatever is signed', () => {
    const number = fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 1000 }), fc.double({ noNaN: true }), fc.constant(2 ** 40));
    fc.assert(
      fc.property(fc.integer(), fc.integer(), number, number, fc.string(), number, fc.string(), (high, low, view, seq, digest, signer, payload) => {
        const pair = keyedPair(high, low, view, seq, digest, signer, payload);
        expect(pair).toBe(keyedHash(high, view, seq, digest, signer, payload) * 0x100000 + (keyedHash(low, view, seq, digest, signer, payload) >>> 12));
      }),
      { numRuns: 2000 },
    );
  });
});
