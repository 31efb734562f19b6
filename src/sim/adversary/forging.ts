import type { MessageRole, NodeId, OutgoingMessage } from '../types';
import { Hearing } from './hearing';
import type { AdversaryContext, AdversaryFactory, ViewChangeLies } from './types';
import { toEveryone } from './wire';

/**
 * A liar that says its messages of one role (its VIEW-CHANGEs, or as a new primary its NEW-VIEWs) as the protocol's
 * forgeries — built from its replica's genuine message and what it has heard, signed only by itself — and the rest
 * honestly. Each recipient, each time the message is sent or repeated, gets the next forgery in turn, so different
 * replicas hear different lies; its own replica keeps its own genuine words.
 */
function forging(role: MessageRole, lie: 'forgeViewChange' | 'forgeNewView'): AdversaryFactory {
  return () => {
    const hearing = new Hearing();
    let round = 0;

    function forged(ctx: AdversaryContext, msg: OutgoingMessage, k: number): OutgoingMessage {
      const lies: ViewChangeLies | undefined = ctx.protocol.viewChange;
      return lies && ctx.protocol.roleOf(msg.type) === role ? lies[lie](msg, round + k, hearing.all(), ctx) : msg;
    }

    return {
      heard: (ctx, msg) => hearing.add(ctx, msg),
      multicast(ctx, msg) {
        if (ctx.protocol.roleOf(msg.type) !== role) return toEveryone(ctx, msg);
        let k = 0;
        for (let to = 0; to < ctx.n; to++) if (to !== ctx.id) ctx.transmit(to, forged(ctx, msg, k++));
        round++;
        return msg;
      },
      send(ctx, to: NodeId, msg) {
        ctx.transmit(to, forged(ctx, msg, 0));
        if (ctx.protocol.roleOf(msg.type) === role) round++;
      },
    };
  };
}

/**
 * Claims in its VIEW-CHANGEs what it cannot prove: a prepared certificate in other replicas' names, a stable checkpoint
 * a quorum never signed, a certificate with too few PREPAREs, a genuine certificate relabelled to another request.
 */
export const forgeViewChange = forging('view-change', 'forgeViewChange');

/**
 * As a new primary, builds its NEW-VIEW from fabricated or stale material: V with VIEW-CHANGEs it rewrote, V from an
 * earlier view change, V one short of a quorum, O that does not follow from V — and, in turn with these, a valid
 * NEW-VIEW whose V reveals the least it can.
 */
export const forgeNewView = forging('new-view', 'forgeNewView');
