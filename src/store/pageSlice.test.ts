import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/scenario';
import { inProcessLab } from './labTestkit';

describe('the inspector', () => {
  it('asks at once on selection, then at most once a frame while someone scrubs the past', async () => {
    const { store, actions, frame, frames, sent } = inProcessLab({ scenario: defaultScenario(), speed: 1000 });
    await frame();
    for (let k = 0; k < 6; k++) actions.step();
    await frame();
    const inspects = () => sent.filter((c) => c.type === 'inspect');
    actions.selectReplica(1);
    expect(inspects()).toEqual([{ type: 'inspect', id: 1 }]);
    await frame();
    expect(store.getState().inspection).toMatchObject({ id: 1, at: store.getState().run.length });

    for (const t of [1, 2, 3, 0.5]) actions.seekTime(t);
    expect(inspects()).toHaveLength(1);
    for (const cb of frames.splice(0)) cb();
    const cursor = store.getState().cursor;
    expect(inspects().slice(1)).toEqual([{ type: 'inspect', id: 1, at: cursor }]);
    await frame();
    expect(store.getState().inspection).toMatchObject({ id: 1, at: cursor });

    actions.selectReplica(null);
    expect(inspects().at(-1)).toEqual({ type: 'inspect', id: null });
    expect(store.getState().inspection).toBeNull();
  });
});
