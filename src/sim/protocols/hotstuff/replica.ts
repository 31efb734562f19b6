/**
 * Basic HotStuff (Yin, Malkhi, Reiter, Gueta, Abraham, PODC 2019, Algorithm 2), one replica.
 *
 * Nodes form a tree: a node names its parent, its height (the parent's + 1: the sequence number the execution log and
 * the checker use), the view it was proposed in and one client request. A node's id is the digest of all four, so a
 * node is whatever its content says and nobody can pass off one node as another.
 *
 * Per view v, led by replica v mod n:
 * - the leader waits for n − f NEW-VIEWs (each carries the sender's prepareQC; view 0 starts from the genesis QC),
 *   takes the highest as highQC, makes a leaf extending highQC.node with a waiting request and multicasts
 *   PREPARE(leaf, highQC); a replica votes PREPARE iff the leaf extends highQC.node and safeNode(leaf, highQC): the leaf
 *   extends lockedQC.node, or highQC.view > lockedQC.view;
 * - n − f PREPARE votes make prepareQC: the leader multicasts PRE-COMMIT(prepareQC), a replica keeps it as its
 *   prepareQC and votes PRE-COMMIT; n − f of those make precommitQC: COMMIT(precommitQC), a replica locks on it
 *   (lockedQC) and votes COMMIT; n − f of those make commitQC: DECIDE(commitQC), a replica executes the branch up to
 *   the node and replies to the client;
 * - then (or when its view timer fires) it enters v + 1 and sends NEW-VIEW(prepareQC) to the next leader.
 *
 * A QC is n − f signed votes (the simulation's signatures: it can only be built from votes really sent), and every
 * receiver checks it. Votes go to the leader only, so a decision costs about 8(n − 1) messages.
 *
 * Where the simulation adds to Algorithm 2 (the paper leaves these to the pacemaker and the network): a leader proposes
 * only when a request waits, or with no request (the null command) when the branch it extends holds requests not yet
 * committed — a node is committed through its descendants; a replica that hears the leader of a later view with a valid QC joins that view; a leader
 * holding n − f NEW-VIEWs for a later view joins it; the view timer (T · 2^k, k = views since the highest QC this
 * replica knows) runs only while a request waits; a leader's messages carry its branch above what it executed and where
 * its execution stands, so a replica that missed nodes or decisions catches up by state transfer; and, as the network
 * loses messages for good, each replica says again what it said in its view (its NEW-VIEW, its votes, a leader's last
 * phase message) while it sees no progress, backing off and resting after a while, as PBFT's retransmission does.
 */
import { hex, NULL_DIGEST } from '../../messages';
import { fnv1a } from '../../rng';
import type { ClientRequest, Message, MessageType, NodeId, OutgoingMessage, SlotPhase, SlotInspection } from '../../types';
import type { ExecutedEntry, ReplicaConfig, ReplicaHost, ReplicaModel, ReplicaSelfInspection, ReplicaTimer, TraceDraft } from '../contract';
import { Application, inspectionWithoutCheckpoints, isBase, type ExecutedBase } from '../shared';
import { FUTURE_VIEWS, freezeVote, isWhole, KEPT, MAX_DOUBLINGS, Progress, RANK, Repeater, signedQuorum, Tally, VALID_QCS, type SignedVote } from './common';
import { leaderOf } from './descriptor';

export type { SignedVote } from './common';


export type Phase = 'prepare' | 'pre-commit' | 'commit';
const PHASES: readonly Phase[] = ['prepare', 'pre-commit', 'commit'];
export const VOTE_OF: Record<Phase, MessageType> = { prepare: 'HS_VOTE_PREPARE', 'pre-commit': 'HS_VOTE_PRE_COMMIT', commit: 'HS_VOTE_COMMIT' };
/** The leader's message that carries the QC of each phase (the QC a PREPARE carries is highQC, of phase prepare). */
const CARRIER: Record<Phase, MessageType> = { prepare: 'HS_PRE_COMMIT', 'pre-commit': 'HS_COMMIT', commit: 'HS_DECIDE' };

export interface HsNode {
  id: string;
  parent: string;
  height: number;
  view: number;
  request: ClientRequest | null;
}


