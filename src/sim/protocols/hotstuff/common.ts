/**
 * What basic HotStuff (./replica.ts) and Chained HotStuff (../chained/replica.ts) share: a signed vote and the check that
 * a certificate is n − f of them, the pacemaker's and retransmission's constants, and the small structures a replica
 * keeps per node (its progress) and a leader per proposal (its tally of votes). One copy, so the two protocols differ
 * only where the papers' algorithms do.
 */
import type { Message, NodeId, OutgoingMessage, SlotPhase } from '../../types';
import type { ReplicaHost } from '../contract';

/** A vote as signed: type (its phase), view, seq = the node's height, digest = the node's id, its sender. */
export type SignedVote = OutgoingMessage & { sender: NodeId; sig: number };

/** What a certificate says it certifies, and the votes it is made of. */
export interface Certified {
  view: number;
  node: string;
  height: number;
  votes: readonly SignedVote[];
}

/**
 * The view timer doubles with each view that brings no new QC, as PBFT's does (§4.5.2), with no cap a run can reach
 * (2^40 T is years of virtual time; the bound only keeps the number finite). The doubling is what brings the honest
 * replicas into one view after the network calms: one that went ahead alone waits 2^k T in its view while the others
 * pass through every view below it in less. A cap of 2^12 broke that — once every timer was at the cap, a replica
 * the adversary had pushed two views ahead stayed two views ahead for ever, and with f silent the others never had
 * n − f in one view (found by the attack search: n = 7, 0 and 1 silent, replica 3's timer fired 13 times before the calm).
 */
export const MAX_DOUBLINGS = 40;
/** How many views of NEW-VIEWs a leader keeps ahead of its own. */
export const FUTURE_VIEWS = 64;
/** Retransmission: after T/2, T, 2T … at most T/2 · 2^3 apart, and it rests after this many. */
export const MAX_RESEND_DOUBLINGS = 3;
export const MAX_RESENDS = 8;

/**
 * Frozen QCs already found valid. A QC object lives in one world only (it is made by that world's replicas from that
 * world's signatures) and its validity there is the same for every replica, so the check is shared.
 */
export const VALID_QCS = new WeakSet<object>();

/**
 * How many heights of nodes it keeps below the lowest it may still read (what it executed, its lock, its prepareQC, the
 * commitQC it relays): the rest is history nobody reads. They are cut back in one go when the map reaches twice that —
 * deleting the oldest entry of a Map one at a time walks past every entry deleted before it, a cost that grew with the
 * run. A hundred-odd heights, not thousands: the replicas' maps are then small enough to stay warm in the cache (each
 * new node's entry was the dearest single step of a decision at n = 16 with 512), and a replica further behind than that
 * is brought up by state transfer, not by these nodes.
 */
export const KEPT = 128;

/** How many entries of older nodes' progress it keeps (see Progress). */
const PROGRESS_KEPT = 64;

/**
 * Where a replica stands per node, for `reach` and the inspector: the newest node's progress in two fields (nearly every
 * phase message is about it), older nodes' in a ring of the last PROGRESS_KEPT entries written, a later entry winning.
 * A ring rather than a Map: a write is two array stores and no table to hash into (at n = 64 the 64 replicas' tables
 * were cold in the cache at every write). Only `reach` reads an older node's entry, by a scan: a phase message of an
 * older view is stale before it is read, and a view brings at most three nodes to `reach` (one per vote it casts), so
 * the entries it may need are among the last few.
 */
export class Progress {
  newestId = '';
  newest: SlotPhase | undefined = undefined;
  private readonly ids: string[] = [];
  private readonly phases: SlotPhase[] = [];
  /** Where the next entry goes once the ring is full. */
  private next = 0;

  /** A node's last recorded progress, if any is kept. */
  of(id: string): SlotPhase | undefined {
    if (id === this.newestId) return this.newest;
    const size = this.ids.length;
    for (let k = 1; k <= size; k++) {
      const at = (this.next - k + size) % size;
      if (this.ids[at] === id) return this.phases[at];
    }
    return undefined;
  }

  /** `id` becomes the newest node, with no progress yet; the one before goes into the ring. */
  advance(id: string): void {
    if (this.newest !== undefined) this.write(this.newestId, this.newest);
    this.newestId = id;
    this.newest = undefined;
  }

  /** Records a node's progress (executed: in place for the newest, an entry for an older one). */
  set(id: string, phase: SlotPhase): void {
    if (id === this.newestId) this.newest = phase;
    else this.write(id, phase);
  }

  /** Every node's progress kept, each node once (its last entry), oldest first. */
  entries(): Array<[string, SlotPhase]> {
    const last = new Map<string, SlotPhase>();
    const size = this.ids.length;
    const start = size < PROGRESS_KEPT ? 0 : this.next;
    for (let k = 0; k < size; k++) {
      const at = (start + k) % size;
      last.delete(this.ids[at]);
      last.set(this.ids[at], this.phases[at]);
    }
    if (this.newest !== undefined) {
      last.delete(this.newestId);
      last.set(this.newestId, this.newest);
    }
    return [...last];
  }

