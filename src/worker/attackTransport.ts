import { linkInProcess, linkWorker, type WorkerLink } from './bridge';
import type { AttackCommand, AttackEvent } from './attackProtocol';
import { createAttackHost, type AttackHostDeps } from './attackHost';

/** One search worker as the pool sees it: a real Worker in the app, the same host in-process in tests. Dispose is how Cancel is immediate. */
export type AttackWorker = WorkerLink<AttackCommand>;

export type ConnectAttackWorker = (onEvent: (event: AttackEvent) => void) => AttackWorker;

const failures = {
  asError: (message: string): AttackEvent => ({ type: 'error', block: -1, message }),
  crashed: 'A search worker stopped unexpectedly.',
  unreadable: 'A message from a search worker could not be read.',
};

export const connectAttackWorker: ConnectAttackWorker = (onEvent) =>
  linkWorker(new Worker(new URL('./attack.worker.ts', import.meta.url), { type: 'module' }), onEvent, failures);

/** The search host on this thread (tests): commands run on a later macrotask, as a busy worker would take them. */
export function connectAttackInProcess(deps: AttackHostDeps): ConnectAttackWorker {
  return (onEvent) => linkInProcess<AttackCommand, AttackEvent>((post) => createAttackHost(post, deps), onEvent, true);
}
