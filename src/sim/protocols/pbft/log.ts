import type { ClientRequest, NodeId, SlotPhase } from '../../types';
import type { PreparedCertificate } from './payloads';

/** Everything one replica knows about one sequence number. */
export interface Slot {
  seq: number;
  /** The PRE-PREPARE accepted in `prePrepare.view` (at most one digest per view and seq). */
  prePrepare: { view: number; digest: string; request: ClientRequest | null } | null;
  /** Votes are kept whatever order they arrive in; keyed by view and digest. */
  prepares: VoteBook;
  commits: VoteBook;
  /** The highest-view prepared certificate: what a VIEW-CHANGE carries. */
  prepared: PreparedCertificate | null;
  /** View in which this replica sent its COMMIT (−1 before). */
  commitSentView: number;
  /** View in which it became committed-local (−1 before). */
  committedView: number;
  executed: boolean;
}

/** Distinct voters for one (view, digest): one flag per replica, so counting a vote allocates nothing. */
class Tally {
  readonly voters: Uint8Array;
  count = 0;
  constructor(n: number) {
    this.voters = new Uint8Array(n);
  }
  add(id: NodeId): boolean {
    if (this.voters[id]) return false;
    this.voters[id] = 1;
    this.count++;
    return true;
  }
}

/**
 * The votes one slot holds, by (view, digest). Almost every vote matches the slot's own PRE-PREPARE, so that tally
 * is kept at hand; votes for anything else (another view, a lie) go to a map.
 */
export class VoteBook {
  private view = -1;
  private digest = '';
  private current: Tally | null = null;
  private readonly others = new Map<string, Tally>();
  constructor(private readonly n: number) {}

  tally(view: number, digest: string): Tally {
    if (this.current && view === this.view && digest === this.digest) return this.current;
    const key = `${view}|${digest}`;
    let t = this.others.get(key);
    if (!t) this.others.set(key, (t = new Tally(this.n)));
    return t;
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
    return this.others.get(`${view}|${digest}`)?.count ?? 0;
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
