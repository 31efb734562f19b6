import { describe, expect, it } from 'vitest';
import { forgedDigest, makeRequest, NULL_DIGEST } from '../messages';
import type { Behaviour, NodeId, OutgoingMessage } from '../types';
import { PBFT_KNOWLEDGE } from '../protocols/pbft/lies';
import type { NewViewPayload } from '../protocols/pbft/payloads';
import { Cabal } from './cabal';
import { collude } from './collude';
import { equivocate } from './equivocate';
import { ADVERSARIES, Liars } from './index';
import { keepingWhatItSaid } from './keeping';
import { omit } from './omit';
import { coinFlipVote, seed, seedLiar } from './seed';
import { silent } from './silent';
import { slow } from './slow';
import { delivered, fakeContext, scripted } from './fakes';

const request = makeRequest('op-a', 1, -1);
const other = makeRequest('op-b', 2, -1);
const prePrepare: OutgoingMessage = { type: 'PRE_PREPARE', view: 0, seq: 1, digest: request.digest, request };
const prepare: OutgoingMessage = { type: 'PREPARE', view: 0, seq: 1, digest: request.digest };
const commit: OutgoingMessage = { type: 'COMMIT', view: 0, seq: 1, digest: request.digest };
const checkpoint: OutgoingMessage = { type: 'CHECKPOINT', view: 0, seq: 4, digest: 'state', payload: { stateDigest: 'state' } };
const reply: OutgoingMessage = { type: 'REPLY', view: 0, seq: 0, digest: request.digest, timestamp: 1, result: 'r' };

describe('silent', () => {
  it('puts nothing on the wire; its replica keeps its own words', () => {
    const ctx = fakeContext({ kind: 'silent' });
    const a = silent();
    expect(a.multicast(ctx, prepare)).toBe(prepare);
    a.send(ctx, -1, reply);
    expect(ctx.sent).toEqual([]);
  });
});

describe('slow', () => {
  it('sends everything as said, extraDelayMs late (never early)', () => {
    const ctx = fakeContext({ kind: 'slow', extraDelayMs: 80 });
    const a = slow();
    a.multicast(ctx, commit);
    a.send(ctx, -1, reply);
    expect(ctx.sent.map((s) => [s.to, s.msg, s.delayMs])).toEqual([
      [1, commit, 80],
      [2, commit, 80],
      [3, commit, 80],
      [-1, reply, 80],
    ]);
    const early = fakeContext({ kind: 'slow', extraDelayMs: -5 });
    slow().send(early, 1, commit);
    expect(early.sent[0].delayMs).toBe(0);
  });
});

describe('omit', () => {
  it('draws once per multicast of a proposal or vote and withholds it from everyone or no one', () => {
    const rng = scripted([0.3, 0.7]);
    const ctx = fakeContext({ kind: 'omit', omitProbability: 0.5 }, { rng });
    const a = omit();
    expect(a.multicast(ctx, prePrepare)).toBe(prePrepare); // withheld, but its replica keeps what it said
    expect(ctx.sent).toEqual([]);
    a.multicast(ctx, prepare);
    expect(ctx.sent.map((s) => s.to)).toEqual([1, 2, 3]);
    expect(rng.drawn).toBe(2);
  });

  it('withholds its checkpoints, view changes, new-view decisions and replies too, one draw each', () => {
    const viewChange: OutgoingMessage = { type: 'VIEW_CHANGE', view: 1, seq: 0, digest: '', payload: {} };
    const newView: OutgoingMessage = { type: 'NEW_VIEW', view: 1, seq: 0, digest: '', payload: {} };
    const rng = scripted([0.1, 0.1, 0.1, 0.1, 0.9, 0.9]);
    const ctx = fakeContext({ kind: 'omit', omitProbability: 0.5 }, { rng });
    const a = omit();
    a.multicast(ctx, checkpoint);
    a.multicast(ctx, viewChange);
    a.multicast(ctx, newView);
    a.send(ctx, -1, reply);
    expect(ctx.sent).toEqual([]);
    a.multicast(ctx, viewChange);
    a.send(ctx, -1, reply);
    expect(ctx.sent.map((s) => [s.to, s.msg.type])).toEqual([
      [1, 'VIEW_CHANGE'],
      [2, 'VIEW_CHANGE'],
      [3, 'VIEW_CHANGE'],
      [-1, 'REPLY'],
    ]);
    expect(rng.drawn).toBe(6);
  });

  it('relays requests as said, and draws nothing for them', () => {
    const rng = scripted([0]);
    const ctx = fakeContext({ kind: 'omit', omitProbability: 1 }, { rng });
    const relay: OutgoingMessage = { type: 'REQUEST', view: 0, seq: 0, digest: request.digest, request, timestamp: 1 };
    omit().send(ctx, 0, relay);
    expect(ctx.sent.map((s) => s.msg)).toEqual([relay]);
    expect(rng.drawn).toBe(0);
  });
});

