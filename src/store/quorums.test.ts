import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/scenario';
import { Simulation } from '../sim/simulation';
import type { TraceEvent } from '../sim/types';
import { overlapWords, quorumOverlap } from './quorums';

describe('which quorums overlapped in which liar', () => {
  it('f+1 colluders: the two honest replicas’ commit quorums share only the liars', () => {
    const scenario = { ...defaultScenario(), f: 1, malicious: { 0: { kind: 'collude' as const }, 1: { kind: 'collude' as const } } };
    const sim = new Simulation(scenario);
    sim.runToQuiescence(200_000);
    const trace: readonly TraceEvent[] = sim.trace;
    const violation = trace.find((e) => e.kind === 'violation');
    expect(violation).toBeTruthy();
    if (violation?.kind !== 'violation') return;
    const o = quorumOverlap(trace, violation.violation, 4, 'pbft', (id) => id === 0 || id === 1);
    expect(o).not.toBeNull();
    // Each quorum has 2f+1 = 3 members; the overlap is never an honest replica, and it is all liars.
    for (const q of o!.quorums) expect(q.voters.length).toBeGreaterThanOrEqual(3);
    // Here the liars split the run across a view change: honest 2 committed in view 0, the new primary's view 1 was
    // built from VIEW-CHANGEs that did not include 2's.
    expect(o!.quorums.map((q) => q.kind)).toEqual(['commit', 'view-change']);
    expect(o!.quorums[1].voters).not.toContain(2);
    expect(o!.overlap.length).toBeGreaterThan(0);
    expect(o!.overlap.every((id) => id === 0 || id === 1)).toBe(true);
    expect(o!.liars).toEqual(o!.overlap);
    expect(overlapWords(o!, 1)).toMatch(/overlap only in replicas? [01]/);
    expect(overlapWords(o!, 1)).toMatch(/liars who hid in their VIEW-CHANGEs/);
  });
});
