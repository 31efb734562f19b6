/**
 * For tests: a Find an attack store whose search workers are the real search host on this thread.
 */
import { connectAttackInProcess } from '../worker/attackTransport';
import { createAttackStore, type AttackStore } from './attackStore';
import { steppingClock } from './sweepTestkit';

export function inProcessAttacks({ workers = 2 }: { workers?: number } = {}): AttackStore {
  return createAttackStore({ connect: connectAttackInProcess({ clock: steppingClock() }), workers, clock: steppingClock() });
}
