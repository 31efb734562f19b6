import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/scenario';
import { Session } from '../sim/session';
import { exportRun } from '../sim/share';
import { Simulation } from '../sim/simulation';
import { stepBy } from '../sim/stepping';
import type { Scenario, TraceEvent } from '../sim/types';
import type { ConnectSim } from '../worker/transport';
import { createLabStore } from './labStore';
import { inProcessLab } from './labTestkit';
import { eventAt, type HistoryLimits } from './replay';

/** A store wired to the real host and core on this thread; records every command and every batch. */
const lab = (scenario: Scenario, speed = 1000, history?: HistoryLimits) => inProcessLab({ scenario, speed, history });

const lossy = defaultScenario({ f: 1, requests: 3, seed: 11, dropRate: 0.05 });

describe('stepping at three grains, through the worker and the store', () => {
  it('a phase step lands where the stepping rule lands on a plain session', async () => {
    const scenario = defaultScenario({ f: 2 });
    const { actions, frame, trace, store } = lab(scenario);
    await frame();
    const reference = new Session(scenario);
    actions.step('event');
    stepBy(reference, 'event');
    await frame();
    for (const phase of ['REQUEST', 'PRE_PREPARE', 'PREPARE', 'COMMIT']) {
      const expected = stepBy(reference, 'phase').events;
      actions.step('phase');
      await frame();
      expect(trace()).toEqual(reference.trace);
      const last = [...expected].reverse().find((e) => e.kind === 'deliver' || e.kind === 'drop');
      expect(last && 'msg' in last && last.msg.type).toBe(phase);
      expect(store.getState().cursor).toBe(reference.trace.length);
    }
    // After the PRE-PREPARE phase not one PRE-PREPARE is still on the wire.
    expect([...store.getState().timeline.inFlight.values()].some((m) => m.type === 'PRE_PREPARE')).toBe(false);
  });

  it('a request step ends on the client accepting the result, as the stepping rule does on a plain session', async () => {
    const { actions, frame, trace, store } = lab(lossy);
    await frame();
    const reference = new Session(lossy);
    for (let k = 1; k <= 3; k++) {
      stepBy(reference, 'request');
      actions.step('request');
      await frame();
      expect(trace()).toEqual(reference.trace);
      expect(trace().at(-1)!.kind).toBe('accept');
      expect(store.getState().timeline.stats?.committed).toBe(k);
    }
  });

  it('Back returns to the previous step and shows what was shown there', async () => {
    const { actions, frame, store } = lab(defaultScenario());
    await frame();
    const seen: Array<{ cursor: number; flying: number[]; phases: unknown[] }> = [];
    for (let k = 0; k < 12; k++) {
      actions.step();
      await frame();
      const s = store.getState();
      seen.push({ cursor: s.cursor, flying: [...s.timeline.inFlight.keys()].sort(), phases: s.timeline.replicas.map((r) => r.phase) });
    }
    for (let k = seen.length - 2; k >= 0; k--) {
      actions.back();
      const s = store.getState();
      expect(s.following).toBe(false);
      expect(s.cursor).toBe(seen[k].cursor);
      expect([...s.timeline.inFlight.keys()].sort()).toEqual(seen[k].flying);
      expect(s.timeline.replicas.map((r) => r.phase)).toEqual(seen[k].phases);
    }
  });
});

