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
 * The liars' shared memory: who the colluders are (as the run says now), the plans they agreed on, and the one wrong
 * result every liar reports for a request.
 */
export class Cabal {
  private readonly plans = new Map<string, CollusionPlan>();
  constructor(readonly isMember: (id: NodeId) => boolean) {}

  plan(view: number, seq: number): CollusionPlan | undefined {
    return this.plans.get(`${view}|${seq}`);
  }

  agree(view: number, seq: number, plan: CollusionPlan): void {
    this.plans.set(`${view}|${seq}`, plan);
  }

  /**
   * The wrong result the liars agreed on for the request with this digest: every liar reports the same one, so f of
   * them make f matching replies and only the client's f+1 rule stands between it and the lie.
   */
  wrongResult(requestDigest: string): string {
    return forgedDigest(requestDigest, -1);
  }
}
