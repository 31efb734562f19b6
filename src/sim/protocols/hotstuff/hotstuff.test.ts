/**
 * Basic HotStuff's named scenarios from the paper, each judged from the replicas' logs and the wire as the test reads them.
 */
import { describe, expect, it } from 'vitest';
import { NULL_DIGEST } from '../../messages';
import { defaultScenario } from '../../scenario';
import { Simulation } from '../../simulation';
import { agree, honestLogs, runQuiet } from '../../testkit';
import { calmingSteps, play } from '../../attack/replay';
import { applyIntervention } from '../../session';
import type { Scenario, TimedIntervention, TraceEvent } from '../../types';
import { GENESIS_ID, GENESIS_QC, HotStuffReplica } from './replica';

const HS_TYPES = ['HS_NEW_VIEW', 'HS_PREPARE', 'HS_VOTE_PREPARE', 'HS_PRE_COMMIT', 'HS_VOTE_PRE_COMMIT', 'HS_COMMIT', 'HS_VOTE_COMMIT', 'HS_DECIDE'];

const run = (overrides: Partial<Scenario>, limit = 60_000) => runQuiet('hotstuff', overrides, limit);

const delivered = (sim: Simulation, type: string) => sim.trace.filter((e): e is Extract<TraceEvent, { kind: 'deliver' }> => e.kind === 'deliver' && e.msg.type === type);

describe('basic HotStuff', () => {
  it('normal case: each decision costs 8(n − 1) messages — linear in n', () => {
    for (const f of [1, 2, 4]) {
      const n = 3 * f + 1;
      const sim = run({ f, requests: 3 });
      expect(sim.stats().committed).toBe(3);
      for (const log of honestLogs(sim)) expect(log).toHaveLength(3);
      const sent = sim.stats().sent;
      const hs = HS_TYPES.reduce((sum, t) => sum + sent[t as keyof typeof sent], 0);
      expect(hs).toBe(3 * 8 * (n - 1));
    }
  });

  it('a QC is n − f signed votes: a replica shown a QC short of a vote, or with a vote it did not get signed, refuses it', () => {
    const sim = new Simulation(defaultScenario({ mode: 'hotstuff', f: 1, requests: 1 }));
    sim.runToQuiescence(10_000);
    const r1 = sim.replicaList[1] as HotStuffReplica;
    const qc = r1.prepareQC;
    expect(qc.votes.length).toBe(3);
    const base = { seq: 1, state: r1.executedLog[0].state, node: qc.node };
    const leafFor = (justify: unknown) => ({ type: 'HS_PREPARE' as const, view: 4, seq: qc.height + 1, digest: NULL_DIGEST, sender: 0, payload: { qc: justify, branch: [], base } });
    const short = { ...qc, votes: qc.votes.slice(0, 2) };
    const forged = { ...qc, votes: [...qc.votes.slice(0, 2), { ...qc.votes[2], sig: qc.votes[2].sig + 1 }] };
    const ignored = (events: TraceEvent[]) => events.find((e) => e.kind === 'deliver')?.kind === 'deliver' ? (events.find((e) => e.kind === 'deliver') as Extract<TraceEvent, { kind: 'deliver' }>).ignored : undefined;
    expect(ignored(sim.inject(2, leafFor(short)))).toBe('invalid QC');
    expect(ignored(sim.inject(2, leafFor(forged)))).toBe('invalid QC');
  });

  it('a silent leader: the replicas’ view timers move them on, and a later leader decides', () => {
    const sim = run({ f: 1, requests: 2, malicious: { 0: { kind: 'silent' } } });
    expect(sim.stats().committed).toBe(2);
    expect(agree(honestLogs(sim))).toBe(true);
    const decides = delivered(sim, 'HS_DECIDE');
    expect(Math.min(...decides.map((e) => e.msg.view))).toBeGreaterThanOrEqual(1);
    expect(sim.trace.some((e) => e.kind === 'view-change')).toBe(true);
  });

  it('an equivocating leader: each replica votes for the leaf it was shown, yet at most one node is decided per height', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const sim = run({ f: 1, seed, requests: 3, concurrency: 2, malicious: { 0: { kind: 'equivocate' } } });
      expect(agree(honestLogs(sim))).toBe(true);
      expect(sim.stats().committed).toBe(3);
      expect(sim.stats().violations).toEqual([]);
    }
  });

  it('a replica locked on a branch the next leader does not extend refuses it (safeNode), and the locked node is what gets decided', () => {
    // View 0: leader 0 proposes A. Its COMMIT (the precommitQC) reaches replica 2 only, and its DECIDE nobody: replicas 0
    // and 2 are locked on A, replicas 1 and 3 only hold its prepareQC.
    const sim = new Simulation(defaultScenario({ mode: 'hotstuff', f: 1, requests: 1 }));
    sim.setDeliveryFilter((m) => !(m.type === 'HS_COMMIT' && m.view === 0 && m.receiver !== 2) && !(m.type === 'HS_DECIDE' && m.view === 0));
    const r2 = sim.replicaList[2] as HotStuffReplica;
    const r3 = sim.replicaList[3] as HotStuffReplica;
    for (let t = 0; t < 2000 && r2.lockedQC.view < 0; t += 5) sim.runUntil(t);
    expect(r2.lockedQC.view).toBe(0);
    expect(r3.lockedQC).toBe(GENESIS_QC);
    const a = r2.lockedQC.node;
    // The leader of view 1 proposes a leaf that does not extend A, justified by the genesis QC (older than the lock).
    const fork = { type: 'HS_PREPARE' as const, view: 1, seq: 1, digest: NULL_DIGEST, sender: 1, payload: { qc: GENESIS_QC, branch: [], base: { seq: 0, state: '00000000', node: GENESIS_ID } } };
    const toLocked = sim.inject(2, fork).find((e) => e.kind === 'deliver') as Extract<TraceEvent, { kind: 'deliver' }>;
    expect(toLocked.ignored).toMatch(/^not safe/);
    expect(sim.trace.some((e) => e.kind === 'send' && e.msg.type === 'HS_VOTE_PREPARE' && e.msg.from === 2 && e.msg.view === 1)).toBe(false);
    // A replica that is not locked finds it safe and votes.
    sim.inject(3, fork);
    expect(sim.trace.some((e) => e.kind === 'send' && e.msg.type === 'HS_VOTE_PREPARE' && e.msg.from === 3 && e.msg.view === 1)).toBe(true);
    // The network heals: later leaders extend the highest prepareQC (A's), and A is decided at height 1.
    sim.setDeliveryFilter(null);
    sim.runToQuiescence(60_000);
    expect(sim.stats().committed).toBe(1);
    const nodeAt1 = (sim.replicaList[0] as HotStuffReplica).executedLog[0];
    expect(nodeAt1.request?.digest).toBe(sim.client.latest?.digest);
    expect(agree(honestLogs(sim))).toBe(true);
    expect(a).toBeTruthy();
  });
});

