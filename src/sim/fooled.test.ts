/**
 * A client that accepted what only liars said was fooled, not served. These tests judge every run from its own trace
 * and the replicas' own execution logs (which request each honest replica ran, and the result it computed), never by
 * asking the checker they check.
 */
import { describe, expect, it } from 'vitest';
import { judgeTrial, runSweep, runTrial, seedExperiment, trialScenario } from './experiment';
import { runScenario } from './report';
import { defaultScenario } from './scenario';
import { Simulation } from './simulation';
import { CLIENT, type Scenario } from './types';

/** Requests the client accepted with a result no honest replica computed for them, as the trace and the logs say. */
function fooledByTheTrace(sim: Simulation): { accepted: number; fooled: string[] } {
  const digestOf = new Map<number, string>();
  for (const e of sim.trace) if (e.kind === 'request' && !e.retransmit) digestOf.set(e.timestamp, e.digest);
  const honest = sim.replicaList.filter((r) => sim.scenario.malicious[r.id] === undefined);
  let accepted = 0;
  const fooled: string[] = [];
  for (const e of sim.trace) {
    if (e.kind !== 'accept') continue;
    accepted++;
    const digest = digestOf.get(e.timestamp)!;
    const computed = honest.some((r) => r.executedLog.some((x) => x.digest === digest && x.request !== null && x.state === e.result));
    if (!computed) fooled.push(digest);
  }
  return { accepted, fooled };
}

/** `npm run sim -- --n 10 --seed 11 --requests 1 --malicious 0:seed,2:seed,5:seed,9:seed --limit 2000` */
const AUDIT: Scenario = defaultScenario({
  n: 10,
  f: 3,
  seed: 11,
  requests: 1,
  malicious: { 0: { kind: 'seed' }, 2: { kind: 'seed' }, 5: { kind: 'seed' }, 9: { kind: 'seed' } },
});

describe('fooled: the client accepted a result the honest replicas did not compute', () => {
  it('audit: n = 10, seed 11, four seed liars (0, 2, 5, 9) — accepted, executed by the liars only: fooled = 1, not a success', () => {
    const sim = new Simulation(AUDIT);
    sim.runToQuiescence(2000);
    const executors = sim.replicaList.filter((r) => r.executedLog.some((e) => e.request !== null)).map((r) => r.id);
    expect(executors).toEqual([0, 2, 5, 9]);
    const truth = fooledByTheTrace(sim);
    expect(truth.accepted).toBe(1);
    expect(truth.fooled).toHaveLength(1);

    const report = runScenario(AUDIT, 2000);
    expect(report.committed).toBe(1);
    expect(report.fooled).toBe(1);
    const verdict = judgeTrial(sim, { mode: 'pbft', requests: 1, timeoutMs: 2000 });
    expect(verdict.success).toBe(false);
    expect(verdict.fooled).toBe(1);
    expect(verdict.completedRequests).toBe(0);
  });

  it('a result no honest replica computed fools the client even when the honest replicas execute the request', () => {
    // Replicas 2 and 3 are (slow) liars: f + 1 = 2 of them reply with the same forged result before anyone executes.
    const sim = new Simulation(defaultScenario({ f: 1, requests: 0, malicious: { 2: { kind: 'slow', extraDelayMs: 1 }, 3: { kind: 'slow', extraDelayMs: 1 } } }));
    sim.submitRequest();
    const request = sim.client.latest!;
    for (const from of [2, 3]) {
      sim.inject(CLIENT, { type: 'REPLY', view: 0, seq: 0, digest: request.digest, sender: from, timestamp: request.timestamp, result: 'forged' });
    }
    sim.runToQuiescence(5000);
    const truth = fooledByTheTrace(sim);
    expect(truth.accepted).toBe(1);
    expect(truth.fooled).toEqual([request.digest]);
    // The honest replicas did run it, with another result.
    expect(sim.replicaList[0].executedLog.some((e) => e.digest === request.digest && e.state !== 'forged')).toBe(true);
    expect(judgeTrial(sim, { mode: 'pbft', requests: 1, timeoutMs: 5000 }).fooled).toBe(1);
  });

  it('with m ≤ f the client is never fooled, and the count agrees with the trace whatever the liars do', () => {
    for (const kind of ['seed', 'equivocate', 'collude', 'omit', 'silent'] as const) {
      for (let seed = 1; seed <= 6; seed++) {
        const scenario = defaultScenario({ f: 1, seed, requests: 3, concurrency: 2, malicious: { [seed % 4]: { kind } } });
        const sim = new Simulation(scenario);
        sim.runToQuiescence(20_000);
        const truth = fooledByTheTrace(sim);
        expect(truth.fooled, `${kind}, seed ${seed}`).toEqual([]);
        expect(sim.checker.fooledCount(), `${kind}, seed ${seed}`).toBe(0);
      }
    }
  });

  it('sweep: n = 10, m = 4 seed liars in PBFT — fooled trials are counted as fooled, never as successes', () => {
    const config = seedExperiment({ mode: 'pbft', behaviour: 'seed', mValues: [4], trials: 50 });
    const [row] = runSweep(config).rows;
    let fooledTrials = 0;
    let servedTrials = 0;
    const fooledPerTrial: number[] = [];
    for (let t = 0; t < config.trials; t++) {
      const sim = new Simulation(trialScenario(config, 4, t));
      sim.runToQuiescence(config.timeoutMs);
      const truth = fooledByTheTrace(sim);
      if (truth.fooled.length > 0) fooledTrials++;
      else if (truth.accepted === config.requests) servedTrials++;
      fooledPerTrial.push(truth.fooled.length);
    }
    // Before: 49 of 50 "successes" — the four liars executed among themselves and their f+1 replies fooled the client.
    expect(fooledTrials).toBeGreaterThan(40);
    expect(row.successes).toBe(servedTrials);
    expect(row.successes).toBeLessThan(10);
    expect(row.fooled).toBe(fooledTrials);
    expect(row.successes + row.fooled).toBeLessThanOrEqual(row.trials);
    for (let t = 0; t < config.trials; t++) expect(runTrial(config, 4, t).fooled, `trial ${t}`).toBe(fooledPerTrial[t]);
  });
});