describe('time travel through the worker and the store', () => {
  it('seeking to time t and playing on gives the identical trace to playing straight through', async () => {
    const straight = new Session(lossy);
    straight.runUntil(5_000);
    const expected = straight.trace;

    const { actions, frame, trace, store, batches } = lab(lossy, 5000);
    await frame();
    actions.play();
    for (let i = 0; i < 200 && store.getState().run.endTime < 5_000; i++) await frame(100);
    actions.pause();
    await frame();
    expect(trace().slice(0, expected.length)).toEqual(expected.filter((e) => e.t <= store.getState().run.endTime));
    const full = trace();

    for (const t of [0, 17.5, 60, 140, 400]) {
      actions.seekTime(t);
      const s = store.getState();
      expect(s.following).toBe(false);
      // t = 0 is the very start, before even what happens at t = 0.
      expect(s.cursor).toBe(t === 0 ? 0 : full.filter((e) => e.t <= t).length);
      expect(s.timeline.now).toBe(t);
      const before = batches.length;
      actions.play();
      for (let i = 0; i < 200 && store.getState().cursor < full.length; i++) await frame(100);
      actions.pause();
      await frame();
      // What the worker re-simulated from t is exactly what was there, so the page kept its trace.
      const replayed: TraceEvent[] = batches.slice(before).flatMap((b) => b.events);
      expect(replayed.length).toBeGreaterThan(0);
      expect(replayed.slice(0, full.length - s.cursor)).toEqual(full.slice(s.cursor, s.cursor + replayed.length));
      expect(trace().slice(0, full.length)).toEqual(full);
    }
  });

  it('an intervention is replayed where it happened; acting in the past replaces the future', async () => {
    const scenario = defaultScenario({ requests: 2 });
    const { actions, frame, trace, store } = lab(scenario);
    await frame();
    for (let k = 0; k < 6; k++) actions.step();
    await frame();
    actions.toggleMalicious(2);
    actions.step('request');
    actions.step('request');
    await frame();
    const full = trace();
    const at = store.getState().run.interventions[0].afterEvent;
    expect(at).toBeGreaterThan(0);

    actions.seekEvent(2);
    actions.step('request');
    actions.step('request');
    await frame();
    expect(trace()).toEqual(full);
    expect(store.getState().scenario.malicious).toEqual({ 2: { kind: 'silent' } });

    // Back before the intervention, then act: the known future is gone and the old intervention with it.
    actions.seekEvent(1);
    actions.toggleMalicious(3);
    expect(store.getState().run.length).toBe(2);
    await frame();
    actions.step('request');
    await frame();
    const { run } = store.getState();
    expect(run.interventions.map((h) => h.intervention)).toEqual([{ kind: 'setBehaviour', id: 3, behaviour: { kind: 'silent' } }]);
    expect(trace()).not.toEqual(full.slice(0, run.length));
  });

  it('the worker pauses at a safety violation and the picture shows it', async () => {
    const scenario = defaultScenario({ requests: 2, concurrency: 2, malicious: { 0: { kind: 'collude' }, 1: { kind: 'collude' } } });
    const { actions, frame, store, trace } = lab(scenario, 5000);
    await frame();
    actions.play();
    for (let i = 0; i < 300 && store.getState().playback.playing; i++) await frame(100);
    const s = store.getState();
    expect(s.playback.playing).toBe(false);
    // It stopped at the end of the very step in which the checker found the violation.
    const found = trace().findIndex((e) => e.kind === 'violation');
    expect(found).toBeGreaterThan(0);
    expect(s.run.starts.at(-1)).toBeLessThanOrEqual(found);
    expect(s.timeline.stats?.violations[0]).toMatchObject({ rule: 'agreement' });
  });
});

describe('run files', () => {
  it('import rejects non-trace JSON with a clear error and keeps the current run', async () => {
    const { actions, frame, trace, store } = lab(defaultScenario());
    await frame();
    for (let k = 0; k < 5; k++) actions.step();
    await frame();
    const before = trace();
    const scenario = store.getState().scenario;
    expect(await actions.importRunText('{"hello": "world"}')).toBe(false);
    expect(store.getState().importError).toMatch(/^Import failed: This JSON is not a PBFT Lab run .* The current run is unchanged\.$/);
    expect(await actions.importRunText('not json at all')).toBe(false);
    expect(store.getState().importError).toMatch(/not JSON/);
    await frame();
    expect(trace()).toEqual(before);
    expect(store.getState().scenario).toBe(scenario);
  });

  it('an exported run imports back to the same trace and interventions', async () => {
    const first = lab(defaultScenario({ seed: 4 }));
    await first.frame();
    first.actions.step('phase');
    first.actions.toggleMalicious(3);
    first.actions.step('request');
    await first.frame();
    const text = first.actions.exportRunText();

    const second = lab(defaultScenario());
    await second.frame();
    expect(await second.actions.importRunText(text)).toBe(true);
    await second.frame();
    expect(second.trace()).toEqual(first.trace());
    expect(second.store.getState().run.interventions).toEqual(first.store.getState().run.interventions);
    expect(second.store.getState().notices).toEqual([]);
    expect(second.store.getState().scenario.seed).toBe(4);
  });
});

