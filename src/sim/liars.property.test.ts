/**
 * Liars as strong as the threat model, judged from outside: with at most f of them — of one behaviour, or mixed — and
 * a network that loses up to 20 % of messages for a while and then calms down, no two honest replicas execute
 * different histories, the client never accepts a result no honest replica computed, and every request is accepted
 * within a bound once the network is calm. Every verdict is computed here, from the replicas' execution logs and
 * what the client accepted, not by asking the simulation's own checker.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { defaultScenario } from './scenario';
import { encodeShare } from './share';
import { judgeLossyThenCalm } from './calm.testkit';
import { BEHAVIOURS, type Behaviour, type BehaviourKind, type Scenario } from './types';

/** Cases per property family in CI (issue 11's target). */
const CASES_PER_FAMILY = 1000;
/** Virtual time the network stays lossy before it calms down. */
const CALM_AT = 2500;

/** Up to f liars (f = 1…3) of the given kinds, anywhere — half the cases on the primaries of views 0…f-1. */
function liarsWithinBound(kinds: readonly BehaviourKind[], maxDrop: number) {
  return fc
    .record({
      f: fc.integer({ min: 1, max: 3 }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      minDelayMs: fc.integer({ min: 0, max: 30 }),
      spread: fc.integer({ min: 0, max: 60 }),
      dropRate: fc.double({ min: 0, max: maxDrop, noNaN: true }),
      reorderRate: fc.double({ min: 0, max: 0.3, noNaN: true }),
      requests: fc.integer({ min: 1, max: 4 }),
      concurrency: fc.integer({ min: 1, max: 2 }),
      liars: fc.array(
        fc.record({
          at: fc.nat(),
          kind: fc.constantFrom(...kinds),
          omitProbability: fc.double({ min: 0, max: 1, noNaN: true }),
          extraDelayMs: fc.integer({ min: 0, max: 200 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      favourPrimaries: fc.boolean(),
    })
    .map((g): Scenario => {
      const n = 3 * g.f + 1;
      const malicious: Record<number, Behaviour> = {};
      for (const liar of g.liars.slice(0, g.f)) {
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
}

function replayHint(scenario: Scenario): string {
  return [
    `scenario ${JSON.stringify(scenario)} (the network calms at t = ${CALM_AT})`,
    `replay in the app: http://localhost:5173/?${encodeShare({ scenario, speed: 20, preset: null })}`,
  ].join('\n');
}

/**
 * After the network calms: up to f faulty primaries in a row, each costing a view change whose timeout doubles (from
 * wherever the lossy phase left it), plus the client's retransmissions and a few rounds per request, with slack.
 */
function livenessBound(s: Scenario): number {
  return s.viewChangeTimeoutMs * 2 ** (s.f + 4) + 4 * s.clientTimeoutMs + s.requests * 10 * (s.maxDelayMs + 200);
}

/** Plays the scenario lossy, then calm; every verdict computed from outside. */
function judge(scenario: Scenario): void {
  judgeLossyThenCalm(scenario, { calmAt: CALM_AT, bound: livenessBound(scenario), hint: replayHint(scenario) });
}

describe('liars within the bound (m ≤ f), up to 20 % loss and then calm (property)', () => {
  const perBehaviour = Math.ceil(CASES_PER_FAMILY / BEHAVIOURS.length);
  for (const kind of BEHAVIOURS) {
    it(`${kind} alone: honest replicas agree, the client accepts only the truth, and every request is accepted`, () => {
      fc.assert(fc.property(liarsWithinBound([kind], 0.2), judge), { numRuns: perBehaviour });
    });
  }

  it('mixed behaviours: the same three verdicts', () => {
    fc.assert(fc.property(liarsWithinBound(BEHAVIOURS, 0.2), judge), { numRuns: CASES_PER_FAMILY });
  });
});
