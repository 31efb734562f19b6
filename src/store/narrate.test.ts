import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../sim/types';
import { explain } from './narrate';

describe("narration in the run's protocol's words", () => {
  const prepared: TraceEvent = { kind: 'phase', i: 0, t: 1, replica: 2, view: 0, seq: 1, digest: 'd', phase: 'prepared' };
  it('says what prepared means in PBFT (2f PREPAREs with the PRE-PREPARE) and in the seed (2f+1 PREPAREs)', () => {
    expect(explain([prepared], { n: 4, f: 1 })).toContain('the PRE-PREPARE and 2 matching PREPAREs (2f = 2)');
    expect(explain([prepared], { n: 4, f: 1, mode: 'pbft' })).toBe(explain([prepared], { n: 4, f: 1 }));
    expect(explain([prepared], { n: 4, f: 1, mode: 'seed' })).toContain('2f+1 = 3 matching PREPAREs');
  });
});