describe('equivocate', () => {
  const requestFrom = (r: typeof request): OutgoingMessage => ({ type: 'REQUEST', view: 0, seq: 0, digest: r.digest, request: r, timestamp: r.timestamp });

  it('as primary, tells every second backup another genuine request it has seen for the same (v, n)', () => {
    const ctx = fakeContext({ kind: 'equivocate' });
    const a = equivocate();
    a.proposals!(ctx, [other, request], 10);
    a.multicast(ctx, prePrepare);
    expect(ctx.sent.map((s) => [s.to, s.msg.view, s.msg.seq, s.msg.digest, s.msg.request])).toEqual([
      [1, 0, 1, request.digest, request],
      [2, 0, 1, other.digest, other],
      [3, 0, 1, request.digest, request],
    ]);
  });

  it('neither answers nor proposes a request the client never signed (a flooder garbage it heard)', () => {
    const ctx = { ...fakeContext({ kind: 'equivocate' }), genuine: (r: unknown): r is typeof request => r === request };
    const a = equivocate();
    const fake = makeRequest('op-forged', 9, -1);
    for (const junk of [fake, {}, 'request', { digest: 'x' }]) {
      a.heard!(ctx, delivered({ type: 'REQUEST', view: 0.5, seq: 0, digest: 'x', request: junk as typeof request }, 5, 0), 5);
    }
    expect(ctx.sent).toEqual([]);
    a.multicast(ctx, prePrepare);
    // It knows no genuine request but this one, so its other half is told the null request, never the forged one.
    expect(ctx.sent.map((s) => s.msg.digest)).toEqual([request.digest, NULL_DIGEST, request.digest]);
  });

  it('knowing no other request, tells every second backup the null request', () => {
    const ctx = fakeContext({ kind: 'equivocate' });
    equivocate().multicast(ctx, prePrepare);
    expect(ctx.sent.map((s) => [s.msg.digest, s.msg.request])).toEqual([
      [request.digest, request],
      [NULL_DIGEST, undefined],
      [request.digest, request],
    ]);
  });

  it("as primary, votes for that slot to each backup for what it was told; a repeat tells the same split", () => {
    const ctx = fakeContext({ kind: 'equivocate' });
    const a = equivocate();
    a.heard!(ctx, delivered(requestFrom(other), -1, 0), -1);
    a.multicast(ctx, prePrepare);
    a.heard!(ctx, delivered(requestFrom(makeRequest('op-c', 3, -1)), -1, 0), -1); // learning more changes no split
    a.multicast(ctx, prePrepare, true);
    expect(a.multicast(ctx, commit)).toBe(commit);
    const byType = (type: string) => ctx.sent.filter((s) => s.msg.type === type).map((s) => [s.to, s.msg.digest]);
    const split = [
      [1, request.digest],
      [2, other.digest],
      [3, request.digest],
    ];
    expect(byType('PRE_PREPARE')).toEqual([...split, ...split]);
    expect(byType('COMMIT')).toEqual(split);
  });

  it('as backup, votes for the true digest to some replicas and for another genuine request to the rest, and keeps the truth', () => {
    const ctx = fakeContext({ kind: 'equivocate' }, { id: 2 });
    const a = equivocate();
    a.heard!(ctx, delivered(prePrepare, 0, 2), 0);
    a.heard!(ctx, delivered(requestFrom(other), -1, 2), -1);
    expect(a.multicast(ctx, prepare)).toBe(prepare);
    expect(ctx.sent.filter((s) => s.msg.type === 'PREPARE').map((s) => [s.to, s.msg.digest])).toEqual([
      [0, request.digest],
      [1, other.digest],
      [3, request.digest],
    ]);
  });

  it('votes for a digest no request has when it knows no other request', () => {
    const ctx = fakeContext({ kind: 'equivocate' }, { id: 1 });
    equivocate().multicast(ctx, prepare);
    expect(ctx.sent.map((s) => s.msg.digest)).toEqual([request.digest, NULL_DIGEST, request.digest]);
  });

  it('tells the client, as soon as it hears of a request and when it executes it, the one wrong result every liar agreed on', () => {
    const cabal = new Cabal(() => false);
    const first = fakeContext({ kind: 'equivocate' }, { id: 1, cabal });
    const second = fakeContext({ kind: 'equivocate' }, { id: 2, cabal });
    const a = equivocate();
    a.heard!(first, delivered(prePrepare, 0, 1), 0);
    a.heard!(first, delivered(requestFrom(request), -1, 1), -1); // heard again: it has already replied
    equivocate().heard!(second, delivered(prePrepare, 0, 2), 0);
    const wrong = cabal.wrongResult(request.digest);
    expect(wrong).not.toBe('r');
    for (const ctx of [first, second]) {
      expect(ctx.sent.map((s) => [s.to, s.msg])).toEqual([[-1, { type: 'REPLY', view: 0, seq: 0, digest: request.digest, timestamp: 1, result: wrong }]]);
    }
    a.send(first, -1, reply);
    expect(first.sent[1].msg).toEqual({ ...reply, result: wrong });
  });

  it('says its checkpoints and view changes honestly', () => {
    const ctx = fakeContext({ kind: 'equivocate' }, { id: 1 });
    equivocate().multicast(ctx, checkpoint);
    expect(ctx.sent.every((s) => s.msg === checkpoint)).toBe(true);
  });

  it("as a new primary, hands every other backup a decision that does not follow from its proofs (the protocol's forgery)", () => {
    const o = { type: 'PRE_PREPARE' as const, view: 1, seq: 5, digest: 'd', sender: 1, sig: 1, request: null };
    const payload: NewViewPayload = { viewChanges: [], prePrepares: [o] };
    const newView: OutgoingMessage = { type: 'NEW_VIEW', view: 1, seq: 0, digest: '', payload };
    const ctx = fakeContext({ kind: 'equivocate' }, { id: 1 });
    equivocate().multicast(ctx, newView);
    const told = ctx.sent.map((s) => (s.msg.payload as NewViewPayload).prePrepares);
    expect(told[0]).toEqual(payload.prePrepares);
    expect(told[1].map((p) => [p.seq, p.digest])).toEqual([
      [5, 'd'],
      [6, forgedDigest('O', 2)],
    ]);
    expect(told[2]).toEqual(payload.prePrepares);
    // As before its lies moved out of the replica: a repeated NEW-VIEW goes out as said.
    const again = fakeContext({ kind: 'equivocate' }, { id: 1 });
    equivocate().multicast(again, newView, true);
    expect(again.sent.every((s) => s.msg === newView)).toBe(true);
  });
});

