import type { OutgoingMessage } from '../types';
import type { AdversaryContext, AdversaryFactory } from './types';
import { toEveryone } from './wire';

/** One draw per multicast: a withheld proposal or vote reaches nobody. Everything else goes out as said. */
export function omitted(ctx: AdversaryContext, msg: OutgoingMessage): boolean {
  const role = ctx.protocol.roleOf(msg.type);
  return (role === 'proposal' || role === 'vote') && ctx.rng.chance(ctx.behaviour.omitProbability ?? 0.5);
}

/** Randomly withholds its proposals and votes (each with probability `omitProbability`). */
export const omit: AdversaryFactory = () => ({
  multicast: (ctx, msg) => (omitted(ctx, msg) ? msg : toEveryone(ctx, msg)),
  send: (ctx, to, msg) => ctx.transmit(to, msg),
});
