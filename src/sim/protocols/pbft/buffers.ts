/**
 * What a replica keeps of messages it cannot use yet, bounded per sender so that no sender — however fast it floods —
 * can make it grow without end or push out what another replica said.
 */
import type { Message, NodeId } from '../../types';
import type { SignedMessage } from './payloads';

interface HeldEntry {
  msg: Message;
  from: NodeId;
  /** Arrival order, so held messages are used in the order they came. */
  order: number;
}

/**
 * Normal-case messages for a view the replica has not entered yet, or for numbers just above its high watermark: held,
 * not dropped, and used once the replica gets there. Per sender, one message per (type, sequence number) — the one of
 * the highest view — so a sender occupies at most 3 × the numbers the replica agrees to hold.
 */
export class HeldMessages {
  /** Made when a sender first has something held (most never do: n maps per replica would cost every run n² of them). */
  private readonly bySender: Array<Map<string, HeldEntry> | undefined>;
  private arrivals = 0;
  private count = 0;

  constructor(n: number) {
    this.bySender = new Array<Map<string, HeldEntry> | undefined>(n);
  }

  /** Holds `msg` (a sender's later message for the same type and number replaces an earlier view's). */
  hold(msg: Message, from: NodeId): 'held' | 'older' {
    const mine = (this.bySender[from] ??= new Map());
    const key = `${msg.type}|${msg.seq}`;
    const known = mine.get(key);
    if (known && known.msg.view >= msg.view) return 'older';
    if (!known) this.count++;
    mine.set(key, { msg, from, order: this.arrivals++ });
    return 'held';
  }

  /**
   * Takes out, in arrival order, every held message `verdict` says is ready; lets go of those it says are dead; keeps
   * the rest.
   */
  take(verdict: (msg: Message) => 'ready' | 'dead' | 'keep'): Array<{ msg: Message; from: NodeId }> {
    if (this.count === 0) return [];
    const ready: HeldEntry[] = [];
    for (const mine of this.bySender) {
      if (!mine) continue;
      for (const [key, entry] of mine) {
        const v = verdict(entry.msg);
        if (v === 'keep') continue;
        mine.delete(key);
        this.count--;
        if (v === 'ready') ready.push(entry);
      }
    }
    ready.sort((a, b) => a.order - b.order);
    return ready.map(({ msg, from }) => ({ msg, from }));
  }

  size(): number {
    return this.count;
  }

  sizeOf(sender: NodeId): number {
    return this.bySender[sender]?.size ?? 0;
  }
}

/** One sender's CHECKPOINT as a replica keeps it: the signed message itself, so a stable checkpoint's proof is its votes. */
export type CheckpointVote = SignedMessage;

interface AtSeq {
  /** One vote per sender (its first). */
  readonly byVoter: Map<NodeId, CheckpointVote>;
  /** Matching votes per state digest. */
  readonly counts: Map<string, number>;
}

/**
 * CHECKPOINT votes, bounded per sender: one vote per sender and number (its first), for every number inside the
 * replica's window, and beyond the window only the sender's latest — enough to learn that a quorum moved on.
 */
export class CheckpointVotes {
  /**
   * Made at the first vote: every replica of every run has a book, and most runs the attack search makes (thousands a
   * second, one request each) never reach a checkpoint.
   */
  private votes: Map<number, AtSeq> | null = null;
  /** Per sender: how many numbers it holds a vote at, and its one vote beyond the window (plain lists: cheaper to make). */
  private perSender: number[] = [];
  private beyond: Array<number | null> = [];
  private total = 0;

  constructor(private readonly n: number) {}

  /** Records a vote; false when the sender already voted at that number (or holds a later vote beyond the window). */
  add(vote: CheckpointVote, windowTop: number): boolean {
    const { seq, sender } = vote;
    if (this.votes === null) {
      this.votes = new Map();
      this.perSender = new Array<number>(this.n).fill(0);
      this.beyond = new Array(this.n).fill(null);
    }
    let at = this.votes.get(seq);
    if (at?.byVoter.has(sender)) return false;
    if (seq > windowTop) {
      const earlier = this.beyond[sender];
      if (earlier !== null && earlier > windowTop) {
        if (earlier >= seq) return false;
        this.remove(earlier, sender);
      }
      this.beyond[sender] = seq;
    }
    if (!at) this.votes.set(seq, (at = { byVoter: new Map(), counts: new Map() }));
    at.byVoter.set(sender, vote);
    at.counts.set(vote.digest, (at.counts.get(vote.digest) ?? 0) + 1);
    this.perSender[sender]++;
    this.total++;
    return true;
  }

  /** How many replicas voted for (seq, digest). */
  count(seq: number, digest: string): number {
    return this.votes?.get(seq)?.counts.get(digest) ?? 0;
  }

  /** The matching votes for (seq, digest), in sender order. */
  voters(seq: number, digest: string): CheckpointVote[] {
    const out: CheckpointVote[] = [];
    const at = this.votes?.get(seq);
    if (at) for (const vote of at.byVoter.values()) if (vote.digest === digest) out.push(vote);
    return out.sort((a, b) => a.sender - b.sender);
  }

  /** Lets go of every vote at or below the stable checkpoint `low`. */
  forgetUpTo(low: number): void {
    if (this.votes === null) return;
    for (const [seq, at] of this.votes) {
      if (seq > low) continue;
      for (const sender of at.byVoter.keys()) this.perSender[sender]--;
      this.total -= at.byVoter.size;
      this.votes.delete(seq);
    }
    for (let s = 0; s < this.beyond.length; s++) if (this.beyond[s] !== null && this.beyond[s]! <= low) this.beyond[s] = null;
  }

  private remove(seq: number, sender: NodeId): void {
    const at = this.votes?.get(seq);
    const vote = at?.byVoter.get(sender);
    if (!at || !vote) return;
    at.byVoter.delete(sender);
    const left = (at.counts.get(vote.digest) ?? 1) - 1;
    if (left > 0) at.counts.set(vote.digest, left);
    else at.counts.delete(vote.digest);
    if (at.byVoter.size === 0) this.votes!.delete(seq);
    this.perSender[sender]--;
    this.total--;
  }

  size(): number {
    return this.total;
  }

  sizeOf(sender: NodeId): number {
    return this.perSender[sender] ?? 0;
  }
}