describe('bounded history in the store', () => {
  const long = defaultScenario({ requests: 30, seed: 8, dropRate: 0.02 });
  const limits = { maxEvents: 400, snapshotEvery: 50 };

  async function played() {
    const l = lab(long, 5000, limits);
    await l.frame();
    l.actions.play();
    for (let i = 0; i < 400 && l.store.getState().run.length < 2000; i++) await l.frame(100);
    l.actions.pause();
    await l.frame();
    return l;
  }

  it('keeps at most the limit, compacts the oldest, and the counts stay exact', async () => {
    const { store } = await played();
    const { run, timeline } = store.getState();
    expect(run.length).toBeGreaterThanOrEqual(2000);
    expect(run.length - run.base).toBeLessThanOrEqual(limits.maxEvents);
    expect(run.base).toBeGreaterThan(0);
    const reference = new Session(long);
    while (reference.position < run.length) reference.step();
    expect(run.trace).toEqual(reference.trace.slice(run.base, run.length));
    expect(timeline.stats?.sentTotal).toBe(reference.sim.stats().sentTotal);
    expect(timeline.stats?.committed).toBe(reference.sim.stats().committed);
  });

  it('scrubbing stops at the oldest moment kept, which is drawn exactly; playing on from there matches', async () => {
    const { store, actions, frame, trace } = await played();
    const { run } = store.getState();
    actions.seekTime(0);
    let s = store.getState();
    expect(s.cursor).toBe(run.base);
    expect(s.viewTime).toBe(run.baseTime);
    const reference = new Session(long);
    while (reference.position < run.base) reference.step();
    expect(s.timeline.stats?.sentTotal).toBe(reference.sim.stats().sentTotal);
    expect(s.timeline.replicas.map((r) => r.phase)).toEqual(reference.sim.replicas(false).map((r) => r.phase));
    actions.seekEvent(run.base - 1);
    expect(store.getState().cursor).toBe(run.base);
    // Play on from the oldest moment: the worker replays from the seed and the page keeps what it had.
    const known = trace();
    actions.play();
    for (let i = 0; i < 100 && store.getState().cursor < run.length; i++) await frame(100);
    actions.pause();
    await frame();
    s = store.getState();
    // Compaction may have moved on while playing: compare what both still hold, by absolute index.
    const from = Math.max(s.run.base, run.base);
    expect(s.run.length).toBeGreaterThan(run.length);
    expect(from).toBeLessThan(run.length);
    for (let i = from; i < run.length; i++) expect(eventAt(s.run, i)).toEqual(known[i - run.base]);
  });

  it('a run file of a compacted run holds the whole trace, replayed by the worker', async () => {
    const { store, actions } = await played();
    expect(() => actions.exportRunText()).toThrow(/compacted/);
    const text = await actions.exportRunFile();
    const file = JSON.parse(text);
    const reference = new Session(long);
    while (reference.position < store.getState().run.length) reference.step();
    expect(file.trace).toEqual(reference.trace.slice(0, store.getState().run.length));
    expect(file.scenario.seed).toBe(8);
  });

  it('importing a run longer than the history limit arrives in chunks, keeps the newest events, and counts exactly', async () => {
    const scenario = defaultScenario({ f: 2, requests: 40, seed: 5 });
    const reference = new Simulation(scenario);
    reference.runToQuiescence();
    const text = exportRun(scenario, [], reference.trace);
    const { store, actions, frame, batches } = lab(defaultScenario(), 1000, limits);
    await frame();
    const loading = actions.importRunText(text);
    expect(await loading).toBe(true);
    for (let i = 0; i < 10; i++) await frame();
    const { run, timeline, notices, scenario: shown } = store.getState();
    expect(batches.filter((b) => !b.reset && b.events.length > 0).length).toBeGreaterThan(1);
    expect(run.length).toBe(reference.trace.length);
    expect(run.length - run.base).toBeLessThanOrEqual(limits.maxEvents);
    expect(run.trace).toEqual(reference.trace.slice(run.base));
    expect(timeline.stats?.committed).toBe(40);
    expect(notices).toEqual([]);
    expect(shown).toEqual(scenario);
  });

  it('importing while a run plays stops it and shows the file, which stays put until Play', async () => {
    // Cut mid-run: were the worker still playing, the trace would grow past the file's.
    const scenario = defaultScenario({ requests: 3, seed: 12 });
    const reference = new Simulation(scenario);
    reference.runUntil(60);
    expect(reference.nextEventTime()).not.toBeNull();
    const { store, actions, frame, trace } = lab(defaultScenario({ requests: 50 }), 1000);
    await frame();
    actions.play();
    for (let i = 0; i < 5; i++) await frame(100);
    expect(store.getState().playback.playing).toBe(true);
    expect(await actions.importRunText(exportRun(scenario, [], reference.trace))).toBe(true);
    for (let i = 0; i < 10; i++) await frame(100);
    expect(store.getState().playback.playing).toBe(false);
    expect(trace()).toEqual(reference.trace);
    expect(store.getState().scenario.requests).toBe(3);
  });

  it('an import while the simulation is stopped by an error is refused, and says how to go on', async () => {
    // A worker that fails on its first command, as one whose module did not load.
    const connect: ConnectSim = (onEvent) => ({ send: () => queueMicrotask(() => onEvent({ type: 'error', message: 'Injected' })), dispose: () => {} });
    const store = createLabStore({ connect, requestFrame: (cb) => cb(), scenario: defaultScenario() });
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().error).toBe('Injected');
    const actions = store.getState().actions;
    expect(await actions.importRunText(exportRun(defaultScenario(), [], []))).toBe(false);
    expect(store.getState().importError).toMatch(/restart it, then import again/);
  });
});
