import { ADVERSARIES, type AdversaryTable } from '../../adversary';
import { CollusionPlan } from '../../adversary/cabal';
import type { AdversaryContext, AdversaryFactory } from '../../adversary/types';
import { keepRecent, toEveryone } from '../../adversary/wire';
import type { ClientRequest, Message, NodeId, OutgoingMessage } from '../../types';
import type { SignedVote } from '../hotstuff/common';
import { leaderOf } from './descriptor';
import { nodeId, type ChsNode, type ChsPayload, type QC } from './replica';

const MEMORY = 64;

/**
 * A fork the colluders agreed on: from one view on, the first half of the honest replicas (and the colluders' own
 * replicas) follow chain A — what the colluding leaders' replicas propose — and the second half chain B, which starts
 * with another genuine request at the same height and then mirrors A node for node (same view, height and request),
 * each B node justified by the QC of the B node before. The plan is filed under every (view, height) of the fork.
 */
class ChainedFork extends CollusionPlan {
  /** Chain A's node id and chain B's node, by view. */
  readonly a = new Map<number, string>();
  readonly b = new Map<number, ChsNode>();
  /** B's votes by view (gathered by that view's next leader) and B's QCs. */
  readonly votesB = new Map<number, Map<NodeId, SignedVote>>();
  readonly qcB = new Map<number, QC>();
  /** A colluding leader's proposal whose B twin waits for the QC of the B node of this view. */
  readonly waiting = new Map<number, { ctx: AdversaryContext; msg: OutgoingMessage }>();
  /** Colluders' B votes owed for a view whose B node is not made yet. */
  readonly owed = new Map<number, Array<{ ctx: AdversaryContext; to: NodeId }>>();
  constructor(
    readonly shownA: ReadonlySet<NodeId>,
    a: ClientRequest,
    b: ClientRequest,
  ) {
    super(shownA, a, b);
  }

  showsB(to: NodeId, ctx: AdversaryContext): boolean {
    return !ctx.cabal.isMember(to) && !this.shownA.has(to);
  }
}

/**
 * Colluders beyond the bound in Chained HotStuff. Every leader of a run of views among them forks the chain: the first
 * proposes node A (a genuine request) to the colluders and one half of the honest replicas and node B (another genuine
 * request, the same parent and justify) to the other half; every colluder that votes for an A node also signs the same
 * vote for its B twin; the next leader, a colluder, forms B's QC from the B half's votes and the colluders', and
 * proposes on each chain to its own half. With f + 1 colluders (n = 3f + 1), f honest replicas plus f + 1 colluders make
 * n − f votes on each chain: when the colluders lead four views in a row (f + 1 ≥ 2 leaders of two views each), both
 * chains reach a three-chain and each half decides a different request at the same height. With f colluders a half
 * gathers at most 2f < n − f votes for B: B never gets a QC, and nothing breaks.
 */