describe('basic HotStuff, colluders beyond the bound', () => {
  /** Colluders 0 … count − 1: replica 0 leads view 0. */
  const colluders = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, k) => [k, { kind: 'collude' as const }]));

  it('f + 1 colluders (the leader among them) certify two leaves at one height: each honest half executes a different request there', () => {
    for (const f of [1, 2]) {
      const sim = run({ f, requests: 2, concurrency: 2, malicious: colluders(f + 1) }, 20_000);
      const logs = honestLogs(sim);
      // Judged from the honest replicas' own logs: two different entries at height 1, each from a genuine request.
      const atHeight1 = new Set(logs.map((log) => log.find((e) => e.startsWith('1:'))).filter((e) => e !== undefined));
      expect(atHeight1.size).toBe(2);
      for (const entry of atHeight1) expect(sim.client.issued.has(entry!.slice(2))).toBe(true);
      expect(agree(logs)).toBe(false);
      // Two halves of f honest replicas each, every one of them executed what its half was shown.
      for (const entry of atHeight1) expect(logs.filter((log) => log.includes(entry!)).length).toBe(f);
      // Each decided through a DECIDE of view 0, whose commitQC is n − f signed votes for that node: the colluders voted twice.
      const decides = delivered(sim, 'HS_DECIDE').filter((e) => e.msg.view === 0 && !sim.scenario.malicious[e.msg.to]);
      expect(new Set(decides.map((e) => e.msg.digest)).size).toBe(2);
      expect(sim.stats().violations.some((v) => v.rule === 'agreement')).toBe(true);
    }
  });

  it('f colluders with the same plan break nothing: the half shown the other leaf never sees it certified', () => {
    for (const f of [1, 2]) {
      for (const seed of [1, 2, 3]) {
        const sim = run({ f, seed, requests: 3, concurrency: 2, malicious: colluders(f) });
        // The plan was tried: view 0's leader showed the honest replicas two different leaves.
        const shown = delivered(sim, 'HS_PREPARE').filter((e) => e.msg.view === 0 && !sim.scenario.malicious[e.msg.to]);
        expect(new Set(shown.map((e) => e.msg.digest)).size).toBe(2);
        expect(agree(honestLogs(sim))).toBe(true);
        expect(sim.stats().committed).toBe(3);
        expect(sim.stats().violations).toEqual([]);
      }
    }
  });
  it('a leader that learnt the decision only from a NEW-VIEW answers the laggards with it (found by the attack search)', () => {
    // Replica 0 leads view 0 and lies by omission: it forms the commitQC but sends DECIDE to nobody, only its NEW-VIEW
    // (carrying the commitQC) to replica 1, the next leader. Then it falls silent. Replicas 2 and 3 time out and send
    // replica 1 NEW-VIEWs that say they executed nothing: replica 1 must answer with the commitQC, or they never execute
    // and the client, with one honest REPLY and a silent liar, never has f + 1.
    const scenario = defaultScenario({ mode: 'hotstuff', f: 1, seed: 1, minDelayMs: 5, maxDelayMs: 40, malicious: { 0: { kind: 'omit' } } });
    const sim = new Simulation(scenario);
    while (sim.now < 386.7 && sim.advance());
    sim.setBehaviour(0, { kind: 'silent' });
    sim.runToQuiescence(20_000);
    const decideSent = sim.trace.filter((e) => e.kind === 'send' && e.msg.type === 'HS_DECIDE');
    expect(decideSent.every((e) => e.kind === 'send' && e.msg.from !== 0)).toBe(true);
    const logs = honestLogs(sim);
    expect(logs.map((log) => log.length)).toEqual([1, 1, 1]);
    expect(agree(logs)).toBe(true);
    expect(sim.client.outstanding.size).toBe(0);
  });
  it('a replica pushed many views ahead before the calm is caught up with: the view timer keeps doubling (found by the attack search)', () => {
    // n = 7, f = 2: the client's REQUEST reaches replicas 0 and 3 only, 0 and 1 fall silent, and replica 3's view timer is
    // fired by hand 13 times while the network holds everything — it goes 13 views ahead alone. Then the network calms.
    // With the timer capped at 2^12 T every honest timer ended at the cap and replica 3 stayed two views ahead for
    // ever: never n − f = 5 honest replicas in one view. Doubling on, the others pass through the views below it while it waits.
    const scenario = defaultScenario({ mode: 'hotstuff', f: 2, seed: 1, minDelayMs: 5, maxDelayMs: 40, malicious: { 0: { kind: 'collude' }, 1: { kind: 'equivocate' } } });
    const steps: TimedIntervention[] = [{"afterEvent": 0, "at": 0, "intervention": {"kind": "setByHand", "on": true}}, {"afterEvent": 2, "at": 0, "intervention": {"kind": "deliver", "msg": 1}}, {"afterEvent": 10, "at": 10, "intervention": {"kind": "setBehaviour", "id": 0, "behaviour": {"kind": "silent"}}}, {"afterEvent": 10, "at": 15, "intervention": {"kind": "deliver", "msg": 4}}, {"afterEvent": 12, "at": 305, "intervention": {"kind": "fireTimer", "replica": 3, "timer": "main"}}, {"afterEvent": 17, "at": 315, "intervention": {"kind": "setBehaviour", "id": 1, "behaviour": {"kind": "silent"}}}, {"afterEvent": 17, "at": 940, "intervention": {"kind": "fireTimer", "replica": 3, "timer": "main"}}, {"afterEvent": 22, "at": 2190, "intervention": {"kind": "fireTimer", "replica": 3, "timer": "main"}}, {"afterEvent": 26, "at": 4590, "intervention": {"kind": "fireTimer", "replica": 3, "timer": "main"}}, {"afterEvent": 31, "at": 4920, "intervention": {"kind": "fireTimer", "replica": 3, "timer": "main"}}, {"afterEvent": 36, "at": 9425, "intervention": {"kind": "fireTimer", "replica": 3, "timer": "main"}}, {"afterEvent": 41, "at": 28620, "intervention": {"kind": "fireTimer", "replica": 3, "timer": "main"}}, {"afterEvent": 46, "at": 38220, "intervention": {"kind": "fireTimer", "replica": 3, "timer": "main"}}, {"afterEvent": 51, "at": 76940, "intervention": {"kind": "fireTimer", "replica": 3, "timer": "main"}}, {"afterEvent": 56, "at": 212670, "intervention": {"kind": "fireTimer", "replica": 3, "timer": "main"}}, {"afterEvent": 60, "at": 307000, "intervention": {"kind": "fireTimer", "replica": 3, "timer": "main"}}, {"afterEvent": 65, "at": 614195, "intervention": {"kind": "fireTimer", "replica": 3, "timer": "main"}}, {"afterEvent": 70, "at": 1228595, "intervention": {"kind": "fireTimer", "replica": 3, "timer": "main"}}];
    const { sim } = play(scenario, steps, { recordTrace: false });
    for (const step of calmingSteps(sim)) applyIntervention(sim, step);
    const calm = sim.now;
    const longest = Math.max(...[2, 3, 4, 5, 6].map((id) => (sim.replicaList[id].timer ? sim.replicaList[id].timer!.deadline - sim.replicaList[id].timer!.startedAt : 0)));
    expect(longest).toBeGreaterThanOrEqual(300 * 2 ** 12);
    sim.runUntil(calm + 4 * longest);
    const logs = honestLogs(sim);
    expect(logs.map((log) => log.length)).toEqual([1, 1, 1, 1, 1]);
    expect(agree(logs)).toBe(true);
    expect(sim.client.outstanding.size).toBe(0);
  });
});
