import { forgedDigest } from '../messages';
import type { ClientRequest, NodeId } from '../types';

/** A split the colluders agreed on for one (view, seq): which honest replicas are told which request. */
export class CollusionPlan {
  constructor(
    private readonly firstHalf: ReadonlySet<NodeId>,
    private readonly first: ClientRequest,
    private readonly second: ClientRequest,
  ) {}

  requestFor(replica: NodeId): ClientRequest {
    return this.firstHalf.has(replica) ? this.first : this.second;
  }

  digestFor(replica: NodeId): string {
    return this.requestFor(replica).digest;
  }
}

/**
 * A split the colluders agreed on with a single request, to be finished across a view change. The primary proposes the
 * request at two numbers: at `hidden`, to the colluders and `told` only (they commit it there); at `shown`, to the
 * colluders and `left` only (they become prepared there, never committed). When `left` asks for the next view, whose
 * primary is a colluder, V leaves out every certificate for `hidden` and O re-proposes the null request there, so `left`
 * executes something else at the number where `told` executed the request.
 */
export class AcrossViewPlan {
  hidden = -1;
  shown = -1;
  constructor(
    readonly view: number,
    readonly request: ClientRequest,
    readonly told: ReadonlySet<NodeId>,
    readonly left: ReadonlySet<NodeId>,
  ) {}

  /** Whether `to` hears a message of `type` about `seq` (in the plan's view), `finalVote` being the vote that commits. */
  hears(to: NodeId, seq: number, type: string, finalVote: string | null, isMember: (id: NodeId) => boolean): boolean {
    if (isMember(to)) return true;
    if (seq === this.hidden) return this.told.has(to);
    if (seq === this.shown) return this.left.has(to) && type !== finalVote;
    return true;
  }
}

/**
 * The liars' shared memory: who the colluders are (as the run says now), the plans they agreed on, and the one wrong
 * result every liar reports for a request.
 */
export class Cabal {
  private readonly plans = new Map<string, CollusionPlan>();
  private readonly across = new Map<number, AcrossViewPlan>();
  constructor(readonly isMember: (id: NodeId) => boolean) {}

  plan(view: number, seq: number): CollusionPlan | undefined {
    return this.plans.get(`${view}|${seq}`);
  }

  agree(view: number, seq: number, plan: CollusionPlan): void {
    this.plans.set(`${view}|${seq}`, plan);
  }

  /** The single-request plan of `view`, if the colluders made one. */
  acrossPlan(view: number): AcrossViewPlan | undefined {
    return this.across.get(view);
  }

  agreeAcross(plan: AcrossViewPlan): void {
    this.across.set(plan.view, plan);
  }

  /**
   * The wrong result the liars agreed on for the request with this digest: every liar reports the same one, so f of
   * them make f matching replies and only the client's f+1 rule stands between it and the lie.
   */
  wrongResult(requestDigest: string): string {
    return forgedDigest(requestDigest, -1);
  }
}
