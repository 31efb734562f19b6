/**
 * Chained HotStuff (Yin, Malkhi, Reiter, Gueta, Abraham, PODC 2019, Algorithm 3), one replica.
 *
 * One generic phase per view. The leader of view v (⌊v / 2⌋ mod n, below) proposes a node b* extending the node of the highest QC it
 * knows (genericQC), with justify = that QC; a replica that finds it safe (safeNode, as in basic HotStuff: b* extends
 * lockedQC.node, or justify.view > lockedQC.view) sends its generic vote to the leader of v + 1 and moves on to v + 1.
 * That leader forms the QC from n − f votes and carries it as the justify of its own proposal. So one QC serves as the
 * prepareQC of b*'s parent, the precommitQC of its grandparent and the commitQC of its great-grandparent: on b*, with
 * b'' = b*.justify.node, b' = b''.justify.node, b = b'.justify.node, a replica
 * - sets genericQC ← b*.justify (a one-chain);
 * - locks, lockedQC ← b''.justify, if b'' directly extends b' (a two-chain);
 * - decides b and executes its branch if also b' directly extends b (a three-chain).
 *
 * A node carries its justify, and its id is the digest of its parent (= justify.node), height, view, request and the
 * justify's view, so whoever holds a node can check the chain above it. "Directly extends" is the paper's b''.parent =
 * b' with its dummy nodes (one per view without a QC, so a node's height is its view): here no dummy nodes are made —
 * the height stays the sequence number the log and the checker use — and a direct parent is a parent from the view
 * just before. Without that condition a three-chain with gaps could decide a node while a QC on a conflicting branch
 * from a view in a gap outranks the locks.
 *
 * The leader of view v is replica ⌊v / 2⌋ mod n, not v mod n: see `leaderOf` (./descriptor.ts) for why.
 *
 * Where the simulation adds to Algorithm 3, as it does to basic HotStuff (../hotstuff/replica.ts): a leader proposes
 * when a request waits, or an empty node when the branch it extends holds requests not yet decided (a node is decided
 * only by three more above it); the view timer (T · 2^k, k = views since the highest QC it knows, less the one in
 * flight) runs while a request waits, and on expiry the replica moves to the next view and sends NEW-VIEW(genericQC) to
 * its leader, who proposes once it holds the QC of the view before or n − f NEW-VIEWs; a replica that hears a leader of
 * a later view joins it; proposals carry the branch above the leader's execution and where it stands (state transfer);
 * a replica answers a NEW-VIEW from one that executed less with DECIDE, the three-chain that decided (this protocol's
 * relay of a decision the paper leaves to the network); and each replica says again what it said in its view while it
 * sees no progress, as basic HotStuff does.
 */
import { hex, NULL_DIGEST } from '../../messages';
import { fnv1a } from '../../rng';
import type { ClientRequest, Message, NodeId, OutgoingMessage, SlotInspection, SlotPhase } from '../../types';
import type { ExecutedEntry, ReplicaConfig, ReplicaHost, ReplicaModel, ReplicaSelfInspection, ReplicaTimer, TraceDraft } from '../contract';
import { Application, inspectionWithoutCheckpoints, isBase, type ExecutedBase } from '../shared';
import { FUTURE_VIEWS, freezeVote, isWhole, KEPT, MAX_DOUBLINGS, Progress, RANK, Repeater, signedQuorum, Tally, VALID_QCS, type Certified, type SignedVote } from '../hotstuff/common';
import { leaderOf, VIEWS_PER_LEADER } from './descriptor';

/** A QC of generic votes: n − f replicas voted for `node` in `view`. */
export type QC = Certified;

export interface ChsNode {
  id: string;
  parent: string;
  height: number;
  view: number;
  request: ClientRequest | null;
  /** The QC it was proposed with: of its parent, from an earlier view. */
  justify: QC;
}

export const GENESIS_ID = 'genesis';
export const GENESIS_QC: QC = Object.freeze({ view: -1, node: GENESIS_ID, height: 0, votes: Object.freeze([]) as readonly SignedVote[] });
const GENESIS: ChsNode = Object.freeze({ id: GENESIS_ID, parent: '', height: 0, view: -1, request: null, justify: GENESIS_QC });

