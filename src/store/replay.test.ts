import { describe, expect, it } from 'vitest';
import { Picture, pictureContext, settingsAt } from '../sim/picture';
import { defaultScenario } from '../sim/scenario';
import { Session } from '../sim/session';
import type { Scenario } from '../sim/types';
import {
  compactRun,
  emptyRun,
  eventAt,
  eventsUpTo,
  foldAt,
  happeningStart,
  indexAtTime,
  mergeEvents,
  PICTURE_LATENCY_TAIL,
  timeAfter,
  truncateRun,
  workerReached,
  type RunState,
} from './replay';
import { momentAt, pictureAt } from './timeline';

const scenarios: Array<[string, Scenario]> = [
  ['normal case', defaultScenario({ requests: 3 })],
  ['silent primary', defaultScenario({ malicious: { 0: { kind: 'silent' } } })],
  ['lossy network', defaultScenario({ dropRate: 0.2, requests: 2, seed: 5 })],
  ['colluders beyond the bound', defaultScenario({ requests: 2, concurrency: 2, malicious: { 0: { kind: 'collude' }, 1: { kind: 'collude' } } })],
  ['f = 2 with checkpoints', defaultScenario({ f: 2, requests: 6, checkpointInterval: 2, malicious: { 3: { kind: 'equivocate' } } })],
];

