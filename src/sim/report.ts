import { Simulation } from './simulation';
import type { Behaviour, BehaviourKind, MessageType, NodeId, SafetyViolation, Scenario } from './types';

/** The outcome of one run, in a form anyone can check without trusting the built-in checker. */
export interface RunReport {
  n: number;
  f: number;
  seed: number;
  virtualTimeMs: number;
  messages: Record<MessageType, number>;
  sent: number;
  delivered: number;
  dropped: number;
  /** Requests the client accepted (f+1 matching replies), fooled ones included. */
  committed: number;
  /**
   * Of those, requests no honest replica executed, or whose accepted result no honest replica computed: the client was
   * fooled (only possible with more than f liars). A fooled request is never a success.
   */
  fooled: number;
  outstanding: number;
  /** Why requests are still outstanding, when some are. */
  waitingBecause: string | null;
  latencyMs: number[];
  safetyViolations: SafetyViolation[];
  replicas: Array<{ id: NodeId; behaviour: BehaviourKind | null; view: number; executed: Array<[number, string]> }>;
}

/** Runs a scenario until nothing is left to do or `limitMs` of virtual time passed. */
export function runScenario(scenario: Scenario, limitMs = 60_000): RunReport {
  const sim = new Simulation(scenario, { recordTrace: false });
  sim.runToQuiescence(limitMs);
  return reportOf(sim);
}

export function reportOf(sim: Simulation): RunReport {
  const stats = sim.stats();
  return {
    n: sim.n,
    f: sim.f,
    seed: sim.scenario.seed,
    virtualTimeMs: round(stats.now),
    messages: stats.sent,
    sent: stats.sentTotal,
    delivered: stats.delivered,
    dropped: stats.dropped,
    committed: stats.committed,
    fooled: sim.checker.fooledCount(),
    outstanding: stats.outstanding,
    waitingBecause: stats.waitingBecause,
    latencyMs: stats.latenciesMs.map(round),
    safetyViolations: stats.violations,
    replicas: sim.replicas().map((r) => ({
      id: r.id,
      behaviour: (r.behaviour as Behaviour | null)?.kind ?? null,
      view: r.view,
      executed: r.executed,
    })),
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
