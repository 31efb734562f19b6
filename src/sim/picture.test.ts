import { describe, expect, it } from 'vitest';
import { Picture, pictureContext, settingsAt } from './picture';
import { defaultScenario } from './scenario';
import { Session } from './session';
import { Simulation } from './simulation';
import type { Scenario } from './types';

const scenarios: Array<[string, Scenario]> = [
  ['normal case', defaultScenario({ requests: 3 })],
  ['silent primary', defaultScenario({ malicious: { 0: { kind: 'silent' } } })],
  ['lossy, checkpoints', defaultScenario({ f: 2, requests: 6, checkpointInterval: 2, watermarkWindow: 4, dropRate: 0.1, seed: 7 })],
  ["the seed's protocol", defaultScenario({ mode: 'seed', requests: 3, seed: 2 })],
  ["the seed's protocol, lying primary", defaultScenario({ mode: 'seed', requests: 3, concurrency: 2, malicious: { 0: { kind: 'seed' } } })],
  ["the seed's protocol, n = 10, three liars", defaultScenario({ mode: 'seed', n: 10, f: 3, malicious: { 0: { kind: 'seed' }, 4: { kind: 'equivocate' }, 7: { kind: 'seed' } } })],
  ['HotStuff', defaultScenario({ mode: 'hotstuff', requests: 3, seed: 3 })],
  ['HotStuff, silent leader, lossy', defaultScenario({ mode: 'hotstuff', f: 2, requests: 4, dropRate: 0.1, seed: 5, malicious: { 0: { kind: 'silent' } } })],
  ['Chained HotStuff', defaultScenario({ mode: 'chained-hotstuff', requests: 3, seed: 3 })],
  ['Chained HotStuff, silent leader, lossy', defaultScenario({ mode: 'chained-hotstuff', f: 2, requests: 4, dropRate: 0.1, seed: 5, malicious: { 0: { kind: 'silent' } } })],
  ['Tendermint', defaultScenario({ mode: 'tendermint', requests: 3, seed: 4 })],
  ['Tendermint, equivocating proposer, lossy', defaultScenario({ mode: 'tendermint', f: 2, requests: 4, dropRate: 0.1, seed: 6, malicious: { 1: { kind: 'equivocate' } } })],
];

/** The picture folded from a recorded trace, as the page folds it. */
function folded(session: Session) {
  const { scenario, sim } = session;
  const picture = new Picture({ mode: scenario.mode, flights: true });
  for (const e of session.trace) picture.apply(e);
  const ctx = pictureContext(scenario, sim.n, sim.f);
  return { picture, derived: picture.derive(ctx, settingsAt(scenario, sim.n, session.history, session.position), sim.now, sim.nextEventTime() !== null) };
}