describe("the seed's liar", () => {
  it('as proposer gives every other replica a different digest', () => {
    const ctx = fakeContext({ kind: 'seed' });
    seed().multicast(ctx, prePrepare);
    expect(ctx.sent.map((s) => s.msg.digest)).toEqual([1, 2, 3].map((to) => forgedDigest(request.digest, to)));
  });

  it('never sends the vote that commits, and draws nothing for it', () => {
    const rng = scripted([]);
    const ctx = fakeContext({ kind: 'seed' }, { rng });
    expect(seed().multicast(ctx, commit)).toBe(commit);
    expect(ctx.sent).toEqual([]);
    expect(rng.drawn).toBe(0);
  });

  it('flips for its other votes: silent, or the same true or fake digest to everyone', () => {
    const silentCtx = fakeContext({ kind: 'seed' }, { rng: scripted([0.2]) });
    seed().multicast(silentCtx, prepare);
    expect(silentCtx.sent).toEqual([]);
    const lying = fakeContext({ kind: 'seed' }, { id: 3, rng: scripted([0.7, 0.2]) });
    seed().multicast(lying, prepare);
    expect(new Set(lying.sent.map((s) => s.msg.digest))).toEqual(new Set([forgedDigest(request.digest, 3)]));
    const truthful = fakeContext({ kind: 'seed' }, { rng: scripted([0.7, 0.7]) });
    seed().multicast(truthful, prepare);
    expect(truthful.sent.every((s) => s.msg === prepare)).toBe(true);
    // The seed protocol's own coin has the faces the other way round.
    const seedsCoin = fakeContext({ kind: 'seed' }, { rng: scripted([0.7, 0.2]) });
    seedLiar(coinFlipVote(false))().multicast(seedsCoin, prepare);
    expect(seedsCoin.sent.every((s) => s.msg === prepare)).toBe(true);
  });
});

