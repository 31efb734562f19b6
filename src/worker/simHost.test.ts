import { describe, expect, it } from 'vitest';
import { Picture, pictureContext, settingsAt, type DerivedPicture } from '../sim/picture';
import { defaultScenario } from '../sim/scenario';
import { Session } from '../sim/session';
import { Simulation } from '../sim/simulation';
import type { TimedIntervention, TraceEvent } from '../sim/types';
import { manualTime } from './manualTime';
import type { BatchEvent, SessionLike, SimEvent } from './protocol';
import { exportRun } from '../sim/share';
import { BATCH_INTERVAL_MS, FRAME_MS, IMPORT_CHUNK_EVENTS, MAX_EVENTS_PER_BATCH, MAX_REAL_SLICE_MS } from './pacing';
import { advanceTo, createSimHost, WORKER_SESSION_OPTIONS } from './simHost';

/**
 * What a page shows after these batches: the one picture (src/sim/picture.ts) folded from their events since the last
 * reset, with the scenario and interventions they carried. Batches carry events, not a second picture.
 */
function shown(batches: readonly BatchEvent[]): DerivedPicture {
  const from = batches.findLastIndex((b) => b.reset);
  const reset = batches[from];
  const scenario = reset.scenario!;
  let interventions: TimedIntervention[] = [];
  const picture = new Picture({ mode: scenario.mode });
  for (const b of batches.slice(from)) {
    if (b.interventions) interventions = b.interventions;
    for (const e of b.events) picture.apply(e);
  }
  const last = batches.at(-1)!;
  return picture.derive(pictureContext(scenario, last.n, last.f), settingsAt(scenario, last.n, interventions, last.traceLength), last.now, last.nextEventAt !== null);
}

const committed = (batches: readonly BatchEvent[]) => batches.flatMap((b) => b.events).filter((e) => e.kind === 'accept').length;

type Create = (s: ReturnType<typeof defaultScenario>, interventions: ConstructorParameters<typeof Session>[1]) => SessionLike;

function setup(createSession: Create = (s, i) => new Session(s, i, WORKER_SESSION_OPTIONS)) {
  const time = manualTime();
  const posted: SimEvent[] = [];
  const host = createSimHost((e) => posted.push(e), { createSession, clock: time.clock, setTimer: time.setTimer });
  const batches = () => posted.filter((e): e is BatchEvent => e.type === 'batch');
  return { time, posted, host, batches };
}

