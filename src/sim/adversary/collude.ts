import type { ClientRequest, MessageType, NodeId, OutgoingMessage } from '../types';
import { CollusionPlan } from './cabal';
import type { AdversaryContext, AdversaryFactory } from './types';
import { toEveryone } from './wire';

/**
 * Colluders beyond the bound split the honest replicas in two and tell each half a different order for two genuine
 * requests (signatures stop them from inventing one), then vote for both versions at once, certificate or not.
 *
 * As primary it proposes two waiting requests (or none), a at s1 and b at s2: the first half of the honest replicas is
 * told exactly that, the second half b at s1 and a at s2, and its COMMIT to each follows at once. Every colluder votes,
 * to each honest replica, for what that replica was told; a backup sends its COMMIT along with each PREPARE, keeps no
 * copy of it, and withholds the COMMIT its replica makes later. (As the lie was before it moved here: a repeated
 * proposal goes out as its replica says it, and the primary's own later COMMIT goes out again.)
 */
export const collude: AdversaryFactory = () => {
  /** Requests proposed as a pair, each with its partner: what the second half hears instead. */
  const partners = new Map<string, ClientRequest>();
  /** Slots (view|seq) whose COMMIT a backup sent along with its PREPARE. */
  const committedEarly = new Set<string>();

  function honestHalves(ctx: AdversaryContext): Set<NodeId> {
    const honest: NodeId[] = [];
    for (let r = 0; r < ctx.n; r++) if (!ctx.cabal.isMember(r)) honest.push(r);
    return new Set(honest.slice(0, Math.ceil(honest.length / 2)));
  }

  /** Each other replica gets the vote `type` for the digest its half was told. */
  function votePerPlan(ctx: AdversaryContext, type: MessageType, view: number, seq: number, plan: CollusionPlan): void {
    for (let to = 0; to < ctx.n; to++) if (to !== ctx.id) ctx.transmit(to, { type, view, seq, digest: plan.digestFor(to) });
  }

  function split(ctx: AdversaryContext, msg: OutgoingMessage, plan: CollusionPlan): void {
    for (let to = 0; to < ctx.n; to++) {
      if (to === ctx.id) continue;
      const request = plan.requestFor(to);
      ctx.transmit(to, { type: msg.type, view: msg.view, seq: msg.seq, digest: request.digest, request });
    }
  }

  return {
    proposals(_ctx, pending, room) {
      if (pending.length < 2 || room < 2) return [];
      const [a, b] = pending;
      partners.set(a.digest, b);
      partners.set(b.digest, a);
      return [a, b];
    },

    multicast(ctx, msg, repeat) {
      const role = ctx.protocol.roleOf(msg.type);
      const finalVote = ctx.protocol.finalVote;
      if (role === 'proposal') {
        const partner = msg.request ? partners.get(msg.request.digest) : undefined;
        if (repeat || !partner || !msg.request) return toEveryone(ctx, msg);
        partners.delete(msg.request.digest);
        const plan = new CollusionPlan(honestHalves(ctx), msg.request, partner);
        ctx.cabal.agree(msg.view, msg.seq, plan);
        split(ctx, msg, plan);
        if (finalVote) votePerPlan(ctx, finalVote, msg.view, msg.seq, plan);
        return msg;
      }
      const plan = role === 'vote' ? ctx.cabal.plan(msg.view, msg.seq) : undefined;
      if (!plan) return toEveryone(ctx, msg);
      const key = `${msg.view}|${msg.seq}`;
      if (msg.type === finalVote) {
        if (committedEarly.has(key)) return null;
        votePerPlan(ctx, msg.type, msg.view, msg.seq, plan);
        return msg;
      }
      votePerPlan(ctx, msg.type, msg.view, msg.seq, plan);
      if (finalVote) {
        committedEarly.add(key);
        votePerPlan(ctx, finalVote, msg.view, msg.seq, plan);
      }
      return msg;
    },

    send: (ctx, to, msg) => ctx.transmit(to, msg),
  };
};
