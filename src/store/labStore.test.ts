import { describe, expect, it } from 'vitest';
import { Session } from '../sim/session';
import { manualTime } from '../worker/manualTime';
import { WORKER_SESSION_OPTIONS } from '../worker/simHost';
import { connectInProcess } from '../worker/transport';
import { createLabStore } from './labStore';
import { inProcessLab } from './labTestkit';

/** A store wired to the real host and core on this thread, with hand-cranked frames and real time. */
const lab = (options: { speed?: number } = {}) => inProcessLab(options);

describe('createLabStore', () => {
  it('configures the worker with the default scenario and learns the replicas', async () => {
    const { store, sent, frame } = lab();
    expect(sent.map((c) => c.type)).toEqual(['setSpeed', 'configure']);
    await frame();
    const { timeline } = store.getState();
    expect(timeline.n).toBe(4);
    expect(timeline.replicas).toHaveLength(4);
    expect(timeline.replicas[0].isPrimary).toBe(true);
  });

  it('acks each batch from the next animation frame, not before', async () => {
    const { sent, frames, frame } = lab();
    await new Promise((r) => setTimeout(r, 0));
    expect(sent.filter((c) => c.type === 'ack')).toHaveLength(0);
    expect(frames).toHaveLength(1);
    await frame();
    expect(sent.filter((c) => c.type === 'ack')).toHaveLength(1);
  });

  it('Step shows the client’s REQUEST in flight and in the log', async () => {
    const { store, actions, frame } = lab();
    await frame();
    actions.step();
    await frame();
    const { timeline, run } = store.getState();
    expect([...timeline.inFlight.values()]).toMatchObject([{ type: 'REQUEST', from: -1, to: 0 }]);
    expect(run.trace.slice(0, run.length).map((e) => e.kind)).toEqual(['request', 'send']);
    expect(timeline.caption).toMatch(/REQUEST/);
  });

  it('Play runs the request to commitment; Pause stops the clock', async () => {
    const { store, actions, frame } = lab({ speed: 2000 });
    await frame();
    actions.play();
    expect(store.getState().playback.playing).toBe(true);
    for (let i = 0; i < 100 && (store.getState().timeline.stats?.committed ?? 0) < 1; i++) await frame();
    expect(store.getState().timeline.stats?.committed).toBe(1);
    expect(store.getState().timeline.stats?.lastLatencyMs).toBeGreaterThan(0);

    actions.pause();
    await frame();
    const t = store.getState().timeline.now;
    for (let i = 0; i < 10; i++) await frame(100);
    expect(store.getState().timeline.now).toBe(t);
    expect(store.getState().playback.playing).toBe(false);
  });

  it('toggling a replica marks it malicious with the chosen behaviour, and again makes it honest', async () => {
    const { store, actions, frame } = lab();
    await frame();
    actions.chooseBehaviour({ kind: 'slow', extraDelayMs: 250 });
    actions.toggleMalicious(2);
    expect(store.getState().scenario.malicious).toEqual({ 2: { kind: 'slow', extraDelayMs: 250 } });
    await frame();
    expect(store.getState().timeline.replicas[2].behaviour).toEqual({ kind: 'slow', extraDelayMs: 250 });
    actions.chooseBehaviour({ extraDelayMs: 500 });
    await frame();
    expect(store.getState().timeline.replicas[2].behaviour).toEqual({ kind: 'slow', extraDelayMs: 500 });
    actions.toggleMalicious(2);
    await frame();
    expect(store.getState().scenario.malicious).toEqual({});
    expect(store.getState().timeline.replicas[2].behaviour).toBeNull();
  });

  it('changing f restarts with 3f + 1 replicas from the same seed, keeping the marks that still exist', async () => {
    const { store, actions, frame } = lab();
    await frame();
    actions.setF(2);
    actions.toggleMalicious(6);
    actions.toggleMalicious(1);
    await frame();
    expect(store.getState().timeline.replicas).toHaveLength(7);
    actions.setF(1);
    await frame();
    const s = store.getState();
    expect(s.timeline.replicas).toHaveLength(4);
    expect(Object.keys(s.scenario.malicious)).toEqual(['1']);
    expect(s.timeline.replicas[1].behaviour).not.toBeNull();
    expect(s.scenario.seed).toBe(1);
  });

  it('a simulation error is shown and Restart starts over from the same scenario', async () => {
    let fail = true;
    const time = manualTime();
    const connect = connectInProcess({
      createSession: (s, i) => {
        if (fail) throw new Error('core exploded');
        return new Session(s, i, WORKER_SESSION_OPTIONS);
      },
      clock: time.clock,
      setTimer: time.setTimer,
    });
    const frames: Array<() => void> = [];
    const store = createLabStore({ connect, requestFrame: (cb) => frames.push(cb), clock: time.clock });
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().error).toBe('core exploded');
    fail = false;
    store.getState().actions.restart();
    expect(store.getState().error).toBeNull();
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().timeline.n).toBe(4);
  });
});

describe('createLabStore without a worker', () => {
  it('reports a transport that cannot start as an error instead of throwing', () => {
    const store = createLabStore({
      connect: () => {
        throw new Error('module workers unsupported');
      },
      requestFrame: () => {},
    });
    expect(store.getState().error).toMatch('module workers unsupported');
  });
});