/** What a proposal (and a DECIDE) carries besides its header. */
export interface ChsPayload {
  /** PROPOSAL: the justify of the node proposed (made by each receiver from the header); DECIDE: the QC that decided. */
  qc: QC;
  /** The nodes above the sender's executed height that the message's node grows from, newest first. */
  branch: readonly ChsNode[];
  /** Where the sender's execution stands, and on which node (state transfer). */
  base: ExecutedBase & { node: string };
}

export interface NewViewPayload {
  /** The sender's genericQC. */
  qc: QC;
  /** The node that QC certifies (the leader extends it, and may have missed its proposal). */
  branch: readonly ChsNode[];
}

export function nodeId(parent: string, height: number, view: number, requestDigest: string, justifyView: number): string {
  return hex(fnv1a(`chs|${parent}|${height}|${view}|${requestDigest}|${justifyView}`));
}

/** Votes carry no payload and are all that is signed; a QC is n − f of them. */
export function payloadDigest(type: string, payload: unknown): string {
  return payload === undefined ? '' : type;
}

export const CHAINED_SIGNED = new Set<string>(['CHS_VOTE_GENERIC']);

/** One vote per view; a vote in view v goes to the leader of v + 1. */
const VOTE = 'CHS_VOTE_GENERIC';

export class ChainedHotStuffReplica implements ReplicaModel {
  readonly id: NodeId;
  view = 0;
  readonly viewChanging = false;
  timer: { startedAt: number; deadline: number } | null = null;
  readonly lowWatermark = 0;
  readonly highWatermark = Number.MAX_SAFE_INTEGER;

  /** The highest QC it knows (the paper's genericQC, or qc_high). */
  genericQC: QC = GENESIS_QC;
  lockedQC: QC = GENESIS_QC;
  /** The last view it voted in. */
  votedView = -1;
  /** The highest view of any valid QC it has seen: the pacemaker's measure of progress. */
  private progressView = -1;

  private readonly n: number;
  private readonly f: number;
  private readonly host: ReplicaHost;
  private readonly baseTimeout: number;
  private readonly app: Application;
  private readonly nodes = new Map<string, ChsNode>([[GENESIS_ID, GENESIS]]);
  private executedNode = GENESIS_ID;
  /** The highest node it knows decided but could not execute yet (an ancestor missing). */
  private committedTip: string | null = null;
  /** The QC whose three-chain decided the newest node it knows decided (what it relays to a laggard). */
  private decidedQC: QC | null = null;
  private readonly progress = new Progress();
  private forgottenBelow = 0;

  // Leader state.
  /** The last view it proposed in. */
  private proposedIn = -1;
  /**
   * Votes by view (for its proposal of the view after), then by node: sender → the signed vote. Per view: a liar's vote
   * for a view far ahead must not push out the votes of the view at hand.
   */
  private readonly votes = new Map<number, Map<string, Tally>>();
  /** The view whose QC it formed last (it may propose in the view after). */
  private formedView = -1;
  /** NEW-VIEWs by view: sender → the genericQC it carried. */
  private readonly newViews = new Map<number, Map<NodeId, QC>>();
  /** What it said in its current view, said again while it sees no progress. */
  private readonly repeater: Repeater;
  private hostTimerAt: number | null = null;

  constructor(config: ReplicaConfig, host: ReplicaHost) {
    this.id = config.id;
    this.n = config.n;
    this.f = config.f;
    this.host = host;
    this.baseTimeout = config.viewChangeTimeoutMs;
    this.repeater = new Repeater(config.id, host, config.viewChangeTimeoutMs);
    this.app = new Application(config.id, host);
  }

  get quorum(): number {
    return this.n - this.f;
  }

  get isPrimary(): boolean {
    return this.leaderOf(this.view) === this.id;
  }

  get lastExecuted(): number {
    return this.app.lastExecuted;
  }

