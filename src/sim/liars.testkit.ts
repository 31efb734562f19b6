/**
 * For property tests: scenarios with at most f liars (the threat model's bound), of the given behaviours, anywhere —
 * half the cases on the first leaders, where a liar does the most harm — on a network that may lose and reorder. One
 * rule for every protocol's property tests (PBFT's safety and liars, HotStuff's and Tendermint's).
 */
import fc from 'fast-check';
import { protocolOf } from './protocols';
import { defaultScenario } from './scenario';
import { encodeShare } from './share';
import type { Behaviour, BehaviourKind, ProtocolMode, Scenario } from './types';

export interface LiarScenarios {
  /** The protocol (default PBFT). */
  mode?: ProtocolMode;
  kinds: readonly BehaviourKind[];
  fMax: number;
  /** Replicas beyond 3f + 1 drawn from (n = 5 at f = 1 is the audit's case): f = ⌊(n − 1)/3⌋ all the same. */
  extras?: readonly number[];
  /** Most loss (0: a reliable network). */
  maxDrop: number;
  requestsMax: number;
  liarsMin: number;
  liarsMax: number;
  /** Share of cases with tight timers: the view-change and client timeouts down to a few ms, below one round trip. */
  tightShare?: number;
}

/**
 * The first leader, where a liar does the most harm, as the protocol names it: PBFT's, the seed's and HotStuff's view 0
 * is replica 0's; Tendermint's height 1, round 0 is replica 1's. Any n above it: the rule is a residue mod n.
 */
export function firstLeaderOf(mode: ProtocolMode = 'pbft'): number {
  return protocolOf(mode).proposerOf({ view: 0, seq: 1 }, 64);
}

export function liarsWithinBound(o: LiarScenarios): fc.Arbitrary<Scenario> {
  const firstLeader = firstLeaderOf(o.mode);
  return fc
    .record({
      f: fc.integer({ min: 1, max: o.fMax }),
      extra: fc.constantFrom(...(o.extras ?? [0])),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      minDelayMs: fc.integer({ min: 0, max: 30 }),
      spread: fc.integer({ min: 0, max: 60 }),
      dropRate: o.maxDrop > 0 ? fc.double({ min: 0, max: o.maxDrop, noNaN: true }) : fc.constant(0),
      reorderRate: fc.double({ min: 0, max: 0.3, noNaN: true }),
      requests: fc.integer({ min: 1, max: o.requestsMax }),
      concurrency: fc.integer({ min: 1, max: 2 }),
      tight: fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x < (o.tightShare ?? 0)),
      viewChangeTimeoutMs: fc.integer({ min: 4, max: 120 }),
      clientTimeoutMs: fc.integer({ min: 50, max: 400 }),
      liars: fc.array(
        fc.record({
          at: fc.nat(),
          kind: fc.constantFrom(...o.kinds),
          omitProbability: fc.double({ min: 0, max: 1, noNaN: true }),
          extraDelayMs: fc.integer({ min: 0, max: 200 }),
        }),
        { minLength: o.liarsMin, maxLength: o.liarsMax },
      ),
      favourLeaders: fc.boolean(),
    })
    .map((g): Scenario => {
      const n = 3 * g.f + 1 + g.extra;
      const malicious: Record<number, Behaviour> = {};
      for (const liar of g.liars.slice(0, g.f)) {
        const id = g.favourLeaders ? (firstLeader + Object.keys(malicious).length) % n : liar.at % n;
        malicious[id] = { kind: liar.kind, omitProbability: liar.omitProbability, extraDelayMs: liar.extraDelayMs };
      }
      return defaultScenario({
        ...(o.mode ? { mode: o.mode } : {}),
        f: g.f,
        ...(g.extra > 0 ? { n } : {}),
        seed: g.seed,
        minDelayMs: g.minDelayMs,
        maxDelayMs: g.minDelayMs + g.spread,
        dropRate: g.dropRate,
        reorderRate: g.reorderRate,
        requests: g.requests,
        concurrency: g.concurrency,
        malicious,
        ...(g.tight ? { viewChangeTimeoutMs: g.viewChangeTimeoutMs, clientTimeoutMs: g.clientTimeoutMs } : {}),
      });
    });
}

/** How to replay a failing case: the scenario, when the network calmed, a link for the app and a command line. */
export function replayHint(scenario: Scenario, calmAt?: number): string {
  return [
    `seed ${scenario.seed}, scenario ${JSON.stringify(scenario)}${calmAt !== undefined ? `, network calmed (drop 0) at t = ${calmAt}` : ''}`,
    `replay in the app: http://localhost:5173/?${encodeShare({ scenario, speed: 20, preset: null })}`,
    `replay headless: npm run sim -- --json --scenario '${JSON.stringify(scenario)}'`,
  ].join('\n');
}
