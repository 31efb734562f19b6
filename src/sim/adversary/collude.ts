import type { ClientRequest, Message, MessageType, NodeId, OutgoingMessage } from '../types';
import { AcrossViewPlan, CollusionPlan } from './cabal';
import type { AdversaryContext, AdversaryFactory } from './types';
import { primaryOf, quorumSize, toleratedFaults } from '../scenario';
import { Hearing } from './hearing';
import { keepRecent, toEveryone } from './wire';

/** How many requests offered alone a colluding primary remembers. */
const MEMORY = 64;

/**
 * Colluders beyond the bound split the honest replicas in two and tell each half a different order for two genuine
 * requests (signatures stop them from inventing one), then vote for both versions at once, certificate or not.
 *
 * As primary it proposes two waiting requests (or none), a at s1 and b at s2: the first half of the honest replicas is
 * told exactly that, the second half b at s1 and a at s2, and its COMMIT to each follows at once. Every colluder votes,
 * to each honest replica, for what that replica was told; a backup sends its COMMIT along with each PREPARE, keeps no
 * copy of it, and withholds the COMMIT its replica makes later. (As the lie was before it moved here: a repeated
 * proposal goes out as its replica says it, and the primary's own later COMMIT goes out again.)
 *
 * With a single request and no partner for it — offered alone a second time, once the client has retransmitted it —
 * a colluding primary whose successor is a colluder splits the honest replicas with that one request across a view
 * change (AcrossViewPlan): it proposes the request at two numbers, the first (hidden) to the colluders and one half of
 * the honest replicas, who commit it there, the second (shown) to the colluders and the other half, who become prepared
 * there and never commit; everything said about the two numbers reaches only those it was meant for. When that half
 * asks for the next view, every colluder asks too, claiming nothing prepared (the checkpoint proof it replays from the
 * honest VIEW-CHANGE); their new primary waits for the VIEW-CHANGEs of the half that never saw the hidden number, builds
 * V of the colluders' and theirs only — a valid V that shows no certificate for it — and O, which re-proposes the null
 * request there, and COMMITs to O at once. That half executes the null request where the other executed the request.
 */
