/**
 * Each liar of issue 11 in a whole run: what it really puts on the wire (read from the trace and the client's inbox,
 * not from the adversary), and that with m ≤ f the honest replicas still agree and the client gets the truth — while
 * f + 1 liars that agree on one wrong reply do fool it.
 */
import { describe, expect, it } from 'vitest';
import { NULL_DIGEST } from './messages';
import { defaultScenario } from './scenario';
import { Simulation } from './simulation';
import { CLIENT, MESSAGE_TYPES, type Behaviour, type NodeId, type Scenario, type TraceEvent } from './types';

type Send = Extract<TraceEvent, { kind: 'send' }>;

/** A run with what the client received (sender, digest, result) and what it accepted, recorded beside it. */
function run(overrides: Partial<Scenario>, limitMs = 30_000) {
  const sim = new Simulation(defaultScenario(overrides));
  const inbox: Array<{ from: NodeId; digest: string; result: string | undefined }> = [];
  const accepted: Array<{ digest: string; result: string }> = [];
  const onReply = sim.client.onReply.bind(sim.client);
  sim.client.onReply = (msg, from, now) => {
    inbox.push({ from, digest: msg.digest, result: msg.result });
    const outcome = onReply(msg, from, now);
    if (outcome && typeof outcome === 'object') accepted.push({ digest: outcome.request.digest, result: outcome.result });
    return outcome;
  };
  sim.runToQuiescence(limitMs);
  return { sim, inbox, accepted };
}

const sends = (sim: Simulation, test: (s: Send) => boolean = () => true): Send[] => sim.trace.filter((e): e is Send => e.kind === 'send' && test(e));
const honestIds = (sim: Simulation) => sim.replicaList.filter((r) => !sim.scenario.malicious[r.id]).map((r) => r.id);

/** The result honest replicas computed for each request (by digest), from their own execution logs. */
function honestResults(sim: Simulation): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const id of honestIds(sim)) {
    for (const e of sim.replicaList[id].executedLog) if (e.request) out.set(e.digest, (out.get(e.digest) ?? new Set()).add(e.state));
  }
  return out;
}

/** Honest execution logs are prefixes of one another, and every acceptance is a result honest replicas computed. */
function expectSafeAndTrue(sim: Simulation, accepted: Array<{ digest: string; result: string }>): void {
  const logs = honestIds(sim).map((id) => sim.replicaList[id].executedLog.map((e) => `${e.seq}:${e.digest}`));
  const longest = logs.reduce((a, b) => (b.length > a.length ? b : a), []);
  for (const log of logs) expect(log).toEqual(longest.slice(0, log.length));
  const results = honestResults(sim);
  for (const a of accepted) expect([...(results.get(a.digest) ?? [])]).toEqual([a.result]);
}

