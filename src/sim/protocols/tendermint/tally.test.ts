import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Tally } from './replica';

describe('a round’s tally of votes', () => {
  it('counts each voter once per value, as a map of value → voters would, equivocators included', () => {
    const vote = fc.record({ voter: fc.integer({ min: 0, max: 9 }), digest: fc.constantFrom('a', 'b', 'nil', 'x') });
    fc.assert(
      fc.property(fc.array(vote, { maxLength: 60 }), (votes) => {
        const tally = new Tally();
        const model = new Map<string, Set<number>>();
        for (const { voter, digest } of votes) {
          const fresh = !(model.get(digest)?.has(voter) ?? false);
          expect(tally.add(voter, digest)).toBe(fresh);
          if (!model.has(digest)) model.set(digest, new Set());
          model.get(digest)!.add(voter);
        }
        const everyone = new Set([...model.values()].flatMap((s) => [...s]));
        expect(tally.size).toBe(everyone.size);
        expect(new Set(tally.voters())).toEqual(everyone);
        for (const digest of ['a', 'b', 'nil', 'x', 'never']) {
          const who = [...(model.get(digest) ?? [])].sort((p, q) => p - q);
          expect(tally.count(digest)).toBe(who.length);
          expect(tally.votersFor(digest)).toEqual(who);
          for (let voter = 0; voter < 10; voter++) expect(tally.hasVote(voter, digest)).toBe(who.includes(voter));
        }
      }),
      { numRuns: 500 },
    );
  });
});
