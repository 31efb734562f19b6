/// <reference lib="webworker" />
/**
 * Thin wiring only: every decision lives in simHost.ts so it can be tested without a Worker.
 */
import { Session } from '../sim/session';
import type { SimCommand, SimEvent } from './protocol';
import { createSimHost, WORKER_SESSION_OPTIONS } from './simHost';

const scope = self as unknown as DedicatedWorkerGlobalScope;

const host = createSimHost((event: SimEvent) => scope.postMessage(event), {
  createSession: (scenario, interventions) => new Session(scenario, interventions, WORKER_SESSION_OPTIONS),
  clock: () => performance.now(),
  setTimer: (cb, ms) => {
    const handle = setTimeout(cb, ms);
    return () => clearTimeout(handle);
  },
});

scope.onmessage = (e: MessageEvent<SimCommand>) => host.handle(e.data);
