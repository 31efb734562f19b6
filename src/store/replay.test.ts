import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/scenario';
import { Session } from '../sim/session';
import type { Scenario } from '../sim/types';
import { deriveAt, emptyRun, eventsUpTo, happeningStart, mergeEvents, truncateRun } from './replay';

const scenarios: Array<[string, Scenario]> = [
  ['normal case', defaultScenario({ requests: 3 })],
  ['silent primary', defaultScenario({ malicious: { 0: { kind: 'silent' } } })],
  ['lossy network', defaultScenario({ dropRate: 0.2, requests: 2, seed: 5 })],
  ['colluders beyond the bound', defaultScenario({ requests: 2, concurrency: 2, malicious: { 0: { kind: 'collude' }, 1: { kind: 'collude' } } })],
  ['f = 2 with checkpoints', defaultScenario({ f: 2, requests: 6, checkpointInterval: 2, malicious: { 3: { kind: 'equivocate' } } })],
];

describe('deriveAt: the picture rebuilt from a trace prefix', () => {
  for (const [name, scenario] of scenarios) {
    it(`matches what the simulation reported at every step (${name})`, () => {
      const session = new Session(scenario);
      session.intervene({ kind: 'setNetwork', params: { reorderRate: 0.1 } });
      for (let k = 0; k < 3000; k++) {
        if (session.step().length === 0) break;
        const sim = session.sim;
        const derived = deriveAt(session.trace, session.trace.length, sim.now, { n: sim.n, f: sim.f, scenario, interventions: session.history });
        const live = sim.replicas(false).map(({ executed: _e, ...r }) => r);
        expect(derived.replicas.map(({ executed: _e, ...r }) => r)).toEqual(live);
        const { latenciesMs: _l, sent: _s, ...stats } = sim.stats();
        const { latenciesMs: _dl, sent: _ds, ...derivedStats } = derived.stats;
        // "Nothing more is scheduled" needs the scheduler, which a trace does not show.
        if (stats.waitingBecause?.includes('nothing more is scheduled')) stats.waitingBecause = derivedStats.waitingBecause;
        expect(derivedStats).toEqual(stats);
        expect([...derived.inFlight.keys()].length).toBe(Object.values(sim.messagesInFlight()).reduce((a, b) => a + b, 0));
      }
    });
  }
});

describe('the run buffer', () => {
  it('keeps a known future when a replay matches it and replaces it from the first difference', () => {
    const session = new Session(defaultScenario());
    session.runUntil(1000);
    const trace = [...session.trace];
    const run = emptyRun();
    mergeEvents(run, 0, trace, [0]);
    expect(run.length).toBe(trace.length);
    const sends = run.messages.length;
    expect(run.messages.every((m) => m.endIndex > m.sendIndex)).toBe(true);

    // The same events again from 10: nothing changes.
    expect(mergeEvents(run, 10, trace.slice(10, 20), [])).toBe(trace.length);
    expect(run.length).toBe(trace.length);

    // Different events from 10: the future from there is replaced.
    const other = new Session(defaultScenario({ seed: 99 }));
    other.runUntil(1000);
    const changedAt = mergeEvents(run, 10, other.trace.slice(10, 12), [10]);
    expect(changedAt).toBeGreaterThanOrEqual(10);
    expect(run.length).toBeLessThan(trace.length);
    expect(run.messages.length).toBeLessThan(sends);
    expect(run.messages.every((m) => m.sendIndex < run.length && m.endIndex < run.length)).toBe(true);

    truncateRun(run, 3);
    expect(run.length).toBe(3);
    expect(run.starts.every((s) => s < 3)).toBe(true);
  });

  it('finds the events up to a time and the start of the step before an index', () => {
    const session = new Session(defaultScenario());
    session.runUntil(1000);
    const trace = session.trace;
    const t = trace[20].t;
    const k = eventsUpTo(trace, trace.length, t);
    expect(trace.slice(0, k).every((e) => e.t <= t)).toBe(true);
    expect(k === trace.length || trace[k].t > t).toBe(true);
    expect(happeningStart([0, 2, 5, 9], 5)).toBe(2);
    expect(happeningStart([0, 2, 5, 9], 6)).toBe(5);
    expect(happeningStart([0, 2, 5, 9], 0)).toBe(0);
  });
});
