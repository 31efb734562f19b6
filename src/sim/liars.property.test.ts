/**
 * Liars as strong as the threat model, judged from outside: with at most f of them — of one behaviour, or mixed — and
 * a network that loses up to 20 % of messages for a while and then calms down, no two honest replicas execute
 * different histories, the client never accepts a result no honest replica computed, and every request is accepted
 * within a bound once the network is calm. Every verdict is computed here, from the replicas' execution logs and
 * what the client accepted, not by asking the simulation's own checker.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { judgeLossyThenCalm } from './calm.testkit';
import { liarsWithinBound, replayHint } from './liars.testkit';
import { BEHAVIOURS, type BehaviourKind, type Scenario } from './types';

/** Cases per property family in CI (issue 11's target). */
const CASES_PER_FAMILY = 1000;
/** Virtual time the network stays lossy before it calms down. */
const CALM_AT = 2500;

/** Up to f liars (f = 1…3) of the given kinds, anywhere (half the cases on the primaries of views 0…f − 1), up to 20 % loss. */
const scenarios = (kinds: readonly BehaviourKind[]) => liarsWithinBound({ kinds, fMax: 3, maxDrop: 0.2, requestsMax: 4, liarsMin: 1, liarsMax: 3 });

/**
 * After the network calms: up to f faulty primaries in a row, each costing a view change whose timeout doubles (from
 * wherever the lossy phase left it), plus the client's retransmissions and a few rounds per request, with slack.
 */
function livenessBound(s: Scenario): number {
  return s.viewChangeTimeoutMs * 2 ** (s.f + 4) + 4 * s.clientTimeoutMs + s.requests * 10 * (s.maxDelayMs + 200);
}

/** Plays the scenario lossy, then calm; every verdict computed from outside. */
function judge(scenario: Scenario): void {
  judgeLossyThenCalm(scenario, { calmAt: CALM_AT, bound: livenessBound(scenario), hint: replayHint(scenario, CALM_AT) });
}

describe('liars within the bound (m ≤ f), up to 20 % loss and then calm (property)', () => {
  const perBehaviour = Math.ceil(CASES_PER_FAMILY / BEHAVIOURS.length);
  for (const kind of BEHAVIOURS) {
    it(`${kind} alone: honest replicas agree, the client accepts only the truth, and every request is accepted`, () => {
      fc.assert(fc.property(scenarios([kind]), judge), { numRuns: perBehaviour });
    });
  }

  it('mixed behaviours: the same three verdicts', () => {
    fc.assert(fc.property(scenarios(BEHAVIOURS), judge), { numRuns: CASES_PER_FAMILY });
  });
});
