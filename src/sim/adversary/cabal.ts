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

/** The colluders' shared memory: who they are (as the run says now) and the plans they agreed on. */
export class Cabal {
  private readonly plans = new Map<string, CollusionPlan>();
  constructor(readonly isMember: (id: NodeId) => boolean) {}

  plan(view: number, seq: number): CollusionPlan | undefined {
    return this.plans.get(`${view}|${seq}`);
  }

  agree(view: number, seq: number, plan: CollusionPlan): void {
    this.plans.set(`${view}|${seq}`, plan);
  }
}