  get executedLog(): ExecutedEntry[] {
    return this.app.executedLog;
  }

  leaderOf(view: number): NodeId {
    return leaderOf(view, this.n);
  }

  // ───────────────────────────── receiving ─────────────────────────────

  receive(msg: Message, from: NodeId): string | undefined {
    if (msg.sender !== from) return `claims to be from ${msg.sender} but came from ${from}`;
    if (!isWhole(msg.view) || !isWhole(msg.seq) || typeof msg.digest !== 'string') return 'malformed message';
    switch (msg.type) {
      case 'REQUEST': {
        const ignored = this.app.onRequest(msg, from, this.view, this.relay);
        this.armTimer();
        this.tryPropose();
        return ignored;
      }
      case 'CHS_GENERIC':
        return this.onProposal(msg, from);
      case 'CHS_VOTE_GENERIC':
        return this.onVote(msg);
      case 'CHS_NEW_VIEW':
        return this.onNewView(msg, from);
      case 'CHS_DECIDE':
        return this.onDecide(msg);
      default:
        return `Chained HotStuff has no ${msg.type}`;
    }
  }

  private readonly relay = (request: ClientRequest): void => {
    this.host.multicast(this.id, { type: 'REQUEST', view: this.view, seq: 0, digest: request.digest, request, timestamp: request.timestamp });
  };

  private onProposal(msg: Message, from: NodeId): string | undefined {
    if (from !== this.leaderOf(msg.view)) return 'PROPOSAL not from the leader of its view';
    const p = this.payload(msg);
    if (typeof p === 'string') return p;
    const request = msg.digest === NULL_DIGEST && !msg.request ? null : msg.request;
    if (request === undefined || (request && (request.digest !== msg.digest || !this.host.isAuthentic(request)))) return 'PROPOSAL carries no genuine request';
    if (msg.seq !== p.qc.height + 1) return 'the node does not extend its justify';
    if (msg.view <= p.qc.view) return 'its justify is not from an earlier view';
    this.syncTo(p.base, msg.view);
    this.store(p.branch);
    const node: ChsNode = Object.freeze({ id: nodeId(p.qc.node, msg.seq, msg.view, msg.digest, p.qc.view), parent: p.qc.node, height: msg.seq, view: msg.view, request, justify: p.qc });
    const unseen = !this.nodes.has(node.id);
    if (unseen) this.keep(node);
    // safeNode against the lock it held when the node came (the paper's order: the vote, then the chain's updates).
    const safe = this.extendsNode(node, this.lockedQC.node) || p.qc.view > this.lockedQC.view;
    this.update(p.qc);
    if (msg.view < this.view) {
      this.tryPropose();
      return 'stale view';
    }
    if (msg.view > this.view) this.enterView(msg.view, false);
    if (this.votedView >= msg.view) return 'already voted in this view';
    if (!safe) {
      this.tryPropose();
      return `not safe: does not extend the lock (${this.lockedQC.node}) and its justify is not newer`;
    }
    this.voteFor(node, unseen);
    // The node may be the one it waited for to extend, as the next leader (it formed the QC before the node came).
    this.tryPropose();
    return undefined;
  }

  /** The leader of the next view: a generic vote; n − f for one node make its QC. */
  private onVote(msg: Message): string | undefined {
    const next = msg.view + 1;
    if (this.leaderOf(next) !== this.id) return 'a vote for a view it does not lead next';
    if (next < this.view || this.proposedIn >= next) return 'stale vote';
    if (next > this.view + FUTURE_VIEWS * this.n) return 'vote too far ahead';
    if (this.formedView >= msg.view) return 'its QC is already formed';
    if (!this.host.verify(msg)) return 'vote not signed by its sender';
    this.tally(freezeVote(msg));
    return undefined;
  }