  private write(id: string, phase: SlotPhase): void {
    if (this.ids.length < PROGRESS_KEPT) {
      this.ids.push(id);
      this.phases.push(phase);
      return;
    }
    this.ids[this.next] = id;
    this.phases[this.next] = phase;
    this.next = (this.next + 1) % PROGRESS_KEPT;
  }
}

/**
 * The votes for the leader's proposal in one phase, in the order they came (a QC takes the first n − f); one vote per
 * sender, a later one from the same sender replacing it in place. Arrays reused from view to view: a Map per phase and
 * proposal cost a table and its growth per view, at the leader that handles most of the messages.
 */
export class Tally {
  readonly list: SignedVote[] = [];
  /** Per sender: 1 + the position of its vote in `list`, 0 for none. */
  private readonly at: Int32Array;

  constructor(n: number) {
    this.at = new Int32Array(n);
  }

  get size(): number {
    return this.list.length;
  }

  set(from: NodeId, vote: SignedVote): void {
    const k = this.at[from];
    if (k > 0) this.list[k - 1] = vote;
    else this.at[from] = this.list.push(vote);
  }

  clear(): void {
    this.list.length = 0;
    this.at.fill(0);
  }
}

/** How far a node has come, in order (what `reach` may only move forward). */
export const RANK: Record<SlotPhase, number> = { 'pre-prepared': 0, prepared: 1, committed: 2, executed: 3 };

export const isWhole = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

export function freezeVote(msg: Message | SignedVote): SignedVote {
  if (Object.isFrozen(msg) && !('id' in msg)) return msg as SignedVote;
  return Object.freeze({ type: msg.type, view: msg.view, seq: msg.seq, digest: msg.digest, sender: msg.sender, sig: msg.sig as number });
}


/**
 * Whether `q` is made of `quorum` distinct genuine votes of type `voteType` for its view, node and height (its shape
 * checked too: it came off the wire). Frozen certificates found valid are remembered in VALID_QCS.
 */
export function signedQuorum(q: Partial<Certified>, voteType: string, n: number, quorum: number, host: Pick<ReplicaHost, 'verify'>): boolean {
  if (VALID_QCS.has(q)) return true;
  if (!isWhole(q.view) || !isWhole(q.height) || typeof q.node !== 'string' || !Array.isArray(q.votes)) return false;
  const signers = new Set<NodeId>();
  for (const v of q.votes as unknown[]) {
    const vote = v as Partial<SignedVote> | null;
    if (!vote || vote.type !== voteType || vote.view !== q.view || vote.digest !== q.node || vote.seq !== q.height) return false;
    if (typeof vote.sender !== 'number' || vote.sender < 0 || vote.sender >= n || !host.verify(vote)) return false;
    signers.add(vote.sender);
  }
  if (signers.size < quorum) return false;
  if (Object.isFrozen(q)) VALID_QCS.add(q);
  return true;
}

/**
 * What a replica said in its current view (to one replica, or multicast when `to` is null), said again while it sees
 * no progress — as the network loses messages for good: after T/2, T, 2T … (at most T/2 · 2^MAX_RESEND_DOUBLINGS
 * apart), resting after MAX_RESENDS. One host timer ('resend'): progress only moves the due time, and a firing before
 * it sets the timer again for the rest.
 */
export class Repeater {
  /** What it said in this view; the replica may edit the list (a leader's last phase message stands for the others). */
  words: Array<{ to: NodeId | null; fields: OutgoingMessage }> = [];
  private resends = 0;
  private due = 0;
  private armed = false;

  constructor(
    private readonly id: NodeId,
    private readonly host: ReplicaHost,
    private readonly baseTimeout: number,
  ) {}

  /** Sends and remembers it; something new said is progress, so the retransmission clock starts again. */
  say(to: NodeId | null, fields: OutgoingMessage): void {
    this.words.push({ to, fields });
    this.resends = 0;
    this.arm();
    if (to === null) this.host.multicast(this.id, fields);
    else this.host.send(this.id, to, fields);
  }

  /** A new view: nothing said in it yet. */
  forget(): void {
    this.words = [];
    this.resends = 0;
  }

  /** The 'resend' timer fired. `waiting`: whether anything still waits (if not, nothing to insist on: the run comes to rest). */
  fire(waiting: boolean): void {
    this.armed = false;
    const now = this.host.now();
    // Progress since it was set: the rest of the wait.
    if (this.due > now) {
      this.armed = true;
      this.host.setTimer(this.id, this.due - now, 'resend');
      return;
    }
    if (this.words.length === 0 || !waiting) return;
    this.resends++;
    for (const w of this.words) {
      if (w.to === null) this.host.multicast(this.id, w.fields, true);
      else this.host.send(this.id, w.to, { ...w.fields, retransmit: 'repeat' });
    }
    this.arm();
  }

  private arm(): void {
    if (this.words.length === 0 || this.resends >= MAX_RESENDS) return;
    const delay = (this.baseTimeout / 2) * 2 ** Math.min(this.resends, MAX_RESEND_DOUBLINGS);
    this.due = this.host.now() + delay;
    if (this.armed) return;
    this.armed = true;
    this.host.setTimer(this.id, delay, 'resend');
  }
}
