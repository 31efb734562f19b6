import type { OutgoingMessage } from '../types';
import type { AdversaryContext, AdversaryFactory } from './types';
import { toEveryone, withForgedDigest } from './wire';

/** What the liar says in a vote that does not commit, or null to say nothing. */
export type VoteLie = (ctx: AdversaryContext, msg: OutgoingMessage) => OutgoingMessage | null;

/**
 * The seed's coin flips: silent half the time, otherwise the true or a fake digest. `lieOnHeads` says which face of
 * the second coin means the fake: the two protocols drew it with opposite faces before their lies moved here, and
 * recorded runs must replay identically.
 */
export function coinFlipVote(lieOnHeads: boolean): VoteLie {
  return (ctx, msg) => {
    if (ctx.rng.chance(0.5)) return null;
    return ctx.rng.chance(0.5) === lieOnHeads ? withForgedDigest(msg, ctx.id) : msg;
  };
}

/**
 * The seed article's liar: as proposer it gives every other replica a different digest; it never sends the vote that
 * commits; its other votes are `vote`'s (by default the seed's coin flips). The rest it says honestly.
 */
export function seedLiar(vote: VoteLie = coinFlipVote(true)): AdversaryFactory {
  return () => ({
    multicast(ctx, msg) {
      const role = ctx.protocol.roleOf(msg.type);
      if (role === 'proposal') {
        for (let to = 0; to < ctx.n; to++) if (to !== ctx.id) ctx.transmit(to, withForgedDigest(msg, to));
        return msg;
      }
      if (role !== 'vote') return toEveryone(ctx, msg);
      if (msg.type === ctx.protocol.finalVote) return msg;
      const said = vote(ctx, msg);
      if (said) toEveryone(ctx, said);
      return msg;
    },
    send: (ctx, to, msg) => ctx.transmit(to, msg),
  });
}

export const seed: AdversaryFactory = /* @__PURE__ */ seedLiar();