  private tally(vote: SignedVote): void {
    let ofView = this.votes.get(vote.view);
    if (!ofView) this.votes.set(vote.view, (ofView = new Map()));
    const key = `${vote.seq}|${vote.digest}`;
    let t = ofView.get(key);
    if (!t) ofView.set(key, (t = new Tally(this.n)));
    t.set(vote.sender, vote);
    if (t.size < this.quorum) return;
    const qc: QC = Object.freeze({ view: vote.view, node: vote.digest, height: vote.seq, votes: Object.freeze(t.list.slice(0, this.quorum)) });
    VALID_QCS.add(qc);
    this.formedView = vote.view;
    for (const v of this.votes.keys()) if (v <= vote.view) this.votes.delete(v);
    this.learnQC(qc);
    if (vote.view + 1 > this.view) this.enterView(vote.view + 1, false);
    this.tryPropose();
  }

  private onNewView(msg: Message, from: NodeId): string | undefined {
    if (this.leaderOf(msg.view) !== this.id) return 'NEW-VIEW for a view it does not lead';
    if (msg.view < this.view) {
      this.showHighQC(msg, from);
      return 'stale NEW-VIEW';
    }
    if (msg.view === this.view && this.proposedIn === this.view) return 'stale NEW-VIEW';
    if (msg.view > this.view + FUTURE_VIEWS * this.n) return 'NEW-VIEW too far ahead';
    const p = msg.payload as Partial<NewViewPayload> | undefined;
    const qc = p?.qc;
    if (!this.validQC(qc)) return 'NEW-VIEW carries an invalid genericQC';
    // The node its QC certifies, which this leader may have missed (its proposal lost): it extends it.
    if (Array.isArray(p?.branch)) this.store(p.branch);
    // The sender executed less than this replica: it is shown the three-chain that decided, and where execution stands.
    if (this.decidedQC && msg.seq < this.app.lastExecuted) {
      const b2 = this.nodes.get(this.decidedQC.node);
      if (b2) this.host.send(this.id, from, { type: 'CHS_DECIDE', view: this.decidedQC.view, seq: b2.height, digest: b2.id, payload: { qc: this.decidedQC, branch: this.ancestorsAbove(b2, msg.seq), base: this.base() } satisfies ChsPayload, retransmit: 'answer' });
    }
    let senders = this.newViews.get(msg.view);
    if (!senders) this.newViews.set(msg.view, (senders = new Map()));
    senders.set(from, qc);
    this.learnQC(qc);
    // n − f replicas left the view before: at least f + 1 honest ones are in this view, so the leader joins them.
    if (msg.view > this.view && senders.size + (senders.has(this.id) ? 0 : 1) >= this.quorum) this.enterView(msg.view, false);
    this.tryPropose();
    return undefined;
  }

  /**
   * A NEW-VIEW from a replica views behind, with an older genericQC than this one's: it is shown this replica's
   * genericQC and the nodes above what it executed, in a DECIDE (which decides what the chain decides). Its view timer
   * backs off by the views since the newest QC it knows, so a replica behind that knows no newer QC waits as long as
   * the replicas ahead and never catches up; knowing the newer QC, it passes through the views below theirs in less
   * (found by the property test: n = 9, three replicas three views behind the rest, every timer at 2^9 T).
   */
  private showHighQC(msg: Message, from: NodeId): void {
    const theirs = (msg.payload as Partial<NewViewPayload> | undefined)?.qc;
    if (!this.validQC(theirs) || theirs.view >= this.genericQC.view) return;
    const qc = this.genericQC;
    const node = this.nodes.get(qc.node);
    if (!node) return;
    this.host.send(this.id, from, { type: 'CHS_DECIDE', view: qc.view, seq: node.height, digest: node.id, payload: { qc, branch: this.ancestorsAbove(node, msg.seq), base: this.base() } satisfies ChsPayload, retransmit: 'answer' });
  }

  /** A three-chain relayed to a replica that executed less: it checks the chain itself. */
  private onDecide(msg: Message): string | undefined {
    const p = this.payload(msg);
    if (typeof p === 'string') return p;
    if (p.qc.view !== msg.view || p.qc.node !== msg.digest) return 'the QC is not of this message';
    this.syncTo(p.base, this.view);
    this.store(p.branch);
    this.update(p.qc);
    return undefined;
  }