describe('the one picture', () => {
  for (const [name, scenario] of scenarios) {
    it(`each replica's phase for the newest request is the one the replica holds, at every step (${name})`, () => {
      const session = new Session(scenario);
      for (let k = 0; k < 2000 && session.step().length > 0; k++) {
        const newest = session.sim.client.latest?.digest;
        const shown = session.sim.replicas(false).map((r) => r.phase);
        expect(shown).toEqual(session.sim.replicaList.map((r) => (newest === undefined ? null : r.phaseOf(newest))));
      }
    });

    it(`a world that keeps no trace shows what the trace shows (${name})`, () => {
      const recorded = new Session(scenario);
      const lean = new Simulation(scenario, { recordTrace: false });
      recorded.runUntil(150);
      lean.runUntil(150);
      recorded.intervene({ kind: 'setNetwork', params: { dropRate: 0.2 } });
      lean.setNetwork({ dropRate: 0.2 });
      recorded.runUntil(5_000);
      lean.runUntil(5_000);
      const { derived } = folded(recorded);
      expect(lean.stats()).toEqual(recorded.sim.stats());
      expect(lean.replicas()).toEqual(recorded.sim.replicas());
      // Events are counted alike with or without a trace (an intervention's place is an event count).
      expect(lean.eventCount).toBe(recorded.sim.eventCount);
      expect(derived.stats).toEqual(recorded.sim.stats());
      expect(derived.replicas).toEqual(recorded.sim.replicas(false));
    });
  }

  it('keeps the messages in flight only when asked, and counts them by type either way', () => {
    const session = new Session(defaultScenario({ f: 2 }));
    session.runUntil(12);
    const { picture } = folded(session);
    const bare = new Picture();
    for (const e of session.trace) bare.apply(e);
    expect(bare.flights).toBeNull();
    expect(bare.inFlight).toEqual(session.sim.messagesInFlight());
    expect(picture.inFlight).toEqual(session.sim.messagesInFlight());
    expect(picture.flights!.size).toBe(Object.values(picture.inFlight).reduce((a, b) => a + b, 0));
    for (const m of picture.flights!.values()) expect(m.sendT).toBeLessThanOrEqual(12);
  });

  it("shows a primary pre-prepared from its proposal's first send, before its own phase event (the seed's order)", () => {
    const scenario = defaultScenario({ mode: 'seed', requests: 1 });
    const session = new Session(scenario);
    session.runUntil(50);
    const first = session.trace.findIndex((e) => e.kind === 'send' && e.msg.type === 'PRE_PREPARE');
    const own = session.trace.findIndex((e) => e.kind === 'phase' && e.replica === 0 && e.phase === 'pre-prepared');
    expect(first).toBeGreaterThan(-1);
    expect(own).toBeGreaterThan(first);
    const picture = new Picture({ mode: 'seed' });
    for (const e of session.trace.slice(0, first + 1)) picture.apply(e);
    const settings = settingsAt(scenario, 4, [], first + 1);
    expect(picture.replicas(pictureContext(scenario, 4, 1), settings)[0].phase).toBe('pre-prepared');
  });

  it('a snapshot restores the very picture it froze', () => {
    const scenario = defaultScenario({ f: 2, requests: 4, dropRate: 0.05, malicious: { 1: { kind: 'silent' } } });
    const session = new Session(scenario);
    session.runUntil(400);
    const { picture } = folded(session);
    const restored = Picture.restore(picture.snapshot(), { mode: scenario.mode, flights: true }, (id) => picture.flights!.get(id));
    const ctx = pictureContext(scenario, session.sim.n, session.sim.f);
    const settings = settingsAt(scenario, session.sim.n, [], session.position);
    expect(restored.derive(ctx, settings, 400, true)).toEqual(picture.derive(ctx, settings, 400, true));
    expect([...restored.flights!.keys()]).toEqual([...picture.flights!.keys()]);
    expect(restored.index).toBe(session.position);
  });

  it('says why the client waits, "nothing more is scheduled" only when the caller says so', () => {
    const scenario = defaultScenario();
    const session = new Session(scenario);
    session.step();
    const { picture } = folded(session);
    const ctx = pictureContext(scenario, 4, 1);
    const honest = settingsAt(scenario, 4, [], session.position);
    expect(picture.derive(ctx, honest, 0, true).stats.waitingBecause).toBe('1 request is in progress.');
    expect(picture.derive(ctx, honest, 0, false).stats.waitingBecause).toBe('1 request is waiting and nothing more is scheduled.');
    expect(picture.derive(ctx, { ...honest, dropRate: 1 }, 0, true).stats.waitingBecause).toMatch(/every message is lost/);
    const twoLiars = { ...honest, behaviours: [{ kind: 'silent' as const }, { kind: 'silent' as const }, null, null] };
    expect(picture.derive(ctx, twoLiars, 0, true).stats.waitingBecause).toMatch(/2 malicious replicas exceed f = 1/);
  });

  it('counts the requests a fooled client accepted: what the executed logs show, live and from the trace', () => {
    // Four of the seed's liars at n = 10 (m > f) execute among themselves and fool the client with f+1 replies.
    const scenario = defaultScenario({ n: 10, f: 3, seed: 11, malicious: { 0: { kind: 'seed' }, 2: { kind: 'seed' }, 5: { kind: 'seed' }, 9: { kind: 'seed' } } });
    const session = new Session(scenario);
    session.runUntil(2000);
    const sim = session.sim;
    const honestResults = new Set(sim.replicaList.filter((r) => !scenario.malicious[r.id]).flatMap((r) => r.executedLog.map((e) => `${e.digest}|${e.state}`)));
    const accepts = session.trace.flatMap((e) => (e.kind === 'accept' ? [e] : []));
    const digestOf = new Map(session.trace.flatMap((e) => (e.kind === 'request' ? [[e.timestamp, e.digest] as const] : [])));
    const fooled = accepts.filter((a) => !honestResults.has(`${digestOf.get(a.timestamp)}|${a.result}`)).length;
    expect(fooled).toBeGreaterThan(0);
    expect(sim.stats().fooled).toBe(fooled);
    expect(folded(session).derived.stats.fooled).toBe(fooled);
  });
});
