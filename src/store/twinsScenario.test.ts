/**
 * Twins in the page's scenario (from a link, a run file or an opened Twins attack) stay runnable whatever the controls
 * do: a twin cannot also be made to lie (it runs honest code), and fewer replicas drop the twins that no longer exist.
 */
import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/scenario';
import { inProcessLab } from './labTestkit';

describe('twins and the scenario controls', () => {
  it('a click that would make a twin lie is refused with a notice; another replica still can', async () => {
    const { store, frame } = inProcessLab({ scenario: defaultScenario({ f: 1, twins: { replicas: [1], side: [3] } }) });
    await frame();
    store.getState().actions.toggleMalicious(1);
    await frame();
    expect(store.getState().scenario.malicious).toEqual({});
    expect(store.getState().notices.join(' ')).toMatch(/Replica 1 runs as twins .* cannot also lie/);
    store.getState().actions.toggleMalicious(2);
    await frame();
    expect(Object.keys(store.getState().scenario.malicious)).toEqual(['2']);
    expect(store.getState().error).toBeFalsy();
  });

  it('f from 2 to 1: twins and side members beyond n = 4 are dropped, the rest kept; none left, no twins', async () => {
    const { store, frame } = inProcessLab({ scenario: defaultScenario({ f: 2, twins: { replicas: [1, 5], side: [2, 6] } }) });
    await frame();
    store.getState().actions.setF(1);
    await frame();
    expect(store.getState().scenario.twins).toEqual({ replicas: [1], side: [2] });
    expect(store.getState().error).toBeFalsy();
    const other = inProcessLab({ scenario: defaultScenario({ f: 2, twins: { replicas: [6], side: [] } }) });
    await other.frame();
    other.store.getState().actions.setF(1);
    await other.frame();
    expect(other.store.getState().scenario.twins).toBeUndefined();
  });
});
