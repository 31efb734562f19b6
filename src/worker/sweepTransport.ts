import { linkInProcess, linkWorker, type WorkerLink } from './bridge';
import type { SweepCommand, SweepEvent } from './sweepProtocol';
import { createSweepHost, type SweepHostDeps } from './sweepHost';

/** One sweep worker as the pool sees it: a real Worker in the app, the same host in-process in tests. Dispose is how Cancel is immediate. */
export type SweepWorker = WorkerLink<SweepCommand>;

export type ConnectSweepWorker = (onEvent: (event: SweepEvent) => void) => SweepWorker;

const failures = {
  asError: (message: string): SweepEvent => ({ type: 'error', chunk: -1, message }),
  crashed: 'A sweep worker stopped unexpectedly.',
  unreadable: 'A message from a sweep worker could not be read.',
};

export const connectSweepWorker: ConnectSweepWorker = (onEvent) =>
  linkWorker(new Worker(new URL('./sweep.worker.ts', import.meta.url), { type: 'module' }), onEvent, failures);

/** The sweep host on this thread (tests): commands run on a later macrotask, as a busy worker would take them. */
export function connectSweepInProcess(deps: SweepHostDeps): ConnectSweepWorker {
  return (onEvent) => linkInProcess<SweepCommand, SweepEvent>((post) => createSweepHost(post, deps), onEvent, true);
}
