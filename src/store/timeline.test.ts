import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/scenario';
import { Simulation } from '../sim/simulation';
import type { MessageSummary, ReplicaSummary, Scenario, TraceEvent } from '../sim/types';
import type { BatchEvent } from '../worker/protocol';
import { emptyRun, mergeEvents, workerReached, type RunState } from './replay';
import { DROP_FADE_MS, applyBatch, emptyTimeline, extrapolatedTime, progressAt, shareReplicas, type TimelineState } from './timeline';

function batchFrom(sim: Simulation, events: TraceEvent[], reset = false): BatchEvent {
  return {
    type: 'batch',
    events,
    traceLength: sim.trace.length,
    starts: events.length > 0 ? [events[0].i] : [],
    now: sim.now,
    nextEventAt: sim.nextEventTime(),
    playing: false,
    reset,
    n: sim.n,
    f: sim.f,
    ...(reset ? { scenario: sim.scenario } : {}),
  };
}

/** The page's side of a batch, as playbackSlice does it: the run takes its events, the live picture follows. */
function receiver(scenario: Scenario) {
  let run: RunState = emptyRun(0, undefined, scenario);
  return (prev: TimelineState, batch: BatchEvent, realNow: number): TimelineState => {
    if (batch.reset) run = emptyRun(0, undefined, batch.scenario ?? scenario);
    run.n = batch.n;
    run.f = batch.f;
    mergeEvents(run, batch.traceLength - batch.events.length, batch.events, batch.starts);
    workerReached(run, batch);
    return applyBatch(prev, batch, run, realNow);
  };
}

const msg = (id: number, over: Partial<MessageSummary> = {}): MessageSummary => ({
  id,
  type: 'PREPARE',
  from: 1,
  to: 2,
  view: 0,
  seq: 1,
  digest: 'd',
  ...over,
});

