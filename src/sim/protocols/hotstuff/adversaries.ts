import { ADVERSARIES, type AdversaryTable } from '../../adversary';
import { CollusionPlan } from '../../adversary/cabal';
import type { AdversaryContext, AdversaryFactory } from '../../adversary/types';
import { keepRecent, toEveryone } from '../../adversary/wire';
import type { ClientRequest, Message, MessageType, NodeId, OutgoingMessage } from '../../types';
import { nodeId, VOTE_OF, type HsNode, type LeaderPayload, type Phase, type QC, type SignedVote } from './replica';

const MEMORY = 64;

/** The leader's message that carries each phase's QC, and the phase of each vote type. */
const CARRIER: Record<Phase, MessageType> = { prepare: 'HS_PRE_COMMIT', 'pre-commit': 'HS_COMMIT', commit: 'HS_DECIDE' };
const PHASE_OF_VOTE: Partial<Record<string, Phase>> = { HS_VOTE_PREPARE: 'prepare', HS_VOTE_PRE_COMMIT: 'pre-commit', HS_VOTE_COMMIT: 'commit' };
const CARRIERS = new Set<string>(Object.values(CARRIER));

/**
 * A split the colluders agreed on for one view and height: the first half of the honest replicas (and the colluders'
 * own replicas) are shown leaf A, the leader's genuine proposal; the second half leaf B, the same parent with another
 * genuine request. Both leaves are what every receiver makes from the header, so their ids are known in advance.
 */
class HotStuffSplit extends CollusionPlan {
  /** The votes for B gathered by the leader, by phase: sender → the signed vote. */
  readonly votesForB: Record<Phase, Map<NodeId, SignedVote>> = { prepare: new Map(), 'pre-commit': new Map(), commit: new Map() };
  /** The phases whose QC for B the leader has formed. */
  readonly formedB = new Set<Phase>();
  constructor(
    readonly shownA: ReadonlySet<NodeId>,
    a: ClientRequest,
    b: ClientRequest,
    readonly leafA: HsNode,
    readonly leafB: HsNode,
    /** What the PREPARE said of the leader's execution (still true of it when B's QCs go out). */
    readonly base: LeaderPayload['base'],
  ) {
    super(shownA, a, b);
  }

  /** Whether `to` (an honest replica) is in the half shown B. */
  showsB(to: NodeId, ctx: AdversaryContext): boolean {
    return !ctx.cabal.isMember(to) && !this.shownA.has(to);
  }
}

/**
 * Colluders beyond the bound in basic HotStuff. A colluding leader waits until it knows two genuine requests (it cannot
 * forge the client's signature), proposes leaf A (one of them) to the colluders and one half of the honest replicas
 * and leaf B (the other, on the same parent and justify QC) to the other half. A vote names its node, and a QC is n − f
 * votes for one node; so every colluder, whenever its replica votes for A, also signs the same vote for B. Votes go to
 * the leader: it forms A's QCs as its replica does, and B's itself from the genuine votes it hears — the second half's
 * and the colluders' — and carries each phase of A only to the first half and of B only to the second.
 *
 * With f + 1 colluders (n = 3f + 1) each half with the colluders makes f + (f + 1) = n − f votes: both leaves get a
 * prepareQC, a precommitQC (each half locks on its own leaf) and a commitQC, and each half executes a different request
 * at the same height. With f colluders there are 2f + 1 honest replicas, f of them shown B: B gathers at most 2f < n − f
 * votes, never gets a QC, and nothing breaks (A is decided by the first half and the colluders, the rest catch up).
 */
