import type { NodeId, OutgoingMessage } from '../types';
import { Hearing } from './hearing';
import type { AdversaryContext, AdversaryFactory } from './types';
import { toEveryone } from './wire';

/**
 * As a new primary, builds its NEW-VIEW from fabricated or stale material: V with VIEW-CHANGEs it rewrote, V from an
 * earlier view change, V one short of a quorum, O that does not follow from V — and, in turn with these, a valid NEW-VIEW
 * whose V reveals the least it can (the protocol's forgeries, from its replica's genuine NEW-VIEW and what it has
 * heard, signed only by itself). Each recipient, each time it is sent or repeated, gets the next in turn, so different
 * backups hear different NEW-VIEWs. The rest it says honestly; its replica installs its own genuine decision.
 */
export const forgeNewView: AdversaryFactory = () => {
  const hearing = new Hearing();
  let round = 0;

  function forged(ctx: AdversaryContext, msg: OutgoingMessage, k: number): OutgoingMessage {
    const lies = ctx.protocol.viewChange;
    return lies && ctx.protocol.roleOf(msg.type) === 'new-view' ? lies.forgeNewView(msg, round + k, hearing.all(), ctx) : msg;
  }

  return {
    heard: (ctx, msg) => hearing.add(ctx, msg),
    multicast(ctx, msg) {
      if (ctx.protocol.roleOf(msg.type) !== 'new-view') return toEveryone(ctx, msg);
      let k = 0;
      for (let to = 0; to < ctx.n; to++) if (to !== ctx.id) ctx.transmit(to, forged(ctx, msg, k++));
      round++;
      return msg;
    },
    send(ctx, to: NodeId, msg) {
      ctx.transmit(to, forged(ctx, msg, 0));
      if (ctx.protocol.roleOf(msg.type) === 'new-view') round++;
    },
  };
};
