import type { NodeId, OutgoingMessage } from '../types';
import { Hearing } from './hearing';
import type { AdversaryContext, AdversaryFactory } from './types';
import { toEveryone } from './wire';

/**
 * Claims in its VIEW-CHANGEs what it cannot prove: a prepared certificate in other replicas' names, a stable checkpoint
 * a quorum never signed, a certificate with too few PREPAREs, a genuine certificate relabelled to another request (the
 * protocol's forgeries, built from what it has heard and signed only by itself). Each recipient, each time, gets the next
 * forgery in turn, so the replicas hear different lies. The rest it says honestly, and its replica keeps its own words.
 */
export const forgeViewChange: AdversaryFactory = () => {
  const hearing = new Hearing();
  let round = 0;

  function forged(ctx: AdversaryContext, msg: OutgoingMessage, k: number): OutgoingMessage {
    const lies = ctx.protocol.viewChange;
    return lies && ctx.protocol.roleOf(msg.type) === 'view-change' ? lies.forgeViewChange(msg, round + k, hearing.all(), ctx) : msg;
  }

  return {
    heard: (ctx, msg) => hearing.add(ctx, msg),
    multicast(ctx, msg) {
      if (ctx.protocol.roleOf(msg.type) !== 'view-change') return toEveryone(ctx, msg);
      let k = 0;
      for (let to = 0; to < ctx.n; to++) if (to !== ctx.id) ctx.transmit(to, forged(ctx, msg, k++));
      round++;
      return msg;
    },
    send(ctx, to: NodeId, msg) {
      ctx.transmit(to, forged(ctx, msg, 0));
      if (ctx.protocol.roleOf(msg.type) === 'view-change') round++;
    },
  };
};
