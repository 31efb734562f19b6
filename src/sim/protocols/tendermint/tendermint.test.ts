/**
 * Tendermint's named scenarios from the paper, each judged from the replicas' logs and the wire as the test reads them.
 */
import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../../scenario';
import { Simulation } from '../../simulation';
import { judgeLossyThenCalm } from '../../calm.testkit';
import { agree, honestLogs, runQuiet } from '../../testkit';
import type { Scenario, TraceEvent } from '../../types';
import { NIL, TendermintReplica } from './replica';

const run = (overrides: Partial<Scenario>, limit = 30_000) => runQuiet('tendermint', overrides, limit);

const sends = (sim: Simulation, type: string) => sim.trace.filter((e): e is Extract<TraceEvent, { kind: 'send' }> => e.kind === 'send' && e.msg.type === type);

describe('Tendermint', () => {
  it('normal case: one PROPOSAL and all-to-all PREVOTE and PRECOMMIT per height — (n − 1) + 2n(n − 1) messages', () => {
    for (const f of [1, 2]) {
      const n = 3 * f + 1;
      const sim = run({ f, requests: 4 });
      expect(sim.stats().committed).toBe(4);
      for (const log of honestLogs(sim)) expect(log.length).toBe(4);
      const votes = ['PROPOSAL', 'PREVOTE', 'PRECOMMIT'].reduce((sum, t) => sum + sends(sim, t).length, 0);
      expect(votes).toBe(4 * (n - 1 + 2 * n * (n - 1)));
    }
  });

  it('a silent proposer: its round times out (timeoutPropose, prevote nil) and the next round’s proposer decides', () => {
    // proposer(1, 0) = 1.
    const sim = run({ f: 1, requests: 2, malicious: { 1: { kind: 'silent' } } });
    expect(sim.stats().committed).toBe(2);
    expect(agree(honestLogs(sim))).toBe(true);
    const nilPrevotes = sends(sim, 'PREVOTE').filter((e) => e.msg.seq === 1 && e.msg.view === 0 && e.msg.digest === NIL && e.msg.from !== 1);
    expect(nilPrevotes.length).toBeGreaterThan(0);
    const decidedIn = sends(sim, 'PRECOMMIT').filter((e) => e.msg.seq === 1 && e.msg.digest !== NIL);
    expect(Math.min(...decidedIn.map((e) => e.msg.view))).toBeGreaterThanOrEqual(1);
  });

  it('an equivocating proposer: each honest replica prevotes what it was shown, yet at most one value is decided per height', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const sim = run({ f: 1, seed, requests: 3, concurrency: 2, malicious: { 1: { kind: 'equivocate' } } });
      expect(agree(honestLogs(sim))).toBe(true);
      expect(sim.stats().committed).toBe(3);
      expect(sim.stats().violations).toEqual([]);
    }
  });

  it('a value locked in one round holds when the next round’s proposer proposes something else', () => {
    // Height 1, round 0 (proposer 1 proposes A): replica 0 never gets the PROPOSAL and prevotes nil; 1, 2 and 3 prevote A,
    // see 2f+1 PREVOTEs for it, lock on A and PRECOMMIT A — but every PRECOMMIT from or to replica 1 is lost, so no replica holds
    // 2f+1 PRECOMMITs for A and the round ends undecided. In round 1 replica 3 does not get proposer 2's PROPOSAL; we hand
    // it one of another request (B) from replica 2, fresh (validRound −1): locked on A, replica 3 must PREVOTE nil.
    const sim = new Simulation(defaultScenario({ mode: 'tendermint', f: 1, requests: 2, concurrency: 2 }));
    sim.setDeliveryFilter(
      (m) =>
        !(m.type === 'PROPOSAL' && m.seq === 1 && m.view === 0 && m.receiver === 0) &&
        !(m.type === 'PRECOMMIT' && m.seq === 1 && m.view === 0 && (m.sender === 1 || m.receiver === 1)) &&
        !(m.type === 'PROPOSAL' && m.seq === 1 && m.view === 1 && m.receiver === 3),
    );
    const r3 = sim.replicaList[3] as TendermintReplica;
    for (let t = 0; t < 5000 && r3.round < 1; t += 5) sim.runUntil(t);
    expect(r3.round).toBe(1);
    const a = r3.lockedValue!;
    expect(a).not.toBeNull();
    expect(r3.lockedRound).toBe(0);
    expect(sim.replicaList.every((r) => r.executedLog.length === 0)).toBe(true);
    const b = [...sim.client.issued.values()].find((r) => r.digest !== a.digest)!;
    sim.inject(3, { type: 'PROPOSAL', view: 1, seq: 1, digest: b.digest, request: b, sender: 2, payload: { validRound: -1, base: { seq: 0, state: '00000000' } } });
    const prevote = sends(sim, 'PREVOTE').find((e) => e.msg.from === 3 && e.msg.seq === 1 && e.msg.view === 1);
    expect(prevote?.msg.digest).toBe(NIL);
    // The others got proposer 2's re-proposal of its validValue A (validRound 0), so A is what height 1 decides.
    sim.setDeliveryFilter(null);
    sim.runToQuiescence(60_000);
    for (const log of honestLogs(sim)) expect(log[0]).toBe(`1:${a.digest}`);
    expect(sim.stats().committed).toBe(2);
  });

  it('f + 1 colluders (a proposer among them) split the honest replicas: each half decides a different value at height 1', () => {
    for (const f of [1, 2]) {
      // proposer(1, 0) = 1; colluders 1 … f + 1.
      const malicious = Object.fromEntries(Array.from({ length: f + 1 }, (_, k) => [k + 1, { kind: 'collude' as const }]));
      const sim = run({ f, requests: 2, concurrency: 2, malicious });
      const firstEntries = new Set(honestLogs(sim).map((log) => log[0]));
      expect(firstEntries.size).toBe(2);
      expect(sim.stats().violations.some((v) => v.rule === 'agreement')).toBe(true);
      // With f of them, the same plan breaks nothing.
      const within = run({ f, requests: 2, concurrency: 2, malicious: Object.fromEntries(Object.entries(malicious).slice(0, f)) });
      expect(agree(honestLogs(within))).toBe(true);
      expect(within.stats().committed).toBe(2);
    }
  });

  it('a laggard that lost the PROPOSAL and PRECOMMITs decides from the commit a decided replica answers it with', () => {
    // Height 1, round 0: replica 3 never gets the PROPOSAL, nor (ever) the PRECOMMITs of replicas 1 and 2. 0, 1 and 2
    // decide; 3 prevotes nil on its timeout and says so again — the deciders answer with the 2f+1 signed PRECOMMITs and
    // the value they decided, and 3 decides the same value without ever seeing a PROPOSAL.
    const sim = new Simulation(defaultScenario({ mode: 'tendermint', f: 1, requests: 1 }));
    sim.setDeliveryFilter(
      (m) =>
        !(m.type === 'PROPOSAL' && m.receiver === 3) &&
        !(m.type === 'PRECOMMIT' && m.seq === 1 && m.view === 0 && m.retransmit !== 'answer' && (m.sender === 1 || m.sender === 2) && m.receiver === 3),
    );
    sim.runToQuiescence(60_000);
    const logs = honestLogs(sim);
    expect(logs[0]).toHaveLength(1);
    expect(logs[3]).toEqual(logs[0]);
    expect(sends(sim, 'PROPOSAL').some((e) => e.msg.to === 3 && e.msg.seq === 1)).toBe(true);
  });

  it('three honest replicas one PRECOMMIT short after a lossy spell decide once the network calms (found by the property test)', () => {
    // f = 2: replica 0 silent, 2 equivocating, 1.7 % loss until t = 2500. Replicas 3 and 5 decide height 3; 1, 4 and 6
    // hold 4 of the 5 PRECOMMITs and move to round 1, where no quorum can form without the deciders. Their repeats are
    // answered with a commit carried by a PRECOMMIT they already hold — the commit must count all the same.
    const sim = new Simulation(
      defaultScenario({ mode: 'tendermint', f: 2, seed: 332099211, dropRate: 0.01718, requests: 3, malicious: { 0: { kind: 'silent' }, 2: { kind: 'equivocate' } } }),
    );
    sim.runUntil(2500);
    sim.setNetwork({ dropRate: 0, reorderRate: 0 });
    sim.runUntil(60_000);
    const logs = honestLogs(sim);
    for (const log of logs) expect(log).toHaveLength(3);
    expect(agree(logs)).toBe(true);
  });
  it('timeouts grow with the round: a replica waits T, 1.5T, 2T … for a proposal (timeoutPropose(r) = T + r · T/2)', () => {
    // No PROPOSAL of height 1 arrives in rounds 0–2 (the network loses them): each round ends on timeoutPropose, a nil
    // PREVOTE, and the next round. The wait is measured on the wire, from the replica entering the round to its nil PREVOTE.
    const T = 300;
    const sim = new Simulation(defaultScenario({ mode: 'tendermint', f: 1, viewChangeTimeoutMs: T }));
    sim.setDeliveryFilter((m) => !(m.type === 'PROPOSAL' && m.seq === 1 && m.view <= 2));
    sim.runToQuiescence(30_000);
    expect(sim.stats().committed).toBe(1);
    // Replicas 2 and 3 propose in rounds 1 and 2 (proposer(h, r) = (h + r) mod n) and prevote their own; 0 and 1 wait.
    for (const replica of [0, 1]) {
      const waits = [1, 2].map((round) => {
        const entered = sim.trace.find((e) => e.kind === 'new-view' && e.replica === replica && e.view === round);
        const nil = sends(sim, 'PREVOTE').find((e) => e.msg.from === replica && e.msg.seq === 1 && e.msg.view === round);
        expect(entered, `replica ${replica} enters round ${round}`).toBeDefined();
        expect(nil?.msg.digest, `replica ${replica} prevotes nil in round ${round}`).toBe(NIL);
        return nil!.t - entered!.t;
      });
      expect(waits).toEqual([T + T / 2, T + T]);
    }
  });

  it('at n = 5 with f = 1 a decision needs ⌈(n + f + 1)/2⌉ = 4 PRECOMMITs, so one colluder cannot split two quorums (2f + 1 = 3 could)', () => {
    // The audit's case: `--protocol tendermint --n 5 --malicious 1:collude --requests 2 --concurrency 2 --seed 1` decided
    // two values with a quorum of 2f + 1. Judged here from the logs and from the PRECOMMITs really sent.
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const sim = run({ f: 1, n: 5, seed, requests: 2, concurrency: 2, malicious: { 1: { kind: 'collude' } } });
      expect(agree(honestLogs(sim)), `seed ${seed}`).toBe(true);
      expect(sim.stats().committed).toBe(2);
      const precommits = sends(sim, 'PRECOMMIT');
      for (const entry of honestLogs(sim).flat()) {
        const [seq, digest] = entry.split(':');
        const senders = new Set(precommits.filter((e) => e.msg.seq === Number(seq) && e.msg.digest === digest).map((e) => e.msg.from));
        expect(senders.size, `seed ${seed}, height ${seq}`).toBeGreaterThanOrEqual(4);
      }
    }
  });
  it('two equivocators cannot keep the honest replicas locked in two groups: a gossiped PRECOMMIT carries its proof of lock (found by a property-test draw)', () => {
    // f = 2, liars 1 and 6 equivocate, delays under 2 ms. Each round the liars' PREVOTEs go to one group of honest replicas
    // only, which locks (3 honest + 2 liars = 2f + 1); the other group never sees those PREVOTEs, so its next proposer
    // re-proposes a value whose valid round is older than the first group's lock, and is refused — round after round.
    // Real Tendermint's gossip spreads every vote; here a PRECOMMIT said again carries the PREVOTEs it locked on.
    for (const [seed, maxDelayMs, dropRate, reorderRate] of [
      [1862262716, 0, 0.15, 0],
      [1862262719, 0, 0.05, 0.1],
      [1862262728, 0, 0, 0.3],
    ]) {
      const scenario = defaultScenario({ mode: 'tendermint', f: 2, seed, minDelayMs: 0, maxDelayMs, dropRate, reorderRate, requests: 2, concurrency: 2, malicious: { 1: { kind: 'equivocate' }, 6: { kind: 'equivocate' } } });
      judgeLossyThenCalm(scenario, { calmAt: 2500, bound: 60_000, hint: `seed ${seed}`, calmReorder: true });
    }
  });
});
