import { describe, expect, it } from 'vitest';
import { defaultScenario } from './scenario';
import { NULL_DIGEST } from './messages';
import { Simulation } from './simulation';
import { CLIENT } from './types';

function runAll(overrides = {}, limitMs = 60_000) {
  const sim = new Simulation(defaultScenario(overrides));
  sim.runToQuiescence(limitMs);
  return sim;
}

describe('normal case', () => {
  it('one request at n = 4 costs 3 PRE-PREPAREs, 9 PREPAREs, 12 COMMITs and 4 REPLYs', () => {
    const sim = runAll({ f: 1, requests: 1 });
    const { sent, committed } = sim.stats();
    expect(committed).toBe(1);
    expect(sent.REQUEST).toBe(1);
    expect(sent.PRE_PREPARE).toBe(3);
    expect(sent.PREPARE).toBe(9);
    expect(sent.COMMIT).toBe(12);
    expect(sent.REPLY).toBe(4);
    expect(sent.VIEW_CHANGE + sent.NEW_VIEW).toBe(0);
  });

  it('every replica executes the request at #1 and the client accepts after f+1 matching replies', () => {
    const sim = runAll({ f: 2, requests: 1 });
    const digest = [...sim.client.issued.values()][0].digest;
    for (const r of sim.replicas()) expect(r.executed).toEqual([[1, digest]]);
    const accept = sim.trace.find((e) => e.kind === 'accept');
    const repliesBefore = sim.trace.filter((e) => e.kind === 'deliver' && e.msg.to === CLIENT && e.i < accept!.i);
    expect(repliesBefore.length).toBe(3); // f + 1 with f = 2
  });

  it('requests execute in sequence order and the client gets them all', () => {
    const sim = runAll({ f: 1, requests: 9 });
    expect(sim.stats().committed).toBe(9);
    for (const r of sim.replicas()) expect(r.executed.map(([seq]) => seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('determinism', () => {
  it('the same scenario and seed give the identical trace', () => {
    const scenario = { f: 2, requests: 5, seed: 42, dropRate: 0.1, reorderRate: 0.2, malicious: { 3: { kind: 'omit' as const, omitProbability: 0.5 } } };
    const a = runAll(scenario).trace;
    const b = runAll(scenario).trace;
    expect(a.length).toBeGreaterThan(100);
    expect(b).toEqual(a);
  });

  it('another seed gives a different trace when delays vary', () => {
    const a = runAll({ seed: 1, requests: 2 }).trace;
    const b = runAll({ seed: 2, requests: 2 }).trace;
    expect(b).not.toEqual(a);
  });

  it('stepping one event at a time yields the same trace as running straight through', () => {
    const scenario = { f: 1, requests: 3, seed: 9 };
    const straight = runAll(scenario).trace;
    const sim = new Simulation(defaultScenario(scenario));
    const stepped = [];
    for (let k = 0; k < 10_000; k++) {
      const events = sim.step();
      if (events.length === 0) break;
      stepped.push(...events);
    }
    expect(stepped).toEqual(straight);
  });
});

describe('network', () => {
  it('keeps every delay within [min, max] and reorders messages (non-FIFO)', () => {
    const sim = runAll({ requests: 5, minDelayMs: 10, maxDelayMs: 30 });
    const sends = sim.trace.filter((e) => e.kind === 'send');
    for (const s of sends) {
      expect(s.arriveAt - s.t).toBeGreaterThanOrEqual(10);
      expect(s.arriveAt - s.t).toBeLessThanOrEqual(30);
    }
    const deliveries = sim.trace.filter((e) => e.kind === 'deliver').map((e) => e.msg.id);
    const sorted = [...deliveries].sort((x, y) => x - y);
    expect(deliveries).not.toEqual(sorted);
  });

  it('drops about the configured share of messages and shows each drop', () => {
    const sim = runAll({ requests: 20, dropRate: 0.25 }, 200_000);
    const { sentTotal, dropped, delivered } = sim.stats();
    expect(dropped / sentTotal).toBeGreaterThan(0.18);
    expect(dropped / sentTotal).toBeLessThan(0.32);
    expect(sim.trace.filter((e) => e.kind === 'drop').length).toBe(dropped);
    expect(delivered + dropped).toBe(sentTotal);
  });

  it('a network change applies to messages sent afterwards', () => {
    const sim = new Simulation(defaultScenario({ requests: 3, minDelayMs: 5, maxDelayMs: 5 }));
    sim.runUntil(1);
    sim.setNetwork({ minDelayMs: 50, maxDelayMs: 50 });
    sim.runToQuiescence(60_000);
    const later = sim.trace.filter((e) => e.kind === 'send' && e.t >= 1);
    expect(later.length).toBeGreaterThan(0);
    for (const s of later) if (s.kind === 'send') expect(s.arriveAt - s.t).toBeCloseTo(50);
  });
});

describe('byzantine behaviours', () => {
  it('a silent replica sends nothing', () => {
    const sim = runAll({ requests: 2, malicious: { 2: { kind: 'silent' } } });
    expect(sim.trace.some((e) => e.kind === 'send' && e.msg.from === 2)).toBe(false);
    expect(sim.stats().committed).toBe(2);
  });

  it('a slow replica adds its latency to everything it sends', () => {
    const sim = runAll({ requests: 2, minDelayMs: 5, maxDelayMs: 10, malicious: { 2: { kind: 'slow', extraDelayMs: 200 } } });
    const sends = sim.trace.filter((e) => e.kind === 'send' && e.msg.from === 2);
    expect(sends.length).toBeGreaterThan(0);
    for (const s of sends) if (s.kind === 'send') expect(s.arriveAt - s.t).toBeGreaterThanOrEqual(205);
  });

  it('an omitting backup withholds some of its votes', () => {
    const sim = runAll({ requests: 30, malicious: { 2: { kind: 'omit', omitProbability: 0.5 } } }, 600_000);
    const honest = sim.trace.filter((e) => e.kind === 'send' && e.msg.type === 'PREPARE' && e.msg.from === 1).length;
    const omitter = sim.trace.filter((e) => e.kind === 'send' && e.msg.type === 'PREPARE' && e.msg.from === 2).length;
    expect(omitter).toBeLessThan(honest * 0.8);
    expect(omitter).toBeGreaterThan(0);
  });

  it('an equivocating backup votes for different requests to different replicas, and the others still agree', () => {
    const sim = runAll({ requests: 3, malicious: { 3: { kind: 'equivocate' } } });
    const genuine = new Set([...sim.client.issued.keys(), NULL_DIGEST]);
    const told = new Map<string, Set<string>>();
    for (const e of sim.trace) {
      if (e.kind !== 'send' || e.msg.from !== 3 || (e.msg.type !== 'PREPARE' && e.msg.type !== 'COMMIT')) continue;
      expect(genuine.has(e.msg.digest)).toBe(true);
      const key = `${e.msg.type}|${e.msg.view}|${e.msg.seq}`;
      told.set(key, (told.get(key) ?? new Set()).add(e.msg.digest));
    }
    expect(told.size).toBeGreaterThan(0);
    for (const digests of told.values()) expect(digests.size).toBe(2);
    expect(sim.stats().committed).toBe(3);
    expect(sim.stats().violations).toEqual([]);
  });

  it('an equivocating primary sends conflicting digests to different backups', () => {
    const sim = runAll({ requests: 1, malicious: { 0: { kind: 'equivocate' } } });
    const prePrepares = sim.trace.filter((e) => e.kind === 'send' && e.msg.type === 'PRE_PREPARE' && e.msg.from === 0 && e.msg.view === 0);
    const digests = new Set(prePrepares.map((e) => (e.kind === 'send' ? e.msg.digest : '')));
    expect(digests.size).toBeGreaterThan(1);
  });
});

describe('liveness is never silent', () => {
  it('a finished run has nothing waiting', () => {
    expect(runAll({ requests: 2 }).stats().waitingBecause).toBeNull();
  });

  it('a run that cannot progress says why', () => {
    expect(runAll({ dropRate: 1 }, 3_000).stats().waitingBecause).toMatch(/every message is lost/);
    expect(runAll({ malicious: { 0: { kind: 'silent' }, 1: { kind: 'silent' } } }, 3_000).stats().waitingBecause).toMatch(/2 malicious replicas exceed f = 1/);
  });
});

describe('inspector', () => {
  it('shows the votes a replica holds against the quorums, slot by slot', () => {
    const sim = new Simulation(defaultScenario({ f: 1, requests: 1 }));
    let seen = false;
    for (let k = 0; k < 200 && !seen; k++) {
      sim.step();
      const slot = sim.inspect(2).log.find((s) => s.seq === 1);
      if (slot?.phase === 'prepared') {
        seen = true;
        expect(slot.prepares).toBeGreaterThanOrEqual(slot.prepareQuorum);
        expect(slot.prepareQuorum).toBe(2);
        expect(slot.commitQuorum).toBe(3);
        expect(slot.commits).toBeLessThan(3);
      }
    }
    expect(seen).toBe(true);
    sim.runToQuiescence(5_000);
    const done = sim.inspect(2);
    expect(done).toMatchObject({ id: 2, role: 'backup', view: 0, lastExecuted: 1, lowWatermark: 0, highWatermark: 16, waiting: 0, timer: null });
    expect(done.log[0]).toMatchObject({ seq: 1, phase: 'executed', prepares: 3, commits: 4 });
    expect(sim.inspect(0).role).toBe('primary');
  });

  it('shows the proofs it holds: who signed its PREPAREs and its stable checkpoint, and the VIEW-CHANGEs it collected', () => {
    const done = new Simulation(defaultScenario({ f: 1, requests: 5, concurrency: 1, checkpointInterval: 4 }));
    done.runToQuiescence(10_000);
    const r = done.inspect(2);
    // Checkpoint #4 is stable: it names the replicas whose CHECKPOINTs prove it (2f+1 or more of them).
    expect(r.stableCheckpoint.seq).toBe(4);
    expect(r.stableCheckpoint.signers.length).toBeGreaterThanOrEqual(3);
    // #5: proposed by replica 0, PREPAREs signed by the three backups.
    expect(r.log.find((s) => s.seq === 5)).toMatchObject({ proposer: 0, prepareSigners: [1, 2, 3] });
    // A silent primary: while replica 2 changes view it lists the VIEW-CHANGEs it holds.
    const vc = new Simulation(defaultScenario({ f: 1, malicious: { 0: { kind: 'silent' } } }));
    let seen = null;
    for (let k = 0; k < 2000 && !seen; k++) {
      vc.step();
      const i = vc.inspect(2);
      if (i.viewChanging && i.viewChanges.length >= 2) seen = i;
    }
    expect(seen?.view).toBe(1);
    expect(seen?.viewChanges.map((v) => v.sender)).toContain(2);
    expect(seen?.viewChanges.every((v) => v.checkpoint === 0 && Array.isArray(v.prepared))).toBe(true);
  });
});

describe('long runs', () => {
  it('with a history limit, memory stays bounded and the run is unchanged', () => {
    const scenario = defaultScenario({ f: 1, requests: 1500, dropRate: 0.02, seed: 4 });
    const full = new Simulation(scenario);
    const bounded = new Simulation(scenario, { historyLimit: 50 });
    full.runToQuiescence(1e9);
    bounded.runToQuiescence(1e9);
    expect(bounded.trace).toEqual(full.trace);
    expect(bounded.stats().committed).toBe(1500);
    for (const r of bounded.replicaList) expect(r.executedLog.length).toBeLessThanOrEqual(100);
    expect(bounded.client.issued.size).toBeLessThanOrEqual(101);
    expect(bounded.stats().latenciesMs.length).toBeLessThanOrEqual(100);
  });

  it('request digests stay unique even where 32-bit digests collide', () => {
    const sim = new Simulation(defaultScenario({ requests: 0 }));
    const digests = new Set<string>();
    for (let k = 0; k < 150_000; k++) digests.add(sim.client.issue(0).digest);
    expect(digests.size).toBe(150_000);
  });
});
