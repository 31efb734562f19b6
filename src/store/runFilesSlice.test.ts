import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/scenario';
import { exportRun } from '../sim/share';
import { Simulation } from '../sim/simulation';
import type { SimCommand, SimEvent } from '../worker/protocol';
import type { ConnectSim } from '../worker/transport';
import { IMPORT_CHUNK_EVENTS } from '../worker/pacing';
import { createLabStore } from './labStore';
import { inProcessLab } from './labTestkit';

describe('run files', () => {
  it('a long import is shown in two updates: its first chunk at once, the rest together with the last', async () => {
    const scenario = defaultScenario({ f: 2, requests: 40, seed: 5 });
    const reference = new Simulation(scenario);
    reference.runToQuiescence();
    expect(reference.trace.length).toBeGreaterThan(2 * IMPORT_CHUNK_EVENTS);
    const { store, actions, frame, batches } = inProcessLab();
    await frame();
    const before = batches.length;
    let shown = 0;
    const stop = store.subscribe((s, prev) => {
      if (s.run !== prev.run) shown++;
    });
    expect(await actions.importRunText(exportRun(scenario, [], reference.trace))).toBe(true);
    for (let i = 0; i < 5; i++) await frame();
    stop();
    expect(batches.length - before).toBeGreaterThan(2);
    expect(shown).toBe(2);
    const s = store.getState();
    expect(s.run.length).toBe(reference.trace.length);
    expect(s.following).toBe(true);
    expect(s.timeline.stats?.committed).toBe(40);
  });

  it('an error from the worker stops it, keeps the scenario, and fails the file it was loading', async () => {
    const sent: SimCommand[] = [];
    let emit: (e: SimEvent) => void = () => {};
    let disposed = 0;
    const connect: ConnectSim = (onEvent) => {
      emit = onEvent;
      return { send: (cmd) => void sent.push(cmd), dispose: () => void disposed++ };
    };
    const scenario = defaultScenario({ seed: 9 });
    const store = createLabStore({ connect, requestFrame: (cb) => cb(), scenario });
    const loading = store.getState().actions.importRunText('{}');
    expect(sent.at(-1)).toMatchObject({ type: 'import' });
    emit({ type: 'error', message: 'core exploded' });
    expect(await loading).toBe(false);
    expect(disposed).toBe(1);
    expect(store.getState().error).toBe('core exploded');
    expect(store.getState().scenario).toBe(scenario);
    // Nothing reaches a stopped worker, and a stopped worker is not asked for files.
    const count = sent.length;
    store.getState().actions.step();
    expect(sent.length).toBe(count);
    expect(await store.getState().actions.importRunText('{}')).toBe(false);
    expect(store.getState().importError).toMatch(/restart it, then import again/);
  });
});
