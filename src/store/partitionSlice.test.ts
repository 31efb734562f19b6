import { describe, expect, it } from 'vitest';
import { networkAt } from '../sim/picture';
import { defaultScenario } from '../sim/scenario';
import { CLIENT } from '../sim/types';
import { inProcessLab } from './labTestkit';
import { networkKeyOnScreen } from './partitionSlice';

const onScreen = (s: Parameters<typeof networkKeyOnScreen>[0]) => JSON.parse(networkKeyOnScreen(s)) as ReturnType<typeof networkAt>;

describe('partitions and links drawn by hand, through the store', () => {
  it('a cut is an intervention at the moment on screen and a scenario setting; messages across it are held; Heal releases them', async () => {
    const { store, actions, frame, sent, trace } = inProcessLab();
    await frame();
    expect(actions.cut([0], 'hold')).toBe(true);
    expect(sent.at(-1)).toEqual({ type: 'setPartition', partition: { side: [0], rule: 'hold' } });
    expect(store.getState().scenario).toMatchObject({ partition: [0], partitionRule: 'hold' });
    actions.step();
    await frame();
    expect(onScreen(store.getState()).partition).toEqual({ side: [0], rule: 'hold' });
    // The client's REQUEST to the primary crosses the cut: it waits there.
    expect(trace().find((e) => e.kind === 'send')).toMatchObject({ msg: { type: 'REQUEST', from: CLIENT, to: 0 }, held: true });
    expect(store.getState().timeline.stats?.held).toBe(1);

    actions.heal();
    expect(store.getState().scenario.partition).toBeUndefined();
    actions.step();
    await frame();
    expect(onScreen(store.getState()).partition).toBeNull();
    expect(trace().some((e) => e.kind === 'release' && e.msg.type === 'REQUEST')).toBe(true);
    expect(store.getState().timeline.stats?.held).toBe(0);
  });

  it('Back to before the cut shows the network uncut; the run file carries the cut as an intervention', async () => {
    const { store, actions, frame } = inProcessLab();
    await frame();
    actions.step();
    await frame();
    actions.cut([1, 2]);
    actions.step();
    await frame();
    expect(onScreen(store.getState()).partition).toEqual({ side: [1, 2], rule: 'lose' });
    actions.back();
    actions.back();
    await frame();
    expect(onScreen(store.getState()).partition).toBeNull();
    expect(store.getState().run.interventions.map((h) => h.intervention)).toContainEqual({ kind: 'setPartition', partition: { side: [1, 2], rule: 'lose' } });
  });

  it('a side that is empty or holds every node cuts nothing', async () => {
    const { store, actions, frame, sent } = inProcessLab();
    await frame();
    const before = sent.length;
    expect(actions.cut([])).toBe(false);
    expect(actions.cut([CLIENT, 0, 1, 2, 3])).toBe(false);
    expect(actions.cut([7])).toBe(false);
    expect(sent.length).toBe(before);
    expect(store.getState().scenario.partition).toBeUndefined();
  });

  it('a link made slow, then normal: the intervention, the scenario, and the picture on screen', async () => {
    const { store, actions, frame, sent } = inProcessLab();
    await frame();
    actions.setLinkFault(2, 0, { extraDelayMs: 300, dropRate: 0 });
    expect(sent.at(-1)).toEqual({ type: 'setLink', a: 2, b: 0, fault: { extraDelayMs: 300, dropRate: 0 } });
    expect(store.getState().scenario.links).toEqual([{ a: 0, b: 2, extraDelayMs: 300, dropRate: 0 }]);
    actions.step();
    await frame();
    expect(onScreen(store.getState()).links).toEqual([{ a: 0, b: 2, extraDelayMs: 300, dropRate: 0 }]);
    actions.setLinkFault(0, 2, null);
    expect(store.getState().scenario.links).toBeUndefined();
    actions.step();
    await frame();
    expect(onScreen(store.getState()).links).toEqual([]);
  });

  it("a link's menu starts from its own knobs, or a normal link's from the faulty link on screen", async () => {
    const { store, actions, frame } = inProcessLab({ scenario: defaultScenario({ links: [{ a: 0, b: 3, extraDelayMs: 300, dropRate: 0 }] }) });
    await frame();
    expect(store.getState().partitionUi.linkChoice.extraDelayMs).toBe(100);
    actions.openLink({ a: 2, b: 0 });
    expect(store.getState().partitionUi.link).toEqual({ a: 0, b: 2 });
    expect(store.getState().partitionUi.linkChoice.extraDelayMs).toBe(300);
    actions.chooseLinkKnobs({ extraDelayMs: 5000 });
    expect(store.getState().partitionUi.linkChoice.extraDelayMs).toBe(1000);
    actions.openLink(null);
    expect(store.getState().partitionUi.link).toBeNull();
  });
});
