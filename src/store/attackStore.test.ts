import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/scenario';
import type { AttackCommand } from '../worker/attackProtocol';
import { connectAttackInProcess, type ConnectAttackWorker } from '../worker/attackTransport';
import { inProcessAttacks } from './attackTestkit';
import { createAttackStore, readSearchTwins, type AttackStore } from './attackStore';
import { steppingClock } from './sweepTestkit';

/** Until the search that runs is over. */
const ended = (store: AttackStore) => new Promise<void>((resolve) => store.subscribe((s) => s.search?.status !== 'running' && resolve()));

describe('the twins a search runs', () => {
  const scenario = defaultScenario({ f: 1, malicious: { 2: { kind: 'silent' } } });

  it('reads replica ids, repeats once, in order; empty means none', () => {
    expect(readSearchTwins(' 1, 0 ,1', scenario)).toEqual({ twins: [0, 1] });
    expect(readSearchTwins('  ', scenario)).toEqual({ twins: [] });
  });

  it('refuses a liar, a replica beyond n, a side, and what is no number, saying which', () => {
    expect(readSearchTwins('0,2', scenario)).toEqual({ problem: 'Twins: replica 2 is malicious, and a twin runs honest code.' });
    expect(readSearchTwins('4', scenario)).toEqual({ problem: 'Twins: replica 4 does not exist with n = 4.' });
    expect(readSearchTwins('0/3', scenario)).toMatchObject({ problem: expect.stringMatching(/the search draws, for each schedule, the side/) });
    expect(readSearchTwins('zero', scenario)).toEqual({ problem: 'Twins: “zero” is not a replica number.' });
  });

  it('a search with bad twins does not start and keeps what was typed; corrected, it runs with them', async () => {
    const store = inProcessAttacks();
    const { actions } = store.getState();
    actions.setBudget('50');
    actions.setTwins('0,2');
    expect(actions.start(scenario)).toBe(false);
    expect(store.getState()).toMatchObject({ search: null, twinsProblem: expect.stringMatching(/replica 2 is malicious/), form: { twins: '0,2' } });
    actions.setTwins('0');
    expect(store.getState().twinsProblem).toBeNull();
    // The liar made honest: one twin is the one faulty replica f = 1 allows.
    expect(actions.start({ ...scenario, malicious: {} })).toBe(true);
    expect(store.getState().search).toMatchObject({ status: 'running', twins: [0] });
    await ended(store);
    // m ≤ f: safety holds however the twin's second instance is placed.
    expect(store.getState().search).toMatchObject({ status: 'none', schedulesTried: 50 });
    actions.dispose();
  }, 30_000);
});

describe('liars that may switch behaviour', () => {
  it('the box reaches every block the workers are sent, and the schedule found switches the liar', async () => {
    const sent: AttackCommand[] = [];
    const inProcess = connectAttackInProcess({ clock: steppingClock() });
    const connect: ConnectAttackWorker = (onEvent) => {
      const worker = inProcess(onEvent);
      return { send: (cmd) => (sent.push(cmd), worker.send(cmd)), dispose: worker.dispose };
    };
    const store = createAttackStore({ connect, workers: 2, clock: steppingClock() });
    const { actions } = store.getState();
    // One colluder and a silent liar: as given, agreement holds (npm run sim -- search … --liars as-given finds nothing).
    const scenario = defaultScenario({ f: 1, malicious: { 0: { kind: 'collude' }, 1: { kind: 'silent' } } });
    actions.setBudget('600');
    expect(store.getState().form.liars).toBe('as-given');
    actions.setLiars('any');
    expect(actions.start(scenario)).toBe(true);
    expect(store.getState().search).toMatchObject({ status: 'running', liars: 'any' });
    await ended(store);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.map((c) => c.liars)).toEqual(sent.map(() => 'any'));
    const found = store.getState().search;
    expect(found?.status).toBe('found');
    // The liars stay as given in the scenario; the switch that broke agreement is a step of the schedule.
    expect(found?.foundScenario?.malicious).toEqual(scenario.malicious);
    expect(found?.schedule?.map((s) => s.intervention)).toContainEqual({ kind: 'setBehaviour', id: 1, behaviour: { kind: 'collude' } });

    sent.length = 0;
    actions.setLiars('as-given');
    expect(actions.start(scenario)).toBe(true);
    await ended(store);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.some((c) => c.liars !== undefined)).toBe(false);
    expect(store.getState().search).toMatchObject({ status: 'none', liars: 'as-given', schedulesTried: 600 });
    actions.dispose();
  }, 30_000);
});