describe('equivocate', () => {
  it('as primary, proposes two things for one (v, n) — at f = 2 the backups split 3 and 3, nothing prepares, and it is replaced', () => {
    const { sim, accepted } = run({ f: 2, requests: 3, malicious: { 0: { kind: 'equivocate' } } });
    const first = sends(sim, (s) => s.msg.type === 'PRE_PREPARE' && s.msg.from === 0 && s.msg.view === 0 && s.msg.seq === 1 && !s.retransmit);
    const genuine = new Set([...sim.client.issued.keys(), NULL_DIGEST]);
    expect(first.map((s) => s.msg.to)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(first.map((s) => s.msg.digest)).size).toBe(2);
    for (const s of first) expect(genuine.has(s.msg.digest)).toBe(true);
    expect(sim.trace.some((e) => e.kind === 'phase' && e.phase === 'prepared' && e.view === 0 && e.seq === 1 && e.replica !== 0)).toBe(false);
    expect(sim.stats().view).toBeGreaterThanOrEqual(1);
    expect(accepted).toHaveLength(3);
    expectSafeAndTrue(sim, accepted);
  });

  it('with a second request known, tells every second backup that genuine request instead of the null request', () => {
    const { sim, accepted } = run({ f: 2, requests: 4, concurrency: 2, malicious: { 0: { kind: 'equivocate' } } });
    const issued = new Set(sim.client.issued.keys());
    const bySlot = new Map<string, Set<string>>();
    for (const s of sends(sim, (s) => s.msg.type === 'PRE_PREPARE' && s.msg.from === 0 && s.msg.view === 0)) {
      const key = `${s.msg.seq}`;
      bySlot.set(key, (bySlot.get(key) ?? new Set()).add(s.msg.digest));
    }
    const twoRequests = [...bySlot.values()].filter((ds) => ds.size === 2 && [...ds].every((d) => issued.has(d)));
    expect(twoRequests.length).toBeGreaterThan(0);
    expect(accepted).toHaveLength(4);
    expectSafeAndTrue(sim, accepted);
  });

  it('f equivocators agree on one wrong REPLY, each sent before it executes anything; the client waits for f + 1 and gets the truth', () => {
    const { sim, inbox, accepted } = run({ f: 2, requests: 2, malicious: { 3: { kind: 'equivocate' }, 5: { kind: 'equivocate' } } });
    expect(accepted).toHaveLength(2);
    expectSafeAndTrue(sim, accepted);
    const results = honestResults(sim);
    for (const { digest, result } of accepted) {
      const lies = inbox.filter((r) => r.digest === digest && (r.from === 3 || r.from === 5));
      expect(new Set(lies.map((r) => r.from))).toEqual(new Set([3, 5]));
      // One wrong result, the same from both: two matching replies, one short of the f + 1 = 3 the client needs.
      expect(new Set(lies.map((r) => r.result)).size).toBe(1);
      expect(lies[0].result).not.toBe(result);
      expect(results.get(digest)!.has(lies[0].result!)).toBe(false);
    }
    // The liars spoke first: their wrong replies left before they executed the request.
    const first = inbox.findIndex((r) => r.from === 3 || r.from === 5);
    expect(first).toBe(0);
  });

  it('beyond the bound, f + 1 equivocators that agree on the lie fool the client', () => {
    const { sim, accepted } = run({ f: 1, requests: 1, malicious: { 2: { kind: 'equivocate' }, 3: { kind: 'equivocate' } } });
    expect(accepted).toHaveLength(1);
    const results = honestResults(sim);
    expect(results.get(accepted[0].digest)?.has(accepted[0].result) ?? false).toBe(false);
    expect(sim.trace.find((e) => e.kind === 'accept')).toMatchObject({ fooled: true });
  });
});

describe('omit', () => {
  it('with p = 1 its VIEW-CHANGEs, CHECKPOINTs and REPLYs never leave it either; with m ≤ f the run completes', () => {
    const { sim, accepted } = run({ f: 2, requests: 9, concurrency: 2, malicious: { 0: { kind: 'silent' }, 1: { kind: 'omit', omitProbability: 1 } } });
    expect(accepted).toHaveLength(9);
    expectSafeAndTrue(sim, accepted);
    // Replica 1 would have taken checkpoints, asked for view 1 (it is the primary of view 1) and replied.
    expect(sim.trace.some((e) => e.kind === 'checkpoint' && e.replica === 1)).toBe(true);
    expect(sim.trace.some((e) => e.kind === 'view-change' && e.replica === 1)).toBe(true);
    expect(sends(sim, (s) => s.msg.from === 1).map((s) => s.msg.type).filter((t) => t !== 'REQUEST')).toEqual([]);
    expect(sim.stats().view).toBeGreaterThanOrEqual(2);
  });
});

describe('withhold-new-view', () => {
  it("as the new primary, sends NEW-VIEW to all but the f after it, and the run still completes with no divergence", () => {
    // f = 2: replica 0 is silent, so replica 1 becomes the primary of view 1 and leaves out replicas 2 and 3.
    const { sim, accepted } = run({ f: 2, requests: 3, malicious: { 0: { kind: 'silent' }, 1: { kind: 'withhold-new-view' } } });
    const newViews = sends(sim, (s) => s.msg.type === 'NEW_VIEW' && s.msg.from === 1 && s.msg.view === 1);
    expect(newViews.length).toBeGreaterThan(0);
    expect([...new Set(newViews.map((s) => s.msg.to))].sort()).toEqual([0, 4, 5, 6]);
    expect(sim.trace.some((e) => e.kind === 'new-view' && e.view === 1 && (e.replica === 2 || e.replica === 3))).toBe(false);
    expect(accepted).toHaveLength(3);
    expectSafeAndTrue(sim, accepted);
  });

  it('with f = 1, the one replica left out (the next primary) falls behind; the other three go on', () => {
    const { sim, accepted } = run({ f: 1, requests: 3, dropRate: 0, malicious: { 1: { kind: 'withhold-new-view' } } });
    // No view change happens without a reason: a lossless run never asks for one, and the liar is an honest primary-to-be.
    expect(sends(sim, (s) => s.msg.type === 'NEW_VIEW')).toEqual([]);
    expect(accepted).toHaveLength(3);
    expectSafeAndTrue(sim, accepted);
  });
});

