/**
 * HotStuff (basic and chained) and Tendermint against liars within the bound, judged from outside: with at most f of them — of the
 * behaviours that mean something in the protocol, mixed — and a network that loses up to 20 % of messages and reorders
 * for a while and then calms down, no two honest replicas execute different histories, the client accepts only results
 * honest replicas computed, and every request is accepted within a bound once the network is calm. Every verdict is
 * computed here, from the replicas' execution logs and what the client accepted.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { judgeLossyThenCalm } from '../calm.testkit';
import { liarsWithinBound } from '../liars.testkit';
import type { ProtocolMode, Scenario } from '../types';
import { PROTOCOLS } from './index';

/** Cases per protocol (the 1,000); f and the request count are kept small so CI stays within a minute or so. */
const CASES = Number(process.env.CASES ?? 1000);
/** Each run draws afresh; LEADERS_SEED=<seed> replays the draw fast-check printed with a failure. */
const SEED = process.env.LEADERS_SEED === undefined ? undefined : Number(process.env.LEADERS_SEED);
const CALM_AT = 2500;

/**
 * Up to f liars (f = 1, 2) of the behaviours that mean something in the protocol, half on the first leaders; up to 20 %
 * loss; half the cases with one or two replicas beyond 3f + 1, where a quorum of 2f + 1 no longer overlaps in f + 1
 * (Tendermint at n = 5 decided two values with one colluder before its quorum became the run's).
 */
const scenarios = (mode: ProtocolMode) => liarsWithinBound({ mode, kinds: PROTOCOLS[mode].behaviours, fMax: 2, extras: [0, 0, 1, 2], maxDrop: 0.2, requestsMax: 3, liarsMin: 0, liarsMax: 2 });

/**
 * After the network calms: the pacemaker's timer may have doubled up to 2^8 during the lossy phase (HotStuff), or the
 * round grown (Tendermint), plus a few views of faulty leaders, the client's retransmissions, and a few rounds per request.
 */
function livenessBound(s: Scenario): number {
  return s.viewChangeTimeoutMs * 2 ** 9 + 4 * s.clientTimeoutMs + s.requests * 10 * (s.maxDelayMs + 200);
}

/** Plays the scenario lossy, then calm; every verdict computed from outside. */
function judge(scenario: Scenario): void {
  judgeLossyThenCalm(scenario, { calmAt: CALM_AT, bound: livenessBound(scenario), hint: `scenario ${JSON.stringify(scenario)} (calm at t = ${CALM_AT})`, calmReorder: true });
}

describe.each(['hotstuff', 'chained-hotstuff', 'tendermint'] as const)('%s with liars within the bound (m ≤ f), up to 20 % loss and reordering, then calm (property)', (mode) => {
  it('honest histories agree, the client accepts only what honest replicas computed, and every request is accepted', () => {
    fc.assert(fc.property(scenarios(mode), judge), { numRuns: CASES, ...(SEED === undefined ? {} : { seed: SEED }) });
  });
});