describe('applyBatch', () => {
  it('tracks sends as messages in flight and forgets them on delivery', () => {
    const sim = new Simulation(defaultScenario());
    const receive = receiver(sim.scenario);
    let t = receive(emptyTimeline(), batchFrom(sim, [], true), 0);
    t = receive(t, batchFrom(sim, sim.step()), 10);
    expect([...t.inFlight.values()]).toMatchObject([{ type: 'REQUEST', from: -1, to: 0, sendT: 0, lost: false }]);
    const flying = [...t.inFlight.values()][0];
    expect(flying.arriveAt).toBeGreaterThanOrEqual(5);
    t = receive(t, batchFrom(sim, sim.step()), 20);
    expect(t.inFlight.has(flying.id)).toBe(false);
    expect([...t.inFlight.values()].every((m) => m.type === 'PRE_PREPARE' && m.from === 0)).toBe(true);
    expect(t.inFlight.size).toBe(3);
    // A batch without events keeps the very map (views compare it by identity).
    expect(receive(t, batchFrom(sim, []), 30).inFlight).toBe(t.inFlight);
  });

  it('moves a lost message to `dropped`, where it stays for about a second of real time', () => {
    const scenario = defaultScenario();
    const receive = receiver(scenario);
    const send: TraceEvent = { kind: 'send', i: 0, t: 0, msg: msg(7), arriveAt: 30, lost: true };
    const drop: TraceEvent = { kind: 'drop', i: 1, t: 30, msg: msg(7) };
    const b = (events: TraceEvent[], reset = false): BatchEvent => ({
      type: 'batch',
      events,
      traceLength: events.length > 0 ? events[events.length - 1].i + 1 : reset ? 0 : 2,
      starts: events.map((e) => e.i),
      now: 30,
      nextEventAt: null,
      playing: true,
      reset,
      n: 4,
      f: 1,
      ...(reset ? { scenario } : {}),
    });
    let t = receive(emptyTimeline(), b([], true), 0);
    t = receive(t, b([send]), 0);
    expect(t.inFlight.get(7)?.lost).toBe(true);
    t = receive(t, b([drop]), 100);
    expect(t.inFlight.size).toBe(0);
    expect(t.dropped).toMatchObject([{ id: 7, lostAtReal: 100, from: 1, to: 2, sendT: 0 }]);
    t = receive(t, b([]), 100 + DROP_FADE_MS / 2);
    expect(t.dropped).toHaveLength(1);
    t = receive(t, b([]), 100 + DROP_FADE_MS + 1);
    expect(t.dropped).toHaveLength(0);
  });

  it('a reset batch forgets the previous run', () => {
    const sim = new Simulation(defaultScenario());
    const receive = receiver(sim.scenario);
    let t = receive(emptyTimeline(), batchFrom(sim, [], true), 0);
    t = receive(t, batchFrom(sim, sim.step()), 0);
    expect(t.inFlight.size).toBeGreaterThan(0);
    expect(t.index).toBe(2);
    const fresh = new Simulation(defaultScenario({ f: 2 }));
    const after = receive(t, batchFrom(fresh, [], true), 0);
    expect(after.generation).toBe(t.generation + 1);
    expect(after.inFlight.size).toBe(0);
    expect(after.index).toBe(0);
    expect(after.n).toBe(7);
    expect(after.replicas).toHaveLength(7);
  });

  it('shows the picture the simulation derives, after every batch', () => {
    const sim = new Simulation(defaultScenario({ requests: 2, dropRate: 0.1, seed: 4 }));
    const receive = receiver(sim.scenario);
    let t = receive(emptyTimeline(), batchFrom(sim, [], true), 0);
    for (let k = 0; k < 200; k++) {
      t = receive(t, batchFrom(sim, sim.step()), 0);
      const { latenciesMs, ...stats } = sim.stats();
      expect(t.stats).toMatchObject(stats);
      expect(t.stats?.latenciesMs).toEqual(latenciesMs.slice(-16));
      expect(t.replicas).toEqual(sim.replicas(false));
    }
  });

  it('explains the newest step in plain words', () => {
    const sim = new Simulation(defaultScenario());
    const receive = receiver(sim.scenario);
    let t = receive(emptyTimeline(), batchFrom(sim, [], true), 0);
    for (let k = 0; k < 40 && !/prepared for/.test(t.explanation); k++) t = receive(t, batchFrom(sim, sim.step()), 0);
    expect(t.explanation).toMatch(/^Replica \d is now prepared for #1: it holds the PRE-PREPARE and 2 matching PREPAREs \(2f = 2\)/);
  });

  it("explains a run of the seed's protocol in its own quorum words", () => {
    const sim = new Simulation(defaultScenario({ mode: 'seed' }));
    const receive = receiver(sim.scenario);
    let t = receive(emptyTimeline(), batchFrom(sim, [], true), 0);
    for (let k = 0; k < 60 && !/matching PREPAREs for/.test(t.explanation); k++) t = receive(t, batchFrom(sim, sim.step()), 0);
    expect(t.explanation).toMatch(/^Replica \d holds 2f\+1 = 3 matching PREPAREs for #1 \(the primary's counted too\)/);
  });

  it('sets a caption only when the batch has events', () => {
    const sim = new Simulation(defaultScenario());
    const receive = receiver(sim.scenario);
    let t = receive(emptyTimeline(), batchFrom(sim, [], true), 0);
    t = receive(t, batchFrom(sim, sim.step()), 0);
    expect(t.caption).toMatch(/REQUEST/);
    const again = receive(t, batchFrom(sim, []), 0);
    expect(again.caption).toBe(t.caption);
  });
});

describe('shareReplicas', () => {
  const replica = (id: number, over: Partial<ReplicaSummary> = {}): ReplicaSummary => ({
    id,
    behaviour: null,
    view: 0,
    isPrimary: id === 0,
    viewChanging: false,
    phase: null,
    lastExecuted: 0,
    lowWatermark: 0,
    highWatermark: 16,
    timer: null,
    executed: [],
    ...over,
  });

  it('keeps the same objects (and array) when nothing drawn changed', () => {
    const prev = [replica(0), replica(1)];
    const next = [replica(0), replica(1)];
    expect(shareReplicas(prev, next)).toBe(prev);
  });

  it('replaces only the replicas that changed', () => {
    const prev = [replica(0), replica(1), replica(2)];
    const next = [replica(0), replica(1, { phase: 'prepared' }), replica(2)];
    const shared = shareReplicas(prev, next);
    expect(shared).not.toBe(prev);
    expect(shared[0]).toBe(prev[0]);
    expect(shared[1]).toBe(next[1]);
    expect(shared[2]).toBe(prev[2]);
  });

  it('notices a behaviour change', () => {
    const prev = [replica(0)];
    expect(shareReplicas(prev, [replica(0, { behaviour: { kind: 'silent' } })])[0].behaviour).toEqual({ kind: 'silent' });
  });
});

describe('animation maths', () => {
  it('progress runs from 0 at send to 1 at arrival', () => {
    const m = { sendT: 10, arriveAt: 30 };
    expect(progressAt(m, 5)).toBe(0);
    expect(progressAt(m, 20)).toBe(0.5);
    expect(progressAt(m, 99)).toBe(1);
    expect(progressAt({ sendT: 3, arriveAt: 3 }, 3)).toBe(1);
  });

  it('extrapolates with the speed, never past the next event or one slice ahead', () => {
    const t = { now: 100, nextEventAt: 110, receivedAtReal: 1000 };
    expect(extrapolatedTime(t, 20, true, 1250)).toBeCloseTo(102); // 20 ms/s × capped 100 ms
    expect(extrapolatedTime(t, 20, true, 1050)).toBeCloseTo(101);
    expect(extrapolatedTime(t, 1000, true, 1050)).toBe(110);
    expect(extrapolatedTime({ ...t, nextEventAt: null }, 1000, true, 1050)).toBe(150);
    expect(extrapolatedTime(t, 1000, false, 1050)).toBe(100);
  });
});