describe('collude', () => {
  it('proposes two waiting requests or none', () => {
    const ctx = fakeContext({ kind: 'collude' });
    expect(collude().proposals!(ctx, [request], 10)).toEqual([]);
    expect(collude().proposals!(ctx, [request, other], 1)).toEqual([]);
    expect(collude().proposals!(ctx, [request, other, makeRequest('op-c', 3, -1)], 10)).toEqual([request, other]);
  });

  it('as primary, tells the two halves of the honest replicas opposite orders and COMMITs to each at once', () => {
    const ctx = fakeContext({ kind: 'collude' }, { colluders: [0, 1] });
    const a = collude();
    a.proposals!(ctx, [request, other], 10);
    a.multicast(ctx, prePrepare);
    a.multicast(ctx, { type: 'PRE_PREPARE', view: 0, seq: 2, digest: other.digest, request: other });
    // Honest replicas 2 and 3: 2 is the first half (told a, b), 3 the second (b, a); colluder 1 hears the second version.
    const told = (seq: number, type: string) => ctx.sent.filter((s) => s.msg.seq === seq && s.msg.type === type).map((s) => [s.to, s.msg.digest]);
    expect(told(1, 'PRE_PREPARE')).toEqual([
      [1, other.digest],
      [2, request.digest],
      [3, other.digest],
    ]);
    expect(told(2, 'PRE_PREPARE')).toEqual([
      [1, request.digest],
      [2, other.digest],
      [3, request.digest],
    ]);
    expect(told(1, 'COMMIT')).toEqual(told(1, 'PRE_PREPARE'));
    expect(ctx.cabal.plan(0, 1)?.digestFor(2)).toBe(request.digest);
  });

  it('as backup, votes per the plan, COMMITs along with its PREPARE and withholds (and keeps no copy of) its later COMMIT', () => {
    const cabal = new Cabal((r) => r === 0 || r === 1);
    const primary = { ...fakeContext({ kind: 'collude' }, { colluders: [0, 1] }), cabal };
    const leader = collude();
    leader.proposals!(primary, [request, other], 10);
    leader.multicast(primary, prePrepare);
    const ctx = { ...fakeContext({ kind: 'collude' }, { id: 1, colluders: [0, 1] }), cabal };
    const a = collude();
    expect(a.multicast(ctx, { ...prepare, digest: other.digest })).not.toBeNull();
    expect(ctx.sent.map((s) => [s.msg.type, s.to, s.msg.digest])).toEqual([
      ['PREPARE', 0, other.digest],
      ['PREPARE', 2, request.digest],
      ['PREPARE', 3, other.digest],
      ['COMMIT', 0, other.digest],
      ['COMMIT', 2, request.digest],
      ['COMMIT', 3, other.digest],
    ]);
    expect(a.multicast(ctx, commit)).toBeNull();
    expect(ctx.sent).toHaveLength(6);
  });

  it('repeats a proposal as its replica says it', () => {
    const ctx = fakeContext({ kind: 'collude' }, { colluders: [0, 1] });
    const a = collude();
    a.proposals!(ctx, [request, other], 10);
    a.multicast(ctx, prePrepare);
    const before = ctx.sent.length;
    a.multicast(ctx, prePrepare, true);
    expect(ctx.sent.slice(before).map((s) => s.msg)).toEqual([prePrepare, prePrepare, prePrepare]);
  });

  it('says what has no plan as it is', () => {
    const ctx = fakeContext({ kind: 'collude' }, { id: 2, colluders: [2] });
    expect(collude().multicast(ctx, prepare)).toBe(prepare);
    expect(ctx.sent.every((s) => s.msg === prepare)).toBe(true);
  });
});

