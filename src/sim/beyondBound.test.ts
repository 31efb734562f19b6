import { describe, expect, it } from 'vitest';
import { defaultScenario } from './scenario';
import { Simulation } from './simulation';

describe('beyond the bound: m = f + 1 colluders', () => {
  for (const f of [1, 2, 3]) {
    it(`split the honest replicas so they commit different requests at one sequence number (f = ${f})`, () => {
      const malicious = Object.fromEntries(Array.from({ length: f + 1 }, (_, id) => [id, { kind: 'collude' as const }]));
      const sim = new Simulation(defaultScenario({ f, requests: 2, concurrency: 2, malicious }));
      sim.runToQuiescence(5_000);
      const violations = sim.stats().violations;
      const agreement = violations.find((v) => v.rule === 'agreement');
      expect(agreement).toBeDefined();
      // The evidence names two honest replicas and two genuine digests.
      expect(agreement!.replicas.every((r) => r > f)).toBe(true);
      expect(new Set(agreement!.digests).size).toBe(2);
      for (const d of agreement!.digests) expect(sim.client.issued.has(d)).toBe(true);
      expect(sim.trace.some((e) => e.kind === 'violation')).toBe(true);
      // Anyone can see it from the execution logs alone, without the checker.
      const honest = sim.replicas().filter((r) => !r.behaviour);
      const firsts = new Set(honest.map((r) => r.executed[0]?.[1]).filter(Boolean));
      expect(firsts.size).toBe(2);
    });
  }

  it('the same colluders within the bound (m = f) cannot break agreement', () => {
    const sim = new Simulation(defaultScenario({ f: 2, requests: 2, concurrency: 2, malicious: { 0: { kind: 'collude' }, 1: { kind: 'collude' } } }));
    sim.runToQuiescence(20_000);
    expect(sim.stats().violations).toEqual([]);
    expect(sim.stats().committed).toBe(2);
  });
});