export const hotstuffCollude: AdversaryFactory = () => {
  const known = new Map<string, ClientRequest>();
  /** Requests it proposed, with the partner the other half is shown instead. */
  const partners = new Map<string, ClientRequest>();

  function learn(r: ClientRequest | undefined, ctx: AdversaryContext): void {
    if (r && ctx.genuine(r)) keepRecent(known, r.digest, r, MEMORY);
  }

  function splitOf(ctx: AdversaryContext, view: number, seq: number): HotStuffSplit | undefined {
    const plan = ctx.cabal.plan(view, seq);
    return plan instanceof HotStuffSplit ? plan : undefined;
  }

  /** The first half of the honest replicas, by id: the half shown A. */
  function firstHalf(ctx: AdversaryContext): Set<NodeId> {
    const honest = Array.from({ length: ctx.n }, (_, id) => id).filter((id) => !ctx.cabal.isMember(id));
    return new Set(honest.slice(0, Math.ceil(honest.length / 2)));
  }

  /** As leader: a vote for B of `phase` (its own, or one it heard); n − f of them make B's QC, carried to the B half. */
  function gather(ctx: AdversaryContext, split: HotStuffSplit, phase: Phase, vote: SignedVote): void {
    const votes = split.votesForB[phase];
    votes.set(vote.sender, vote);
    const quorum = ctx.n - Math.floor((ctx.n - 1) / 3);
    if (split.formedB.has(phase) || votes.size < quorum) return;
    split.formedB.add(phase);
    const leaf = split.leafB;
    const qc: QC = Object.freeze({ phase, view: leaf.view, node: leaf.id, height: leaf.height, votes: Object.freeze([...votes.values()].slice(0, quorum)) });
    const msg: OutgoingMessage = { type: CARRIER[phase], view: leaf.view, seq: leaf.height, digest: leaf.id, payload: { qc, branch: [leaf], base: split.base } satisfies LeaderPayload };
    for (let to = 0; to < ctx.n; to++) if (split.showsB(to, ctx)) ctx.transmit(to, msg);
    // Its own vote for B in the next phase, as its replica votes A's next phase on its own QC.
    if (phase === 'prepare') gather(ctx, split, 'pre-commit', ownVote(ctx, 'pre-commit', leaf));
    else if (phase === 'pre-commit') gather(ctx, split, 'commit', ownVote(ctx, 'commit', leaf));
  }

  function ownVote(ctx: AdversaryContext, phase: Phase, leaf: HsNode): SignedVote {
    const signed = ctx.sign({ type: VOTE_OF[phase], view: leaf.view, seq: leaf.height, digest: leaf.id });
    return Object.freeze({ type: signed.type, view: signed.view, seq: signed.seq, digest: signed.digest, sender: ctx.id, sig: signed.sig as number });
  }

  /** The leader's PREPARE, split: A as its replica made it to the colluders and the first half, B to the second half. */
  function propose(ctx: AdversaryContext, msg: OutgoingMessage): OutgoingMessage | null {
    const existing = splitOf(ctx, msg.view, msg.seq);
    const a = msg.request;
    // Said again (a retransmission), the same split as the first time.
    const b = existing?.leafB.request ?? (a ? partners.get(a.digest) : undefined);
    const p = msg.payload as LeaderPayload | undefined;
    if (!a || !b || !p?.qc) return null;
    const leaf = (r: ClientRequest): HsNode => Object.freeze({ id: nodeId(p.qc.node, msg.seq, msg.view, r.digest), parent: p.qc.node, height: msg.seq, view: msg.view, request: r });
    const split = existing ?? new HotStuffSplit(firstHalf(ctx), a, b, leaf(a), leaf(b), p.base);
    if (!existing) {
      ctx.cabal.agree(msg.view, msg.seq, split);
      // Its own PREPARE vote for B (its replica votes A for itself).
      gather(ctx, split, 'prepare', ownVote(ctx, 'prepare', split.leafB));
    }
    const other: OutgoingMessage = { ...msg, digest: b.digest, request: b };
    for (let to = 0; to < ctx.n; to++) if (to !== ctx.id) ctx.transmit(to, split.showsB(to, ctx) ? other : msg);
    return msg;
  }

  return {
    proposals(ctx, pending) {
      for (const r of pending) learn(r, ctx);
      const [a] = pending;
      const b = a && [...known.values()].reverse().find((r) => r.digest !== a.digest);
      // It waits for a second request to split the replicas with (the honest ones' view timers are long enough).
      if (!a || !b) return [];
      keepRecent(partners, a.digest, b, MEMORY);
      return [a];
    },

    heard(ctx, msg: Message) {
      learn(msg.request, ctx);
      const phase = PHASE_OF_VOTE[msg.type];
      const split = phase ? splitOf(ctx, msg.view, msg.seq) : undefined;
      if (!phase || !split || msg.digest !== split.leafB.id || typeof msg.sig !== 'number') return;
      gather(ctx, split, phase, Object.freeze({ type: msg.type, view: msg.view, seq: msg.seq, digest: msg.digest, sender: msg.sender, sig: msg.sig }));
    },

    multicast(ctx, msg) {
      const split = splitOf(ctx, msg.view, msg.seq);
      if (msg.type === 'HS_PREPARE') return propose(ctx, msg) ?? toEveryone(ctx, msg);
      // A's QCs reach only those shown A: the other half must never see A certified.
      if (split && CARRIERS.has(msg.type)) {
        for (let to = 0; to < ctx.n; to++) if (to !== ctx.id && !split.showsB(to, ctx)) ctx.transmit(to, msg);
        return msg;
      }
      return toEveryone(ctx, msg);
    },

    send(ctx, to, msg) {
      // An answer to a replica that missed a decision, from a split view, goes only where that branch was shown.
      const split = splitOf(ctx, msg.view, msg.seq);
      if (split && CARRIERS.has(msg.type) && split.showsB(to, ctx)) return;
      ctx.transmit(to, msg);
      const phase = PHASE_OF_VOTE[msg.type];
      // Its replica votes for A: it signs the same vote for B too.
      if (phase && split && msg.digest === split.leafA.id) ctx.transmit(to, { type: msg.type, view: msg.view, seq: msg.seq, digest: split.leafB.id });
    },
  };
};

/**
 * Which adversary acts for each behaviour in HotStuff. The protocol-neutral ones act on roles: the leader's phase
 * messages are its proposals (an equivocating leader shows half the replicas a leaf with another genuine request), votes
 * go to the leader alone. Colluders split the honest replicas as above. Behaviours about PBFT's view change and the
 * seed's liar do not apply (the descriptor's `behaviours` and the parameter rules refuse them), so their rows are never
 * used.
 */
export const HOTSTUFF_ADVERSARIES: AdversaryTable = { ...ADVERSARIES, collude: hotstuffCollude };