export const collude: AdversaryFactory = () => {
  /** Requests proposed as a pair, each with its partner: what the second half hears instead. */
  const partners = new Map<string, ClientRequest>();
  /** Slots (view|seq) whose COMMIT a backup sent along with its PREPARE. */
  const committedEarly = new Set<string>();
  /** Requests offered alone once: offered alone again, no partner came. */
  const offeredAlone = new Map<string, true>();
  /** Single requests proposed at two numbers, until both are known (first the hidden, then the shown). */
  const singles = new Map<string, AcrossViewPlan | null>();
  /** The view-change material it heard, its own VIEW-CHANGE for each view it asked for, and its NEW-VIEWs as built. */
  const hearing = new Hearing();
  const ownViewChanges = new Map<number, OutgoingMessage & { sender: NodeId }>();
  const newViews = new Map<number, OutgoingMessage>();

  /** The single-request plan a view change to `view` finishes: the previous view's, if the new primary is a colluder. */
  function finishing(ctx: AdversaryContext, view: number): AcrossViewPlan | undefined {
    const plan = ctx.cabal.acrossPlan(view - 1);
    return plan && ctx.cabal.isMember(primaryOf(view, ctx.n)) ? plan : undefined;
  }

  /** Asks for `view` in its own name (once), claiming nothing prepared. */
  function ask(ctx: AdversaryContext, vc: OutgoingMessage): void {
    if (ownViewChanges.has(vc.view)) return;
    const signed = { ...ctx.sign(vc), sender: ctx.id };
    ownViewChanges.set(vc.view, signed);
    toEveryone(ctx, signed);
  }

  /**
   * As the new primary of `view`: the NEW-VIEW that hides the plan's number — V of the colluders' VIEW-CHANGEs and the
   * honest ones that show no certificate for it — sent with its COMMITs to O; null while too few such VIEW-CHANGEs came.
   */
  function hidingNewView(ctx: AdversaryContext, view: number, plan: AcrossViewPlan): OutgoingMessage | null {
    const built = newViews.get(view);
    const lies = ctx.protocol.viewChange;
    if (built || !lies) return built ?? null;
    const bySender = new Map<NodeId, OutgoingMessage & { sender: NodeId }>();
    const own = ownViewChanges.get(view);
    if (own) bySender.set(ctx.id, own);
    for (const m of hearing.all()) if (m.view === view && lies.isViewChange(m) && !bySender.has(m.sender)) bySender.set(m.sender, m);
    const colluding = [...bySender.values()].filter((vc) => ctx.cabal.isMember(vc.sender));
    const blind = [...bySender.values()].filter((vc) => !ctx.cabal.isMember(vc.sender) && !lies.reveals(vc, plan.hidden));
    const quorum = quorumSize(ctx.n, toleratedFaults(ctx.n));
    const chosen = [...colluding, ...blind];
    if (chosen.length < quorum) return null;
    const { msg, decision } = lies.newViewOf(view, chosen.slice(0, quorum), ctx);
    newViews.set(view, msg);
    toEveryone(ctx, msg);
    const finalVote = ctx.protocol.finalVote;
    if (finalVote) for (const { seq, digest } of decision) toEveryone(ctx, { type: finalVote, view, seq, digest });
    return msg;
  }

  /**
   * The honest replicas, in two halves, when a single-request split can work: each half with the colluders must make a
   * quorum (⌈(n + f + 1) / 2⌉), or the half told the request could not commit it and the other could not be prepared.
   */
  function acrossHalves(ctx: AdversaryContext): [Set<NodeId>, Set<NodeId>] | null {
    const honest: NodeId[] = [];
    for (let r = 0; r < ctx.n; r++) if (!ctx.cabal.isMember(r)) honest.push(r);
    const f = toleratedFaults(ctx.n);
    const quorum = Math.ceil((ctx.n + f + 1) / 2);
    const colluders = ctx.n - honest.length;
    const told = honest.slice(0, Math.ceil(honest.length / 2));
    const left = honest.slice(told.length);
    if (left.length === 0 || colluders + left.length < quorum) return null;
    return [new Set(told), new Set(left)];
  }

  /** Whether a message about (view, seq) reaches `to`, under a single-request plan (true when there is none). */
  function hearsAcross(ctx: AdversaryContext, to: NodeId, msg: OutgoingMessage): boolean {
    const plan = ctx.cabal.acrossPlan(msg.view);
    const role = ctx.protocol.roleOf(msg.type);
    if (!plan || (role !== 'proposal' && role !== 'vote')) return true;
    return plan.hears(to, msg.seq, msg.type, ctx.protocol.finalVote, ctx.cabal.isMember);
  }

  function toThoseWhoHear(ctx: AdversaryContext, msg: OutgoingMessage): OutgoingMessage {
    for (let to = 0; to < ctx.n; to++) if (to !== ctx.id && hearsAcross(ctx, to, msg)) ctx.transmit(to, msg);
    return msg;
  }

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
    proposals(ctx, pending, room) {
      if (room < 2) return [];
      if (pending.length === 1) {
        const [r] = pending;
        if (!offeredAlone.has(r.digest)) {
          keepRecent(offeredAlone, r.digest, true, MEMORY);
          return [];
        }
        offeredAlone.delete(r.digest);
        if (!acrossHalves(ctx)) return [];
        singles.set(r.digest, null);
        return [r, r];
      }
      if (pending.length < 2) return [];
      const [a, b] = pending;
      partners.set(a.digest, b);
      partners.set(b.digest, a);
      return [a, b];
    },

    heard(ctx, msg: Message, from: NodeId) {
      hearing.add(ctx, msg);
      const lies = ctx.protocol.viewChange;
      const plan = lies && lies.isViewChange(msg) ? finishing(ctx, msg.view) : undefined;
      if (!lies || !plan) return;
      // An honest replica asks for the view that finishes the plan: the colluders ask too, so the rest follow.
      if (!ctx.cabal.isMember(from)) ask(ctx, lies.joining(msg.view, msg));
      if (primaryOf(msg.view, ctx.n) === ctx.id && !newViews.has(msg.view) && ownViewChanges.has(msg.view)) hidingNewView(ctx, msg.view, plan);
    },

    multicast(ctx, msg, repeat) {
      const role = ctx.protocol.roleOf(msg.type);
      const finalVote = ctx.protocol.finalVote;
      const lies = ctx.protocol.viewChange;
      const across = lies && (role === 'view-change' || role === 'new-view') ? finishing(ctx, msg.view) : undefined;
      if (lies && across && role === 'view-change') {
        ask(ctx, lies.hidingEverything(msg));
        return msg;
      }
      if (across && role === 'new-view') {
        const hiding = newViews.get(msg.view);
        // Repeated (or answered), the same NEW-VIEW again; the first time, as soon as V can hide the number.
        if (hiding) toEveryone(ctx, hiding);
        else hidingNewView(ctx, msg.view, across);
        return msg;
      }
      if (role === 'proposal' && !repeat && msg.request && singles.has(msg.request.digest)) {
        const halves = acrossHalves(ctx);
        let plan = singles.get(msg.request.digest) ?? null;
        if (!plan && halves) {
          plan = new AcrossViewPlan(msg.view, msg.request, halves[0], halves[1]);
          plan.hidden = msg.seq;
          singles.set(msg.request.digest, plan);
          ctx.cabal.agreeAcross(plan);
        } else if (plan) {
          plan.shown = msg.seq;
          singles.delete(msg.request.digest);
        }
        return toThoseWhoHear(ctx, msg);
      }
      if (ctx.cabal.acrossPlan(msg.view)) return toThoseWhoHear(ctx, msg);
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

    send(ctx, to, msg) {
      if (hearsAcross(ctx, to, msg)) ctx.transmit(to, msg);
    },
  };
};
