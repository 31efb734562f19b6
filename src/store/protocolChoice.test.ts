import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/scenario';
import { inProcessLab } from './labTestkit';

describe('the Protocol select (setMode)', () => {
  it('runs the same scenario under HotStuff: the worker is configured with it and the replicas speak HotStuff', async () => {
    const { store, actions, frame, sent } = inProcessLab({ scenario: defaultScenario({ f: 1, seed: 9 }) });
    await frame();
    actions.setMode('hotstuff');
    await frame();
    const configure = sent.filter((c) => c.type === 'configure').at(-1);
    expect(configure).toMatchObject({ scenario: { mode: 'hotstuff', seed: 9, f: 1 } });
    for (let i = 0; i < 40; i++) {
      actions.step();
      await frame();
    }
    const types = new Set(store.getState().run.trace.flatMap((e) => (e && e.kind === 'send' ? [e.msg.type] : [])));
    expect(types.has('HS_PREPARE') || types.has('HS_NEW_VIEW')).toBe(true);
    expect(types.has('PRE_PREPARE')).toBe(false);
  });

  it('makes a liar honest when its lie means nothing in the new protocol, and says so', async () => {
    const { store, actions, frame } = inProcessLab({ scenario: defaultScenario({ f: 1, malicious: { 1: { kind: 'forge-view-change' }, 2: { kind: 'silent' } } }) });
    await frame();
    actions.setMode('tendermint');
    expect(store.getState().scenario.malicious).toEqual({ 2: { kind: 'silent' } });
    expect(store.getState().notices.at(-1)).toMatch(/Tendermint .*replica 1 \(forge-view-change\)/);
  });

  it('refuses to make a replica lie in a way its protocol has no room for, with the reason', async () => {
    const { store, actions, frame } = inProcessLab({ scenario: defaultScenario({ f: 1, mode: 'hotstuff' }) });
    await frame();
    actions.chooseBehaviour({ kind: 'withhold-new-view' });
    actions.toggleMalicious(0);
    expect(store.getState().scenario.malicious).toEqual({});
    expect(store.getState().notices.at(-1)).toMatch(/withhold-new-view does not apply to HotStuff: .*It applies to silent/);
    actions.chooseBehaviour({ kind: 'silent' });
    actions.toggleMalicious(0);
    expect(store.getState().scenario.malicious).toEqual({ 0: { kind: 'silent' } });
  });
});