export const chainedCollude: AdversaryFactory = () => {
  const known = new Map<string, ClientRequest>();

  function learn(r: ClientRequest | undefined, ctx: AdversaryContext): void {
    if (r && ctx.genuine(r)) keepRecent(known, r.digest, r, MEMORY);
  }

  function forkAt(ctx: AdversaryContext, view: number, seq: number): ChainedFork | undefined {
    const plan = ctx.cabal.plan(view, seq);
    return plan instanceof ChainedFork ? plan : undefined;
  }

  function firstHalf(ctx: AdversaryContext): Set<NodeId> {
    const honest = Array.from({ length: ctx.n }, (_, id) => id).filter((id) => !ctx.cabal.isMember(id));
    return new Set(honest.slice(0, Math.ceil(honest.length / 2)));
  }

  function quorum(ctx: AdversaryContext): number {
    return ctx.n - Math.floor((ctx.n - 1) / 3);
  }

  function voteFor(ctx: AdversaryContext, node: ChsNode): SignedVote {
    const signed = ctx.sign({ type: 'CHS_VOTE_GENERIC', view: node.view, seq: node.height, digest: node.id });
    return Object.freeze({ type: signed.type, view: signed.view, seq: signed.seq, digest: signed.digest, sender: ctx.id, sig: signed.sig as number });
  }

  /** As the next leader: a vote for B; n − f of them make B's QC, and a proposal waiting for it goes out on chain B. */
  function gather(ctx: AdversaryContext, fork: ChainedFork, vote: SignedVote): void {
    let votes = fork.votesB.get(vote.view);
    if (!votes) fork.votesB.set(vote.view, (votes = new Map()));
    votes.set(vote.sender, vote);
    const node = fork.b.get(vote.view)!;
    // Its own replica voted for the A twin, to itself (a vote that never travels): it signs B's too.
    if (!votes.has(ctx.id)) votes.set(ctx.id, voteFor(ctx, node));
    const q = quorum(ctx);
    if (fork.qcB.has(vote.view) || votes.size < q) return;
    const qc: QC = Object.freeze({ view: node.view, node: node.id, height: node.height, votes: Object.freeze([...votes.values()].slice(0, q)) });
    fork.qcB.set(vote.view, qc);
    const waiting = fork.waiting.get(vote.view);
    if (waiting) {
      fork.waiting.delete(vote.view);
      proposeB(waiting.ctx, fork, waiting.msg, qc);
    }
  }

  /** Chain B's twin of the A proposal `msg`, justified by `qc` (B's QC of the view before), to the B half. */
  function proposeB(ctx: AdversaryContext, fork: ChainedFork, msg: OutgoingMessage, qc: QC): void {
    const p = msg.payload as ChsPayload;
    const request = msg.request ?? null;
    const node: ChsNode = Object.freeze({ id: nodeId(qc.node, msg.seq, msg.view, msg.digest, qc.view), parent: qc.node, height: msg.seq, view: msg.view, request, justify: qc });
    sendB(ctx, fork, msg, node, { qc, branch: [fork.b.get(qc.view)!], base: p.base });
  }

  /** Files B's node, sends it to the B half, and casts the colluders' B votes for it. */
  function sendB(ctx: AdversaryContext, fork: ChainedFork, msg: OutgoingMessage, node: ChsNode, payload: ChsPayload): void {
    fork.b.set(node.view, node);
    const twin: OutgoingMessage = { ...msg, payload };
    for (let to = 0; to < ctx.n; to++) if (fork.showsB(to, ctx)) ctx.transmit(to, twin);
    const next = leaderOf(node.view + 1, ctx.n);
    // Its own vote for B: kept if it leads next, sent otherwise (its replica's vote for A goes by `send`).
    if (next === ctx.id) gather(ctx, fork, voteFor(ctx, node));
    else ctx.transmit(next, { type: 'CHS_VOTE_GENERIC', view: node.view, seq: node.height, digest: node.id });
    for (const o of fork.owed.get(node.view) ?? []) {
      if (o.to === o.ctx.id) gather(o.ctx, fork, voteFor(o.ctx, node));
      else o.ctx.transmit(o.to, { type: 'CHS_VOTE_GENERIC', view: node.view, seq: node.height, digest: node.id });
    }
    fork.owed.delete(node.view);
  }

  /** A colluding leader's proposal: the start of a fork (with a second genuine request), or the next link of one. */
  function propose(ctx: AdversaryContext, msg: OutgoingMessage): OutgoingMessage | null {
    const p = msg.payload as ChsPayload | undefined;
    if (!p?.qc) return null;
    const aId = nodeId(p.qc.node, msg.seq, msg.view, msg.digest, p.qc.view);
    const parentFork = forkAt(ctx, p.qc.view, p.qc.height);
    const same = forkAt(ctx, msg.view, msg.seq);
    if (same && same.a.get(msg.view) === aId) {
      // Said again: to the A side again (B's twin went out once; the B half's replicas keep theirs).
      for (let to = 0; to < ctx.n; to++) if (to !== ctx.id && !same.showsB(to, ctx)) ctx.transmit(to, msg);
      return msg;
    }
    if (parentFork && parentFork.a.get(p.qc.view) === p.qc.node) {
      // The next link: A to its side; B's twin once B's QC of the view before is formed.
      const fork = parentFork;
      fork.a.set(msg.view, aId);
      ctx.cabal.agree(msg.view, msg.seq, fork);
      for (let to = 0; to < ctx.n; to++) if (to !== ctx.id && !fork.showsB(to, ctx)) ctx.transmit(to, msg);
      const qcB = fork.qcB.get(p.qc.view);
      if (qcB) proposeB(ctx, fork, msg, qcB);
      else fork.waiting.set(p.qc.view, { ctx, msg });
      return msg;
    }
    const a = msg.request;
    const b = a && [...known.values()].reverse().find((r) => r.digest !== a.digest);
    if (!a || !b) return null;
    const fork = new ChainedFork(firstHalf(ctx), a, b);
    fork.a.set(msg.view, aId);
    ctx.cabal.agree(msg.view, msg.seq, fork);
    for (let to = 0; to < ctx.n; to++) if (to !== ctx.id && !fork.showsB(to, ctx)) ctx.transmit(to, msg);
    const node: ChsNode = Object.freeze({ id: nodeId(p.qc.node, msg.seq, msg.view, b.digest, p.qc.view), parent: p.qc.node, height: msg.seq, view: msg.view, request: b, justify: p.qc });
    sendB(ctx, fork, { ...msg, digest: b.digest, request: b }, node, p);
    return msg;
  }

  return {
    proposals(ctx, pending) {
      for (const r of pending) learn(r, ctx);
      // It waits for a second request to fork with (the honest replicas' view timers are long enough).
      const [a] = pending;
      const b = a && [...known.values()].find((r) => r.digest !== a.digest);
      return a && b ? [a] : [];
    },

    heard(ctx, msg: Message) {
      learn(msg.request, ctx);
      if (msg.type !== 'CHS_VOTE_GENERIC' || typeof msg.sig !== 'number') return;
      const fork = forkAt(ctx, msg.view, msg.seq);
      if (!fork || fork.b.get(msg.view)?.id !== msg.digest) return;
      gather(ctx, fork, Object.freeze({ type: msg.type, view: msg.view, seq: msg.seq, digest: msg.digest, sender: msg.sender, sig: msg.sig }));
    },

    multicast(ctx, msg) {
      if (msg.type === 'CHS_GENERIC') return propose(ctx, msg) ?? toEveryone(ctx, msg);
      return toEveryone(ctx, msg);
    },

    send(ctx, to, msg) {
      const fork = forkAt(ctx, msg.view, msg.seq);
      // Chain A's relays never reach the B half.
      if (fork && msg.type === 'CHS_DECIDE' && fork.showsB(to, ctx)) return;
      ctx.transmit(to, msg);
      // Its replica votes for an A node: it signs the same vote for the B twin (once that is made).
      if (fork && msg.type === 'CHS_VOTE_GENERIC' && fork.a.get(msg.view) === msg.digest) {
        const twin = fork.b.get(msg.view);
        if (twin) ctx.transmit(to, { type: 'CHS_VOTE_GENERIC', view: msg.view, seq: msg.seq, digest: twin.id });
        else fork.owed.set(msg.view, [...(fork.owed.get(msg.view) ?? []), { ctx, to }]);
      }
    },
  };
};

/**
 * Which adversary acts for each behaviour in Chained HotStuff. The protocol-neutral ones act on roles: the leader's
 * PROPOSAL is its proposal (an equivocating leader shows half the replicas a node with another genuine request), the
 * generic vote goes to the next leader alone. Colluders fork the chain as above.
 */
export const CHAINED_ADVERSARIES: AdversaryTable = { ...ADVERSARIES, collude: chainedCollude };
