import { ADVERSARIES, type AdversaryTable } from '../../adversary';
import { CollusionPlan } from '../../adversary/cabal';
import type { AdversaryContext, AdversaryFactory } from '../../adversary/types';
import { keepRecent } from '../../adversary/wire';
import type { ClientRequest, NodeId, OutgoingMessage } from '../../types';

const MEMORY = 64;

/**
 * Colluders beyond the bound in Tendermint: the colluding proposer of (h, r) shows one half of the honest replicas a
 * waiting request and the other half another (both genuine: it cannot forge the client's signature; it waits until it
 * knows two); every colluder
 * then PREVOTEs and PRECOMMITs, to each honest replica, the value that replica was shown — at once, both votes together
 * (it withholds the PRECOMMIT its replica makes later). With f+1 colluders each half sees 2f+1 PREVOTEs and then 2f+1
 * PRECOMMITs for its own value (its own votes and the colluders'), so each half decides a different value at h. With at
 * most f colluders neither half reaches 2f+1: locks and quorums hold.
 */
export const tendermintCollude: AdversaryFactory = () => {
  const known = new Map<string, ClientRequest>();
  const votedEarly = new Set<string>();

  function learn(r: ClientRequest | undefined): void {
    if (r && typeof r.digest === 'string') keepRecent(known, r.digest, r, MEMORY);
  }

  /** The honest replicas split in two, by id: the first half hears the proposal as made, the second another value. */
  function firstHalf(ctx: AdversaryContext): Set<NodeId> {
    const honest = Array.from({ length: ctx.n }, (_, id) => id).filter((id) => !ctx.cabal.isMember(id));
    return new Set(honest.slice(0, Math.ceil(honest.length / 2)));
  }

  function perRecipient(ctx: AdversaryContext, say: (to: NodeId) => OutgoingMessage): void {
    for (let to = 0; to < ctx.n; to++) if (to !== ctx.id) ctx.transmit(to, say(to));
  }

  return {
    proposals(_ctx, pending) {
      for (const r of pending) learn(r);
      // It waits for a second request to split the replicas with (the honest ones' propose timeout is long enough).
      return known.size >= 2 ? pending : [];
    },
    heard(_ctx, msg) {
      learn(msg.request);
    },
    multicast(ctx, msg) {
      const key = `${msg.view}|${msg.seq}`;
      if (msg.type === 'PROPOSAL' && msg.request) {
        const other = [...known.values()].reverse().find((r) => r.digest !== msg.digest);
        if (!other) return toAll(ctx, msg);
        const plan = new CollusionPlan(firstHalf(ctx), msg.request, other);
        ctx.cabal.agree(msg.view, msg.seq, plan);
        perRecipient(ctx, (to) => (ctx.cabal.isMember(to) || plan.digestFor(to) === msg.digest ? msg : { ...msg, digest: other.digest, request: other }));
        return msg;
      }
      const plan = ctx.cabal.plan(msg.view, msg.seq);
      if (!plan || (msg.type !== 'PREVOTE' && msg.type !== 'PRECOMMIT')) return toAll(ctx, msg);
      if (msg.type === 'PRECOMMIT' && votedEarly.has(key)) return msg;
      const say = (type: 'PREVOTE' | 'PRECOMMIT') => perRecipient(ctx, (to) => (ctx.cabal.isMember(to) ? { ...msg, type } : { ...msg, type, digest: plan.digestFor(to) }));
      say(msg.type);
      if (msg.type === 'PREVOTE') {
        votedEarly.add(key);
        say('PRECOMMIT');
      }
      return msg;
    },
    send: (ctx, to, msg) => ctx.transmit(to, msg),
  };
};

function toAll(ctx: AdversaryContext, msg: OutgoingMessage): OutgoingMessage {
  for (let to = 0; to < ctx.n; to++) if (to !== ctx.id) ctx.transmit(to, msg);
  return msg;
}

/**
 * Which adversary acts for each behaviour in Tendermint. The protocol-neutral ones act on roles: an equivocating
 * proposer shows half the replicas another genuine request, an equivocating voter names one value to some and another to
 * the rest. Colluders split the honest replicas as above. Behaviours about PBFT's view change and the seed's liar do not
 * apply (the descriptor's `behaviours` and the parameter rules refuse them), so their rows are never used.
 */
export const TENDERMINT_ADVERSARIES: AdversaryTable = { ...ADVERSARIES, collude: tendermintCollude };