describe('createSimHost', () => {
  it('configure posts one empty batch that starts a new run', () => {
    const { host, posted } = setup();
    host.handle({ type: 'configure', scenario: defaultScenario() });
    expect(posted).toHaveLength(1);
    const b = posted[0] as BatchEvent;
    expect(b).toMatchObject({ type: 'batch', reset: true, events: [], now: 0, n: 4, f: 1, playing: false });
    expect(shown([b]).replicas).toHaveLength(4);
    // The worker computes no second picture: the page folds the events.
    expect(Object.keys(b)).not.toContain('stats');
    expect(Object.keys(b)).not.toContain('replicas');
    expect(b.nextEventAt).toBe(0);
  });

  it('step processes exactly one scheduled event and posts exactly its batch', () => {
    const { host, posted } = setup();
    host.handle({ type: 'configure', scenario: defaultScenario() });
    host.handle({ type: 'step' });
    expect(posted).toHaveLength(2);
    const reference = new Simulation(defaultScenario());
    const expected = reference.step();
    const b = posted[1] as BatchEvent;
    expect(b.events).toEqual(expected);
    const send = b.events.find((e) => e.kind === 'send');
    expect(send && send.kind === 'send' && send.msg).toMatchObject({ type: 'REQUEST', from: -1, to: 0 });

    host.handle({ type: 'step' });
    expect(posted).toHaveLength(3);
    expect((posted[2] as BatchEvent).events).toEqual(reference.step());
  });

  it('step posts even while an earlier batch is unacknowledged (a user action is never held back)', () => {
    const { host, posted } = setup();
    host.handle({ type: 'configure', scenario: defaultScenario() });
    host.handle({ type: 'step' });
    host.handle({ type: 'step' });
    expect(posted).toHaveLength(3);
  });

  it('while playing it posts nothing further until the UI acks the previous batch', () => {
    const { host, time, batches } = setup();
    host.handle({ type: 'setSpeed', virtualMsPerSecond: 1000 });
    host.handle({ type: 'configure', scenario: defaultScenario() });
    host.handle({ type: 'ack' });
    host.handle({ type: 'play' });
    time.advance(BATCH_INTERVAL_MS);
    expect(batches()).toHaveLength(2);
    expect(batches()[1].playing).toBe(true);
    expect(batches()[1].now).toBeCloseTo(BATCH_INTERVAL_MS, 6); // 1000 virtual ms per real second

    time.advance(2_000);
    expect(batches()).toHaveLength(2);

    host.handle({ type: 'ack' });
    time.advance(BATCH_INTERVAL_MS);
    expect(batches()).toHaveLength(3);
    // It slowed down while waiting: one batch covers at most MAX_REAL_SLICE_MS of real time.
    expect(batches()[2].now - batches()[1].now).toBeLessThanOrEqual(MAX_REAL_SLICE_MS + 1e-9);
  });

  it('posts at most one batch per interval even when acks come back at once', () => {
    const { host, time, batches } = setup();
    host.handle({ type: 'configure', scenario: defaultScenario() });
    host.handle({ type: 'ack' });
    host.handle({ type: 'play' });
    let acked = 1;
    for (let t = 0; t < 1000; t += 1) {
      time.advance(1);
      while (acked < batches().length) {
        host.handle({ type: 'ack' });
        acked++;
      }
    }
    // ~1000 ms of real time at one batch every other frame.
    expect(batches().length).toBeLessThanOrEqual(1 + Math.ceil(1000 / BATCH_INTERVAL_MS));
    expect(batches().length).toBeGreaterThan(1000 / BATCH_INTERVAL_MS / 2);
  });

  it('advances virtual time by speed × real elapsed and batches many messages into one post', () => {
    const { host, time, batches } = setup();
    host.handle({ type: 'setSpeed', virtualMsPerSecond: 5000 });
    host.handle({ type: 'configure', scenario: defaultScenario() });
    host.handle({ type: 'play' });
    for (let frame = 0; frame < 200 && committed(batches()) === 0; frame++) {
      host.handle({ type: 'ack' });
      time.advance(FRAME_MS);
    }
    const all = batches();
    expect(shown(all).stats.committed).toBe(1);
    const sends = all.flatMap((b) => b.events).filter((e) => e.kind === 'send').length;
    expect(sends).toBe(29); // 1 REQUEST + 3 PRE-PREPARE + 9 PREPARE + 12 COMMIT + 4 REPLY
    expect(all.length).toBeLessThan(sends);
    // The batches concatenate to the same trace an uninterrupted run gives.
    const reference = new Simulation(defaultScenario());
    reference.runUntil(all.at(-1)!.now);
    expect(all.flatMap((b) => b.events)).toEqual(reference.trace);
  });

  it('pause stops time: no batches and no virtual time pass while paused', () => {
    const { host, time, batches } = setup();
    host.handle({ type: 'configure', scenario: defaultScenario() });
    host.handle({ type: 'play' });
    host.handle({ type: 'ack' });
    time.advance(FRAME_MS * 3);
    host.handle({ type: 'ack' });
    host.handle({ type: 'pause' });
    const paused = batches().at(-1)!;
    expect(paused.playing).toBe(false);
    const count = batches().length;
    for (let i = 0; i < 10; i++) {
      host.handle({ type: 'ack' });
      time.advance(500);
    }
    expect(batches()).toHaveLength(count);
    expect(time.pendingTimers()).toBe(0);
    host.handle({ type: 'step' });
    // The step takes the next scheduled event; the clock did not drift while paused.
    expect(batches().at(-1)!.now).toBeGreaterThanOrEqual(paused.now);
    expect(batches().at(-1)!.events.length).toBeGreaterThan(0);
  });

  it('setNetwork applies to later messages without restarting; setBehaviour posts the new replica state', () => {
    const { host, batches } = setup();
    host.handle({ type: 'configure', scenario: defaultScenario() });
    host.handle({ type: 'setNetwork', network: { minDelayMs: 100, maxDelayMs: 100 } });
    // Paused, the new intervention list comes at once (an exported run must include it); nothing else changes.
    expect(batches()).toHaveLength(2);
    expect(batches()[1]).toMatchObject({ events: [], interventions: [{ afterEvent: 0, intervention: { kind: 'setNetwork' } }] });
    host.handle({ type: 'step' });
    const send = batches()[2].events.find((e) => e.kind === 'send') as Extract<TraceEvent, { kind: 'send' }>;
    expect(send.arriveAt - send.t).toBe(100);

    host.handle({ type: 'setBehaviour', id: 2, behaviour: { kind: 'silent' } });
    const b = batches().at(-1)!;
    expect(b.reset).toBe(false);
    expect(shown(batches()).replicas[2].behaviour).toEqual({ kind: 'silent' });
  });

  it('reset restarts from t = 0, paused, keeping live changes', () => {
    const { host, batches } = setup();
    host.handle({ type: 'configure', scenario: defaultScenario() });
    host.handle({ type: 'setBehaviour', id: 1, behaviour: { kind: 'silent' } });
    host.handle({ type: 'play' });
    host.handle({ type: 'step' });
    host.handle({ type: 'step' });
    host.handle({ type: 'reset' });
    const b = batches().at(-1)!;
    expect(b).toMatchObject({ reset: true, now: 0, playing: false, events: [] });
    expect(shown(batches()).replicas[1].behaviour).toEqual({ kind: 'silent' });
  });

  it('configure keeps playing, so changing f mid-run keeps the lecture going', () => {
    const { host, time, batches } = setup();
    host.handle({ type: 'configure', scenario: defaultScenario() });
    host.handle({ type: 'ack' });
    host.handle({ type: 'play' });
    time.advance(FRAME_MS);
    host.handle({ type: 'ack' });
    host.handle({ type: 'configure', scenario: defaultScenario({ f: 2 }) });
    expect(batches().at(-1)).toMatchObject({ reset: true, n: 7, f: 2 });
    host.handle({ type: 'ack' });
    time.advance(FRAME_MS);
    expect(batches().at(-1)).toMatchObject({ reset: false, n: 7, playing: true });
  });

  it('reports a throwing simulation as an error event and stops playing', () => {
    let calls = 0;
    const { host, time, posted } = setup((s, i) => {
      const session = new Session(s, i, WORKER_SESSION_OPTIONS);
      session.step = () => {
        calls++;
        throw new Error('boom');
      };
      return session;
    });
    host.handle({ type: 'configure', scenario: defaultScenario() });
    host.handle({ type: 'ack' });
    host.handle({ type: 'step' });
    expect(posted.at(-1)).toEqual({ type: 'error', message: 'boom' });
    const count = posted.length;
    host.handle({ type: 'play' });
    host.handle({ type: 'step' });
    time.advance(1000);
    expect(posted).toHaveLength(count);
    expect(calls).toBe(1);

    // A fresh configure recovers.
    host.handle({ type: 'configure', scenario: defaultScenario() });
    expect(posted.at(-1)).toMatchObject({ type: 'batch', reset: true });
  });

  it('reports a constructor failure as an error event', () => {
    const { host, posted } = setup(() => {
      throw new RangeError('bad scenario');
    });
    host.handle({ type: 'configure', scenario: defaultScenario() });
    expect(posted).toEqual([{ type: 'error', message: 'bad scenario' }]);
  });

  it('ignores commands before the first configure', () => {
    const { host, posted } = setup();
    for (const type of ['play', 'pause', 'step', 'reset', 'newRequest', 'ack'] as const) host.handle({ type });
    expect(posted).toEqual([]);
  });

  it('newRequest posts the new REQUEST at once', () => {
    const { host, batches } = setup();
    host.handle({ type: 'configure', scenario: defaultScenario({ requests: 0 }) });
    host.handle({ type: 'newRequest' });
    const kinds = batches().at(-1)!.events.map((e) => e.kind);
    expect(kinds).toEqual(['request', 'send']);
  });
});