export interface QC {
  phase: Phase;
  view: number;
  node: string;
  height: number;
  votes: readonly SignedVote[];
}

export const GENESIS_ID = 'genesis';
const GENESIS: HsNode = Object.freeze({ id: GENESIS_ID, parent: '', height: 0, view: -1, request: null });
export const GENESIS_QC: QC = Object.freeze({ phase: 'prepare', view: -1, node: GENESIS_ID, height: 0, votes: Object.freeze([]) as readonly SignedVote[] });

/** What the leader's messages carry besides their header. */
export interface LeaderPayload {
  /** PREPARE: highQC; the others: the QC of the phase before. */
  qc: QC;
  /**
   * The nodes above the leader's executed height that the message's node grows from, newest first (PREPARE: the leaf's
   * ancestors — the leaf itself is made by each receiver from the header, so a lie about it is a genuine other leaf;
   * the others: the node too, so a replica that missed the PREPARE learns it).
   */
  branch: readonly HsNode[];
  /** Where the leader's execution stands, and on which node (state transfer for a replica that missed decisions). */
  base: ExecutedBase & { node: string };
}

export interface NewViewPayload {
  qc: QC;
  /**
   * The commitQC of the last view it decided, if any: a leader whose own DECIDE is late learns the commit from it, and
   * does not propose an empty leaf only to commit a branch that is already committed.
   */
  decided?: QC;
}

export function nodeId(parent: string, height: number, view: number, requestDigest: string): string {
  return hex(fnv1a(`hs|${parent}|${height}|${view}|${requestDigest}`));
}

/** Everything in a signed vote that a QC check reads; what its signature covers is the header (no payload). */
export function payloadDigest(type: string, payload: unknown): string {
  // Votes carry no payload; leader messages and NEW-VIEWs are not signed (their QCs are made of signed votes).
  return payload === undefined ? '' : type;
}

export const HOTSTUFF_SIGNED = new Set<string>(Object.values(VOTE_OF));






export class HotStuffReplica implements ReplicaModel {
  readonly id: NodeId;
  view = 0;
  readonly viewChanging = false;
  timer: { startedAt: number; deadline: number } | null = null;
  readonly lowWatermark = 0;
  readonly highWatermark = Number.MAX_SAFE_INTEGER;

  prepareQC: QC = GENESIS_QC;
  lockedQC: QC = GENESIS_QC;
  /** The highest view of any valid QC it has seen: the pacemaker's measure of progress. */
  private progressView = -1;

  private readonly n: number;
  private readonly f: number;
  private readonly host: ReplicaHost;
  private readonly baseTimeout: number;
  private readonly app: Application;
  private readonly nodes = new Map<string, HsNode>([[GENESIS_ID, GENESIS]]);
  /** The node it stored last (see `node`). */
  private newest: HsNode = GENESIS;
  /** The node its execution stands on. */
  private executedNode = GENESIS_ID;
  /** The highest node it knows committed but could not execute yet (an ancestor missing). */
  private committedTip: string | null = null;
  /** QCs found valid: every replica of the world that made them (frozen objects: each is checked once, by the first reader). */
  private readonly validQCs = VALID_QCS;
  /** The last view in which it voted in each phase (one vote per phase per view). */
  private readonly votedIn: Record<Phase, number> = { prepare: -1, 'pre-commit': -1, commit: -1 };
  /** Where it stands per node, for `reach` and the inspector. */
  private readonly progress = new Progress();

  // Leader state.
  /** NEW-VIEWs by view: sender → the prepareQC it carried. */
  private readonly newViews = new Map<number, Map<NodeId, QC>>();
  private proposal: { view: number; node: HsNode; highQC: QC } | null = null;
  /** Votes for its proposal, by phase: sender → the signed vote. */
  private readonly votes: Record<Phase, Tally>;
  /** The phases whose QC it formed in its view. */
  private formed = new Set<Phase>();
  /** What it said in its current view, said again while it sees no progress. */
  private readonly repeater: Repeater;

