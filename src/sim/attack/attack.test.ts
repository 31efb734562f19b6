/**
 * The attack lab's search and shrinker. Every verdict here is the test's own: a schedule is replayed with its trace from
 * the seed (as a session replays it, calm steps spelled out) and judged from the honest replicas' execution logs and the
 * client's accept events — never by asking `violated`, the code under test.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstLeaderOf } from '../liars.testkit';
import { protocolOf } from '../protocols';
import { defaultScenario } from '../scenario';
import { Session } from '../session';
import { BEHAVIOURS, type Behaviour, type BehaviourKind, type NodeId, type ProtocolMode, type Scenario, type TimedIntervention } from '../types';
import type { Goal } from './goals';
import { CALM_TIMERS, calmBoundMs, play, withCalm } from './replay';
import { search } from './search';
import { ddmin, shrink } from './shrink';

/** The schedule replayed with its trace, the calm network run to the bound, and the goal judged from logs and accepts. */
function brokenByReplay(scenario: Scenario, schedule: readonly TimedIntervention[], goal: Goal): boolean {
  const liars = new Set<NodeId>(Object.keys(scenario.malicious).map(Number));
  for (const s of schedule) if (s.intervention.kind === 'setBehaviour') liars.add(s.intervention.id);
  // A twin is a faulty replica too: its two instances may disagree with each other and with everyone.
  for (const id of scenario.twins?.replicas ?? []) liars.add(id);
  // The bound counts from calm, with the timers as they then stand: the honest replicas' view timers may have backed off.
  const atCalm = play(scenario, schedule).sim;
  const standing = atCalm.replicaList.filter((r) => !liars.has(r.id) && r.timer).map((r) => r.timer!.deadline - r.timer!.startedAt);
  const session = new Session(scenario, withCalm(scenario, schedule));
  session.runUntil(atCalm.now + Math.max(calmBoundMs(scenario), CALM_TIMERS * Math.max(0, ...standing)));
  const sim = session.sim;
  const honest = sim.replicaList.filter((r) => !liars.has(r.id));
  if (goal === 'agreement') {
    const at = new Map<number, string>();
    for (const r of honest) for (const e of r.executedLog) if ((at.get(e.seq) ?? e.digest) !== e.digest) return true;
    else at.set(e.seq, e.digest);
    return false;
  }
  const digestOf = new Map<number, string>();
  for (const e of session.trace) if (e.kind === 'request' && !e.retransmit) digestOf.set(e.timestamp, e.digest);
  const accepts = session.trace.filter((e) => e.kind === 'accept');
  if (goal === 'fool') {
    return accepts.some((a) => !honest.some((r) => r.executedLog.some((x) => x.digest === digestOf.get(a.timestamp) && x.request !== null && x.state === a.result)));
  }
  return [...digestOf.keys()].some((ts) => !accepts.some((a) => a.timestamp === ts));
}

const colluders = (overrides: Partial<Scenario> = {}) => defaultScenario({ f: 1, malicious: { 0: { kind: 'collude' }, 1: { kind: 'collude' } }, ...overrides });

describe('search: beyond the bound (m = f + 1) it finds the attack', () => {
  it('f = 1, 0:collude,1:collude: an agreement break within a modest budget, shrunk, and it replays', () => {
    const scenario = colluders();
    const result = search({ scenario, goal: 'agreement', budget: { schedules: 200 }, seed: 1 });
    expect(result.found).toBe(true);
    expect(result.schedulesTried).toBeLessThanOrEqual(200);
    expect(result.violation).toMatchObject({ goal: 'agreement' });
    expect(brokenByReplay(scenario, result.schedule!, 'agreement')).toBe(true);
  });

  it('the client is fooled by the same two colluders, and the shrunk schedule needs its steps', () => {
    const scenario = colluders();
    const result = search({ scenario, goal: 'fool', budget: { schedules: 300 }, seed: 1 });
    expect(result.found).toBe(true);
    expect(brokenByReplay(scenario, result.schedule!, 'fool')).toBe(true);
    expect(result.schedule!.length).toBeGreaterThan(0);
  });

  it('the same search finds the same attack split in slices (schedule k depends only on the seed and k)', () => {
    const scenario = colluders();
    const whole = search({ scenario, goal: 'fool', budget: { schedules: 60 }, seed: 4 });
    const parts = [0, 1, 2].map((offset) => search({ scenario, goal: 'fool', budget: { schedules: 60 }, seed: 4, slice: { offset, stride: 3 } }));
    expect(whole.found).toBe(true);
    const first = parts.filter((p) => p.found).sort((a, b) => a.scheduleIndex! - b.scheduleIndex!)[0];
    expect(first?.scheduleIndex).toBe(whole.scheduleIndex);
    expect(first?.schedule).toEqual(whole.schedule);
  });
});