  onTimer(which: ReplicaTimer = 'main'): void {
    const now = this.host.now();
    if (which === 'resend') {
      this.repeater.fire(this.app.pending.size > 0 || this.committedTip !== null);
      return;
    }
    this.hostTimerAt = null;
    if (this.timer && this.timer.deadline > now) {
      this.hostTimerAt = this.timer.deadline;
      this.host.setTimer(this.id, this.timer.deadline - now);
      return;
    }
    this.timer = null;
    this.host.showTimer(this.id, 'stop', now);
    this.emit({ kind: 'view-change', replica: this.id, view: this.view + 1 });
    this.enterView(this.view + 1, true);
  }

  // ───────────────────────────── the chain ─────────────────────────────

  /**
   * b* arrived with `justify` (or a relayed DECIDE shows it): b'' = justify.node, b' = b''.justify.node,
   * b = b'.justify.node. A one-chain raises genericQC, a direct two-chain the lock, a direct three-chain decides b.
   */
  private update(justify: QC): void {
    this.learnQC(justify);
    const b2 = this.nodes.get(justify.node);
    if (!b2) return;
    const b1 = this.nodes.get(b2.justify.node);
    if (!b1 || !direct(b2, b1)) return;
    if (b2.justify.view > this.lockedQC.view) {
      this.lockedQC = b2.justify;
      this.reach(b1, 'prepared', b2.view);
    }
    const b0 = this.nodes.get(b1.justify.node);
    if (!b0 || !direct(b1, b0) || b0 === GENESIS) return;
    if (!this.decidedQC || justify.view > this.decidedQC.view) this.decidedQC = justify;
    this.commit(b0, justify.view);
  }

  private learnQC(qc: QC): void {
    if (qc.view > this.progressView) {
      this.progressView = qc.view;
      if (this.timer) this.armTimer(true);
    }
    if (qc.view > this.genericQC.view) this.genericQC = qc;
  }

  private commit(tip: ChsNode, view: number): void {
    const current = this.committedTip ? this.nodes.get(this.committedTip) : undefined;
    if (tip.height <= this.app.lastExecuted && !current) return;
    if (!current || tip.height > current.height) this.committedTip = tip.id;
    this.executeCommitted(view);
  }

  private executeCommitted(view: number): void {
    const tip = this.committedTip ? this.nodes.get(this.committedTip) : undefined;
    if (!tip) return;
    const branch: ChsNode[] = [];
    let at: ChsNode | undefined = tip;
    while (at && at.height > this.app.lastExecuted) {
      branch.push(at);
      at = this.nodes.get(at.parent);
    }
    if (!at || at.id !== this.executedNode) {
      // Below what it executed, or on another branch than its execution (a relayed chain it no longer needs).
      if (tip.height <= this.app.lastExecuted) this.committedTip = null;
      return;
    }
    for (let k = branch.length - 1; k >= 0; k--) {
      const node = branch[k];
      this.executedNode = node.id;
      this.progress.set(node.id, 'executed');
      this.app.execute(node.height, view, node.request, node.request?.digest ?? NULL_DIGEST);
    }
    this.committedTip = null;
    if (this.nodes.size > 2 * KEPT) {
      const lowest = Math.min(this.app.lastExecuted, this.lockedQC.height, this.genericQC.height, this.decidedQC?.height ?? Infinity) - 3;
      this.forgetNodesBelow(lowest - KEPT);
    }
    this.armTimer(true);
  }

  // ───────────────────────────── leader ─────────────────────────────

