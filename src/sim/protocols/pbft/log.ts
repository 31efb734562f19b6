import type { Signature } from '../../signatures';
import type { ClientRequest, NodeId, SlotPhase } from '../../types';

/** The PRE-PREPARE a slot accepted: at most one digest per view and seq, with its primary's signature. */
export interface AcceptedPrePrepare {
  view: number;
  digest: string;
  request: ClientRequest | null;
  /** The primary's signature on it (its PRE-PREPARE, or its entry in O): the first half of a prepared certificate. */
  sig: Signature;
}

/** The highest-view prepared certificate a slot holds: its PRE-PREPARE and the tally of matching PREPAREs. */
export interface PreparedRecord extends AcceptedPrePrepare {
  prepares: Tally;
}

/** Everything one replica knows about one sequence number. */
export interface Slot {
  seq: number;
  prePrepare: AcceptedPrePrepare | null;
  /** Votes are kept whatever order they arrive in; keyed by view and digest. */
  prepares: VoteBook;
  commits: VoteBook;
  /** The highest-view prepared certificate: what a VIEW-CHANGE carries. */
  prepared: PreparedRecord | null;
  /** View in which this replica sent its PREPARE (−1 before; a primary sends none). */
  prepareSentView: number;
  /** View in which this replica sent its COMMIT (−1 before). */
  commitSentView: number;
  /** View in which it became committed-local (−1 before). */
  committedView: number;
  executed: boolean;
}

/**
 * Distinct voters for one (view, digest): one flag per replica, so counting a vote allocates nothing; and each voter's
 * signature where the vote is signed (a PREPARE), so the replica can later prove what it holds.
 */
export class Tally {
  /**
   * One flag per replica: a plain list of small integers, not a typed array — a run makes a few tallies per slot, and
   * allocating a typed array costs several times more (the attack search makes thousands of runs a second). Made at its
   * length and set in a loop, not with fill (which runs in the engine's slow C++ path).
   */
  readonly voters: number[];
  sigs: Signature[] | null = null;
  count = 0;
  constructor(
    n: number,
    readonly view: number,
    readonly digest: string,
  ) {
    this.voters = new Array<number>(n);
    for (let id = 0; id < n; id++) this.voters[id] = 0;
  }
  add(id: NodeId, sig?: Signature): boolean {
    // An id outside 0..n−1 has no flag (as a typed array had none): it is counted and never remembered.
    if ((id >>> 0) === id && id < this.voters.length) {
      if (this.voters[id]) return false;
      this.voters[id] = 1;
    }
    this.count++;
    if (sig !== undefined) {
      if (this.sigs === null) this.sigs = new Array<Signature>(this.voters.length);
      this.sigs[id] = sig;
    }
    return true;
  }
  has(id: NodeId): boolean {
    return this.voters[id] === 1;
  }
  /** Voters in id order, with their signatures (those whose vote was signed). */
  signed(): Array<{ sender: NodeId; sig: Signature }> {
    const out: Array<{ sender: NodeId; sig: Signature }> = [];
    if (!this.sigs) return out;
    for (let id = 0; id < this.voters.length; id++) if (this.voters[id] && this.sigs[id] !== undefined && this.sigs[id] >= 0) out.push({ sender: id, sig: this.sigs[id] });
    return out;
  }
}

/**
 * The votes one slot holds, by (view, digest). Almost every vote matches the slot's own PRE-PREPARE, so that tally
 * is kept at hand; votes for anything else (another view, a lie) are found among the others. A replica votes once per
 * view: a second vote from the same sender in the same view (a liar's other digest) is refused, so a slot holds at most
 * one vote per sender and view, and tallies of views before the current one are let go (all but the prepared
 * certificate's).
 */
export class VoteBook {
  private view = -1;
  private digest = '';
  private current: Tally | null = null;
  /**
   * Every tally held (the focused one too), in the order they were made: a plain list searched by view and digest — a
   * handful at most, and a map by a "view|digest" key built a new string at every look-up (votes often come before
   * their PRE-PREPARE, and the attack search delivers millions a second).
   */
  private readonly others: Tally[] = [];
  constructor(private readonly n: number) {}

  /** Counts a vote; false when this sender already voted in this view (for this digest or another). */
  add(view: number, digest: string, sender: NodeId, sig?: Signature): boolean {
    const focused = this.current !== null && view === this.view && digest === this.digest;
    // A second vote in the same view is refused before it can cost a tally.
    if (!focused || this.others.length > 1) for (const t of this.others) if (t.view === view && t.has(sender)) return false;
    const target = focused ? this.current! : this.tally(view, digest);
    return target.add(sender, sig);
  }

  tally(view: number, digest: string): Tally {
    if (this.current && view === this.view && digest === this.digest) return this.current;
    const known = this.find(view, digest);
    if (known) return known;
    const t = new Tally(this.n, view, digest);
    this.others.push(t);
    return t;
  }

  private find(view: number, digest: string): Tally | undefined {
    for (const t of this.others) if (t.view === view && t.digest === digest) return t;
    return undefined;
  }

  /** Keeps the tally for the slot's PRE-PREPARE at hand. */
  focus(view: number, digest: string): void {
    if (this.current && view === this.view && digest === this.digest) return;
    const t = this.tally(view, digest);
    this.view = view;
    this.digest = digest;
    this.current = t;
  }

  count(view: number, digest: string): number {
    if (this.current && view === this.view && digest === this.digest) return this.current.count;
    return this.find(view, digest)?.count ?? 0;
  }

  /** Lets go of every tally of a view before `view`, except `keep`. */
  forgetBefore(view: number, keep: Tally | null): void {
    let kept = 0;
    for (const t of this.others) if (t.view >= view || t === keep) this.others[kept++] = t;
    this.others.length = kept;
    if (this.current && this.current.view < view && this.current !== keep) {
      this.current = null;
      this.view = -1;
      this.digest = '';
    }
  }

  /** How many (view, digest) tallies it holds (a bound the flooding test reads). */
  size(): number {
    return this.others.length;
  }
}

/**
 * Where a replica stands for one sequence number — the one definition, for the replica's answer about a request and
 * for its inspector. Committed-local in any view counts: such a slot executes whatever view the replica is in now.
 */
export function slotPhase(slot: Slot): SlotPhase | null {
  const pp = slot.prePrepare;
  if (slot.executed) return 'executed';
  if (!pp) return null;
  if (slot.committedView >= 0) return 'committed';
  if (slot.prepared?.view === pp.view && slot.prepared.digest === pp.digest) return 'prepared';
  return 'pre-prepared';
}
