/**
 * Chained HotStuff's named scenarios from the paper, each judged from the replicas' logs and the wire as the test reads them.
 */
import { describe, expect, it } from 'vitest';
import { NULL_DIGEST } from '../../messages';
import { defaultScenario } from '../../scenario';
import { Simulation } from '../../simulation';
import { agree, honestLogs, runQuiet } from '../../testkit';
import { judgeLossyThenCalm } from '../../calm.testkit';
import type { Scenario, TraceEvent } from '../../types';
import { leaderOf } from './descriptor';
import { ChainedHotStuffReplica, GENESIS_ID, GENESIS_QC } from './replica';

const CHS_TYPES = ['CHS_GENERIC', 'CHS_VOTE_GENERIC', 'CHS_NEW_VIEW', 'CHS_DECIDE'] as const;

const run = (overrides: Partial<Scenario>, limit = 60_000) => runQuiet('chained-hotstuff', overrides, limit);

type Deliver = Extract<TraceEvent, { kind: 'deliver' }>;
type Send = Extract<TraceEvent, { kind: 'send' }>;
const delivered = (sim: Simulation, type: string) => sim.trace.filter((e): e is Deliver => e.kind === 'deliver' && e.msg.type === type);
const sent = (sim: Simulation, type: string) => sim.trace.filter((e): e is Send => e.kind === 'send' && e.msg.type === type);

