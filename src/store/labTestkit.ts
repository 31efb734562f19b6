/**
 * For tests: a lab store wired to the real worker host and core on this thread, with hand-cranked animation frames
 * and a manual clock. It records every command the store sends and every batch it receives.
 */
import { Session } from '../sim/session';
import type { Scenario } from '../sim/types';
import { manualTime } from '../worker/manualTime';
import type { BatchEvent, SimCommand, SimEvent } from '../worker/protocol';
import { FRAME_MS } from '../worker/pacing';
import { WORKER_SESSION_OPTIONS } from '../worker/simHost';
import { connectInProcess, type ConnectSim } from '../worker/transport';
import { createLabStore } from './labStore';
import type { HistoryLimits } from './replay';

export function inProcessLab(options: { scenario?: Scenario; speed?: number; history?: HistoryLimits; preset?: string | null; embed?: boolean } = {}) {
  const time = manualTime();
  const frames: Array<() => void> = [];
  const sent: SimCommand[] = [];
  const batches: BatchEvent[] = [];
  const inProcess = connectInProcess({ createSession: (s, i) => new Session(s, i, WORKER_SESSION_OPTIONS), clock: time.clock, setTimer: time.setTimer });
  const connect: ConnectSim = (onEvent) => {
    const t = inProcess((e: SimEvent) => {
      if (e.type === 'batch') batches.push(e);
      onEvent(e);
    });
    return { send: (cmd) => (sent.push(cmd), t.send(cmd)), dispose: t.dispose };
  };
  const store = createLabStore({ connect, requestFrame: (cb) => frames.push(cb), clock: time.clock, ...options });
  const flush = () => new Promise<void>((r) => setTimeout(r, 0));
  /** Lets batches arrive, then "renders" a frame (which acks), then lets real time pass. */
  async function frame(ms = FRAME_MS) {
    await flush();
    for (const cb of frames.splice(0)) cb();
    time.advance(ms);
    await flush();
  }
  /** The events the page holds, in order. */
  const trace = () => {
    const { run } = store.getState();
    return run.trace.slice(0, run.length);
  };
  return { store, sent, batches, frame, frames, time, trace, actions: store.getState().actions };
}
