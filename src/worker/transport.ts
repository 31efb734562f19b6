import type { SimCommand, SimEvent } from './protocol';
import { createSimHost, type SimHostDeps } from './simHost';

/** How the store reaches a simulation: a real Worker in the app, the same host in-process in tests. */
export interface SimTransport {
  send(cmd: SimCommand): void;
  dispose(): void;
}

export type ConnectSim = (onEvent: (event: SimEvent) => void) => SimTransport;

export const connectWorker: ConnectSim = (onEvent) => {
  const worker = new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<SimEvent>) => onEvent(e.data);
  worker.onerror = (e: ErrorEvent) => {
    // Uncaught errors outside the host's guard (e.g. the module failed to load): show them, don't log them.
    e.preventDefault();
    onEvent({ type: 'error', message: e.message || 'The simulation worker stopped unexpectedly.' });
  };
  worker.onmessageerror = () => onEvent({ type: 'error', message: 'A message from the simulation could not be read.' });
  return {
    send: (cmd) => worker.postMessage(cmd),
    dispose: () => worker.terminate(),
  };
};

/**
 * The worker's host on this thread. Events are delivered on a later microtask, as postMessage would deliver
 * them, so code that works here does not rely on synchronous replies that a real Worker never gives.
 */
export function connectInProcess(deps: SimHostDeps): ConnectSim {
  return (onEvent) => {
    let open = true;
    const host = createSimHost((event) => {
      const copy = structuredClone(event);
      queueMicrotask(() => {
        if (open) onEvent(copy);
      });
    }, deps);
    return {
      send: (cmd) => {
        if (open) host.handle(structuredClone(cmd));
      },
      dispose: () => {
        open = false;
        host.dispose();
      },
    };
  };
}
