import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromCsv, quantile, runSweep, runTrial, seedExperiment, toCsv, trialScenario } from './experiment';
import { defaultScenario, quorumSize, toleratedFaults } from './scenario';
import { Simulation } from './simulation';

describe('experiments', () => {
  it('with m ≤ f in pbft mode, success and agreement are 100 % over 200+ trials', () => {
    const result = runSweep(seedExperiment({ mode: 'pbft', mValues: [0, 1, 2, 3], trials: 60 }));
    const total = result.rows.reduce((s, r) => s + r.trials, 0);
    expect(total).toBeGreaterThanOrEqual(200);
    for (const row of result.rows) {
      expect(row.successes, `m = ${row.m}`).toBe(row.trials);
      expect(row.agreements, `m = ${row.m}`).toBe(row.trials);
    }
  });

  it('with several behaviours and the primary always among the liars, pbft mode still always succeeds for m ≤ f', () => {
    for (const behaviour of ['silent', 'equivocate', 'omit', 'collude'] as const) {
      const result = runSweep(seedExperiment({ mode: 'pbft', behaviour, selection: 'primary', mValues: [1, 3], trials: 10, timeoutMs: 10_000 }));
      for (const row of result.rows) expect(row.successes, `${behaviour}, m = ${row.m}`).toBe(row.trials);
    }
  });

  it('in seed mode a silent primary makes a trial fail', () => {
    const trial = runTrial(seedExperiment({ mode: 'seed', behaviour: 'silent', selection: 'primary' }), 1, 0);
    expect(trial.scenario.malicious[0]).toBeDefined();
    expect(trial.success).toBe(false);
    const pbft = runTrial(seedExperiment({ mode: 'pbft', behaviour: 'silent', selection: 'primary' }), 1, 0);
    expect(pbft.success).toBe(true);
  });

  it('with m > f the sweep shows failures', () => {
    for (const mode of ['seed', 'pbft'] as const) {
      const result = runSweep(seedExperiment({ mode, mValues: [5, 7] }));
      for (const row of result.rows) expect(row.successes, `${mode}, m = ${row.m}`).toBeLessThan(row.trials);
    }
  });

  it('reproduces the seed article: in seed mode a lying primary always means failure, and the 6-trial table matches', () => {
    const config = seedExperiment({ mode: 'seed', mValues: [0, 1, 2, 3], trials: 30 });
    let honestPrimaryFailures = 0;
    for (const m of config.mValues) {
      for (let t = 0; t < config.trials; t++) {
        const trial = runTrial(config, m, t);
        if (trial.scenario.malicious[0] !== undefined) expect(trial.success, `m = ${m}, trial ${t}`).toBe(false);
        else if (!trial.success) honestPrimaryFailures++;
      }
    }
    // Rare: the seed checks its COMMIT rule only when a PREPARE arrives (see the next test).
    expect(honestPrimaryFailures).toBeLessThan(5);
    const table = runSweep(seedExperiment({ mode: 'seed', mValues: [0, 3, 5, 7] })).rows.map((r) => r.successes);
    expect(table[0]).toBe(6);
    expect(table[1]).toBeGreaterThanOrEqual(3);
    expect(table[1]).toBeLessThan(6 + 1);
    expect(table.slice(2)).toEqual([0, 0]);
  });

  it("the seed's quirk: a node that gets every PREPARE before its PRE-PREPARE never commits; PBFT keeps the votes", () => {
    for (const mode of ['seed', 'pbft'] as const) {
      const sim = new Simulation(defaultScenario({ mode, f: 1, minDelayMs: 5, maxDelayMs: 5 }));
      // Replica 3's PRE-PREPARE is held back until every PREPARE has reached it.
      const late = (m: { type: string; receiver: number }) => m.type === 'PRE_PREPARE' && m.receiver === 3;
      const held: Array<Parameters<typeof sim.inject>[1]> = [];
      sim.setDeliveryFilter((m) => {
        if (!late(m)) return true;
        held.push({ type: m.type, view: m.view, seq: m.seq, digest: m.digest, sender: m.sender, request: m.request });
        return false;
      });
      sim.runUntil(200);
      expect(held.length).toBe(1);
      sim.inject(3, held[0]);
      sim.runToQuiescence(2000);
      const committed = sim.replicas()[3].executed.length === 1;
      expect(committed, mode).toBe(mode === 'pbft');
    }
  });

  it('the same seed gives the same table; another seed draws other trials', () => {
    const a = runSweep(seedExperiment({ mode: 'seed', seed: 5 }));
    const b = runSweep(seedExperiment({ mode: 'seed', seed: 5 }));
    expect(b.rows).toEqual(a.rows);
    expect(trialScenario(seedExperiment({ seed: 6 }), 3, 0)).not.toEqual(trialScenario(seedExperiment({ seed: 5 }), 3, 0));
  });

  it('CSV and JSON exports parse back to the same numbers', () => {
    const result = runSweep(seedExperiment({ mode: 'pbft', mValues: [0, 3, 5] }));
    const fromText = fromCsv(toCsv(result.rows));
    expect(fromText).toEqual(result.rows);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('picks exactly m distinct liars, with the primary first when asked', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.nat(), fc.nat(), fc.boolean(), (n, mRaw, trial, primary) => {
        const m = mRaw % (n + 1);
        const scenario = trialScenario(seedExperiment({ n, selection: primary ? 'primary' : 'random' }), m, trial);
        const ids = Object.keys(scenario.malicious).map(Number);
        expect(ids.length).toBe(m);
        for (const id of ids) expect(id >= 0 && id < n).toBe(true);
        if (primary && m > 0) expect(ids).toContain(0);
      }),
    );
  });
});

