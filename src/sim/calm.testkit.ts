/**
 * The judge of the property tests that play a run lossy, then calm (liars within the bound, HotStuff and Tendermint):
 * every verdict computed from outside — the honest replicas' execution logs and what the client accepted — never by
 * asking the simulation's own checker.
 */
import { Simulation } from './simulation';
import type { Scenario } from './types';

export interface CalmJudgement {
  /** When the network calms (virtual ms). */
  calmAt: number;
  /** How long after calming every request must have been accepted. */
  bound: number;
  /** What a failure message says to replay it. */
  hint: string;
  /** Also stop reordering when calm (dropping always stops). */
  calmReorder?: boolean;
}

/** Plays `scenario` lossy until `calmAt`, then calm; throws with the verdict that failed. */
export function judgeLossyThenCalm(scenario: Scenario, { calmAt, bound, hint, calmReorder = false }: CalmJudgement): void {
  const sim = new Simulation(scenario, { recordTrace: false });
  const accepted: Array<{ digest: string; result: string }> = [];
  const onReply = sim.client.onReply.bind(sim.client);
  sim.client.onReply = (...args) => {
    const outcome = onReply(...args);
    if (outcome && typeof outcome === 'object') accepted.push({ digest: outcome.request.digest, result: outcome.result });
    return outcome;
  };
  sim.runUntil(calmAt);
  sim.setNetwork(calmReorder ? { dropRate: 0, reorderRate: 0 } : { dropRate: 0 });
  const deadline = calmAt + bound;
  for (let t = calmAt; accepted.length < scenario.requests && t < deadline; ) {
    t = Math.min(deadline, t + 250);
    sim.runUntil(t);
  }
  const fail = (what: string) => {
    throw new Error(`${what}\n${hint}`);
  };

  // Agreement: honest execution logs are prefixes of one another (the same request, or none, at every number).
  const honest = sim.replicaList.filter((r) => !scenario.malicious[r.id]);
  const logs = honest.map((r) => ({ id: r.id, log: r.executedLog.map((e) => `${e.seq}:${e.digest}`) }));
  const longest = logs.reduce((a, b) => (b.log.length > a.log.length ? b : a), { id: -1, log: [] as string[] });
  for (const { id, log } of logs) {
    const k = log.findIndex((x, i) => x !== longest.log[i]);
    if (k >= 0) fail(`honest histories diverge: replica ${id} has ${log[k]} where replica ${longest.id} has ${longest.log[k]}`);
  }
  // No request runs twice in one honest history.
  for (const r of honest) {
    const ran = r.executedLog.filter((e) => e.request).map((e) => e.digest);
    if (new Set(ran).size !== ran.length) fail(`a request ran twice at replica ${r.id}`);
  }

  // The client accepted only what honest replicas computed: f liars agreeing on one lie never make f + 1.
  const computed = new Map<string, string>();
  for (const r of honest) for (const e of r.executedLog) if (e.request) computed.set(e.digest, e.state);
  for (const a of accepted) {
    const truth = computed.get(a.digest);
    if (truth !== undefined && a.result !== truth) fail(`the client accepted ${a.result} for ${a.digest}, a result no honest replica computed (they computed ${truth})`);
  }
  if (new Set(accepted.map((a) => a.digest)).size !== accepted.length) fail('the client accepted a request twice');

  // Liveness: once calm, every request is accepted within the bound.
  if (accepted.length < scenario.requests) fail(`only ${accepted.length}/${scenario.requests} requests accepted by t = ${deadline}: ${sim.stats().waitingBecause}`);
}