describe('replay', () => {
  it('re-sends old messages it saw, word for word; stale ones are ignored, and the run completes', () => {
    const { sim, accepted } = run({ f: 2, requests: 6, concurrency: 2, malicious: { 0: { kind: 'silent' }, 3: { kind: 'replay' } } });
    expect(accepted).toHaveLength(6);
    expectSafeAndTrue(sim, accepted);
    const said = sends(sim, (s) => s.msg.from === 3);
    // Messages from replica 3 that repeat what another replica said earlier: the replays of what it heard.
    const heardFirst = new Map<string, number>();
    for (const s of sends(sim, (s) => s.msg.from !== 3 && s.msg.from !== CLIENT)) {
      const key = `${s.msg.type}|${s.msg.view}|${s.msg.seq}|${s.msg.digest}`;
      if (!heardFirst.has(key)) heardFirst.set(key, s.i);
    }
    const replayed = said.filter((s) => s.msg.type !== 'PREPARE' && s.msg.type !== 'COMMIT' && (heardFirst.get(`${s.msg.type}|${s.msg.view}|${s.msg.seq}|${s.msg.digest}`) ?? Infinity) < s.i);
    expect(replayed.length).toBeGreaterThan(0);
    // Some arrive in a view their receiver has left: turned away as stale.
    const staleIds = new Set(said.map((s) => s.msg.id));
    const turnedAway = sim.trace.filter((e) => e.kind === 'deliver' && staleIds.has(e.msg.id) && e.ignored && /stale|not ahead|already/.test(e.ignored));
    expect(turnedAway.length).toBeGreaterThan(0);
  });
});

describe('flood', () => {
  it('sends far more garbage than the protocol says — far-future views and numbers, every type — and the run completes', () => {
    const behaviour: Behaviour = { kind: 'flood' };
    const { sim, accepted } = run({ f: 1, requests: 4, concurrency: 2, malicious: { 2: behaviour } });
    expect(accepted).toHaveLength(4);
    expectSafeAndTrue(sim, accepted);
    const fromLiar = sends(sim, (s) => s.msg.from === 2);
    const fromHonest = sends(sim, (s) => s.msg.from === 1);
    expect(fromLiar.length).toBeGreaterThan(5 * fromHonest.length);
    expect(fromLiar.some((s) => s.msg.view >= 1_000_000)).toBe(true);
    expect(fromLiar.some((s) => s.msg.seq >= 1_000_000)).toBe(true);
    expect(new Set(fromLiar.map((s) => s.msg.type))).toEqual(new Set(MESSAGE_TYPES));
    // It falls quiet with the run: nothing of it is left on the wire, or due, at the end.
    expect(sim.nextEventTime()).toBeNull();
  });
});

/** Why honest replicas turned away the liar's messages of one type (the deliveries' `ignored`), all of them. */
function turnedAway(sim: Simulation, from: NodeId, type: string): { delivered: number; reasons: string[] } {
  const honest = new Set(honestIds(sim));
  const got = sim.trace.filter((e): e is Extract<TraceEvent, { kind: 'deliver' }> => e.kind === 'deliver' && e.msg.from === from && e.msg.type === type && honest.has(e.msg.to));
  return { delivered: got.length, reasons: got.flatMap((e) => (e.ignored ? [e.ignored] : [])) };
}

