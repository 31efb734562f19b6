import { NULL_DIGEST } from './messages';
import type { NodeId, SafetyViolation } from './types';

/** A result the client accepted: the request (by digest), the result it took, and when (virtual ms). */
export interface AcceptedResult {
  digest: string;
  result: string;
  t: number;
}

/** What honest replicas did with one request: who ran it, and what they computed (the first result, then any other). */
interface RequestRuns {
  executors: Set<NodeId>;
  result: string | null;
  otherResults: Set<string> | null;
}

/** Nothing found: one list for every call that finds nothing (callers only read it). */
const NOTHING_FOUND: SafetyViolation[] = Object.freeze([]) as unknown as SafetyViolation[];

/**
 * Watches what honest replicas commit and execute and reports the first evidence against PBFT's safety:
 * S1 agreement (one digest per sequence number), S2 total order (execution logs are prefixes of one another),
 * S5 only requests the client issued are executed, S6 no request executes twice at one replica.
 *
 * It also holds the one definition of a client that was **fooled**: it accepted a request that no honest replica
 * executed, or a result that no honest replica computed for it. That is not a success, whatever f+1 replies said
 * (with m > f the liars alone can make f+1).
 */
export class SafetyChecker {
  readonly violations: SafetyViolation[] = [];
  private readonly committed = new Map<number, { replica: NodeId; digest: string }>();
  private readonly executed = new Map<number, { replica: NodeId; digest: string }>();
  /**
   * Per request (by digest) that honest replicas ran: which ran it (S6: at most once each) and the results they
   * computed — one record, read once per execution (a linear protocol's decision is few messages, so what each
   * execution costs shows in its cost per message).
   */
  private readonly runs = new Map<string, RequestRuns>();
  private readonly reported = new Set<string>();
  /** What the client accepted, by request digest, in the order it accepted them. */
  private readonly acceptedResults = new Map<string, AcceptedResult>();
  /** Fooled acceptances already forgotten (a long session keeps its memory flat but not its count). */
  private fooledForgotten = 0;

  constructor(
    private readonly isHonest: (replica: NodeId) => boolean,
    private readonly wasIssued: (digest: string) => boolean,
  ) {}

  onCommitted(replica: NodeId, seq: number, digest: string, t: number): readonly SafetyViolation[] {
    if (!this.isHonest(replica)) return NOTHING_FOUND;
    const first = this.committed.get(seq);
    if (!first) {
      this.committed.set(seq, { replica, digest });
      return NOTHING_FOUND;
    }
    if (first.digest === digest) return NOTHING_FOUND;
    return this.report(`agreement|${seq}`, {
      rule: 'agreement',
      seq,
      replicas: [first.replica, replica],
      digests: [first.digest, digest],
      message: `Replicas ${first.replica} and ${replica} committed different requests at #${seq} (${first.digest} vs ${digest}).`,
      t,
    });
  }

  /**
   * `ran` is false when the replica skipped a request it had already executed at a lower number; `result` is what it
   * computed when it ran it (the result its REPLY reports).
   */
  onExecuted(replica: NodeId, seq: number, digest: string, ran: boolean, t: number, result?: string): readonly SafetyViolation[] {
    if (!this.isHonest(replica)) return NOTHING_FOUND;
    let found = NOTHING_FOUND;
    const first = this.executed.get(seq);
    if (!first) this.executed.set(seq, { replica, digest });
    else if (first.digest !== digest) {
      found = [];
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
      if (found === NOTHING_FOUND) found = [];
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
      let runs = this.runs.get(digest);
      if (!runs) this.runs.set(digest, (runs = { executors: new Set(), result: null, otherResults: null }));
      if (result !== undefined) {
        if (runs.result === null) runs.result = result;
        else if (runs.result !== result) (runs.otherResults ??= new Set()).add(result);
      }
      const executors = runs.executors;
      if (executors.has(replica)) {
        if (found === NOTHING_FOUND) found = [];
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

  /** The client accepted `result` for the request with this digest at time t. */
  onAccepted(digest: string, result: string, t: number): void {
    this.acceptedResults.set(digest, { digest, result, t });
  }

  /** Whether an honest replica executed this request and computed this result for it (so far). */
  honestlyComputed(digest: string, result: string): boolean {
    const runs = this.runs.get(digest);
    return runs !== undefined && (runs.result === result || (runs.otherResults?.has(result) ?? false));
  }

  /** Every result the client accepted (still remembered), in the order it accepted them. */
  accepted(): IterableIterator<AcceptedResult> {
    return this.acceptedResults.values();
  }

  /** The accepted results (still remembered) no honest replica has executed or computed so far: the client was fooled. */
  fooledResults(): AcceptedResult[] {
    const out: AcceptedResult[] = [];
    for (const a of this.acceptedResults.values()) if (!this.honestlyComputed(a.digest, a.result)) out.push(a);
    return out;
  }

  /** How many requests fooled the client so far (those forgotten included). */
  fooledCount(): number {
    return this.fooledForgotten + this.fooledResults().length;
  }

  /** Forgets requests answered long ago and sequence numbers every replica executed long ago (flat memory). */
  forget(digests: string[], belowSeq: number): void {
    for (const d of digests) {
      const a = this.acceptedResults.get(d);
      if (a && !this.honestlyComputed(d, a.result)) this.fooledForgotten++;
      this.acceptedResults.delete(d);
      this.runs.delete(d);
    }
    const seq = belowSeq;
    for (const s of this.committed.keys()) if (s < seq) this.committed.delete(s);
    for (const s of this.executed.keys()) if (s < seq) this.executed.delete(s);
  }

  private report(key: string, violation: SafetyViolation): SafetyViolation[] {
    if (this.reported.has(key)) return NOTHING_FOUND;
    this.reported.add(key);
    this.violations.push(violation);
    return [violation];
  }
}
