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

describe('the drawers', () => {
  it('the stage opens alone; a lesson’s link opens its explanation; an embedded page has none', async () => {
    expect(inProcessLab().store.getState().ui.drawer).toBeNull();
    expect(inProcessLab({ preset: 'silent-primary' }).store.getState().ui.drawer).toBe('lesson');
    expect(inProcessLab({ preset: 'silent-primary', embed: true }).store.getState().ui).toMatchObject({ drawer: null, embed: true });
  });

  it('one drawer at a time: opening one closes the other, its own button closes it', () => {
    const { store, actions } = inProcessLab();
    actions.toggleDrawer('scenario');
    expect(store.getState().ui.drawer).toBe('scenario');
    actions.toggleDrawer('status');
    expect(store.getState().ui.drawer).toBe('status');
    actions.toggleDrawer('status');
    expect(store.getState().ui.drawer).toBeNull();
    actions.setDrawer('share');
    expect(store.getState().ui.drawer).toBe('share');
    actions.setDrawer(null);
    expect(store.getState().ui.drawer).toBeNull();
  });

  it('choosing a replica opens the inspector; presentation mode closes the drawer; a lesson replaces an open drawer only', async () => {
    const { store, actions, frame } = inProcessLab({ scenario: defaultScenario() });
    await frame();
    actions.selectReplica(2);
    expect(store.getState().ui.drawer).toBe('inspector');
    actions.selectReplica(null);
    expect(store.getState().ui.drawer).toBe('inspector');
    actions.togglePresentation();
    expect(store.getState().ui).toMatchObject({ presentation: true, drawer: null });
    actions.loadLesson('lossy-network');
    expect(store.getState().ui.drawer).toBeNull();
    actions.setDrawer('status');
    actions.loadLesson('silent-primary');
    expect(store.getState().ui.drawer).toBe('lesson');
    actions.togglePresentation();
    expect(store.getState().ui).toMatchObject({ presentation: false, drawer: 'lesson' });
  });

  it('what a click on a replica does is the page’s choice', () => {
    const { store, actions } = inProcessLab();
    expect(store.getState().ui.replicaClick).toBe('malicious');
    actions.setReplicaClick('inspect');
    expect(store.getState().ui.replicaClick).toBe('inspect');
  });
});
