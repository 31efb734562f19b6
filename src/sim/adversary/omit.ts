import type { MessageRole, OutgoingMessage } from '../types';
import type { AdversaryContext, AdversaryFactory } from './types';
import { toEveryone } from './wire';

/** What an omitting replica may withhold: everything it says of its own but a relayed request. */
const WITHHELD: ReadonlySet<MessageRole> = new Set(['proposal', 'vote', 'checkpoint', 'view-change', 'new-view', 'reply']);

/** One draw per multicast (or per reply): a withheld message reaches nobody. */
export function omitted(ctx: AdversaryContext, msg: OutgoingMessage): boolean {
  return WITHHELD.has(ctx.protocol.roleOf(msg.type)) && ctx.rng.chance(ctx.behaviour.omitProbability ?? 0.5);
}

/**
 * Randomly withholds what it says (each with probability `omitProbability`): its proposals and votes, its checkpoints,
 * its view-change messages and new-view decisions, and its replies to the client. Requests it relays go out as said.
 */
export const omit: AdversaryFactory = () => ({
  multicast: (ctx, msg) => (omitted(ctx, msg) ? msg : toEveryone(ctx, msg)),
  send: (ctx, to, msg) => {
    if (!omitted(ctx, msg)) ctx.transmit(to, msg);
  },
});