/** Attacks the search finds quickly, across goals and both protocols, for the shrinking property. */
const ATTACKS: Array<{ name: string; scenario: Scenario; goal: Goal }> = [
  { name: 'pbft, two colluders, fool', scenario: colluders(), goal: 'fool' },
  { name: 'pbft, two colluders, agreement', scenario: colluders({ seed: 7 }), goal: 'agreement' },
  { name: 'pbft, two equivocators, fool', scenario: defaultScenario({ f: 1, malicious: { 0: { kind: 'equivocate' }, 1: { kind: 'equivocate' } } }), goal: 'fool' },
  { name: 'seed protocol, a silent backup, stall', scenario: defaultScenario({ f: 1, mode: 'seed', malicious: { 1: { kind: 'silent' } } }), goal: 'stall' },
];

describe('shrink (property over found attacks): the result still breaks the goal, and without any one step it does not', () => {
  it('holds for every attack found from random search seeds', () => {
    let nonEmpty = 0;
    fc.assert(
      fc.property(fc.constantFrom(...ATTACKS), fc.integer({ min: 0, max: 2 ** 31 - 1 }), ({ scenario, goal }, seed) => {
        const result = search({ scenario, goal, budget: { schedules: 40 }, seed });
        if (!result.found) return;
        const schedule = result.schedule!;
        expect(brokenByReplay(scenario, schedule, goal)).toBe(true);
        if (schedule.length > 0) nonEmpty++;
        schedule.forEach((_, k) => {
          const without = [...schedule.slice(0, k), ...schedule.slice(k + 1)];
          expect(brokenByReplay(scenario, without, goal), `without step ${k}`).toBe(false);
        });
      }),
      { numRuns: 12 },
    );
    // Not vacuous: some of the attacks needed steps.
    expect(nonEmpty).toBeGreaterThan(0);
  });

  it('a schedule that breaks nothing comes back as it was', () => {
    const scenario = defaultScenario({ f: 1 });
    const steps: TimedIntervention[] = [{ afterEvent: 0, at: 0, intervention: { kind: 'setByHand', on: true } }];
    expect(shrink(scenario, steps, 'agreement')).toEqual(steps);
  });

  it('ddmin finds the two items that matter', () => {
    const items = Array.from({ length: 40 }, (_, k) => k);
    expect(ddmin(items, (s) => s.includes(3) && s.includes(29))).toEqual([3, 29]);
  });
});

/**
 * Schedules per goal for each mix within the bound: CI's bounded search. Each is a randomised schedule with liars free
 * to switch behaviour; a few seconds for the whole describe on one core.
 */
const WITHIN_BOUND_BUDGET = 60;

/** Every behaviour the protocol's liars can have, at most f of them, the primary among them. */
function withinBound(mode: 'pbft' | 'seed'): Array<{ name: string; scenario: Scenario }> {
  const one = BEHAVIOURS.map((kind) => ({ name: `${mode} n = 4, 0:${kind}`, scenario: defaultScenario({ f: 1, mode, malicious: { 0: { kind } } }) }));
  const pairs: Array<[BehaviourKind, BehaviourKind]> = [
    ['collude', 'collude'],
    ['equivocate', 'forge-new-view'],
    ['omit', 'forge-view-change'],
    ['withhold-new-view', 'replay'],
  ];
  const two = pairs.map(([a, b]) => ({
    name: `${mode} n = 7, 0:${a},1:${b}`,
    scenario: defaultScenario({ f: 2, mode, malicious: { 0: { kind: a } as Behaviour, 1: { kind: b } as Behaviour } }),
  }));
  return [...one, ...two];
}

describe('within the bound (m ≤ f) a bounded search finds nothing', () => {
  for (const { name, scenario } of withinBound('pbft')) {
    it(`${name}: no agreement break, no fooled client, no stall on a calm network`, () => {
      for (const goal of ['agreement', 'fool', 'stall'] as const) {
        const result = search({ scenario, goal, budget: { schedules: WITHIN_BOUND_BUDGET }, seed: 3, liars: 'any', shrink: false });
        expect(result, `${goal}: ${result.violation?.message}`).toMatchObject({ found: false, schedulesTried: WITHIN_BOUND_BUDGET });
      }
    });
  }

  for (const { name, scenario } of withinBound('seed')) {
    it(`${name}: no agreement break and no fooled client (the seed's own protocol, through the same seam)`, () => {
      for (const goal of ['agreement', 'fool'] as const) {
        const result = search({ scenario, goal, budget: { schedules: WITHIN_BOUND_BUDGET }, seed: 3, liars: 'any', shrink: false });
        expect(result, `${goal}: ${result.violation?.message}`).toMatchObject({ found: false });
      }
    });
  }

  it("the seed's protocol has no view change: one lying primary stalls it, where PBFT recovers", () => {
    const liar = { 0: { kind: 'seed' as const } };
    const seedRun = search({ scenario: defaultScenario({ f: 1, mode: 'seed', malicious: liar }), goal: 'stall', budget: { schedules: 20 }, seed: 1 });
    expect(seedRun.found).toBe(true);
    expect(brokenByReplay(defaultScenario({ f: 1, mode: 'seed', malicious: liar }), seedRun.schedule!, 'stall')).toBe(true);
    const pbftRun = search({ scenario: defaultScenario({ f: 1, malicious: liar }), goal: 'stall', budget: { schedules: 20 }, seed: 1 });
    expect(pbftRun.found).toBe(false);
  });
});