describe('Chained HotStuff', () => {
  it('normal case: one proposal and one vote per view, linear in n; a decision costs four views of them', () => {
    for (const f of [1, 2, 4]) {
      const n = 3 * f + 1;
      const sim = run({ f, requests: 3 });
      expect(sim.stats().committed).toBe(3);
      for (const log of honestLogs(sim)) expect(log.filter((e) => !e.endsWith(`:${NULL_DIGEST}`))).toHaveLength(3);
      const counts = sim.stats().sent;
      const chs = CHS_TYPES.reduce((sum, t) => sum + counts[t], 0);
      // Each view: the leader's PROPOSAL to n − 1 and n − 1 votes to the next leader (its own never travels). With one
      // request at a time, each waits for the three views that make its three-chain: 4 views, 8(n − 1) messages.
      expect(counts.CHS_GENERIC).toBe(3 * 4 * (n - 1));
      expect(chs).toBe(3 * 8 * (n - 1));
      expect(counts.CHS_NEW_VIEW + counts.CHS_DECIDE).toBe(0);
    }
  });

  it('pipelined: with requests streaming, nearly every view decides one — about 2(n − 1) messages a decision', () => {
    for (const f of [1, 2]) {
      const n = 3 * f + 1;
      const sim = run({ f, requests: 40, concurrency: 8 }, 600_000);
      expect(sim.stats().committed).toBe(40);
      const counts = sim.stats().sent;
      // 40 views with a request, and the three-chain's tail of empty nodes after the last: no more than 44 proposals.
      expect(counts.CHS_GENERIC / (n - 1)).toBeLessThanOrEqual(44);
      expect((counts.CHS_GENERIC + counts.CHS_VOTE_GENERIC) / 40).toBeLessThan(2.25 * (n - 1));
    }
  });

  it('a decision needs the three-chain: the first request executes only when the proposal of the third view after it carries the QC of the second, empty nodes filling in', () => {
    const sim = run({ f: 1, requests: 1 });
    // One send event per receiver: the proposals as their leaders made them.
    const proposals = new Set(sent(sim, 'CHS_GENERIC').map((e) => JSON.stringify([e.msg.view, e.msg.seq, e.msg.digest === NULL_DIGEST])));
    // The request at height 1 in view 0, then empty nodes at heights 2, 3 and 4 in views 1, 2 and 3.
    expect([...proposals].map((p) => JSON.parse(p))).toEqual([
      [0, 1, false],
      [1, 2, true],
      [2, 3, true],
      [3, 4, true],
    ]);
    const firstExecution = sim.trace.findIndex((e) => e.kind === 'phase' && e.phase === 'executed');
    // The leader takes its own proposal first (it is a replica too): the moment a proposal is made is its first send.
    const thirdAfter = sim.trace.findIndex((e) => e.kind === 'send' && e.msg.type === 'CHS_GENERIC' && e.msg.view === 3);
    const secondAfter = sim.trace.findIndex((e) => e.kind === 'send' && e.msg.type === 'CHS_GENERIC' && e.msg.view === 2);
    expect(secondAfter).toBeGreaterThan(0);
    expect(firstExecution).toBeGreaterThan(thirdAfter);
    // Locks come one view earlier, on the two-chain: with the proposal of view 2.
    const firstLock = sim.trace.findIndex((e) => e.kind === 'phase' && e.phase === 'prepared');
    expect(firstLock).toBeGreaterThan(secondAfter);
    expect(firstLock).toBeLessThan(thirdAfter);
    // Every replica executed the request at height 1 only; the empty nodes above it are not decided yet.
    for (const r of sim.replicaList) expect(r.executedLog.map((e) => e.seq)).toEqual([1]);
    expect(sim.stats().committed).toBe(1);
  });

  it('a silent leader: the replicas’ view timers move them on, and a later leader’s chain decides', () => {
    const sim = run({ f: 1, requests: 2, malicious: { 0: { kind: 'silent' } } });
    expect(sim.stats().committed).toBe(2);
    expect(agree(honestLogs(sim))).toBe(true);
    expect(sim.trace.some((e) => e.kind === 'view-change')).toBe(true);
    // Replica 0 leads views 0 and 1 and says nothing: the first proposal anyone hears is of view 2, after NEW-VIEWs.
    const proposals = delivered(sim, 'CHS_GENERIC');
    expect(Math.min(...proposals.map((e) => e.msg.view))).toBe(2);
    expect(delivered(sim, 'CHS_NEW_VIEW').some((e) => e.msg.view === 2 && e.msg.to === leaderOf(2, 4))).toBe(true);
  });

  it('an equivocating leader: each replica votes for the node it was shown, yet at most one node is decided per height', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const sim = run({ f: 1, seed, requests: 3, concurrency: 2, malicious: { 0: { kind: 'equivocate' } } });
      // The lie was told: two different nodes proposed at one height in view 0.
      const shown = delivered(sim, 'CHS_GENERIC').filter((e) => e.msg.view === 0 && !sim.scenario.malicious[e.msg.to]);
      expect(new Set(shown.map((e) => e.msg.digest)).size).toBe(2);
      expect(agree(honestLogs(sim))).toBe(true);
      expect(sim.stats().committed).toBe(3);
      expect(sim.stats().violations).toEqual([]);
    }
  });

  it('a replica locked on a branch the next leader does not extend refuses it (safeNode), and the locked node is what gets decided', () => {
    // Views 0, 1, 2 propose A (the request) and two empty nodes. The proposal of view 2 — whose justify makes the
    // two-chain above A — reaches replica 2 only, and nothing of view 3: replica 2 is locked on A's QC, the others are not.
    const sim = new Simulation(defaultScenario({ mode: 'chained-hotstuff', f: 1, requests: 1 }));
    sim.setDeliveryFilter((m) => !(m.type === 'CHS_GENERIC' && ((m.view === 2 && m.receiver !== 2) || m.view >= 3)));
    const r2 = sim.replicaList[2] as ChainedHotStuffReplica;
    const r3 = sim.replicaList[3] as ChainedHotStuffReplica;
    for (let t = 0; t < 2000 && r2.lockedQC.view < 0; t += 5) sim.runUntil(t);
    expect(r2.lockedQC.view).toBe(0);
    expect(r3.lockedQC).toBe(GENESIS_QC);
    // The leader of view 6 (replica 3) proposes a node at height 1 that does not extend A, justified by the genesis QC
    // (older than the lock).
    const fork = { type: 'CHS_GENERIC' as const, view: 6, seq: 1, digest: NULL_DIGEST, sender: leaderOf(6, 4), payload: { qc: GENESIS_QC, branch: [], base: { seq: 0, state: '00000000', node: GENESIS_ID } } };
    const toLocked = sim.inject(2, fork).find((e): e is Deliver => e.kind === 'deliver');
    expect(toLocked?.ignored).toMatch(/^not safe/);
    expect(sim.trace.some((e) => e.kind === 'send' && e.msg.type === 'CHS_VOTE_GENERIC' && e.msg.from === 2 && e.msg.view === 6)).toBe(false);
    // A replica that is not locked finds it safe and votes.
    const toFree = sim.inject(0, fork).find((e): e is Deliver => e.kind === 'deliver');
    expect(toFree?.ignored).toBeUndefined();
    expect(sim.trace.some((e) => e.kind === 'send' && e.msg.type === 'CHS_VOTE_GENERIC' && e.msg.from === 0 && e.msg.view === 6)).toBe(true);
    // The network heals: later leaders extend the highest QC, and A is decided at height 1.
    sim.setDeliveryFilter(null);
    sim.runToQuiescence(60_000);
    expect(sim.stats().committed).toBe(1);
    for (const r of sim.replicaList) expect(r.executedLog[0].request?.digest).toBe(sim.client.latest?.digest);
    expect(agree(honestLogs(sim))).toBe(true);
  });

  it('a QC is n − f signed votes: a proposal justified by a QC short of a vote, or with a forged vote, is refused', () => {
    const sim = run({ f: 1, requests: 1 });
    const qc = (sim.replicaList[1] as ChainedHotStuffReplica).genericQC;
    expect(qc.votes.length).toBe(3);
    const proposal = (justify: unknown) => ({ type: 'CHS_GENERIC' as const, view: 10, seq: qc.height + 1, digest: NULL_DIGEST, sender: leaderOf(10, 4), payload: { qc: justify, branch: [], base: { seq: 0, state: '00000000', node: GENESIS_ID } } });
    const ignored = (events: TraceEvent[]) => events.find((e): e is Deliver => e.kind === 'deliver')?.ignored;
    expect(ignored(sim.inject(2, proposal({ ...qc, votes: qc.votes.slice(0, 2) })))).toBe('invalid QC');
    expect(ignored(sim.inject(2, proposal({ ...qc, votes: [...qc.votes.slice(0, 2), { ...qc.votes[2], sig: qc.votes[2].sig + 1 }] })))).toBe('invalid QC');
    expect(ignored(sim.inject(2, proposal(qc)))).toBeUndefined();
  });
});

