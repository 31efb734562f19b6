import { forgedDigest } from '../messages';
import type { AdversaryFactory } from './types';
import { toEveryone, withForgedDigest } from './wire';

/**
 * Tells different replicas different things: as proposer, every other recipient gets a digest that matches no signed
 * request (and, as a new primary, a decision that does not follow from its proofs); its votes name a digest it never
 * received; its replies report a wrong result. (As the lie was before it moved here, a repeated new-view decision goes
 * out as said.)
 */
export const equivocate: AdversaryFactory = () => ({
  multicast(ctx, msg, repeat) {
    const role = ctx.protocol.roleOf(msg.type);
    if (role === 'vote') {
      toEveryone(ctx, withForgedDigest(msg, ctx.id));
      return msg;
    }
    const forgeDecision = role === 'new-view' && !repeat ? ctx.protocol.forgeDecision : undefined;
    if (role !== 'proposal' && !forgeDecision) return toEveryone(ctx, msg);
    let k = 0;
    for (let to = 0; to < ctx.n; to++) {
      if (to === ctx.id) continue;
      const lie = k++ % 2 === 1;
      if (!lie) ctx.transmit(to, msg);
      else ctx.transmit(to, forgeDecision ? forgeDecision(msg, to) : withForgedDigest(msg, to));
    }
    return msg;
  },
  send(ctx, to, msg) {
    const lie = ctx.protocol.roleOf(msg.type) === 'reply' && msg.result !== undefined;
    ctx.transmit(to, lie ? { ...msg, result: forgedDigest(msg.result!, ctx.id) } : msg);
  },
});
