import { NULL_DIGEST } from './messages';
import type { NodeId, SafetyViolation } from './types';

/**
 * Watches what honest replicas commit and execute and reports the first evidence against PBFT's safety:
 * S1 agreement (one digest per sequence number), S2 total order (execution logs are prefixes of one another),
 * S5 only requests the client issued are executed, S6 no request executes twice at one replica.
 */
export class SafetyChecker {
  readonly violations: SafetyViolation[] = [];
  private readonly committed = new Map<number, { replica: NodeId; digest: string }>();
  private readonly executed = new Map<number, { replica: NodeId; digest: string }>();
  /** Which replicas executed each request (S6: at most once each). */
  private readonly executors = new Map<string, Set<NodeId>>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly isHonest: (replica: NodeId) => boolean,
    private readonly wasIssued: (digest: string) => boolean,
  ) {}

  onCommitted(replica: NodeId, seq: number, digest: string, t: number): SafetyViolation[] {
    if (!this.isHonest(replica)) return [];
    const first = this.committed.get(seq);
    if (!first) {
      this.committed.set(seq, { replica, digest });
      return [];
    }
    if (first.digest === digest) return [];
    return this.report(`agreement|${seq}`, {
      rule: 'agreement',
      seq,
      replicas: [first.replica, replica],
      digests: [first.digest, digest],
      message: `Replicas ${first.replica} and ${replica} committed different requests at #${seq} (${first.digest} vs ${digest}).`,
      t,
    });
  }

  /** `ran` is false when the replica skipped a request it had already executed at a lower number. */
  onExecuted(replica: NodeId, seq: number, digest: string, ran: boolean, t: number): SafetyViolation[] {
    if (!this.isHonest(replica)) return [];
    const found: SafetyViolation[] = [];
    const first = this.executed.get(seq);
    if (!first) this.executed.set(seq, { replica, digest });
    else if (first.digest !== digest) {
      found.push(
        ...this.report(`order|${seq}`, {
          rule: 'total-order',
          seq,
          replicas: [first.replica, replica],
          digests: [first.digest, digest],
          message: `Replicas ${first.replica} and ${replica} executed different requests as #${seq}: their histories diverge.`,
          t,
        }),
      );
    }
    if (digest !== NULL_DIGEST && !this.wasIssued(digest)) {
      found.push(
        ...this.report(`unknown|${seq}|${digest}`, {
          rule: 'unknown-request',
          seq,
          replicas: [replica],
          digests: [digest],
          message: `Replica ${replica} executed ${digest} at #${seq}, which the client never issued.`,
          t,
        }),
      );
    }
    if (ran && digest !== NULL_DIGEST) {
      let executors = this.executors.get(digest);
      if (!executors) this.executors.set(digest, (executors = new Set()));
      if (executors.has(replica)) {
        found.push(
          ...this.report(`dup|${replica}|${digest}`, {
            rule: 'duplicate-execution',
            seq,
            replicas: [replica],
            digests: [digest],
            message: `Replica ${replica} executed request ${digest} a second time (at #${seq}).`,
            t,
          }),
        );
      }
      executors.add(replica);
    }
    return found;
  }

  /** Forgets requests answered long ago and sequence numbers every replica executed long ago (flat memory). */
  forget(digests: string[], belowSeq: number): void {
    for (const d of digests) this.executors.delete(d);
    const seq = belowSeq;
    for (const s of this.committed.keys()) if (s < seq) this.committed.delete(s);
    for (const s of this.executed.keys()) if (s < seq) this.executed.delete(s);
  }

  private report(key: string, violation: SafetyViolation): SafetyViolation[] {
    if (this.reported.has(key)) return [];
    this.reported.add(key);
    this.violations.push(violation);
    return [violation];
  }
}