describe('Chained HotStuff, what the property test found', () => {
  it('a liar’s vote for a view far ahead does not push out the votes at hand: the next leader still forms its QC', () => {
    // Replica 3 signs a vote for view 9, whose next leader is replica 1, before anything happens; replica 1 leads view 2
    // and must still form the QC of view 1 from the votes that come, and propose on it without a timeout.
    const sim = new Simulation(defaultScenario({ mode: 'chained-hotstuff', f: 1, requests: 2 }));
    expect(leaderOf(10, 4)).toBe(1);
    const early = sim.inject(1, { type: 'CHS_VOTE_GENERIC', view: 9, seq: 1, digest: 'a node of view 9', sender: 3 }).find((e): e is Deliver => e.kind === 'deliver');
    expect(early?.ignored).toBeUndefined();
    sim.runToQuiescence(60_000);
    expect(sim.stats().committed).toBe(2);
    const second = sent(sim, 'CHS_GENERIC').find((e) => e.msg.view === 2);
    // On the QC of view 1 (height 2): the next height, and no replica's timer ran out.
    expect(second?.msg.from).toBe(1);
    expect(second?.msg.seq).toBe(3);
    expect(sim.trace.some((e) => e.kind === 'view-change')).toBe(false);
  });

  it('a next leader that formed the QC before the node came proposes once the node comes', () => {
    // The proposal of view 1 (replica 0's) reaches replica 1, the leader of view 2, only after everyone else voted for it.
    const sim = new Simulation(defaultScenario({ mode: 'chained-hotstuff', f: 1, requests: 1, minDelayMs: 10, maxDelayMs: 10 }));
    sim.setDeliveryFilter((m) => !(m.type === 'CHS_GENERIC' && m.view === 1 && m.receiver === 1));
    for (let t = 0; t < 2000 && !sim.trace.some((e) => e.kind === 'deliver' && e.msg.type === 'CHS_VOTE_GENERIC' && e.msg.view === 1 && e.msg.to === 1); t += 5) sim.runUntil(t);
    sim.runUntil(sim.now + 50);
    expect(sent(sim, 'CHS_GENERIC').some((e) => e.msg.view === 2)).toBe(false);
    sim.setDeliveryFilter(null);
    sim.runToQuiescence(60_000);
    expect(sim.stats().committed).toBe(1);
    // The proposal of view 2 extends view 1's node (height 2, on the QC replica 1 formed), though the node came late;
    // no timer ran out.
    const second = sent(sim, 'CHS_GENERIC').find((e) => e.msg.view === 2);
    expect(second?.msg.seq).toBe(3);
    expect(sim.trace.some((e) => e.kind === 'view-change')).toBe(false);
  });

  it('replicas left views behind, knowing an older QC, catch up after the calm (found by the property test)', () => {
    // n = 9, f = 2, a slow replica 0 and 20 % loss until t = 2500: three honest replicas end three views behind the rest,
    // knowing only an older QC, so their timers (doubling per view since the newest QC each knew) were as long as those
    // ahead and the gap stayed for ever. Now a replica ahead shows its QC to one that sends it a stale NEW-VIEW, and the
    // timer doubles per leader.
    // The counterexample as fast-check drew it (its reorder rate of 5e-324 draws from the network's stream, as 0 would not).
    const scenario: Scenario = { f: 2, seed: 29, minDelayMs: 2, maxDelayMs: 29, dropRate: 0.19755159597843888, reorderRate: 5e-324, malicious: { 0: { kind: 'slow', omitProbability: 0, extraDelayMs: 94 } }, requests: 3, concurrency: 2, checkpointInterval: 4, watermarkWindow: 16, viewChangeTimeoutMs: 300, clientTimeoutMs: 500, mode: 'chained-hotstuff', n: 9 };
    expect(() => judgeLossyThenCalm(scenario, { calmAt: 2500, bound: scenario.viewChangeTimeoutMs * 2 ** 9 + 4 * scenario.clientTimeoutMs + scenario.requests * 10 * (scenario.maxDelayMs + 200), hint: 'n = 9, slow 0', calmReorder: true })).not.toThrow();
  });
});