describe('keepingWhatItSaid', () => {
  it("makes the replica's own copy what actually left it: the lie, or nothing", () => {
    const lying = fakeContext({ kind: 'seed' }, { id: 3, rng: scripted([0.7, 0.2]) });
    expect(keepingWhatItSaid(seed)().multicast(lying, prepare)?.digest).toBe(forgedDigest(request.digest, 3));
    expect(keepingWhatItSaid(silent)().multicast(fakeContext({ kind: 'silent' }), prepare)).toBeNull();
    expect(keepingWhatItSaid(slow)().multicast(fakeContext({ kind: 'slow' }), prepare)).toBe(prepare);
  });
});

describe('Liars', () => {
  function liars(behaviours: Array<Behaviour | null>, rng = scripted([])) {
    const sent: Array<[NodeId, NodeId, OutgoingMessage, number]> = [];
    const timers: Array<[NodeId, number, number]> = [];
    const l = new Liars({
      n: 4,
      isAuthentic: () => true,
      rng,
      protocol: PBFT_KNOWLEDGE,
      table: ADVERSARIES,
      behaviourOf: (id) => behaviours[id] ?? null,
      transmit: (from, to, msg, delayMs) => void sent.push([from, to, msg, delayMs]),
      sign: (_from, msg) => msg,
      setTimer: (from, delayMs, generation) => void timers.push([from, delayMs, generation]),
    });
    return { l, sent, timers };
  }

  it("reads the behaviour's parameters on every send, so a change mid-run acts at once", () => {
    const { l, sent } = liars([{ kind: 'slow', extraDelayMs: 10 }]);
    l.send(0, { kind: 'slow', extraDelayMs: 10 }, 1, commit);
    l.send(0, { kind: 'slow', extraDelayMs: 30 }, 1, commit);
    expect(sent.map((s) => s[3])).toEqual([10, 30]);
  });

  it("answers another's retransmission as its lie, to that replica only", () => {
    const seedLiar: Behaviour = { kind: 'seed' };
    const { l, sent } = liars([seedLiar]);
    l.sendAgain(0, seedLiar, 2, commit);
    expect(sent).toEqual([]); // the seed's liar never sends the vote that commits, answer or not
    l.sendAgain(0, seedLiar, 2, prePrepare);
    expect(sent.map(([from, to, msg]) => [from, to, msg.digest])).toEqual([[0, 2, forgedDigest(request.digest, 2)]]);
    const late: Behaviour = { kind: 'slow', extraDelayMs: 40 };
    const slowLiar = liars([late]);
    slowLiar.l.sendAgain(0, late, 3, prepare);
    expect(slowLiar.sent).toEqual([[0, 3, prepare, 40]]);
  });

  it('keeps one adversary per replica and behaviour, so a colluder switched away and back remembers its early COMMITs', () => {
    const behaviours: Array<Behaviour | null> = [{ kind: 'collude' }, { kind: 'collude' }];
    const { l, sent } = liars(behaviours);
    l.proposals(0, behaviours[0]!, [request, other], 10);
    l.multicast(0, behaviours[0]!, prePrepare);
    l.multicast(1, behaviours[1]!, { ...prepare, digest: other.digest });
    l.multicast(1, { kind: 'slow' }, checkpoint);
    const before = sent.length;
    expect(l.multicast(1, behaviours[1]!, commit)).toBeNull();
    expect(sent).toHaveLength(before);
  });
});