  private tryPropose(): void {
    const v = this.view;
    if (this.leaderOf(v) !== this.id || this.proposedIn >= v) return;
    // It proposes on the QC of the view before (formed from the votes sent to it) or on n − f NEW-VIEWs (its own counts).
    let highQC = this.genericQC;
    const got = this.newViews.get(v);
    if (v > 0 && this.formedView !== v - 1) {
      if (!got || got.size + (got.has(this.id) ? 0 : 1) < this.quorum) return;
    }
    if (got) for (const qc of got.values()) if (qc.view > highQC.view) highQC = qc;
    const parent = this.nodes.get(highQC.node);
    if (!parent) return;
    // A request already on the branch it extends is not proposed again; with none waiting, an empty node drives the
    // chain on while the branch holds requests not yet decided.
    const onBranch = new Set<string>();
    for (const n of this.ancestorsAbove(parent, this.app.lastExecuted)) if (n.request) onBranch.add(n.request.digest);
    const waiting = [...this.app.pending.values()].filter((r) => !onBranch.has(r.digest));
    const chosen = this.host.proposals(this.id, waiting, 1)[0] ?? null;
    if (!chosen && onBranch.size === 0) return;
    const digest = chosen?.digest ?? NULL_DIGEST;
    const node: ChsNode = Object.freeze({ id: nodeId(parent.id, parent.height + 1, v, digest, highQC.view), parent: parent.id, height: parent.height + 1, view: v, request: chosen, justify: highQC });
    this.proposedIn = v;
    this.newViews.delete(v);
    this.keep(node);
    const payload: ChsPayload = { qc: highQC, branch: this.ancestorsAbove(parent, this.app.lastExecuted), base: this.base() };
    this.say(null, { type: 'CHS_GENERIC', view: v, seq: node.height, digest, ...(chosen ? { request: chosen } : {}), payload });
    // The leader is a replica too: it takes its own proposal.
    const safe = this.extendsNode(node, this.lockedQC.node) || highQC.view > this.lockedQC.view;
    this.update(highQC);
    if (safe && this.votedView < v && this.view === v) this.voteFor(node, true);
  }

  // ───────────────────────────── replica ─────────────────────────────

  /** Votes for `node` (of the current view), to the next view's leader, and moves on to that view. */
  private voteFor(node: ChsNode, unseen: boolean): void {
    const v = node.view;
    this.votedView = v;
    this.reach(node, 'pre-prepared', v, unseen && node.height >= this.forgottenBelow);
    const proposed = this.proposedIn === v ? this.repeater.words.find((w) => w.fields.type === 'CHS_GENERIC' && w.fields.view === v) : undefined;
    this.enterView(v + 1, false);
    // Its proposal is said again while the next view sees no progress: a replica that lost it cannot vote.
    if (proposed && this.view === v + 1) this.repeater.words.push(proposed);
    const next = this.leaderOf(v + 1);
    const fields: OutgoingMessage = { type: VOTE, view: v, seq: node.height, digest: node.id };
    if (next !== this.id) {
      this.say(next, fields);
      return;
    }
    const own: SignedVote = Object.freeze({ type: VOTE, view: v, seq: node.height, digest: node.id, sender: this.id, sig: this.host.sign(this.id, { type: VOTE, view: v, seq: node.height, digest: node.id, sender: this.id }) });
    this.tally(own);
  }

  /** Moves to `view` (sending NEW-VIEW with its genericQC to its leader when `announce`). */
  private enterView(view: number, announce: boolean): void {
    if (view <= this.view) return;
    this.view = view;
    this.repeater.forget();
    this.host.showView(this.id, view, this.leaderOf(view));
    if (announce) {
      const leader = this.leaderOf(view);
      if (leader === this.id) {
        let senders = this.newViews.get(view);
        if (!senders) this.newViews.set(view, (senders = new Map()));
        senders.set(this.id, this.genericQC);
      } else {
        const certified = this.genericQC.view < 0 ? undefined : this.nodes.get(this.genericQC.node);
        const payload: NewViewPayload = { qc: this.genericQC, branch: certified ? [certified] : [] };
        this.say(leader, { type: 'CHS_NEW_VIEW', view, seq: this.app.lastExecuted, digest: '', payload });
      }
    }
    if (this.newViews.size > 0) for (const v of this.newViews.keys()) if (v < view) this.newViews.delete(v);
    // Votes of a view two behind can no longer lead to a proposal (see onVote).
    if (this.votes.size > 0) for (const v of this.votes.keys()) if (v + 1 < view) this.votes.delete(v);
    this.armTimer(true);
    this.tryPropose();
  }