describe('pacing', () => {
  it('batches come every other frame: a busy run at n = 4 gets no more of them than one at n = 100', () => {
    for (const f of [1, 33]) {
      const { host, time, batches } = setup();
      host.handle({ type: 'setSpeed', virtualMsPerSecond: 100 });
      host.handle({ type: 'configure', scenario: defaultScenario({ f, requests: 3 }) });
      host.handle({ type: 'play' });
      const before = batches().length;
      // The page acks at once, every frame, for 62 frames (about a second).
      const frames = 62;
      for (let frame = 0; frame < frames; frame++) {
        host.handle({ type: 'ack' });
        time.advance(FRAME_MS);
      }
      const posted = batches().length - before;
      expect(posted).toBeGreaterThanOrEqual(frames / 2 - 3);
      expect(posted).toBeLessThanOrEqual(frames / 2 + 1);
    }
  });

  it('at n = 100 and full speed no batch carries much more than MAX_EVENTS_PER_BATCH: time slows instead', () => {
    const { host, time, batches } = setup();
    host.handle({ type: 'setSpeed', virtualMsPerSecond: 5000 });
    host.handle({ type: 'configure', scenario: defaultScenario({ f: 33, requests: 2 }) });
    host.handle({ type: 'play' });
    for (let frame = 0; frame < 400 && committed(batches()) < 2; frame++) {
      host.handle({ type: 'ack' });
      time.advance(FRAME_MS);
    }
    const all = batches();
    expect(shown(all).stats.committed).toBe(2);
    // One happening is never split: a replica's multicast to 99 others arrives in one batch.
    for (const b of all) expect(b.events.length).toBeLessThanOrEqual(MAX_EVENTS_PER_BATCH + 200);
    expect(Math.max(...all.map((b) => b.events.length))).toBeGreaterThan(MAX_EVENTS_PER_BATCH / 2);
    // Batches every other frame, and virtual time behind speed × real time (it was capped).
    const played = all.slice(1);
    expect(played.length).toBeLessThanOrEqual(Math.ceil((time.clock() - 0) / BATCH_INTERVAL_MS) + 1);
    expect(all.at(-1)!.now).toBeLessThan((5000 * time.clock()) / 1000);
    // Nothing is lost by pacing: the batches concatenate to the uninterrupted run.
    const reference = new Session(defaultScenario({ f: 33, requests: 2 }), [], WORKER_SESSION_OPTIONS);
    const events = all.flatMap((b) => b.events);
    expect(events.map((e) => e.i)).toEqual(events.map((_, k) => k));
    expect(events.length).toBe(all.at(-1)!.traceLength);
    reference.runUntil(all.at(-1)!.now);
    expect(reference.position).toBe(events.length);
    // No latencies, no counters cross the worker boundary: only events, from which the count is exact.
    expect(all.every((b) => !('stats' in b))).toBe(true);
    expect(shown(all).stats).toMatchObject({ committed: 2, sentTotal: reference.sim.stats().sentTotal, delivered: reference.sim.stats().delivered });
  });
});