describe('Chained HotStuff, colluders beyond the bound', () => {
  /** Colluders 0 … count − 1: they lead views 0 … 2·count − 1, two each. */
  const colluders = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, k) => [k, { kind: 'collude' as const }]));

  it('f + 1 colluders leading four views in a row fork the chain: each honest half decides a different request at one height', () => {
    for (const f of [1, 2]) {
      const sim = run({ f, requests: 2, concurrency: 2, malicious: colluders(f + 1) }, 20_000);
      const logs = honestLogs(sim);
      // Judged from the honest replicas' own logs: two different entries at height 1, each a genuine request.
      const atHeight1 = new Set(logs.map((log) => log.find((e) => e.startsWith('1:'))).filter((e) => e !== undefined));
      expect(atHeight1.size).toBe(2);
      for (const entry of atHeight1) expect(sim.client.issued.has(entry!.slice(2))).toBe(true);
      expect(agree(logs)).toBe(false);
      // Each half heard only its own chain's proposals in the colluders' views.
      const shown = delivered(sim, 'CHS_GENERIC').filter((e) => e.msg.view === 0 && !sim.scenario.malicious[e.msg.to]);
      expect(new Set(shown.map((e) => e.msg.digest)).size).toBe(2);
      expect(sim.stats().violations.some((v) => v.rule === 'agreement')).toBe(true);
    }
  });

  it('f colluders with the same plan break nothing: the chain shown to the second half never gets a QC', () => {
    for (const f of [1, 2]) {
      for (const seed of [1, 2, 3]) {
        const sim = run({ f, seed, requests: 3, concurrency: 2, malicious: colluders(f) });
        const shown = delivered(sim, 'CHS_GENERIC').filter((e) => e.msg.view === 0 && !sim.scenario.malicious[e.msg.to]);
        expect(new Set(shown.map((e) => e.msg.digest)).size).toBe(2);
        expect(agree(honestLogs(sim))).toBe(true);
        expect(sim.stats().committed).toBe(3);
        expect(sim.stats().violations).toEqual([]);
      }
    }
  });
});
