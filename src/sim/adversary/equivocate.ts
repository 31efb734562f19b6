import { forgedDigest } from '../messages';
import type { AdversaryFactory } from './types';
import { toEveryone, withForgedDigest } from './wire';

/**
 * Tells different replicas different things: as proposer, every other recipient gets a digest that matches no signed
 * request (and, as a new primary, a decision that does not follow from its proofs); its votes name a digest it never
 * received; its replies report a wrong result.
 */
export const equivocate: AdversaryFactory = () => ({
  multicast(ctx, msg) {
    const role = ctx.protocol.roleOf(msg.type);
    if (role === 'vote') {
      toEveryone(ctx, withForgedDigest(msg, ctx.id));
      return msg;
    }
    if (role !== 'proposal' && !(role === 'new-view' && ctx.protocol.forgeDecision)) return toEveryone(ctx, msg);
    let k = 0;
    for (let to = 0; to < ctx.n; to++) {
      if (to === ctx.id) continue;
      const lie = k++ % 2 === 1;
      if (!lie) ctx.transmit(to, msg);
      else ctx.transmit(to, role === 'proposal' ? withForgedDigest(msg, to) : ctx.protocol.forgeDecision!(msg, to));
    }
    return msg;
  },
  send(ctx, to, msg) {
    const lie = ctx.protocol.roleOf(msg.type) === 'reply' && msg.result !== undefined;
    ctx.transmit(to, lie ? { ...msg, result: forgedDigest(msg.result!, ctx.id) } : msg);
  },
});
