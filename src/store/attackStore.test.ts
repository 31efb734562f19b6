import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/scenario';
import { inProcessAttacks } from './attackTestkit';
import { readSearchTwins } from './attackStore';

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
    await new Promise<void>((resolve) => store.subscribe((s) => s.search?.status !== 'running' && resolve()));
    // m ≤ f: safety holds however the twin's second instance is placed.
    expect(store.getState().search).toMatchObject({ status: 'none', schedulesTried: 50 });
    actions.dispose();
  }, 30_000);
});
