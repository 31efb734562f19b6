import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/scenario';
import type { Scenario } from '../sim/types';
import { compareCounters } from './compareCounters';
import { createCompareStore, readCompared, scenarioFor, withCompared } from './compareStore';
import { inProcessLab } from './labTestkit';

/** A compare store whose runs are real lab stores on this thread, with every frame cranked by hand. */
function compareKit(modes: Parameters<typeof createCompareStore>[0]['modes'] = ['pbft', 'hotstuff']) {
  const kits: Array<ReturnType<typeof inProcessLab>> = [];
  const frames: Array<() => void> = [];
  let real = 0;
  const store = createCompareStore({
    createLab: (scenario: Scenario, speed: number) => {
      const kit = inProcessLab({ scenario, speed });
      kits.push(kit);
      return kit.store;
    },
    requestFrame: (cb) => frames.push(cb),
    clock: () => real,
    modes,
    speed: 400,
  });
  async function frame() {
    for (const kit of kits) await kit.frame();
    real += 16;
    for (const cb of frames.splice(0)) cb();
    for (const kit of kits) await kit.frame();
  }
  return { store, kits, frame, actions: store.getState().actions };
}

const counters = (store: ReturnType<typeof compareKit>['store'], i: number) => {
  const pane = store.getState().panes[i];
  const s = pane.store.getState();
  const liars = new Set(Object.keys(s.scenario.malicious).map(Number));
  return compareCounters(s.run.trace.slice(0, s.run.length), { mode: pane.mode, f: s.run.f, now: s.live.now, liars });
};

describe('the Compare view’s store', () => {
  it('runs the same scenario under each protocol on one clock, and PBFT sends more messages per decision than HotStuff at n = 7', async () => {
    const { store, actions, frame } = compareKit();
    actions.openWith(defaultScenario({ f: 2, seed: 5, requests: 2 }));
    const [pbft, hotstuff] = store.getState().panes;
    expect([pbft.mode, hotstuff.mode]).toEqual(['pbft', 'hotstuff']);
    expect(pbft.store.getState().scenario).toMatchObject({ mode: 'pbft', f: 2, seed: 5 });
    expect(hotstuff.store.getState().scenario).toMatchObject({ mode: 'hotstuff', f: 2, seed: 5 });
    await frame();
    actions.play();
    for (let i = 0; i < 400 && (counters(store, 0).decisions < 2 || counters(store, 1).decisions < 2); i++) await frame();
    actions.pause();
    for (let i = 0; i < 3; i++) await frame();
    const time = store.getState().time;
    expect(time).toBeGreaterThan(0);
    // One clock: each run stands at the compare clock (or has nothing left to do before it).
    for (const p of store.getState().panes) {
      const live = p.store.getState().live;
      expect(live.now === time || live.nextEventAt === null || live.nextEventAt > time).toBe(true);
      expect(live.now).toBeLessThanOrEqual(time);
    }
    const [a, b] = [counters(store, 0), counters(store, 1)];
    expect(a.decisions).toBe(2);
    expect(b.decisions).toBe(2);
    expect(a.messagesPerDecision!).toBeGreaterThan(b.messagesPerDecision!);
    // HotStuff's extra phase: more message delays from request to reply.
    expect(b.hops!).toBeGreaterThan(a.hops!);
  });

  it('steps every run to the next moment anything happens in any of them', async () => {
    const { store, actions, frame } = compareKit();
    actions.openWith(defaultScenario({ f: 1, seed: 2 }));
    await frame();
    const next = Math.min(...store.getState().panes.map((p) => p.store.getState().live.nextEventAt ?? Infinity));
    actions.step();
    await frame();
    expect(store.getState().time).toBe(next);
    for (const p of store.getState().panes) expect(p.store.getState().live.now).toBe(next);
  });

  it('keeps two or three protocols, saying why it refuses a choice', async () => {
    const { store, actions } = compareKit();
    actions.openWith(defaultScenario({ f: 1 }));
    actions.toggleMode('hotstuff');
    expect(store.getState().modes).toEqual(['pbft', 'hotstuff']);
    expect(store.getState().message).toMatch(/at least 2/);
    actions.toggleMode('tendermint');
    expect(store.getState().modes).toEqual(['pbft', 'hotstuff', 'tendermint']);
    expect(store.getState().panes.map((p) => p.mode)).toEqual(['pbft', 'hotstuff', 'tendermint']);
    actions.toggleMode('seed');
    expect(store.getState().message).toMatch(/at most 3/);
    expect(store.getState().panes).toHaveLength(3);
    actions.close();
    expect(store.getState().panes).toHaveLength(0);
  });

  it('tells whoever keeps the address which protocols it compares, each time they change', () => {
    const told: string[][] = [];
    const store = createCompareStore({ createLab: (scenario, speed) => inProcessLab({ scenario, speed }).store, requestFrame: () => {}, modes: readCompared('?f=2&cmp=tendermint,pbft').modes, onModes: (m) => told.push(m) });
    expect(store.getState().modes).toEqual(['pbft', 'tendermint']);
    store.getState().actions.toggleMode('hotstuff');
    store.getState().actions.toggleMode('seed');
    store.getState().actions.toggleMode('tendermint');
    // The refused fourth protocol tells nothing.
    expect(told).toEqual([
      ['pbft', 'hotstuff', 'tendermint'],
      ['pbft', 'hotstuff'],
    ]);
  });

  it('reads cmp= from a link, saying what it ignores, and writes it only when it is not the default pair', () => {
    expect(readCompared('?f=1')).toEqual({ modes: ['pbft', 'hotstuff'], notice: null });
    expect(readCompared('?cmp=hotstuff,tendermint,pbft')).toEqual({ modes: ['pbft', 'hotstuff', 'tendermint'], notice: null });
    expect(readCompared('?cmp=pbft,raft')).toEqual({ modes: ['pbft', 'hotstuff'], notice: 'Ignored cmp: there is no protocol “raft” (choose from pbft, hotstuff, chained-hotstuff, tendermint, seed); comparing PBFT and HotStuff.' });
    expect(readCompared('?cmp=pbft').notice).toMatch(/Compare shows 2 or 3 protocols/);
    expect(withCompared('f=2&seed=4', ['pbft', 'tendermint'])).toBe('f=2&seed=4&cmp=pbft%2Ctendermint');
    expect(withCompared('f=2&cmp=pbft%2Ctendermint', ['pbft', 'hotstuff'])).toBe('f=2');
  });

  it('makes a liar honest in a protocol its lie means nothing in, and says so', () => {
    const base = defaultScenario({ f: 1, malicious: { 0: { kind: 'silent' }, 1: { kind: 'forge-new-view' } } });
    expect(scenarioFor(base, 'pbft')).toEqual({ scenario: { ...base, mode: 'pbft' }, note: null });
    const hs = scenarioFor(base, 'hotstuff');
    expect(hs.scenario.malicious).toEqual({ 0: { kind: 'silent' } });
    expect(hs.note).toMatch(/replica 1 \(forge-new-view\) is honest here: HotStuff/);
    expect(base.malicious[1]).toEqual({ kind: 'forge-new-view' });
  });
});