describe('the picture the page shows', () => {
  for (const [name, scenario] of scenarios) {
    it(`is the simulation's own at every step, and agrees with what the replicas hold (${name})`, () => {
      const session = new Session(scenario);
      session.intervene({ kind: 'setNetwork', params: { reorderRate: 0.1 } });
      const run = emptyRun(1, undefined, scenario);
      run.n = session.sim.n;
      run.f = session.sim.f;
      run.interventions = [...session.history];
      for (let k = 0; k < 3000; k++) {
        const from = session.position;
        const events = session.step();
        if (events.length === 0) break;
        const sim = session.sim;
        // As the page receives it: the events, then where the worker stands.
        mergeEvents(run, from, events, [from]);
        workerReached(run, { traceLength: session.position, now: sim.now, nextEventAt: sim.nextEventTime() });
        const shown = momentAt(run, run.length, sim.now, run.scheduledAtEnd);
        const { latenciesMs, ...stats } = sim.stats();
        const { latenciesMs: shownLatencies, ...shownStats } = shown.stats!;
        expect(shownStats).toEqual(stats);
        expect(shownLatencies).toEqual(latenciesMs.slice(-PICTURE_LATENCY_TAIL));
        expect(shown.replicas).toEqual(sim.replicas(false));
        expect(shown.inFlight.size).toBe(Object.values(sim.messagesInFlight()).reduce((a, b) => a + b, 0));
        // What the replicas themselves hold, which the picture only learns from events.
        const newest = sim.client.latest?.digest;
        for (const r of shown.replicas) {
          const replica = sim.replicaList[r.id];
          expect([r.view, r.viewChanging, r.lastExecuted, r.lowWatermark, r.highWatermark]).toEqual([
            replica.view,
            replica.viewChanging,
            replica.lastExecuted,
            replica.lowWatermark,
            replica.highWatermark,
          ]);
          expect(r.isPrimary).toBe(replica.isPrimary && !replica.viewChanging);
          expect(r.timer).toEqual(replica.timer ? { startedAt: replica.timer.startedAt, deadline: replica.timer.deadline } : null);
          expect(r.phase).toBe(newest === undefined ? null : replica.phaseOf(newest));
        }
      }
    });
  }

  it('says nothing more is scheduled only where nothing was: at the end, as the worker said; in the past, never', () => {
    const scenario = defaultScenario({ requests: 1 });
    const session = new Session(scenario);
    session.runUntil(100);
    const run = emptyRun(1, undefined, scenario);
    run.n = session.sim.n;
    run.f = session.sim.f;
    mergeEvents(run, 0, session.trace, [0]);
    // Pretend the world were idle with a request outstanding (it never is: the client's timer is always due).
    const waiting = session.trace.findIndex((e) => e.kind === 'send' && e.msg.type === 'PRE_PREPARE');
    truncateRun(run, waiting + 1);
    workerReached(run, { traceLength: run.length, now: 50, nextEventAt: null });
    expect(momentAt(run, run.length, 50, run.scheduledAtEnd).stats?.waitingBecause).toBe('1 request is waiting and nothing more is scheduled.');
    expect(pictureAt(run, run.length, 50, 0, 1).stats?.waitingBecause).toBe('1 request is waiting and nothing more is scheduled.');
    expect(pictureAt(run, run.length - 1, 40, 0, 1).stats?.waitingBecause).toBe('1 request is in progress.');
    workerReached(run, { traceLength: run.length, now: 50, nextEventAt: 60 });
    expect(pictureAt(run, run.length, 50, 0, 1).stats?.waitingBecause).toBe('1 request is in progress.');
  });
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

describe('snapshots and compaction', () => {
  /** A whole trace from the seed, with happenings, and the scenario it came from. */
  function recorded(scenario: Scenario, until: number) {
    const session = new Session(scenario);
    const starts: number[] = [];
    while (session.sim.now < until) {
      const before = session.position;
      if (session.step().length === 0) break;
      starts.push(before);
    }
    return { trace: [...session.trace], starts, scenario, n: session.sim.n, f: session.sim.f };
  }

  function runOf(rec: ReturnType<typeof recorded>, limits: { maxEvents: number; snapshotEvery: number }) {
    const run = emptyRun(1, limits, rec.scenario);
    run.n = rec.n;
    run.f = rec.f;
    return run;
  }

  /** The picture of the first `index` events folded from event 0 with no snapshot: what a picture must equal. */
  function fullReplay(rec: ReturnType<typeof recorded>, index: number, t: number) {
    const fold = new Picture({ mode: rec.scenario.mode, flights: true, latencyLimit: PICTURE_LATENCY_TAIL });
    for (let i = 0; i < index && i < rec.trace.length; i++) fold.apply(rec.trace[i]);
    const ctx = pictureContext(rec.scenario, rec.n, rec.f);
    const derived = fold.derive(ctx, settingsAt(rec.scenario, rec.n, [], index), t, true);
    return { replicas: derived.replicas, stats: derived.stats, inFlight: [...fold.flights!.keys()].sort((a, b) => a - b) };
  }

  /** The run's picture at `index`, restored from its snapshots. */
  function fromRun(run: RunState, index: number, t: number) {
    const m = momentAt(run, index, t, true);
    return { replicas: m.replicas, stats: m.stats, inFlight: [...m.inFlight.keys()].sort((a, b) => a - b) };
  }

  for (const [name, scenario] of scenarios) {
    it(`a picture started from a snapshot equals a full replay (${name})`, () => {
      const rec = recorded(scenario, 3000);
      const run = runOf(rec, { maxEvents: 1e9, snapshotEvery: 64 });
      // Merged in uneven batches, as the worker posts them.
      for (let k = 0; k < rec.trace.length; k += 37) mergeEvents(run, k, rec.trace.slice(k, k + 37), rec.starts.filter((s) => s >= k && s < k + 37));
      expect(run.snapshots.map((s) => s.index)).toEqual(Array.from({ length: Math.floor(rec.trace.length / 64) + 1 }, (_, k) => k * 64));
      for (let at = 0; at <= rec.trace.length; at += Math.max(1, Math.floor(rec.trace.length / 60))) {
        const t = at > 0 ? rec.trace[at - 1].t : 0;
        expect(fromRun(run, at, t)).toEqual(fullReplay(rec, at, t));
      }
      // The tip is the fold of everything.
      expect(run.tip.index).toBe(rec.trace.length);
      expect(fromRun(run, run.length, run.endTime)).toEqual(fullReplay(rec, rec.trace.length, run.endTime));
    });
  }

  it('a jump folds at most `snapshotEvery` events', () => {
    const rec = recorded(defaultScenario({ f: 2, requests: 4 }), 3000);
    const run = runOf(rec, { maxEvents: 1e9, snapshotEvery: 50 });
    mergeEvents(run, 0, rec.trace, rec.starts);
    for (const at of [0, 1, 49, 50, 51, 99, 123, rec.trace.length]) {
      const fold = foldAt(run, at);
      expect(fold.index).toBe(at);
      const from = run.snapshots.filter((s) => s.index <= at).at(-1)!.index;
      expect(at - from).toBeLessThan(50);
    }
  });

  it('compaction keeps the newest events, drops the oldest at a snapshot, and says how many', () => {
    const rec = recorded(defaultScenario({ requests: 40, dropRate: 0.05, seed: 3 }), 1e9);
    expect(rec.trace.length).toBeGreaterThan(2000);
    const limits = { maxEvents: 600, snapshotEvery: 40 };
    const run = runOf(rec, limits);
    let dropped = 0;
    for (let k = 0; k < rec.trace.length; k += 29) {
      mergeEvents(run, k, rec.trace.slice(k, k + 29), rec.starts.filter((s) => s >= k && s < k + 29));
      dropped += compactRun(run);
      expect(run.length - run.base).toBeLessThanOrEqual(limits.maxEvents);
    }
    expect(run.length).toBe(rec.trace.length);
    expect(dropped).toBe(run.base);
    expect(run.base).toBeGreaterThan(0);
    expect(run.base % limits.snapshotEvery).toBe(0);
    // The newest events are all there, in order, and nothing older.
    expect(run.trace).toEqual(rec.trace.slice(run.base));
    expect(eventAt(run, run.base - 1)).toBeUndefined();
    expect(eventAt(run, run.base)).toEqual(rec.trace[run.base]);
    expect(run.baseTime).toBe(rec.trace[run.base - 1].t);
    expect(timeAfter(run, 0)).toBe(run.baseTime);
    expect(indexAtTime(run, 0)).toBe(run.base);
    expect(run.starts.every((s) => s >= run.base)).toBe(true);
    expect(run.snapshots[0].index).toBe(run.base);
    // Every message kept was sent since the base, or was still on the wire there.
    expect(run.messages.every((m) => m.sendIndex >= run.base || m.endIndex === -1 || m.endIndex >= run.base)).toBe(true);
    expect(run.messages.length).toBe(run.messageById.size);
    // The oldest moment kept, and every later one, still draw exactly as a full replay does.
    for (const at of [run.base, run.base + 1, run.base + 333, run.length - 1, run.length]) {
      const t = rec.trace[at - 1].t;
      expect(fromRun(run, at, t)).toEqual(fullReplay(rec, at, t));
      expect(pictureAt(run, at, t, 0, 1).stats?.sentTotal).toBe(fullReplay(rec, at, t).stats.sentTotal);
    }
    // Asking for a compacted moment shows the oldest one kept.
    expect(pictureAt(run, 0, 0, 0, 1).index).toBe(run.base);
  });

  it('never compacts the moment on screen, and a replay of compacted events keeps the known future', () => {
    const rec = recorded(defaultScenario({ requests: 30, seed: 4 }), 1e9);
    const run = runOf(rec, { maxEvents: 500, snapshotEvery: 25 });
    mergeEvents(run, 0, rec.trace.slice(0, 1500), rec.starts.filter((s) => s < 1500));
    expect(compactRun(run, 300)).toBe(300);
    expect(run.base).toBe(300);
    expect(compactRun(run, 300)).toBe(0);
    expect(compactRun(run)).toBeGreaterThan(0);
    const base = run.base;
    // The worker replays from before the base (a seek): what matches is kept, nothing is duplicated.
    expect(mergeEvents(run, base - 10, rec.trace.slice(base - 10, 1500), [])).toBe(1500);
    expect(run.trace).toEqual(rec.trace.slice(base, 1500));
    // Acting in the past cuts the future at the moment, however much was compacted before it.
    truncateRun(run, base + 100);
    expect(run.length).toBe(base + 100);
    expect(fromRun(run, run.length, 0)).toEqual(fullReplay(rec, base + 100, 0));
    mergeEvents(run, base + 100, rec.trace.slice(base + 100, 1600), []);
    expect(run.trace).toEqual(rec.trace.slice(base, 1600));
  });
});
