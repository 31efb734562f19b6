import { describe, expect, it } from 'vitest';
import { withCalm } from '../sim/attack/replay';
import { search } from '../sim/attack/search';
import { defaultScenario } from '../sim/scenario';
import { Session } from '../sim/session';
import { Simulation } from '../sim/simulation';
import type { ReplicaSummary, TraceEvent } from '../sim/types';
import { fooledAcceptance, foolWords, overlapWords, quorumOverlap, stallWords } from './quorums';

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

describe('the overlap in each protocol’s own words', () => {
  it('Tendermint: two PRECOMMIT quorums of one round, 2f+1 = 3, sharing only the colluders — no COMMIT, no VIEW-CHANGE', () => {
    const scenario = defaultScenario({ mode: 'tendermint', f: 1, requests: 2, concurrency: 2, malicious: { 1: { kind: 'collude' }, 2: { kind: 'collude' } } });
    const sim = new Simulation(scenario);
    sim.runToQuiescence(60_000);
    const violation = sim.trace.find((e) => e.kind === 'violation');
    if (violation?.kind !== 'violation') throw new Error('the colluders split the honest replicas');
    const o = quorumOverlap(sim.trace, violation.violation, 4, 'tendermint', (id) => id === 1 || id === 2);
    expect(o!.quorums.map((q) => q.kind)).toEqual(['commit', 'commit']);
    expect(o!.overlap.every((id) => id === 1 || id === 2)).toBe(true);
    const words = overlapWords(o!, 1);
    expect(words).toMatch(/in round \d+ on the PRECOMMITs of/);
    expect(words).toMatch(/the two quorums of 2f\+1 = 3 overlap only in/);
    expect(words).not.toMatch(/\bCOMMITs of|VIEW-CHANGE/);
  });

  it('at n = 5 the quorum is said as what the replicas count (4), not 2f+1 = 3', () => {
    // Quorums of 4 in 5 share 3: only 3 colluders split the 2 honest replicas.
    const scenario = defaultScenario({ f: 1, n: 5, malicious: { 0: { kind: 'collude' }, 1: { kind: 'collude' }, 2: { kind: 'collude' } } });
    const sim = new Simulation(scenario);
    sim.runToQuiescence(200_000);
    const violation = sim.trace.find((e) => e.kind === 'violation');
    if (violation?.kind !== 'violation') throw new Error('three colluders at n = 5 split the honest replicas');
    const o = quorumOverlap(sim.trace, violation.violation, 5, 'pbft', (id) => id <= 2);
    for (const q of o!.quorums) expect(q.voters.length).toBeGreaterThanOrEqual(4);
    expect(overlapWords(o!, 1)).toMatch(/the two quorums of 4 overlap only in/);
  });
});

describe('a Twins attack, explained: the quorums overlap in the twins, each instance honest', () => {
  it('twins of replicas 0 and 1 (f = 1): the honest commit quorums share only twins, and the words say so', () => {
    const given = defaultScenario({ f: 1, requests: 2, concurrency: 2 });
    const found = search({ scenario: given, goal: 'agreement', budget: { schedules: 100 }, seed: 1, twins: [0, 1] });
    expect(found.found).toBe(true);
    const session = new Session(found.scenario, withCalm(found.scenario, found.schedule!));
    session.runUntil(20_000);
    const trace = session.trace;
    const violation = trace.find((e) => e.kind === 'violation');
    expect(violation?.kind).toBe('violation');
    if (violation?.kind !== 'violation') return;
    const twins = [0, 1];
    const o = quorumOverlap(trace, violation.violation, 4, 'pbft', (id) => twins.includes(id));
    expect(o).not.toBeNull();
    // The test's own reading: each quorum's voters really sent the vote, and only twins are in both.
    for (const q of o!.quorums) expect(q.voters.length).toBeGreaterThanOrEqual(3);
    expect(o!.overlap.length).toBeGreaterThan(0);
    expect(o!.overlap.every((id) => twins.includes(id))).toBe(true);
    const words = overlapWords(o!, 1, twins);
    expect(words).toMatch(/faulty replicas? who/);
    expect(words).toMatch(/as twins: each instance honest/);
    expect(words).not.toMatch(/liar/);
  });
});

