import { forgedDigest } from '../messages';
import type { ClientRequest, Message, NodeId, OutgoingMessage } from '../types';
import type { AdversaryContext, AdversaryFactory } from './types';
import { keepRecent, toEveryone } from './wire';

/** How many requests, splits and early replies one equivocator remembers (the oldest are forgotten first). */
const MEMORY = 64;

/** The other version of one (view, seq) it proposed: what every second backup was told instead of `truth`. */
interface Split {
  truth: string;
  other: ClientRequest | null;
}

/** Every second recipient, in id order (the 2nd, 4th, …), is told the other version. */
function perRecipient(ctx: AdversaryContext, say: (lie: boolean, to: NodeId) => OutgoingMessage): void {
  let k = 0;
  for (let to = 0; to < ctx.n; to++) if (to !== ctx.id) ctx.transmit(to, say(k++ % 2 === 1, to));
}

/**
 * Tells different replicas different things, each a thing it can sign (it cannot forge the client's signature, so every
 * request it proposes is genuine):
 * - as primary, for one (view, seq) every second backup gets another genuine request it has seen — or, when it knows
 *   no other, the null request (honest backups refuse a null request outside a new view: to them that is silence) —
 *   and its own votes for that slot follow what each backup was told;
 * - its other votes name the true digest to every second replica and another genuine request's to the rest (a digest
 *   no request has, when it knows no other);
 * - to the client it reports the one wrong result the liars agreed on (the cabal's): at once, when it first hears of a
 *   request, and again when its replica executes it — so f equivocators make f matching wrong replies.
 * As the lie was before, a new primary's decision is forged so that it does not follow from its proofs, and a repeated
 * new-view decision goes out as said.
 */
export const equivocate: AdversaryFactory = () => {
  /** Genuine requests it has seen, oldest first. */
  const known = new Map<string, ClientRequest>();
  const splits = new Map<string, Split>();
  const repliedEarly = new Map<string, true>();

  function learn(ctx: AdversaryContext, request: unknown): void {
    if (!ctx.genuine(request)) return;
    known.delete(request.digest);
    keepRecent(known, request.digest, request, MEMORY);
  }

  /** The newest request it knows other than `digest`, or null. */
  function another(digest: string): ClientRequest | null {
    let found: ClientRequest | null = null;
    for (const r of known.values()) if (r.digest !== digest) found = r;
    return found;
  }

  function otherProposal(ctx: AdversaryContext, msg: OutgoingMessage, other: ClientRequest | null): OutgoingMessage {
    if (other) return { ...msg, digest: other.digest, request: other };
    return { ...msg, digest: ctx.protocol.nullDigest ?? forgedDigest(msg.digest, ctx.id), request: undefined };
  }

  function replyEarly(ctx: AdversaryContext, msg: Message): void {
    const request = msg.request;
    if (!ctx.genuine(request) || ctx.protocol.roleOf('REPLY') !== 'reply' || repliedEarly.has(request.digest)) return;
    keepRecent(repliedEarly, request.digest, true, MEMORY);
    ctx.transmit(request.client, {
      type: 'REPLY',
      view: msg.view,
      seq: 0,
      digest: request.digest,
      timestamp: request.timestamp,
      result: ctx.cabal.wrongResult(request.digest),
    });
  }

  return {
    proposals(ctx, pending) {
      for (const r of pending) learn(ctx, r);
      return pending;
    },

    heard(ctx, msg: Message, _from: NodeId) {
      const role = ctx.protocol.roleOf(msg.type);
      if ((role !== 'request' && role !== 'proposal') || !msg.request) return;
      learn(ctx, msg.request);
      replyEarly(ctx, msg);
    },

    multicast(ctx, msg, repeat) {
      const role = ctx.protocol.roleOf(msg.type);
      const key = `${msg.view}|${msg.seq}`;
      if (role === 'proposal' && msg.request) {
        let split = splits.get(key);
        if (!split || split.truth !== msg.digest) {
          split = { truth: msg.digest, other: another(msg.digest) };
          keepRecent(splits, key, split, MEMORY);
        }
        const other = split.other;
        perRecipient(ctx, (lie) => (lie ? otherProposal(ctx, msg, other) : msg));
        return msg;
      }
      if (role === 'vote') {
        const split = splits.get(key);
        const other = split && split.truth === msg.digest ? split.other : another(msg.digest);
        const lie = otherProposal(ctx, msg, other);
        perRecipient(ctx, (lying) => (lying ? { ...msg, digest: lie.digest } : msg));
        return msg;
      }
      const forgeDecision = role === 'new-view' && !repeat ? ctx.protocol.forgeDecision : undefined;
      if (!forgeDecision) return toEveryone(ctx, msg);
      perRecipient(ctx, (lie, to) => (lie ? forgeDecision(msg, to) : msg));
      return msg;
    },

    send(ctx, to, msg) {
      const lie = ctx.protocol.roleOf(msg.type) === 'reply' && msg.result !== undefined;
      ctx.transmit(to, lie ? { ...msg, result: ctx.cabal.wrongResult(msg.digest) } : msg);
    },
  };
};