  constructor(config: ReplicaConfig, host: ReplicaHost) {
    this.id = config.id;
    this.n = config.n;
    this.f = config.f;
    this.host = host;
    this.baseTimeout = config.viewChangeTimeoutMs;
    this.repeater = new Repeater(config.id, host, config.viewChangeTimeoutMs);
    this.app = new Application(config.id, host);
    this.votes = { prepare: new Tally(config.n), 'pre-commit': new Tally(config.n), commit: new Tally(config.n) };
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
      case 'REQUEST':
        return this.onRequest(msg, from);
      case 'HS_NEW_VIEW':
        return this.onNewView(msg, from);
      case 'HS_PREPARE':
        return this.onPrepare(msg, from);
      case 'HS_PRE_COMMIT':
        return this.onPhaseQC(msg, from, 'prepare');
      case 'HS_COMMIT':
        return this.onPhaseQC(msg, from, 'pre-commit');
      case 'HS_DECIDE':
        return this.onPhaseQC(msg, from, 'commit');
      case 'HS_VOTE_PREPARE':
        return this.onVote(msg, from, 'prepare');
      case 'HS_VOTE_PRE_COMMIT':
        return this.onVote(msg, from, 'pre-commit');
      case 'HS_VOTE_COMMIT':
        return this.onVote(msg, from, 'commit');
      default:
        return `HotStuff has no ${msg.type}`;
    }
  }

  private onRequest(msg: Message, from: NodeId): string | undefined {
    const ignored = this.app.onRequest(msg, from, this.view, this.relay);
    this.armTimer();
    this.tryPropose();
    return ignored;
  }

  /** Relays a request from the client to every replica (made once: a closure per REQUEST was garbage per message). */
  private readonly relay = (request: ClientRequest): void => {
    this.host.multicast(this.id, { type: 'REQUEST', view: this.view, seq: 0, digest: request.digest, request, timestamp: request.timestamp });
  };

  private onNewView(msg: Message, from: NodeId): string | undefined {
    if (this.leaderOf(msg.view) !== this.id) return 'NEW-VIEW for a view it does not lead';
    if (msg.view < this.view || (msg.view === this.view && this.proposal?.view === this.view)) return 'stale NEW-VIEW';
    if (msg.view > this.view + FUTURE_VIEWS * this.n) return 'NEW-VIEW too far ahead';
    const qc = (msg.payload as Partial<NewViewPayload> | undefined)?.qc;
    if (!this.validQC(qc, 'prepare')) return 'NEW-VIEW carries an invalid prepareQC';
    const decided = (msg.payload as Partial<NewViewPayload>).decided;
    if (decided !== undefined && this.validQC(decided, 'commit')) this.decided(decided);
    // The sender has not executed what this leader knows decided (its DECIDE was lost): it is told again — a commitQC
    // proves itself, whoever relays it.
    if (this.decidedQC && msg.seq < this.decidedQC.height) {
      const node = this.nodes.get(this.decidedQC.node);
      if (node) this.host.send(this.id, from, { type: 'HS_DECIDE', view: this.decidedQC.view, seq: node.height, digest: node.id, payload: { qc: this.decidedQC, branch: this.ancestorsAbove(node, msg.seq), base: this.base() } satisfies LeaderPayload, retransmit: 'answer' });
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

  private onPrepare(msg: Message, from: NodeId): string | undefined {
    if (from !== this.leaderOf(msg.view)) return 'PREPARE not from the leader of its view';
    const p = this.leaderPayload(msg);
    if (typeof p === 'string') return p;
    const request = msg.digest === NULL_DIGEST && !msg.request ? null : msg.request;
    if (request === undefined || (request && (request.digest !== msg.digest || !this.host.isAuthentic(request)))) return 'PREPARE carries no genuine request';
    if (msg.view < this.view) return 'stale view';
    if (msg.seq !== p.qc.height + 1) return 'the leaf does not extend its highQC';
    this.join(msg.view, p.qc);
    this.syncTo(p.base, msg.view);
    this.store(p.branch);
    // The leaf extends highQC.node by construction: its parent is the node the QC certifies.
    const leaf = leafOf(p, msg.view, msg.seq, msg.digest, request);
    // A leaf it never held (above what it may have forgotten) has no progress recorded either: `reach` need not look.
    // A leaf it did not hold grows the map: one Map operation tells and stores (a node with the same id has the same
    // content, so storing it again changes nothing).
    let unseen = false;
    if (leaf.id !== this.newest.id) {
      const held = this.nodes.size;
      this.keep(leaf);
      unseen = this.nodes.size > held;
    }
    if (this.votedIn.prepare >= msg.view) return 'already voted PREPARE in this view';
    // safeNode: the leaf extends the locked branch, or its justify is newer than the lock.
    if (!(this.extendsNode(leaf, this.lockedQC.node) || p.qc.view > this.lockedQC.view)) return `not safe: does not extend the lock (${this.lockedQC.node}) and highQC is not newer`;
    this.votedIn.prepare = msg.view;
    this.reach(leaf.id, 'pre-prepared', msg.view, leaf, unseen && leaf.height >= this.forgottenBelow);
    this.vote('prepare', msg.view, leaf);
    return undefined;
  }

  private onPhaseQC(msg: Message, from: NodeId, phase: Phase): string | undefined {
    const p = this.leaderPayload(msg);
    if (typeof p === 'string') return p;
    const qc = p.qc;
    if (qc.phase !== phase || qc.view !== msg.view || qc.node !== msg.digest) return 'the QC is not of this message';
    this.syncTo(p.base, msg.view);
    this.store(p.branch);
    if (phase === 'commit') {
      this.decided(qc);
      if (msg.view >= this.view) this.enterView(msg.view + 1, true);
      return undefined;
    }
    if (from !== this.leaderOf(msg.view)) return 'not from the leader of its view';
    if (msg.view < this.view) return 'stale view';
    this.join(msg.view, qc);
    const node = this.node(qc.node);
    if (!node) return 'unknown node';
    if (phase === 'prepare') {
      if (this.votedIn['pre-commit'] >= msg.view) return 'already voted PRE-COMMIT in this view';
      this.prepareQC = qc;
      this.votedIn['pre-commit'] = msg.view;
      this.reach(node.id, 'pre-prepared', msg.view, node);
      this.vote('pre-commit', msg.view, node);
    } else {
      if (this.votedIn.commit >= msg.view) return 'already voted COMMIT in this view';
      this.lockedQC = qc;
      this.votedIn.commit = msg.view;
      this.reach(node.id, 'prepared', msg.view, node);
      this.vote('commit', msg.view, node);
    }
    return undefined;
  }

  /** Leader: a vote for its proposal; n − f of them make the phase's QC. */
  private onVote(msg: Message, from: NodeId, phase: Phase): string | undefined {
    const proposal = this.proposal;
    if (!proposal || msg.view !== proposal.view || msg.view !== this.view) return 'not a vote for its current proposal';
    if (msg.digest !== proposal.node.id || msg.seq !== proposal.node.height) return 'a vote for another node';
    // Votes beyond the n − f of a QC already formed add nothing to it: not checked (a signature check is the vote's
    // main cost, and at n = 64 a third of the votes arrive after the quorum).
    if (this.formed.has(phase)) return 'its QC is already formed';
    if (!this.host.verify(msg)) return 'vote not signed by its sender';
    this.votes[phase].set(from, freezeVote(msg));
    this.tryForm(phase);
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
    // No QC for a while: move on, and say so to the next leader.
    this.host.showTimer(this.id, 'stop', this.host.now());
    this.emit({ kind: 'view-change', replica: this.id, view: this.view + 1 });
    this.enterView(this.view + 1, true);
  }

  // ───────────────────────────── leader ─────────────────────────────

  private tryPropose(): void {
    const v = this.view;
    if (this.leaderOf(v) !== this.id || this.proposal?.view === v) return;
    // highQC: the highest prepareQC of n − f NEW-VIEWs (its own counts as one); view 0 starts from genesis.
    let highQC = this.prepareQC;
    if (v > 0) {
      const got = this.newViews.get(v);
      if (!got || got.size + (got.has(this.id) ? 0 : 1) < this.quorum) return;
      for (const qc of got.values()) if (qc.view > highQC.view) highQC = qc;
    }
    const parent = this.nodes.get(highQC.node);
    if (!parent) return;
    // A request already on the branch it extends is not proposed again.
    const onBranch = new Set<string>();
    for (const n of this.ancestors(parent)) if (n.request) onBranch.add(n.request.digest);
    const waiting = [...this.app.pending.values()].filter((r) => !onBranch.has(r.digest));
    const chosen = this.host.proposals(this.id, waiting, 1)[0] ?? null;
    if (!chosen && onBranch.size === 0) return;
    const digest = chosen?.digest ?? NULL_DIGEST;
    const leaf: HsNode = Object.freeze({ id: nodeId(parent.id, parent.height + 1, v, digest), parent: parent.id, height: parent.height + 1, view: v, request: chosen });
    this.keep(leaf);
    this.proposal = { view: v, node: leaf, highQC };
    for (const phase of PHASES) this.votes[phase].clear();
    this.formed = new Set();
    this.newViews.delete(v);
    const payload: LeaderPayload = { qc: highQC, branch: this.branchAbove(parent), base: this.base() };
    // The receivers make the same leaf from the header; they find it made.
    LEAVES.set(payload, leaf);
    this.say(null, { type: 'HS_PREPARE', view: v, seq: leaf.height, digest, ...(chosen ? { request: chosen } : {}), payload });
    // The leader is a replica too: it votes for its own proposal, if safe.
    const safe = this.extendsNode(leaf, this.lockedQC.node) || highQC.view > this.lockedQC.view;
    if (safe && this.votedIn.prepare < v) {
      this.votedIn.prepare = v;
      this.reach(leaf.id, 'pre-prepared', v, leaf);
      this.vote('prepare', v, leaf);
    }
  }

  private tryForm(phase: Phase): void {
    const proposal = this.proposal;
    if (!proposal || this.formed.has(phase) || this.votes[phase].size < this.quorum) return;
    this.formed.add(phase);
    const node = proposal.node;
    const qc: QC = Object.freeze({ phase, view: proposal.view, node: node.id, height: node.height, votes: Object.freeze(this.votes[phase].list.slice(0, this.quorum)) });
    this.validQCs.add(qc);
    this.learnQC(qc);
    const payload: LeaderPayload = { qc, branch: this.branchAbove(node), base: this.base() };
    // The leader's last phase message stands for the ones before it when it is said again.
    this.repeater.words = this.repeater.words.filter((w) => w.to !== null);
    this.say(null, { type: CARRIER[phase], view: proposal.view, seq: node.height, digest: node.id, payload });
    // And as a replica, it takes its own message.
    if (phase === 'prepare' && this.votedIn['pre-commit'] < proposal.view) {
      this.prepareQC = qc;
      this.votedIn['pre-commit'] = proposal.view;
      this.vote('pre-commit', proposal.view, node);
    } else if (phase === 'pre-commit' && this.votedIn.commit < proposal.view) {
      this.lockedQC = qc;
      this.votedIn.commit = proposal.view;
      this.reach(node.id, 'prepared', proposal.view, node);
      this.vote('commit', proposal.view, node);
    } else if (phase === 'commit') {
      this.decided(qc);
      this.enterView(proposal.view + 1, true);
    }
  }

  // ───────────────────────────── replica ─────────────────────────────

  private vote(phase: Phase, view: number, node: HsNode): void {
    const leader = this.leaderOf(view);
    const fields: OutgoingMessage = { type: VOTE_OF[phase], view, seq: node.height, digest: node.id };
    if (leader !== this.id) {
      this.say(leader, fields);
      return;
    }
    // Its own vote never travels: it signs it for its QC.
    const own: SignedVote = Object.freeze({ type: fields.type, view, seq: fields.seq, digest: fields.digest, sender: this.id, sig: this.host.sign(this.id, { type: fields.type, view, seq: fields.seq, digest: fields.digest, sender: this.id }) });
    this.votes[phase].set(this.id, own);
    this.tryForm(phase);
  }

  /** Moves to `view` (sending NEW-VIEW with its prepareQC to its leader when `announce`). */
  private enterView(view: number, announce: boolean): void {
    if (view <= this.view) return;
    this.view = view;
    this.repeater.forget();
    this.host.showView(this.id, view, this.leaderOf(view));
    if (announce) {
      const leader = this.leaderOf(view);
      const payload: NewViewPayload = this.decidedQC ? { qc: this.prepareQC, decided: this.decidedQC } : { qc: this.prepareQC };
      const fields: OutgoingMessage = { type: 'HS_NEW_VIEW', view, seq: this.app.lastExecuted, digest: '', payload };
      if (leader === this.id) {
        let senders = this.newViews.get(view);
        if (!senders) this.newViews.set(view, (senders = new Map()));
        senders.set(this.id, this.prepareQC);
      } else this.say(leader, fields);
    }
    // Only a leader holds NEW-VIEWs; walking an empty map that once held some still costs (its deleted slots).
    if (this.newViews.size > 0) for (const v of this.newViews.keys()) if (v < view) this.newViews.delete(v);
    this.armTimer(true);
    this.tryPropose();
  }

  /** Sends (to one replica, or multicasts when `to` is null) and remembers it for retransmission. */
  private say(to: NodeId | null, fields: OutgoingMessage): void {
    this.repeater.say(to, fields);
  }


  /** A valid message of the leader of a later view: it joins that view (no NEW-VIEW: the leader already has a quorum). */
  private join(view: number, qc: QC): void {
    this.learnQC(qc);
    if (view > this.view) this.enterView(view, false);
  }

  private learnQC(qc: QC): void {
    if (qc.view > this.progressView) {
      this.progressView = qc.view;
      if (this.timer) this.armTimer(true);
    }
    if (qc.phase === 'prepare' && qc.view > this.prepareQC.view) this.prepareQC = qc;
  }

  /** The view timer runs while a request waits: T · 2^k, k = views since the highest QC it knows. */
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
    const k = Math.min(MAX_DOUBLINGS, Math.max(0, this.view - this.progressView - 1));
    const delay = this.baseTimeout * 2 ** k;
    const now = this.host.now();
    this.timer = { startedAt: now, deadline: now + delay };
    // A restart that only puts the deadline off leaves the host's timer as it is: when it fires early, it is set again
    // for the rest (one scheduled event per view instead of one per QC: the hot path).
    if (this.hostTimerAt === null || this.hostTimerAt > now + delay) {
      this.hostTimerAt = now + delay;
      this.host.setTimer(this.id, delay);
    }
    this.host.showTimer(this.id, 'start', now + delay);
  }

  /** When the host's view timer will fire (null: none set). */
  private hostTimerAt: number | null = null;

  /** The newest commitQC it knows (what its next NEW-VIEW tells the leader, and what it answers a laggard with). */
  private decidedQC: QC | null = null;

  /**
   * A valid commitQC, however it came (a DECIDE, its own votes as leader, a NEW-VIEW that carried it): its branch is
   * committed, and it is kept to relay. One learnt from a NEW-VIEW was once committed but not kept, so a leader that
   * heard of the decision only that way never answered the laggards' NEW-VIEWs with it; with the deciding leader silent
   * from then on, they never executed and the client never had f + 1 replies (found by the attack search: omit, then silent).
   */
  private decided(qc: QC): void {
    if (!this.decidedQC || qc.view > this.decidedQC.view) this.decidedQC = qc;
    this.commit(qc.node, qc.view);
  }

  /** Commits `tip` and its ancestors: executes what it can, in height order. */
  private commit(tip: string, view: number): void {
    const node = this.node(tip);
    const current = this.committedTip ? this.node(this.committedTip) : undefined;
    if (!current || (node && node.height > current.height)) this.committedTip = tip;
    this.executeCommitted(view);
  }

  private executeCommitted(view: number): void {
    const tip = this.committedTip ? this.node(this.committedTip) : undefined;
    if (!tip) return;
    const branch: HsNode[] = [];
    let at: HsNode | undefined = tip;
    while (at && at.height > this.app.lastExecuted) {
      branch.push(at);
      at = this.nodes.get(at.parent);
    }
    // A missing ancestor, or a branch that does not grow from what it executed: it waits (state transfer may come).
    if (!at || at.id !== this.executedNode) return;
    for (let k = branch.length - 1; k >= 0; k--) {
      const node = branch[k];
      this.executedNode = node.id;
      this.progress.set(node.id, 'executed');
      this.app.execute(node.height, view, node.request, node.request?.digest ?? NULL_DIGEST);
    }
    this.committedTip = null;
    if (this.nodes.size > 2 * KEPT) {
      const lowest = Math.min(this.app.lastExecuted, this.lockedQC.height, this.prepareQC.height, this.decidedQC?.height ?? Infinity);
      this.forgetNodesBelow(lowest - KEPT);
    }
    this.progressView = Math.max(this.progressView, view);
    this.armTimer(true);
  }

  /**
   * The node with this id, if it holds it. The newest node it stored answers first: nearly every phase message is about
   * it, and at large n the map of every node is cold in the cache by the time the next message comes.
   */
  private node(id: string): HsNode | undefined {
    return id === this.newest.id ? this.newest : this.nodes.get(id);
  }

  private keep(node: HsNode): void {
    this.nodes.set(node.id, node);
    this.newest = node;
  }

  /**
   * Forgets nodes below height `h` (genesis apart): every rule reads nodes from its lock, its QCs or what it executed
   * upwards, and those stand far above `h`.
   */
  private forgetNodesBelow(h: number): void {
    if (h <= this.forgottenBelow) return;
    this.forgottenBelow = h;
    for (const [id, node] of this.nodes) if (node.height < h && id !== GENESIS_ID) this.nodes.delete(id);
  }

  /** Every node it ever held at or above this height it still holds (genesis apart, none below it are). */
  private forgottenBelow = 0;

  /** A leader's word on where its execution stands: behind it, this replica fetches the history it missed. */
  private syncTo(base: ExecutedBase & { node: string }, view: number): void {
    if (base.seq <= this.app.lastExecuted) return;
    if (this.app.catchUp(base, view)) this.executedNode = base.node;
  }

  private base(): ExecutedBase & { node: string } {
    // Spelled out: a spread of the getter's object costs two objects and a generic copy per leader message.
    return { seq: this.app.lastExecuted, state: this.app.state, node: this.executedNode };
  }

  private store(branch: readonly HsNode[]): void {
    for (const raw of branch) {
      // A node it holds is never replaced (the one it holds is genuine), so a known id needs no check: the common case,
      // as every phase message carries its node again.
      const known = typeof raw === 'object' && raw !== null && typeof (raw as Partial<HsNode>).id === 'string' && ((raw as HsNode).id === this.newest.id || this.nodes.has((raw as HsNode).id));
      if (known) continue;
      const node = checkNode(raw);
      if (!node) continue;
      if (node.request && !this.host.isAuthentic(node.request)) continue;
      this.keep(node);
    }
    if (this.committedTip) this.executeCommitted(this.view);
  }

  // ───────────────────────────── checks ─────────────────────────────

  private leaderPayload(msg: Message): LeaderPayload | string {
    const p = msg.payload as Partial<LeaderPayload> | undefined;
    if (!p || typeof p !== 'object' || !Array.isArray(p.branch) || !isBase(p.base) || typeof p.base.node !== 'string') return 'malformed payload';
    const phase: Phase = msg.type === 'HS_PREPARE' || msg.type === 'HS_PRE_COMMIT' ? 'prepare' : msg.type === 'HS_COMMIT' ? 'pre-commit' : 'commit';
    if (!this.validQC(p.qc, phase)) return 'invalid QC';
    return p as LeaderPayload;
  }

  /** n − f distinct signed votes of the QC's phase, view and node: a QC only votes really sent can make. */
  private validQC(qc: unknown, phase: Phase): qc is QC {
    if (qc === GENESIS_QC) return phase === 'prepare';
    const q = qc as Partial<QC> | null;
    if (typeof q !== 'object' || q === null || q.phase !== phase) return false;
    return signedQuorum(q, VOTE_OF[phase], this.n, this.quorum, this.host);
  }

  /** Whether `node` is `ancestor` or descends from it (walking parent links; an unknown link counts as no). */
  private extendsNode(node: HsNode, ancestor: string): boolean {
    const target = this.nodes.get(ancestor);
    if (!target) return false;
    let at: HsNode | undefined = node;
    while (at && at.height > target.height) at = this.nodes.get(at.parent);
    return at?.id === ancestor;
  }

  private ancestors(node: HsNode): HsNode[] {
    const out: HsNode[] = [];
    let at: HsNode | undefined = node;
    while (at && at.height > this.app.lastExecuted) {
      out.push(at);
      at = this.nodes.get(at.parent);
    }
    return out;
  }

  /** The node and its ancestors above height `h`. */
  private ancestorsAbove(node: HsNode, h: number): HsNode[] {
    const out: HsNode[] = [];
    let at: HsNode | undefined = node;
    while (at && at.height > h) {
      out.push(at);
      at = this.nodes.get(at.parent);
    }
    return out;
  }

  /** The node and its ancestors above what this leader executed: what a replica may lack to execute it later. */
  private branchAbove(node: HsNode): HsNode[] {
    return this.ancestors(node);
  }

  /** Records progress on a node (forward only); `unseen`: the node is new to it, so nothing is recorded yet. */
  private reach(id: string, phase: SlotPhase, view: number, node: HsNode, unseen = false): void {
    const progress = this.progress;
    const newest = id === progress.newestId;
    const before = newest ? progress.newest : unseen ? undefined : progress.of(id);
    if (before && RANK[before] >= RANK[phase]) return;
    // A node's steps are kept in place while it is the newest: one entry per node, written when the next one comes.
    if (!newest) progress.advance(id);
    progress.newest = phase;
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
      const mine = this.proposal?.node.id === id;
      const qcFor = (qc: QC) => (qc.node === id ? qc.votes.map((v) => v.sender).sort((a, b) => a - b) : []);
      out.push({
        seq: node.height,
        view: node.view,
        digest: node.request?.digest ?? NULL_DIGEST,
        phase,
        prepares: mine ? this.votes['pre-commit'].size : this.lockedQC.node === id ? this.lockedQC.votes.length : 0,
        prepareQuorum: this.quorum,
        commits: mine ? this.votes.commit.size : phase === 'executed' || phase === 'committed' ? this.quorum : 0,
        commitQuorum: this.quorum,
        proposer: this.leaderOf(node.view),
        prepareSigners: qcFor(this.lockedQC),
      });
    }
    return out.sort((a, b) => a.seq - b.seq || (a.view ?? 0) - (b.view ?? 0));
  }

  inspect(): ReplicaSelfInspection {
    const qcText = (qc: QC) => (qc === GENESIS_QC ? 'genesis' : `view ${qc.view}, node ${qc.node} at height ${qc.height}, signed by ${qc.votes.map((v) => v.sender).join(', ')}`);
    return inspectionWithoutCheckpoints(this, 'view', this.app.pending.size, this.slots(), [
      { name: 'curView', value: String(this.view) },
      { name: 'prepareQC', value: qcText(this.prepareQC) },
      { name: 'lockedQC', value: qcText(this.lockedQC) },
    ]);
  }

  private emit(event: TraceDraft): void {
    this.host.emit(this.id, event);
  }
}


