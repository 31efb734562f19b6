/**
 * An attack opened in the visualizer is remembered with its run (so the banner can explain a stall at its moment), and
 * forgotten as soon as another run starts (a new seed, a reset): the explanation belongs to that run only.
 */
import { describe, expect, it } from 'vitest';
import { withCalm } from '../sim/attack/replay';
import { search } from '../sim/attack/search';
import { defaultScenario } from '../sim/scenario';
import { inProcessLab } from './labTestkit';

describe('the opened attack', () => {
  it('belongs to the run Open started, and is forgotten when another starts', async () => {
    const scenario = defaultScenario({ f: 1, mode: 'seed', malicious: { 0: { kind: 'silent' } } });
    const found = search({ scenario, goal: 'stall', budget: { schedules: 5 }, seed: 1 });
    expect(found.found).toBe(true);
    const { store, frame } = inProcessLab();
    await frame();
    const before = store.getState().run.generation;
    store.getState().actions.openSchedule(found.scenario, withCalm(found.scenario, found.schedule!), { goal: 'stall', violation: found.violation });
    expect(store.getState().openedAttack).toMatchObject({ goal: 'stall', generation: null });
    await frame();
    await frame();
    const opened = store.getState().openedAttack;
    expect(opened?.generation).toBe(store.getState().run.generation);
    expect(opened?.generation).toBeGreaterThan(before);
    expect(opened?.violation?.calmSince).toBeDefined();
    store.getState().actions.setSeed(9);
    await frame();
    await frame();
    expect(store.getState().openedAttack).toBeNull();
  });
});