  /** Sends (to one replica, or multicasts when `to` is null) and remembers it for retransmission. */
  private say(to: NodeId | null, fields: OutgoingMessage): void {
    this.repeater.say(to, fields);
  }

  /**
   * The view timer runs while a request waits: T · 2^k, k = the leaders (two views each) since the highest QC it knows —
   * less the view whose QC is still being formed by the next leader in the normal case. Doubling per view, a stretch of
   * f faulty leaders doubled it 2f times, and after the calm the honest replicas waited out views led by silent ones
   * far past what partial synchrony allows (found by the attack search: n = 7, replicas 0 and 1 silent after a schedule
   * that left replica 3 two views ahead); per leader, each faulty turn costs what a faulty leader costs in basic HotStuff.
   */
  private armTimer(restart = false): void {
    if (this.app.pending.size === 0 && this.committedTip === null) {
      if (this.timer) {
        this.timer = null;
        this.hostTimerAt = null;
        this.host.clearTimer(this.id);
        this.host.showTimer(this.id, 'stop', this.host.now());
      }
      return;
    }
    if (this.timer && !restart) return;
    const k = Math.min(MAX_DOUBLINGS, Math.max(0, Math.floor((this.view - this.progressView - 2) / VIEWS_PER_LEADER)));
    const delay = this.baseTimeout * 2 ** k;
    const now = this.host.now();
    this.timer = { startedAt: now, deadline: now + delay };
    if (this.hostTimerAt === null || this.hostTimerAt > now + delay) {
      this.hostTimerAt = now + delay;
      this.host.setTimer(this.id, delay);
    }
    this.host.showTimer(this.id, 'start', now + delay);
  }

  // ───────────────────────────── nodes ─────────────────────────────

  private keep(node: ChsNode): void {
    this.nodes.set(node.id, node);
  }

  private forgetNodesBelow(h: number): void {
    if (h <= this.forgottenBelow) return;
    this.forgottenBelow = h;
    for (const [id, node] of this.nodes) if (node.height < h && id !== GENESIS_ID) this.nodes.delete(id);
  }

  private syncTo(base: ExecutedBase & { node: string }, view: number): void {
    if (base.seq <= this.app.lastExecuted) return;
    if (this.app.catchUp(base, view)) this.executedNode = base.node;
  }

  private base(): ExecutedBase & { node: string } {
    return { seq: this.app.lastExecuted, state: this.app.state, node: this.executedNode };
  }

  private store(branch: readonly ChsNode[]): void {
    for (const raw of branch) {
      const known = typeof raw === 'object' && raw !== null && typeof (raw as Partial<ChsNode>).id === 'string' && this.nodes.has((raw as ChsNode).id);
      if (known) continue;
      const node = this.checkNode(raw);
      if (!node) continue;
      if (node.request && !this.host.isAuthentic(node.request)) continue;
      this.keep(node);
    }
    if (this.committedTip) this.executeCommitted(this.view);
  }

  /** A node as received: well formed, its justify a valid QC of its parent, its id the digest of its content; or null. */
  private checkNode(raw: unknown): ChsNode | null {
    const n = raw as Partial<ChsNode> | null;
    if (!n || typeof n !== 'object' || typeof n.parent !== 'string' || typeof n.id !== 'string' || !isWhole(n.height) || n.height < 1 || !isWhole(n.view)) return null;
    const request = n.request ?? null;
    if (request !== null && (typeof request !== 'object' || typeof request.digest !== 'string')) return null;
    const justify = n.justify;
    if (!this.validQC(justify) || justify.node !== n.parent || justify.height !== n.height - 1 || justify.view >= n.view) return null;
    if (n.id !== nodeId(n.parent, n.height, n.view, request?.digest ?? NULL_DIGEST, justify.view)) return null;
    return Object.freeze({ id: n.id, parent: n.parent, height: n.height, view: n.view, request, justify });
  }