describe('import', () => {
  /** A run file of a long run, recorded by a plain simulation (as the page would have exported it). */
  function longRunFile() {
    const scenario = defaultScenario({ f: 2, requests: 40, seed: 5 });
    const sim = new Simulation(scenario);
    sim.runToQuiescence();
    return { scenario, trace: sim.trace, text: exportRun(scenario, [], sim.trace) };
  }

  it('replays a run file in the worker and sends it in chunks that concatenate to the whole trace', () => {
    const { host, posted } = setup();
    host.handle({ type: 'configure', scenario: defaultScenario() });
    posted.length = 0;
    const file = longRunFile();
    expect(file.trace.length).toBeGreaterThan(2 * IMPORT_CHUNK_EVENTS);
    host.handle({ type: 'import', text: file.text, request: 7 });
    const batches = posted as BatchEvent[];
    expect(batches.every((b) => b.type === 'batch')).toBe(true);
    expect(batches.length).toBe(Math.ceil(file.trace.length / IMPORT_CHUNK_EVENTS));
    expect(batches[0]).toMatchObject({ reset: true, imported: { request: 7, differs: false, length: file.trace.length }, scenario: file.scenario, playing: false });
    for (const b of batches.slice(1)) expect(b.reset || b.imported !== undefined).toBe(false);
    for (const b of batches) {
      expect(b.events.length).toBeLessThanOrEqual(IMPORT_CHUNK_EVENTS);
      // Each chunk says where it ends, so the page places it (first index = traceLength − events.length).
      expect(b.events[0].i).toBe(b.traceLength - b.events.length);
      for (const start of b.starts) expect(start >= b.events[0].i && start <= b.events.at(-1)!.i).toBe(true);
    }
    expect(batches.flatMap((b) => b.events)).toEqual(file.trace);
    expect(batches.at(-1)!.traceLength).toBe(file.trace.length);
    expect(shown(batches).stats.committed).toBe(40);
  });

  it('a file that is not a run is refused with a reason, and the current run goes on untouched', () => {
    const { host, posted } = setup();
    host.handle({ type: 'configure', scenario: defaultScenario({ seed: 3 }) });
    host.handle({ type: 'step' });
    const before = posted.length;
    host.handle({ type: 'import', text: '{"trace": []}', request: 1 });
    host.handle({ type: 'import', text: '{"format": "pbft-lab-run", "version": 1, "scena', request: 2 });
    expect(posted.slice(before)).toEqual([
      { type: 'importFailed', request: 1, message: expect.stringMatching(/not a PBFT Lab run/) },
      { type: 'importFailed', request: 2, message: expect.stringMatching(/not JSON .*truncated/) },
    ]);
    host.handle({ type: 'step' });
    const reference = new Simulation(defaultScenario({ seed: 3 }));
    reference.step();
    expect((posted.at(-1) as BatchEvent).events).toEqual(reference.step());
  });

  it('says when re-simulating the file gives another trace (edited, or from another version)', () => {
    const { host, posted } = setup();
    const file = longRunFile();
    const edited = file.trace.map((e) => (e.i === 10 ? { ...e, t: e.t + 1 } : e));
    host.handle({ type: 'import', text: exportRun(file.scenario, [], edited), request: 1 });
    expect((posted[0] as BatchEvent).imported).toEqual({ request: 1, differs: true, length: file.trace.length });
    expect((posted as BatchEvent[]).flatMap((b) => b.events)).toEqual(file.trace);
  });
});

describe('advanceTo', () => {
  it('stops after MAX_EVENTS_PER_BATCH events and leaves the clock at the last one', () => {
    let now = 0;
    let i = 0;
    const sim = {
      n: 4,
      f: 1,
      get now() {
        return now;
      },
      step: () => [],
      runUntil: () => {
        throw new Error('must not jump past unprocessed events');
      },
      nextEventTime: () => now + 0.001,
      nextArrivingType: () => null,
      inFlightOf: () => 0,
      submitRequest: () => [],
      setNetwork: () => {},
      setBehaviour: () => {},
    };
    const endless: SessionLike = {
      sim,
      position: 0,
      history: [],
      step: () => {
        now += 0.001;
        return [{ kind: 'timer', i: i++, t: now, replica: 0, action: 'stop', deadline: 0 }];
      },
      runUntil: sim.runUntil,
      intervene: () => [],
      seekToEvent: () => {},
      seekToTime: () => {},
    };
    const { events, starts } = advanceTo(endless, 1e9);
    expect(events).toHaveLength(MAX_EVENTS_PER_BATCH);
    expect(starts).toHaveLength(MAX_EVENTS_PER_BATCH);
    expect(now).toBeLessThan(1e9);
  });
});
