import { describe, expect, it } from 'vitest';
import { runSweep, runTrial, seedExperiment } from '../sim/experiment';
import { connectSweepInProcess } from '../worker/sweepTransport';
import { articleForm, defaultForm } from './experimentForm';
import { createExperimentStore, type ExperimentStore } from './experimentStore';
import { steppingClock } from './sweepTestkit';

/** Resolves once the current run has left 'running'. */
function settled(store: ExperimentStore): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (store.getState().run?.status !== 'running') {
        unsubscribe();
        resolve();
      }
    };
    const unsubscribe = store.subscribe(check);
    check();
  });
}

describe('experiment store', () => {
  it('runs the article’s experiment in workers and ends with runSweep’s rows for both modes', async () => {
    const store = createExperimentStore({ connect: connectSweepInProcess({ clock: steppingClock() }), form: articleForm(2), clock: steppingClock(100) });
    expect(store.getState().actions.run()).toBe(true);
    const running = store.getState().run!;
    expect(running).toMatchObject({ status: 'running', done: 0, total: 48, workers: 2 });
    await settled(store);
    const run = store.getState().run!;
    expect(run.status).toBe('done');
    expect(run.done).toBe(48);
    expect(run.results.map((r) => r.rows)).toEqual([runSweep(seedExperiment({ mode: 'seed' })).rows, runSweep(seedExperiment({ mode: 'pbft' })).rows]);
  });

  it('live rows appear while it runs (trial-major, so every m early on)', async () => {
    const store = createExperimentStore({
      connect: connectSweepInProcess({ clock: steppingClock() }),
      form: { ...articleForm(1), trials: '30', mode: 'pbft' },
      clock: steppingClock(300),
    });
    const seen: number[] = [];
    store.subscribe((s) => {
      if (s.run?.status === 'running' && s.run.results[0].rows.length) seen.push(s.run.results[0].rows.reduce((a, r) => a + r.trials, 0));
    });
    store.getState().actions.run();
    await settled(store);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toBeLessThan(120);
  });

  it('Cancel keeps the trials that ran, counted honestly per m, and nothing after', async () => {
    const store = createExperimentStore({ connect: connectSweepInProcess({ clock: steppingClock() }), form: { ...articleForm(2), trials: '200' }, clock: steppingClock() });
    store.getState().actions.run();
    await new Promise<void>((resolve) => {
      const unsubscribe = store.subscribe((s) => {
        if (s.run && s.run.done >= 30) {
          unsubscribe();
          s.actions.cancel();
          resolve();
        }
      });
    });
    await settled(store);
    const run = store.getState().run!;
    expect(run.status).toBe('cancelled');
    expect(run.done).toBeLessThan(run.total);
    const counted = run.results.reduce((s, r) => s + r.rows.reduce((a, row) => a + row.trials, 0), 0);
    expect(counted).toBe(run.done);
    for (const r of run.results) {
      for (const row of r.rows) expect(row.trials).toBe(r.trials.filter((t) => t.m === row.m).length);
      for (const t of r.trials) {
        const { scenario: _s, ...expected } = runTrial(r.config, t.m, t.trial);
        expect(t).toEqual(expected);
      }
    }
    const done = run.done;
    await new Promise((r) => setTimeout(r, 30));
    expect(store.getState().run!.done).toBe(done);
  });

  it('an invalid form does not run and shows every message', () => {
    const store = createExperimentStore({ connect: () => { throw new Error('must not start'); }, form: { ...defaultForm(1), n: '0' } });
    expect(store.getState().actions.run()).toBe(false);
    expect(store.getState()).toMatchObject({ attempted: true, run: null });
  });

  it('a worker that throws ends in an error and leaves the form as it was', async () => {
    const form = { ...articleForm(2), seed: '42' };
    const store = createExperimentStore({
      connect: connectSweepInProcess({
        clock: steppingClock(),
        runTrial: () => {
          throw new Error('the core fell over');
        },
      }),
      form,
    });
    store.getState().actions.run();
    await settled(store);
    expect(store.getState().run).toMatchObject({ status: 'error', error: 'Seed mode, m = 0, trial 1: the core fell over', results: [] });
    expect(store.getState().form).toEqual(form);
  });

  it('setField marks the field touched; the article preset replaces the form', () => {
    const store = createExperimentStore({ connect: connectSweepInProcess({ clock: steppingClock() }), form: defaultForm(3) });
    store.getState().actions.setField('n', '7');
    expect(store.getState()).toMatchObject({ form: { n: '7' }, touched: { n: true } });
    store.getState().actions.loadArticleExperiment();
    expect(store.getState().form).toEqual(articleForm(3));
    expect(store.getState().touched).toEqual({});
  });
});
