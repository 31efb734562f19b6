import type { SweepCommand, SweepEvent } from './sweepProtocol';
import { createSweepHost, type SweepHostDeps } from './sweepHost';

/** One sweep worker as the pool sees it: a real Worker in the app, the same host in-process in tests. */
export interface SweepWorker {
  send(cmd: SweepCommand): void;
  /** Stops it at once, even mid-trial (this is how Cancel is immediate). */
  dispose(): void;
}

export type ConnectSweepWorker = (onEvent: (event: SweepEvent) => void) => SweepWorker;

export const connectSweepWorker: ConnectSweepWorker = (onEvent) => {
  const worker = new Worker(new URL('./sweep.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<SweepEvent>) => onEvent(e.data);
  worker.onerror = (e: ErrorEvent) => {
    // E.g. the module failed to load: the panel shows it; the console need not.
    e.preventDefault();
    onEvent({ type: 'error', chunk: -1, message: e.message || 'A sweep worker stopped unexpectedly.' });
  };
  worker.onmessageerror = () => onEvent({ type: 'error', chunk: -1, message: 'A message from a sweep worker could not be read.' });
  return {
    send: (cmd) => worker.postMessage(cmd),
    dispose: () => worker.terminate(),
  };
};

/**
 * The worker's host on this thread. Commands run on a later macrotask and events arrive cloned on later
 * microtasks, as with a real Worker, so the pool never relies on a synchronous answer.
 */
export function connectSweepInProcess(deps: SweepHostDeps): ConnectSweepWorker {
  return (onEvent) => {
    let open = true;
    const host = createSweepHost((event) => {
      const copy = structuredClone(event);
      queueMicrotask(() => {
        if (open) onEvent(copy);
      });
    }, deps);
    return {
      send: (cmd) => {
        const copy = structuredClone(cmd);
        setTimeout(() => {
          if (open) host.handle(copy);
        }, 0);
      },
      dispose: () => {
        open = false;
      },
    };
  };
}
