/**
 * The simulation worker's life, and where each thing it says goes. Only this slice holds the transport; the others
 * send through `lab.send`. An error from the worker stops it (nothing moves under the message) and keeps the
 * scenario, so Restart starts a fresh worker on the same one.
 */
import type { SimCommand, SimEvent } from '../worker/protocol';
import type { SimTransport } from '../worker/transport';
import type { Lab, LabStoreOptions, Slice } from './labStore';
import { noRun } from './playbackSlice';

export interface WorkerState {
  /** Set when the simulation threw; the UI offers to restart from `scenario`. */
  error: string | null;
}

export interface WorkerActions {
  /** After an error: a fresh worker, the same scenario. */
  restart(): void;
  dispose(): void;
}

export interface WorkerHooks {
  send(cmd: SimCommand): void;
  /** Whether a worker is there to answer (not after an error or dispose). */
  running(): boolean;
  /** Starts a worker and configures it with the store's speed and scenario. */
  connect(): void;
}

export function workerSlice(lab: Lab, options: Pick<LabStoreOptions, 'connect' | 'interventions'>): Slice<WorkerState, WorkerActions, WorkerHooks> {
  const { set, get } = lab;
  let transport: SimTransport | null = null;
  /** A shared link's schedule replays on the first run only; a restart starts the scenario afresh. */
  let firstInterventions = options.interventions;

  const stop = () => {
    transport?.dispose();
    transport = null;
  };

  const onEvent = (event: SimEvent) => {
    switch (event.type) {
      case 'error':
        // A worker that threw outside its guard may still be running: stop it, so nothing moves under the message.
        stop();
        lab.failPending(event.message);
        set((s) => ({ error: event.message, playback: { ...s.playback, playing: false } }));
        return;
      case 'trace':
        return lab.traced(event);
      case 'importFailed':
        return lab.importFailed(event);
      case 'inspection':
        return lab.inspected(event);
      case 'batch': {
        lab.receive(event);
        lab.predictBatch(event);
        lab.handBatch(event);
        // Back-pressure: the worker posts its next batch only after this frame has been drawn.
        const sentTo = transport;
        lab.requestFrame(() => sentTo?.send({ type: 'ack' }));
      }
    }
  };

  const connect = () => {
    let current: SimTransport;
    try {
      current = options.connect((event) => {
        if (transport === current) onEvent(event);
      });
    } catch (err) {
      // E.g. a browser that cannot start module workers: say so on the page rather than leave it blank.
      transport = null;
      set({ error: `The simulation could not start: ${err instanceof Error ? err.message : String(err)}` });
      return;
    }
    transport = current;
    const { scenario, playback } = get();
    current.send({ type: 'setSpeed', virtualMsPerSecond: playback.speed });
    const interventions = firstInterventions;
    firstInterventions = undefined;
    current.send({ type: 'configure', scenario, ...(interventions && interventions.length > 0 ? { interventions } : {}) });
  };

  return {
    state: { error: null },
    actions: {
      restart() {
        transport?.dispose();
        set((s) => ({ ...noRun(lab.history), error: null, inspection: null, playback: { ...s.playback, playing: false } }));
        connect();
      },
      dispose() {
        stop();
        lab.failPending('The lab was closed.');
      },
    },
    hooks: {
      send: (cmd) => transport?.send(cmd),
      running: () => transport !== null,
      connect,
    },
  };
}