describe('forge-view-change', () => {
  it('claims in its VIEW-CHANGEs what it cannot prove, a different forgery to each replica; every one is rejected, and the view changes without it', () => {
    // The primary equivocates, so view 0 fails with PRE-PREPAREs the liar can build on.
    const { sim, accepted } = run({ f: 2, requests: 4, concurrency: 2, malicious: { 0: { kind: 'equivocate' }, 3: { kind: 'forge-view-change' } } });
    expect(accepted).toHaveLength(4);
    expectSafeAndTrue(sim, accepted);
    const { delivered, reasons } = turnedAway(sim, 3, 'VIEW_CHANGE');
    expect(delivered).toBeGreaterThan(0);
    // Nothing it claimed got through: each delivery was turned away (as a forgery, or as a repeat of one already refused).
    expect(reasons).toHaveLength(delivered);
    const forged = reasons.filter((r) => r.startsWith('rejected VIEW-CHANGE'));
    expect(forged.some((r) => /CHECKPOINT from replica \d+ in its checkpoint proof for #\d+ was not sent by replica \d+/.test(r))).toBe(true);
    expect(forged.some((r) => /holds a (PRE-PREPARE|PREPARE from replica \d+) that replica \d+ did not send/.test(r))).toBe(true);
    expect(forged.some((r) => /holds 1 PREPAREs from distinct backups, needs 4/.test(r))).toBe(true);
    expect(sim.stats().view).toBe(1);
  });
});

describe('forge-new-view', () => {
  it('as the new primary, hands different backups NEW-VIEWs from forged, stale or short material, or a valid one; the forgeries are rejected, and the run completes', () => {
    // f = 3: replicas 0 and 1 are silent, so view 1 fails too, and the liar, primary of view 2, has heard view 1's VIEW-CHANGEs.
    const { sim, accepted } = run({ f: 3, requests: 3, malicious: { 0: { kind: 'silent' }, 1: { kind: 'silent' }, 2: { kind: 'forge-new-view' } } }, 60_000);
    expect(accepted).toHaveLength(3);
    expectSafeAndTrue(sim, accepted);
    const { delivered, reasons } = turnedAway(sim, 2, 'NEW_VIEW');
    expect(delivered).toBeGreaterThan(0);
    const forged = reasons.filter((r) => r.startsWith('rejected NEW-VIEW'));
    expect(forged.some((r) => /the VIEW-CHANGE from replica \d+ in V was not sent by replica \d+/.test(r))).toBe(true);
    expect(forged.some((r) => /the VIEW-CHANGE from replica \d+ in V is for view 1, not 2/.test(r))).toBe(true);
    expect(forged.some((r) => /V holds 6 VIEW-CHANGEs for view 2, needs 7/.test(r))).toBe(true);
    expect(forged.some((r) => /O differs from V at #\d+|O re-proposes \d+ numbers, but V implies \d+/.test(r))).toBe(true);
    // Some backups took the valid one: they installed view 2 under the liar.
    expect(sim.trace.some((e) => e.kind === 'new-view' && e.view === 2 && e.primary === 2 && e.replica !== 2)).toBe(true);
  });
});

describe('collude beyond the bound: f + 1 colluders split the honest replicas with a single request across a view change', () => {
  for (const f of [1, 2, 3]) {
    it(`f = ${f}: the next primary hides the prepared certificate from V, and honest replicas execute different requests at #1`, () => {
      const malicious = Object.fromEntries(Array.from({ length: f + 1 }, (_, id) => [id, { kind: 'collude' as const }]));
      const { sim } = run({ f, requests: 1, malicious }, 10_000);
      const honest = honestIds(sim);
      const d = [...sim.client.issued.keys()][0];
      // From the execution logs alone: some honest replicas ran the request at #1, the others the null request there.
      const atOne = new Map(honest.map((id) => [id, sim.replicaList[id].executedLog.find((e) => e.seq === 1)?.digest]));
      const ran = honest.filter((id) => atOne.get(id) === d);
      const nulled = honest.filter((id) => atOne.get(id) === NULL_DIGEST);
      expect(ran).toHaveLength(f);
      expect(nulled).toHaveLength(f);
      // The request committed at #1 in view 0 for the first; the null request at #1 in view 1 for the others.
      const committedAt = (id: NodeId) => sim.trace.find((e) => e.kind === 'phase' && e.phase === 'committed' && e.replica === id && e.seq === 1);
      for (const id of ran) expect(committedAt(id)).toMatchObject({ view: 0, digest: d });
      for (const id of nulled) expect(committedAt(id)).toMatchObject({ view: 1, digest: NULL_DIGEST });
      // They never saw #1 in view 0: the colluders told them the request at #2 only.
      for (const id of nulled) expect(sim.trace.some((e) => e.kind === 'deliver' && e.msg.to === id && e.msg.type === 'PRE_PREPARE' && e.msg.view === 0 && e.msg.seq === 1)).toBe(false);
      // And the simulation's own checker saw it too.
      expect(sim.stats().violations.some((v) => v.rule === 'agreement' && v.seq === 1)).toBe(true);
    });
  }

  it('the same colluders within the bound (m = f) cannot: the request is accepted and the honest replicas agree', () => {
    const { sim, accepted } = run({ f: 2, requests: 1, malicious: { 0: { kind: 'collude' }, 1: { kind: 'collude' } } });
    expect(accepted).toHaveLength(1);
    expectSafeAndTrue(sim, accepted);
    expect(sim.stats().violations).toEqual([]);
  });
});