  private payload(msg: Message): ChsPayload | string {
    const p = msg.payload as Partial<ChsPayload> | undefined;
    if (!p || typeof p !== 'object' || !Array.isArray(p.branch) || !isBase(p.base) || typeof p.base.node !== 'string') return 'malformed payload';
    if (!this.validQC(p.qc)) return 'invalid QC';
    return p as ChsPayload;
  }

  /** The genesis QC, or n − f distinct signed generic votes for its view and node. */
  private validQC(qc: unknown): qc is QC {
    if (qc === GENESIS_QC) return true;
    const q = qc as Partial<QC> | null;
    if (typeof q !== 'object' || q === null) return false;
    if (q.view === -1) return q.node === GENESIS_ID && q.height === 0 && Array.isArray(q.votes) && q.votes.length === 0;
    return signedQuorum(q, VOTE, this.n, this.quorum, this.host);
  }

  private extendsNode(node: ChsNode, ancestor: string): boolean {
    const target = this.nodes.get(ancestor);
    if (!target) return false;
    let at: ChsNode | undefined = node;
    while (at && at.height > target.height) at = this.nodes.get(at.parent);
    return at?.id === ancestor;
  }

  /** The node and its ancestors above height `h`, newest first. */
  private ancestorsAbove(node: ChsNode, h: number): ChsNode[] {
    const out: ChsNode[] = [];
    let at: ChsNode | undefined = node;
    while (at && at.height > h) {
      out.push(at);
      at = this.nodes.get(at.parent);
    }
    return out;
  }

  private reach(node: ChsNode, phase: SlotPhase, view: number, unseen = false): void {
    const before = unseen ? undefined : this.progress.of(node.id);
    if (before && RANK[before] >= RANK[phase]) return;
    if (node.id !== this.progress.newestId) this.progress.advance(node.id);
    this.progress.newest = phase;
    this.host.showPhase(this.id, view, node.height, node.request?.digest ?? NULL_DIGEST, phase);
  }

  // ───────────────────────────── what it shows ─────────────────────────────

  phaseOf(digest: string): SlotPhase | null {
    let best: SlotPhase | null = null;
    for (const s of this.slots()) if (s.digest === digest) best = s.phase;
    return best;
  }

  private slots(): SlotInspection[] {
    const out: SlotInspection[] = [];
    for (const [id, phase] of this.progress.entries()) {
      const node = this.nodes.get(id);
      if (!node) continue;
      const signers = (qc: QC) => (qc.node === id ? qc.votes.map((v) => v.sender).sort((a, b) => a - b) : []);
      out.push({
        seq: node.height,
        view: node.view,
        digest: node.request?.digest ?? NULL_DIGEST,
        phase,
        prepares: this.lockedQC.node === id ? this.lockedQC.votes.length : 0,
        prepareQuorum: this.quorum,
        commits: phase === 'executed' || phase === 'committed' ? this.quorum : 0,
        commitQuorum: this.quorum,
        proposer: this.leaderOf(node.view),
        prepareSigners: signers(this.lockedQC),
      });
    }
    return out.sort((a, b) => a.seq - b.seq || (a.view ?? 0) - (b.view ?? 0));
  }

  inspect(): ReplicaSelfInspection {
    const qcText = (qc: QC) => (qc.view < 0 ? 'genesis' : `view ${qc.view}, node ${qc.node} at height ${qc.height}, signed by ${qc.votes.map((v) => v.sender).join(', ')}`);
    return inspectionWithoutCheckpoints(this, 'view', this.app.pending.size, this.slots(), [
      { name: 'curView', value: String(this.view) },
      { name: 'genericQC', value: qcText(this.genericQC) },
      { name: 'lockedQC', value: qcText(this.lockedQC) },
    ]);
  }

  private emit(event: TraceDraft): void {
    this.host.emit(this.id, event);
  }
}

/** `child` directly extends `parent`: its parent, proposed in the view just before (the paper's dummy-free b'.parent = b). */
function direct(child: ChsNode, parent: ChsNode): boolean {
  return child.parent === parent.id && child.view === parent.view + 1;
}