describe('Twins (Bano et al. 2020): a faulty replica runs as two honest instances with the same keys, each in its own part', () => {
  // Two requests in flight at once, so an instance of the primary that hears them in another order than its twin numbers
  // them differently: equivocation from honest code.
  const twoRequests = (mode: ProtocolMode) => defaultScenario({ f: 1, mode, requests: 2, concurrency: 2 });

  for (const mode of ['pbft', 'hotstuff', 'chained-hotstuff', 'tendermint'] as const) {
    it(`${mode}, f = 1: twins of f + 1 replicas break agreement within a modest budget, and the schedule replays`, () => {
      const result = search({ scenario: twoRequests(mode), goal: 'agreement', budget: { schedules: 100 }, seed: 1, twins: [0, 1] });
      expect(result.found).toBe(true);
      expect(result.scenario.twins?.replicas).toEqual([0, 1]);
      expect(brokenByReplay(result.scenario, result.schedule!, 'agreement')).toBe(true);
    });

    it(`${mode}, f = 1: twins of at most f replicas (the primary, or a backup) break nothing`, () => {
      for (const twins of [[0], [1]]) {
        for (const goal of ['agreement', 'fool'] as const) {
          const result = search({ scenario: twoRequests(mode), goal, budget: { schedules: 30 }, seed: 2, twins, shrink: false });
          expect(result, `twins ${twins}, ${goal}: ${result.violation?.message}`).toMatchObject({ found: false, schedulesTried: 30 });
        }
      }
    });
  }

  it('a twin is a faulty replica: the goals and the checker leave it out, and both its instances run', () => {
    const scenario: Scenario = { ...twoRequests('pbft'), twins: { replicas: [0], side: [3] } };
    const session = new Session(scenario, []);
    session.runUntil(10_000);
    const sim = session.sim;
    expect(sim.everMaliciousIds.has(0)).toBe(true);
    // The client's REQUEST reached both instances of the primary: two deliveries to replica 0 of its first request.
    const first = session.trace.find((e) => e.kind === 'request' && !e.retransmit);
    const toPrimary = session.trace.filter((e) => e.kind === 'deliver' && e.msg.type === 'REQUEST' && e.msg.to === 0 && e.msg.digest === (first?.kind === 'request' ? first.digest : ''));
    expect(toPrimary.length).toBe(2);
    // Honest replicas agree and the client got both answers.
    const at = new Map<number, string>();
    for (const r of sim.replicaList.slice(1)) {
      for (const e of r.executedLog) {
        expect(at.get(e.seq) ?? e.digest, `#${e.seq} at replica ${r.id}`).toBe(e.digest);
        at.set(e.seq, e.digest);
      }
    }
    expect(session.trace.filter((e) => e.kind === 'accept').length).toBe(2);
  });

  it('a twin that is also a liar is refused', () => {
    expect(() => new Session({ ...twoRequests('pbft'), malicious: { 0: { kind: 'silent' } }, twins: { replicas: [0], side: [] } }, [])).toThrow(RangeError);
  });
});

/**
 * Every behaviour that means something in the protocol, at the first leader (Tendermint's height 1 is replica 1's: a
 * liar at 0 would never propose on a calm run), and one mixed pair at n = 7, the first two leaders.
 */
function withinBoundOf(mode: 'hotstuff' | 'chained-hotstuff' | 'tendermint'): Array<{ name: string; scenario: Scenario }> {
  const kinds = protocolOf(mode).behaviours;
  const first = firstLeaderOf(mode);
  const one = kinds.map((kind) => ({ name: `${mode} n = 4, ${first}:${kind}`, scenario: defaultScenario({ f: 1, mode, malicious: { [first]: { kind } } }) }));
  const pair = {
    name: `${mode} n = 7, ${first}:collude,${first + 1}:equivocate`,
    scenario: defaultScenario({ f: 2, mode, malicious: { [first]: { kind: 'collude' }, [first + 1]: { kind: 'equivocate' } } }),
  };
  return [...one, pair];
}

describe('the search works for every protocol: HotStuff (basic and chained) and Tendermint within the bound (m ≤ f) give it nothing', () => {
  for (const mode of ['hotstuff', 'chained-hotstuff', 'tendermint'] as const) {
    for (const { name, scenario } of withinBoundOf(mode)) {
      it(`${name}: no agreement break, no fooled client, no stall on a calm network`, () => {
        for (const goal of ['agreement', 'fool', 'stall'] as const) {
          const result = search({ scenario, goal, budget: { schedules: WITHIN_BOUND_BUDGET }, seed: 3, liars: 'any', shrink: false });
          expect(result, `${goal}: ${result.violation?.message}`).toMatchObject({ found: false, schedulesTried: WITHIN_BOUND_BUDGET });
        }
      });
    }
  }
});
