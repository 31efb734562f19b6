import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/scenario';
import { Session } from '../sim/session';
import { CLIENT } from '../sim/types';
import { handAt, handOnScreen } from './handSlice';
import { inProcessLab } from './labTestkit';

const waiting = (s: Parameters<typeof handOnScreen>[0]) => handOnScreen(s).messages;

describe('deliver by hand, through the store', () => {
  it('switched on, messages wait; each button is an intervention; a PBFT round is delivered in the order chosen', async () => {
    const { store, actions, frame, sent, trace } = inProcessLab();
    await frame();
    actions.setDeliverByHand(true);
    expect(sent.at(-1)).toEqual({ type: 'hand', interventions: [{ kind: 'setByHand', on: true }] });
    expect(store.getState().scenario.byHand).toBe(true);
    actions.step();
    await frame();
    // The client's REQUEST waits in flight for a hand, and the timers wait too (the worker lists them).
    const [request] = waiting(store.getState());
    expect(request).toMatchObject({ type: 'REQUEST', from: CLIENT, to: 0 });
    expect(handOnScreen(store.getState()).timers).not.toBeNull();
    actions.deliverMessage(request.id);
    await frame();
    // The primary's PRE-PREPAREs wait, one to each backup; deliver them to 3 first, then all of the phase.
    expect(waiting(store.getState()).map((m) => m.type)).toEqual(['PRE_PREPARE', 'PRE_PREPARE', 'PRE_PREPARE']);
    actions.deliverTo(3);
    await frame();
    const delivered = () => trace().filter((e) => e.kind === 'deliver').map((e) => (e.kind === 'deliver' ? `${e.msg.type}→${e.msg.to}` : ''));
    expect(delivered()).toEqual(['REQUEST→0', 'PRE_PREPARE→3']);
    actions.deliverType('PRE_PREPARE');
    await frame();
    expect(delivered()).toEqual(['REQUEST→0', 'PRE_PREPARE→3', 'PRE_PREPARE→1', 'PRE_PREPARE→2']);
    // Every PREPARE the backups sent now waits; nothing arrived by itself.
    expect(waiting(store.getState()).every((m) => m.type === 'PREPARE')).toBe(true);
    expect(store.getState().run.interventions.map((h) => h.intervention.kind)).toEqual(['setByHand', 'deliver', 'deliver', 'deliver', 'deliver']);
  });

  it('a dropped PREPARE never arrives; duplicate sends a copy; Back undoes a choice', async () => {
    const { store, actions, frame, trace } = inProcessLab();
    await frame();
    actions.setDeliverByHand(true);
    actions.step();
    await frame();
    actions.deliverMessage(waiting(store.getState())[0].id);
    await frame();
    actions.deliverType('PRE_PREPARE');
    await frame();
    const prepare = waiting(store.getState()).find((m) => m.type === 'PREPARE' && m.to === 2)!;
    actions.dropMessage(prepare.id);
    await frame();
    expect(trace().at(-1)).toMatchObject({ kind: 'drop', by: 'hand', msg: { id: prepare.id } });
    expect(waiting(store.getState()).some((m) => m.id === prepare.id)).toBe(false);
    const before = waiting(store.getState()).length;
    actions.duplicateMessage(waiting(store.getState())[0].id);
    await frame();
    expect(waiting(store.getState())).toHaveLength(before + 1);
    // Back: the copy is gone again (the page shows the moment before it).
    actions.back();
    expect(waiting(store.getState())).toHaveLength(before);
  });

  it('hold everything from a replica is a standing hold; switching off hands the rest back to the network model', async () => {
    const { store, actions, frame, trace } = inProcessLab();
    await frame();
    actions.holdFrom(0, true);
    actions.step();
    actions.step();
    await frame();
    expect(handAt(store.getState().scenario, store.getState().run.interventions, store.getState().cursor).held).toEqual([0]);
    for (let k = 0; k < 6; k++) {
      actions.step();
      await frame();
    }
    // The primary's PRE-PREPAREs wait; nothing from 0 was delivered.
    expect(waiting(store.getState()).some((m) => m.from === 0 && m.type === 'PRE_PREPARE')).toBe(true);
    expect(trace().some((e) => e.kind === 'deliver' && e.msg.from === 0)).toBe(false);
    actions.holdFrom(0, false);
    await frame();
    expect(waiting(store.getState())).toEqual([]);
    expect(trace().some((e) => e.kind === 'release' && e.hand && e.msg.from === 0)).toBe(true);
  });

  it('a run acted on by hand replays exactly from the seed (what a link and a run file carry)', async () => {
    const { store, actions, frame, trace } = inProcessLab();
    await frame();
    actions.setDeliverByHand(true);
    actions.step();
    await frame();
    actions.deliverMessage(waiting(store.getState())[0].id);
    await frame();
    actions.dropMessage(waiting(store.getState())[1].id);
    await frame();
    actions.setDeliverByHand(false);
    await frame();
    const { run } = store.getState();
    const replay = new Session(run.scenario!, [...run.interventions]);
    replay.seekToEvent(run.length);
    expect(replay.trace.slice(0, run.length)).toEqual(trace());
  });

  it('selecting a message that waits opens the Network drawer; bad replicas are refused', async () => {
    const { store, actions, frame, sent } = inProcessLab({ scenario: { ...defaultScenario(), byHand: true } });
    await frame();
    actions.step();
    await frame();
    const [m] = waiting(store.getState());
    actions.pickMessage(m.id);
    expect(store.getState().selection.message).toBe(m.id);
    expect(store.getState().ui.drawer).toBe('network');
    const count = sent.length;
    actions.holdFrom(99, true);
    actions.holdFrom(-2, true);
    expect(sent.length).toBe(count);
  });
});