describe('a fooled client, explained: whose REPLYs made up the f+1, and that no honest replica computed the result', () => {
  const colluders = defaultScenario({ f: 1, malicious: { 0: { kind: 'collude' }, 1: { kind: 'collude' } } });
  const isLiar = (id: number) => id === 0 || id === 1;

  it('the attack the search finds (two colluders, f = 1): the f+1 matching REPLYs are the liars’', () => {
    const found = search({ scenario: colluders, goal: 'fool', budget: { schedules: 300 }, seed: 1 });
    expect(found.found).toBe(true);
    const session = new Session(colluders, withCalm(colluders, found.schedule!));
    session.runUntil(20_000);
    const trace = session.trace;
    const a = fooledAcceptance(trace, isLiar);
    expect(a).not.toBeNull();
    // The test's own reading of the run: every replier delivered a REPLY for this request to the client before the
    // acceptance, there are f+1 of them, all liars; and no honest replica's log computed the accepted result.
    const acceptAt = trace.findIndex((e) => e.kind === 'accept' && e.timestamp === a!.timestamp);
    const replied = new Set(trace.slice(0, acceptAt).flatMap((e) => (e.kind === 'deliver' && e.msg.type === 'REPLY' && e.msg.to === -1 && e.msg.digest === a!.digest ? [e.msg.from] : [])));
    expect(a!.repliers!.length).toBeGreaterThanOrEqual(2);
    for (const id of a!.repliers!) expect(replied.has(id), `replica ${id} replied`).toBe(true);
    expect(a!.liars).toEqual(a!.repliers);
    const honest = session.sim.replicaList.filter((r) => !isLiar(r.id));
    expect(honest.some((r) => r.executedLog.some((x) => x.digest === a!.digest && x.state === a!.result))).toBe(false);
    const words = foolWords(a!, 1);
    expect(words).toMatch(/f\+1 = 2 matching REPLYs/);
    expect(words).toMatch(/came from replicas 0 and 1 — both liars/);
    expect(words).toMatch(/No honest replica computed that result/);
  });

  it('an honest run is never explained as fooled, and its acceptance names honest repliers that really replied', () => {
    const session = new Session(defaultScenario({ f: 1 }));
    session.runUntil(5_000);
    expect(fooledAcceptance(session.trace, () => false)).toBeNull();
    const accept = session.trace.find((e) => e.kind === 'accept');
    expect(accept?.kind === 'accept' && accept.repliers?.length).toBeGreaterThanOrEqual(2);
  });
});

describe('a stall, explained: which request waits, since when the network is calm, and which quorum cannot form', () => {
  const base = { n: 4, f: 1, twins: [] as number[], digest: 'a7136eacff', calmSince: 100, boundMs: 10_000, viewChange: true, firstLeader: 0 };
  const replica = (id: number, view: number, behaviour: ReplicaSummary['behaviour'] = null, deadline: number | null = null): ReplicaSummary => ({
    id,
    behaviour,
    view,
    isPrimary: false,
    viewChanging: false,
    phase: null,
    lastExecuted: 0,
    lowWatermark: 0,
    highWatermark: 16,
    timer: deadline === null ? null : { startedAt: 0, deadline },
    executed: [],
  });
  const silent = { kind: 'silent' as const };

  it('the seed protocol with a silent primary (found by the search): all honest replicas in view 0, whose primary is silent, and no view change', () => {
    const scenario = defaultScenario({ f: 1, mode: 'seed', malicious: { 0: silent } });
    const found = search({ scenario, goal: 'stall', budget: { schedules: 5 }, seed: 1 });
    expect(found.found).toBe(true);
    const v = found.violation!;
    expect(v.calmSince).toBeDefined();
    const session = new Session(scenario, withCalm(scenario, found.schedule!));
    session.runUntil(v.calmSince! + v.boundMs!);
    expect(session.trace.some((e) => e.kind === 'accept')).toBe(false);
    const words = stallWords({ ...base, events: session.trace, replicas: session.sim.replicas(), digest: v.digests[0], calmSince: v.calmSince!, boundMs: v.boundMs!, viewChange: false });
    expect(words).toMatch(new RegExp(`Request ${v.digests[0].slice(0, 8)} has waited since the network became calm at t=${v.calmSince!.toFixed(1)}`));
    expect(words).toMatch(/Replica 0 is silent/);
    expect(words).toMatch(/A quorum needs 3 of the 4 replicas in one view: replicas 1, 2 and 3 are in view 0, whose primary, replica 0, is silent — and this protocol has no view change/);
  });

  it('honest replicas split across views: no view holds a quorum of them', () => {
    const words = stallWords({ ...base, events: [], replicas: [replica(0, 5, null, 900), replica(1, 0, silent), replica(2, 4, null, 700), replica(3, 4, null, 650)] });
    expect(words).toMatch(/the 3 honest replicas must meet in one view, and they are split: replicas 2 and 3 in view 4, replica 0 in view 5/);
    expect(words).toMatch(/the next fires at t=650\.0/);
  });

  it('a quorum of honest replicas in a view whose leader is silent waits for the view timers; too few honest replicas form none', () => {
    const events: TraceEvent[] = [2, 3, 0].map((r, i) => ({ kind: 'new-view', i, t: i, replica: r, view: 5, primary: 1 }));
    const waits = stallWords({ ...base, events, replicas: [replica(0, 5, null, 900), replica(1, 3, silent), replica(2, 5, null, 800), replica(3, 5, null, 850)] });
    expect(waits).toMatch(/replicas 0, 2 and 3 are in view 5, whose leader, replica 1, is silent; they wait for their view timers/);
    const tooFew = stallWords({ ...base, events: [], replicas: [replica(0, 0, silent), replica(1, 0, silent), replica(2, 0), replica(3, 0)] });
    expect(tooFew).toMatch(/only 2 are honest: no quorum can form/);
  });
});
