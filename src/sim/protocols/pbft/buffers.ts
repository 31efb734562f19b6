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
  private readonly bySender: Array<Map<string, HeldEntry>>;
  private arrivals = 0;
  private count = 0;

  constructor(n: number) {
    this.bySender = Array.from({ length: n }, () => new Map());
  }

  /** Holds `msg` (a sender's later message for the same type and number replaces an earlier view's). */
  hold(msg: Message, from: NodeId): 'held' | 'older' {
    const mine = this.bySender[from];
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

/**
 * CHECKPOINT votes, bounded per sender: one vote per sender and number (its first), for every number inside the
 * replica's window, and beyond the window only the sender's latest — enough to learn that a quorum moved on.
 */
export class CheckpointVotes {
  /** seq → digest → sender → the signed CHECKPOINT. */
  private readonly votes = new Map<number, Map<string, Map<NodeId, SignedMessage>>>();
  /** Per sender, the numbers it voted for, and its one vote beyond the window. */
  private readonly bySender: Array<Set<number>>;
  private readonly beyond: Array<number | null>;

  constructor(n: number) {
    this.bySender = Array.from({ length: n }, () => new Set());
    this.beyond = new Array(n).fill(null);
  }

  /** Records a vote; false when the sender already voted at that number (or holds a later vote beyond the window). */
  add(vote: SignedMessage, windowTop: number): boolean {
    const { seq, sender } = vote;
    const mine = this.bySender[sender];
    if (mine.has(seq)) return false;
    if (seq > windowTop) {
      const earlier = this.beyond[sender];
      if (earlier !== null && earlier > windowTop) {
        if (earlier >= seq) return false;
        this.remove(earlier, sender);
      }
      this.beyond[sender] = seq;
    }
    mine.add(seq);
    let byDigest = this.votes.get(seq);
    if (!byDigest) this.votes.set(seq, (byDigest = new Map()));
    let voters = byDigest.get(vote.digest);
    if (!voters) byDigest.set(vote.digest, (voters = new Map()));
    voters.set(sender, vote);
    return true;
  }

  /** The matching votes for (seq, digest), by sender. */
  voters(seq: number, digest: string): ReadonlyMap<NodeId, SignedMessage> | undefined {
    return this.votes.get(seq)?.get(digest);
  }

  /** Lets go of every vote at or below the stable checkpoint `low`. */
  forgetUpTo(low: number): void {
    for (const seq of [...this.votes.keys()]) {
      if (seq > low) continue;
      for (const voters of this.votes.get(seq)!.values()) for (const sender of voters.keys()) this.bySender[sender].delete(seq);
      this.votes.delete(seq);
    }
    for (let s = 0; s < this.beyond.length; s++) if (this.beyond[s] !== null && this.beyond[s]! <= low) this.beyond[s] = null;
  }

  private remove(seq: number, sender: NodeId): void {
    this.bySender[sender].delete(seq);
    const byDigest = this.votes.get(seq);
    if (!byDigest) return;
    for (const [digest, voters] of byDigest) {
      voters.delete(sender);
      if (voters.size === 0) byDigest.delete(digest);
    }
    if (byDigest.size === 0) this.votes.delete(seq);
  }

  size(): number {
    let total = 0;
    for (const s of this.bySender) total += s.size;
    return total;
  }

  sizeOf(sender: NodeId): number {
    return this.bySender[sender]?.size ?? 0;
  }
}
