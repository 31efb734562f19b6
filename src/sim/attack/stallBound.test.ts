/**
 * The stall goal's bound counts from the moment the network is calm, with the timers as they then stand. A long search
 * on HotStuff (silent replica 1, seed 5) reported schedule 62 as a stall: the hand fired replica 0's view timer five
 * times while holding every message, so replica 0 came out of the schedule in view 5 with its timer backed off to 32 T,
 * while replicas 2 and 3 were still in view 0. The calm network does recover — the laggards' shorter timers bring them
 * up to replica 0's view — but that takes a few of replica 0's long timers, more than 20 of the scenario's own T.
 *
 * Every verdict here is the test's own: the schedule is replayed with its trace from the seed, as the visualizer does,
 * and the request counts as accepted when the client's accept event for it is in the trace.
 */
import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../scenario';
import { Session } from '../session';
import type { ProtocolMode, Scenario, TimedIntervention } from '../types';
import { CALM_TIMERS, evaluate, play, withCalm } from './replay';
import { search } from './search';

/** `npm run sim -- search --protocol hotstuff --f 1 --malicious 1:silent --goal stall --seed 5 --budget 200 --json`. */
const silentOne = (mode: ProtocolMode, id = 1): Scenario => defaultScenario({ f: 1, mode, seed: 5, malicious: { [id]: { kind: 'silent' } } });

/** Schedule 62 of that search, shrunk, as the search printed it before the bound counted the standing timers. */
const SCHEDULE_62: TimedIntervention[] = [
  { afterEvent: 0, at: 0, intervention: { kind: 'setByHand', on: true } },
  { afterEvent: 2, at: 0, intervention: { kind: 'deliver', msg: 1 } },
  { afterEvent: 11, at: 5, intervention: { kind: 'fireTimer', replica: 0, timer: 'main' } },
  { afterEvent: 16, at: 505, intervention: { kind: 'fireTimer', replica: 0, timer: 'main' } },
  { afterEvent: 21, at: 1520, intervention: { kind: 'fireTimer', replica: 0, timer: 'main' } },
  { afterEvent: 26, at: 2125, intervention: { kind: 'fireTimer', replica: 0, timer: 'main' } },
  { afterEvent: 30, at: 8110, intervention: { kind: 'fireTimer', replica: 0, timer: 'main' } },
];

describe('stall: the bound counts from calm, with the timers as they then stand', () => {
  const scenario = silentOne('hotstuff');

  it('HotStuff, silent replica 1, schedule 62: the calm network recovers, after longer than 20 T but within 20 of the timers standing at calm', () => {
    // The moment of calm, and each honest replica's view timer then (its whole length: T · 2^k after k fruitless views).
    const { sim: atCalm } = play(scenario, SCHEDULE_62);
    const calmSince = atCalm.now;
    const standing = [0, 2, 3].map((id) => atCalm.replicaList[id].timer).map((t) => (t ? t.deadline - t.startedAt : 0));
    const T = scenario.viewChangeTimeoutMs;
    // Replica 0 was pushed five views on (view 5), its timer doubled to 32 T; replicas 2 and 3 are still in view 0.
    expect(atCalm.replicaList.map((r) => r.view)).toEqual([5, 0, 0, 0]);
    expect(standing[0]).toBe(32 * T);

    const session = new Session(scenario, withCalm(scenario, SCHEDULE_62));
    const bound = CALM_TIMERS * Math.max(T, scenario.clientTimeoutMs, ...standing);
    session.runUntil(calmSince + bound);
    const issued = session.trace.find((e) => e.kind === 'request' && !e.retransmit);
    const accepted = session.trace.find((e) => e.kind === 'accept' && issued?.kind === 'request' && e.timestamp === issued.timestamp);
    expect(accepted, 'the request is accepted on the calm network').toBeDefined();
    const recovery = accepted!.t - calmSince;
    // Longer than the old bound (20 of the scenario's timers) — the old verdict, a stall — and well inside the new one.
    expect(recovery).toBeGreaterThan(CALM_TIMERS * Math.max(T, scenario.clientTimeoutMs));
    expect(recovery).toBeLessThan(bound);
    // The judge agrees: the exact schedule no longer stalls.
    expect(evaluate(scenario, SCHEDULE_62, 'stall').violation).toBeNull();
  });

  it('a bounded stall search finds nothing on HotStuff with a silent replica (the search that reported schedule 62)', () => {
    const result = search({ scenario, goal: 'stall', budget: { schedules: 200 }, seed: 5, shrink: false });
    expect(result, result.violation?.message).toMatchObject({ found: false, schedulesTried: 200 });
  });

  // The same reasoning holds for every protocol whose timers back off (PBFT doubles its view-change timer, Tendermint
  // lengthens its timeouts with the round): whichever replica is silent, the calm network decides within the bound.
  for (const mode of ['hotstuff', 'chained-hotstuff', 'pbft', 'tendermint'] as const) {
    for (const id of [0, 2]) {
      it(`${mode}, silent replica ${id}: a bounded stall search finds nothing`, () => {
        const result = search({ scenario: silentOne(mode, id), goal: 'stall', budget: { schedules: 100 }, seed: 11, shrink: false });
        expect(result, result.violation?.message).toMatchObject({ found: false, schedulesTried: 100 });
      });
    }
  }

  it('a real stall is still one: the seed protocol, which has no view change and no timer, with a silent primary', () => {
    const stuck = defaultScenario({ f: 1, mode: 'seed', malicious: { 0: { kind: 'silent' } } });
    const result = search({ scenario: stuck, goal: 'stall', budget: { schedules: 5 }, seed: 1, shrink: false });
    expect(result.found).toBe(true);
    // Its own verdict: on the calm network, run to the bound, the client never accepts the request.
    const session = new Session(stuck, withCalm(stuck, result.schedule!));
    session.runUntil(play(stuck, result.schedule!).sim.now + CALM_TIMERS * Math.max(stuck.viewChangeTimeoutMs, stuck.clientTimeoutMs));
    expect(session.trace.some((e) => e.kind === 'accept')).toBe(false);
  });
});
