import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultScenario, replicaCount } from './scenario';
import { encodeShare } from './share';
import { Simulation } from './simulation';
import { BEHAVIOURS, type Behaviour, type Scenario } from './types';

/** Scenarios with at most f liars anywhere — including the primary and the primaries of the next views. */
const withinBound = (maxDrop: number) =>
  fc
    .record({
      f: fc.integer({ min: 1, max: 4 }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      minDelayMs: fc.integer({ min: 0, max: 30 }),
      spread: fc.integer({ min: 0, max: 60 }),
      dropRate: maxDrop > 0 ? fc.double({ min: 0, max: maxDrop, noNaN: true }) : fc.constant(0),
      reorderRate: fc.double({ min: 0, max: 0.3, noNaN: true }),
      requests: fc.integer({ min: 1, max: 4 }),
      concurrency: fc.integer({ min: 1, max: 2 }),
      liars: fc.array(
        fc.record({
          at: fc.nat(),
          kind: fc.constantFrom(...BEHAVIOURS),
          omitProbability: fc.double({ min: 0, max: 1, noNaN: true }),
          extraDelayMs: fc.integer({ min: 0, max: 200 }),
        }),
        { maxLength: 4 },
      ),
      favourPrimaries: fc.boolean(),
    })
    .map((g): Scenario => {
      const n = 3 * g.f + 1;
      const malicious: Record<number, Behaviour> = {};
      for (const liar of g.liars.slice(0, g.f)) {
        // Half the cases aim the liars at replicas 0..f-1: the primaries of views 0..f-1.
        const id = g.favourPrimaries ? Object.keys(malicious).length : liar.at % n;
        malicious[id] = { kind: liar.kind, omitProbability: liar.omitProbability, extraDelayMs: liar.extraDelayMs };
      }
      return defaultScenario({
        f: g.f,
        seed: g.seed,
        minDelayMs: g.minDelayMs,
        maxDelayMs: g.minDelayMs + g.spread,
        dropRate: g.dropRate,
        reorderRate: g.reorderRate,
        requests: g.requests,
        concurrency: g.concurrency,
        malicious,
      });
    });

function replayHint(scenario: Scenario): string {
  return [
    `seed ${scenario.seed}, scenario ${JSON.stringify(scenario)}`,
    `replay in the app: http://localhost:5173/?${encodeShare({ scenario, speed: 20, preset: null })}`,
    `replay headless: npm run sim -- --json --scenario '${JSON.stringify(scenario)}'`,
  ].join('\n');
}

describe('safety with m ≤ f (property)', () => {
  it('no two honest replicas ever commit or execute different requests at one sequence number', () => {
    fc.assert(
      fc.property(withinBound(0.2), (scenario) => {
        const sim = new Simulation(scenario, { recordTrace: false });
        sim.runToQuiescence(30_000);
        const violations = sim.stats().violations;
        if (violations.length > 0) throw new Error(`${violations[0].message}\n${replayHint(scenario)}`);
        // Independently of the checker: honest execution logs are prefixes of one another.
        const logs = sim.replicas().filter((r) => !r.behaviour).map((r) => r.executed);
        const longest = logs.reduce((a, b) => (b.length > a.length ? b : a), []);
        for (const log of logs) expect(log, replayHint(scenario)).toEqual(longest.slice(0, log.length));
      }),
      { numRuns: 1000 },
    );
  });

  it('without loss, every request completes within a bounded virtual time', () => {
    fc.assert(
      fc.property(withinBound(0), (scenario) => {
        const n = replicaCount(scenario);
        // Up to f faulty primaries in a row, each costing a view change whose timeout doubles: T·(2^(f+1) − 1),
        // plus the client's retransmission and a normal round per request, with generous slack.
        const bound = scenario.clientTimeoutMs * 2 + scenario.viewChangeTimeoutMs * 2 ** (scenario.f + 2) + scenario.requests * 20 * (scenario.maxDelayMs + 200) + n;
        const sim = new Simulation(scenario, { recordTrace: false });
        sim.runToQuiescence(bound);
        const stats = sim.stats();
        if (stats.committed !== scenario.requests) {
          throw new Error(`only ${stats.committed}/${scenario.requests} requests completed by t=${bound}\n${replayHint(scenario)}`);
        }
        expect(stats.violations).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});