/**
 * The leaf a PREPARE's receivers make, by the payload it came with: every receiver of one multicast shares the payload
 * and would hash the same four fields. A hit counts only when all four match (a liar may reuse a payload under another
 * header), so what comes out is exactly what `nodeId` would give.
 */
const LEAVES = new WeakMap<object, HsNode>();

function leafOf(p: LeaderPayload, view: number, height: number, digest: string, request: ClientRequest | null): HsNode {
  const parent = p.qc.node;
  const known = LEAVES.get(p);
  if (known && known.view === view && known.height === height && known.parent === parent && (known.request?.digest ?? NULL_DIGEST) === digest) return known;
  const leaf: HsNode = Object.freeze({ id: nodeId(parent, height, view, digest), parent, height, view, request });
  LEAVES.set(p, leaf);
  return leaf;
}

/** A node as received: well formed and its id the digest of its content, or null. */
function checkNode(raw: unknown): HsNode | null {
  const n = raw as Partial<HsNode> | null;
  if (!n || typeof n !== 'object' || typeof n.parent !== 'string' || typeof n.id !== 'string' || !isWhole(n.height) || n.height < 1 || !Number.isInteger(n.view)) return null;
  const request = n.request ?? null;
  if (request !== null && (typeof request !== 'object' || typeof request.digest !== 'string')) return null;
  if (n.id !== nodeId(n.parent, n.height, n.view as number, request?.digest ?? NULL_DIGEST)) return null;
  return Object.freeze({ id: n.id, parent: n.parent, height: n.height, view: n.view as number, request });
}
