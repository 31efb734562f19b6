/**
 * What an attack is after, judged from what the run left behind — the honest replicas' own execution logs and what the
 * client accepted — the way a test computes it, not by asking the safety checker. Protocol-neutral: it reads only the
 * replica contract (src/sim/protocols/contract.ts), so it judges every protocol the core has.
 */
import type { Simulation } from '../simulation';
import type { NodeId } from '../types';

export const GOALS = ['agreement', 'fool', 'stall'] as const;
/**
 * agreement: two honest replicas executed different requests at one sequence number. fool: the client accepted a result
 * no honest replica computed for that request. stall: a request the client issued is not accepted `stallBoundMs` after
 * the network became calm (handed back to the network model).
 */
export type Goal = (typeof GOALS)[number];

export interface GoalOptions {
  /** stall: when the network became calm (virtual ms); the request must be accepted within the bound after it. */
  calmSince?: number;
  /** stall: how long after calm a request may take (virtual ms). */
  stallBoundMs?: number;
}

/** A broken goal, in words and facts anyone can check against the run's logs. */
export interface GoalViolation {
  goal: Goal;
  /** agreement: the sequence number; fool/stall: −1. */
  seq: number;
  /** agreement: the two honest replicas that disagree; fool: none; stall: none. */
  replicas: NodeId[];
  /** agreement: their two digests; fool: the request's digest and the accepted result; stall: the waiting request's digest. */
  digests: string[];
  message: string;
  /** Virtual time it was judged at. */
  t: number;
  /** stall: when the network became calm, and the bound counted from then (virtual ms): the moment of the stall is their sum. */
  calmSince?: number;
  boundMs?: number;
}

/** Replicas that were never malicious in the run. */
function honestIds(sim: Simulation): NodeId[] {
  const out: NodeId[] = [];
  for (let id = 0; id < sim.n; id++) if (!sim.everMaliciousIds.has(id)) out.push(id);
  return out;
}

/** Whether the run breaks `goal`, and how; null when it does not. */
export function violated(goal: Goal, sim: Simulation, opts: GoalOptions = {}): GoalViolation | null {
  switch (goal) {
    case 'agreement':
      return agreementBroken(sim);
    case 'fool':
      return clientFooled(sim);
    case 'stall':
      return stalled(sim, opts);
  }
}

function agreementBroken(sim: Simulation): GoalViolation | null {
  // Every honest replica's log, sequence number → digest; the first disagreement at one number is the violation.
  const seen = new Map<number, { replica: NodeId; digest: string }>();
  for (const id of honestIds(sim)) {
    for (const e of sim.replicaList[id].executedLog) {
      const first = seen.get(e.seq);
      if (!first) seen.set(e.seq, { replica: id, digest: e.digest });
      else if (first.digest !== e.digest) {
        return {
          goal: 'agreement',
          seq: e.seq,
          replicas: [first.replica, id],
          digests: [first.digest, e.digest],
          message: `honest replicas ${first.replica} and ${id} executed different requests at #${e.seq} (${first.digest} and ${e.digest})`,
          t: sim.now,
        };
      }
    }
  }
  return null;
}

function clientFooled(sim: Simulation): GoalViolation | null {
  const honest = honestIds(sim).map((id) => sim.replicaList[id].executedLog);
  // What the client accepted is a record of the run (the client's acceptances), judged here against the honest logs.
  for (const a of sim.checker.accepted()) {
    const computed = honest.some((log) => log.some((x) => x.digest === a.digest && x.request !== null && x.state === a.result));
    if (!computed) {
      return { goal: 'fool', seq: -1, replicas: [], digests: [a.digest, a.result], message: `the client accepted result ${a.result} for ${a.digest}, which no honest replica computed`, t: sim.now };
    }
  }
  return null;
}

function stalled(sim: Simulation, { calmSince = 0, stallBoundMs = Infinity }: GoalOptions): GoalViolation | null {
  if (sim.now < calmSince + stallBoundMs) return null;
  for (const entry of sim.client.outstanding.values()) {
    const d = entry.request.digest;
    const message = `request ${d} was not accepted within ${stallBoundMs} ms of a calm network (calm since t=${calmSince.toFixed(1)})`;
    return { goal: 'stall', seq: -1, replicas: [], digests: [d], message, t: sim.now, calmSince, boundMs: stallBoundMs };
  }
  return null;
}
