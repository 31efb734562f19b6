import { linkInProcess, linkWorker, type WorkerLink } from './bridge';
import type { SimCommand, SimEvent } from './protocol';
import { createSimHost, type SimHostDeps } from './simHost';

/** How the store reaches a simulation: a real Worker in the app, the same host in-process in tests. */
export type SimTransport = WorkerLink<SimCommand>;

export type ConnectSim = (onEvent: (event: SimEvent) => void) => SimTransport;

const failures = {
  asError: (message: string): SimEvent => ({ type: 'error', message }),
  crashed: 'The simulation worker stopped unexpectedly.',
  unreadable: 'A message from the simulation could not be read.',
};

export const connectWorker: ConnectSim = (onEvent) =>
  linkWorker(new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module' }), onEvent, failures);

/** The simulation host on this thread (tests): see linkInProcess. */
export function connectInProcess(deps: SimHostDeps): ConnectSim {
  return (onEvent) => linkInProcess<SimCommand, SimEvent>((post) => createSimHost(post, deps), onEvent);
}