describe('view changes per trial', () => {
  // A silent replica 0 and n requests one after another: each protocol's rotating leader meets it once.
  const faultyLeader = (mode: 'pbft' | 'hotstuff' | 'tendermint', n: number) =>
    seedExperiment({ mode, n, mValues: [0, 1], trials: 2, behaviour: 'silent', selection: 'primary', reorderRate: 0, requests: n, timeoutMs: 2_000 + 800 * n });
  const finalStats = (config: ReturnType<typeof faultyLeader>, m: number, trial: number) => {
    const sim = new Simulation(trialScenario(config, m, trial), { recordTrace: false });
    sim.runToQuiescence(config.timeoutMs);
    return sim.stats();
  };

  it("counts the round Tendermint wastes on a silent proposer, though its round starts again at 0 with every height", () => {
    for (const n of [4, 7]) {
      const config = faultyLeader('tendermint', n);
      const result = runSweep(config);
      for (const t of result.trials) {
        expect(t.success, `n = ${n}, m = ${t.m}`).toBe(true);
        if (t.m === 0) expect(t.viewChanges, `n = ${n}, no liar`).toBe(0);
        else expect(t.viewChanges, `n = ${n}, replica 0 silent`).toBeGreaterThanOrEqual(1);
        // What the count must not be read from: the round the replicas ended in, 0 at the height after the last decision.
        expect(finalStats(config, t.m, t.trial).view).toBe(0);
      }
      expect(result.rows.find((r) => r.m === 1)!.viewChangesPerTrial).toBeGreaterThanOrEqual(1);
    }
  });

  it('counts the views PBFT and HotStuff entered beyond the first: the view they reached', () => {
    for (const mode of ['pbft', 'hotstuff'] as const) {
      const config = faultyLeader(mode, 4);
      const result = runSweep(config);
      for (const t of result.trials) expect(t.viewChanges, `${mode}, m = ${t.m}`).toBe(finalStats(config, t.m, t.trial).view);
      const [calm, faulty] = result.rows;
      expect(faulty.viewChangesPerTrial - calm.viewChangesPerTrial, mode).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('quorums for any n', () => {
  it('any two quorums of ⌈(n+f+1)/2⌉ share at least one honest replica', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), (n) => {
        const f = toleratedFaults(n);
        const q = quorumSize(n, f);
        expect(q).toBeLessThanOrEqual(n - f); // honest replicas alone can form a quorum (liveness)
        expect(2 * q - n).toBeGreaterThanOrEqual(f + 1); // overlap exceeds what f liars can fill (safety)
      }),
    );
  });
});

describe('statistics', () => {
  it('quantiles interpolate between sorted values', () => {
    expect(quantile([10, 20, 30, 40], 0.5)).toBe(25);
    expect(quantile([10], 0.95)).toBe(10);
    expect(quantile([], 0.5)).toBeNull();
  });
});
