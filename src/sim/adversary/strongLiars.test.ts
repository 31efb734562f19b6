/** The liars of issue 11 (withhold-new-view, replay, flood) and the hooks they need (what a liar hears, its own timer). */
import { describe, expect, it } from 'vitest';
import { makeRequest } from '../messages';
import { PBFT_KNOWLEDGE } from '../protocols/pbft/lies';
import { CLIENT, MESSAGE_TYPES, type Behaviour, type NodeId, type OutgoingMessage } from '../types';
import { delivered, fakeContext, scripted, type FakeContext } from './fakes';
import { forgeNewView, forgeViewChange } from './forging';
import { flood, FLOOD_BURST, FLOOD_LINGER_BURSTS, FLOOD_PERIOD_MS } from './flood';
import { Cabal } from './cabal';
import { collude } from './collude';
import { ADVERSARIES, Liars } from './index';
import { keepingWhatItSaid } from './keeping';
import { replay, REPLAY_MEMORY, REPLAYS_PER_MULTICAST } from './replay';
import type { AdversaryFactory, ViewChangeLies } from './types';
import { withholdNewView } from './withholdNewView';

const request = makeRequest('op-a', 1, -1);
const prePrepare: OutgoingMessage = { type: 'PRE_PREPARE', view: 0, seq: 1, digest: request.digest, request };
const prepare: OutgoingMessage = { type: 'PREPARE', view: 0, seq: 1, digest: request.digest };
const newView: OutgoingMessage = { type: 'NEW_VIEW', view: 1, seq: 0, digest: '', payload: { viewChanges: [], prePrepares: [] } };
const viewChange: OutgoingMessage = { type: 'VIEW_CHANGE', view: 1, seq: 0, digest: '', payload: {} };
const reply: OutgoingMessage = { type: 'REPLY', view: 0, seq: 0, digest: request.digest, timestamp: 1, result: 'r' };

describe('withhold-new-view', () => {
  it('sends its NEW-VIEW to every backup but the f after it (the next primaries), and keeps its own words', () => {
    const ctx = fakeContext({ kind: 'withhold-new-view' }, { id: 1, n: 7 });
    expect(withholdNewView().multicast(ctx, newView)).toBe(newView);
    expect(ctx.sent.map((s) => s.to)).toEqual([0, 4, 5, 6]);
    // The last replica wraps around: the f after 6 are 0 and 1.
    const last = fakeContext({ kind: 'withhold-new-view' }, { id: 6, n: 7 });
    withholdNewView().multicast(last, newView);
    expect(last.sent.map((s) => s.to)).toEqual([2, 3, 4, 5]);
  });

  it('withholds a repeated or point-to-point NEW-VIEW from the same replicas', () => {
    const ctx = fakeContext({ kind: 'withhold-new-view' }, { id: 1 });
    const a = withholdNewView();
    a.multicast(ctx, newView, true);
    for (const to of [0, 2, 3]) a.send(ctx, to, newView);
    expect(ctx.sent.map((s) => s.to)).toEqual([0, 3, 0, 3]);
  });

  it('says everything else to everyone, as said', () => {
    const ctx = fakeContext({ kind: 'withhold-new-view' }, { id: 1 });
    const a = withholdNewView();
    for (const m of [prePrepare, prepare, viewChange]) a.multicast(ctx, m);
    a.send(ctx, 2, viewChange);
    a.send(ctx, CLIENT, reply);
    expect(ctx.sent.map((s) => [s.to, s.msg.type])).toEqual([
      ...[0, 2, 3].map((to) => [to, 'PRE_PREPARE']),
      ...[0, 2, 3].map((to) => [to, 'PREPARE']),
      ...[0, 2, 3].map((to) => [to, 'VIEW_CHANGE']),
      [2, 'VIEW_CHANGE'],
      [CLIENT, 'REPLY'],
    ]);
    expect(ctx.sent.every((s) => [prePrepare, prepare, viewChange, reply].includes(s.msg))).toBe(true);
  });
});

describe('replay', () => {
  it('records what other replicas told it and what it said, and re-sends two of them, word for word, each time it multicasts', () => {
    const rng = scripted([0, 0.99, 0.5, 0.5]);
    const ctx = fakeContext({ kind: 'replay' }, { id: 2, rng });
    const a = replay();
    a.heard!(ctx, delivered(prePrepare, 0, 2), 0);
    a.heard!(ctx, delivered({ type: 'REQUEST', view: 0, seq: 0, digest: request.digest, request, timestamp: 1 }, CLIENT, 2), CLIENT); // the client's: not recorded
    // Its first multicast: one message recorded, so one replay (the PRE-PREPARE) before its own PREPARE.
    expect(a.multicast(ctx, prepare)).toBe(prepare);
    expect(ctx.sent.map((s) => [s.to, s.msg.type])).toEqual([
      [0, 'PRE_PREPARE'],
      [1, 'PRE_PREPARE'],
      [3, 'PRE_PREPARE'],
      [0, 'PREPARE'],
      [1, 'PREPARE'],
      [3, 'PREPARE'],
    ]);
    expect(ctx.sent[0].msg).toEqual({ ...prePrepare, timestamp: undefined, result: undefined, payload: undefined });
    // Its second: two replays, drawn at random among the PRE-PREPARE and its own PREPARE.
    ctx.sent.length = 0;
    a.multicast(ctx, viewChange);
    expect(ctx.sent.map((s) => s.msg.type)).toEqual(['PREPARE', 'PREPARE', 'PREPARE', 'PREPARE', 'PREPARE', 'PREPARE', 'VIEW_CHANGE', 'VIEW_CHANGE', 'VIEW_CHANGE']);
    expect(REPLAYS_PER_MULTICAST).toBe(2);
  });

  it('replays its own replies to the client, and remembers only the last 64 messages', () => {
    const ctx = fakeContext({ kind: 'replay' }, { id: 2, rng: scripted([0]) });
    const a = replay();
    a.send(ctx, CLIENT, reply);
    for (let seq = 1; seq < REPLAY_MEMORY; seq++) a.heard!(ctx, delivered({ ...prepare, seq }, 0, 2), 0);
    ctx.sent.length = 0;
    a.multicast(ctx, { ...prepare, seq: 99 });
    expect(ctx.sent[0]).toMatchObject({ to: CLIENT, msg: { type: 'REPLY', result: 'r' } });
    // One more message pushes the reply out: slot 0 now holds PREPARE #99 (its own, recorded when it said it).
    a.heard!(ctx, delivered({ ...prepare, seq: 100 }, 0, 2), 0);
    ctx.sent.length = 0;
    const rng = scripted([0]);
    a.multicast({ ...ctx, rng }, prepare);
    expect(ctx.sent[0].msg).toMatchObject({ type: 'PREPARE', seq: 99 });
  });
});

describe('flood', () => {
  it('wakes when its replica speaks and then, every period, sends a burst of garbage to every other replica and the client', () => {
    const ctx = fakeContext({ kind: 'flood' }, { id: 1, rng: scripted(Array.from({ length: 400 }, (_, k) => (k * 0.37) % 1)) });
    const a = flood();
    a.heard!(ctx, delivered(prePrepare, 0, 1), 0); // hearing alone wakes nothing: another flooder's garbage must not
    expect(ctx.timers).toEqual([]);
    expect(a.multicast(ctx, prepare)).toBe(prepare);
    a.send(ctx, CLIENT, reply);
    expect(ctx.timers).toEqual([FLOOD_PERIOD_MS]); // armed once
    expect(ctx.sent.map((s) => s.msg)).toEqual([prepare, prepare, prepare, reply]); // its replica's words, as said
    ctx.sent.length = 0;
    a.onTimer!(ctx);
    const perReplica = (to: NodeId) => ctx.sent.filter((s) => s.to === to).length;
    expect([0, 1, 2, 3].map(perReplica)).toEqual([FLOOD_BURST, 0, FLOOD_BURST, FLOOD_BURST]);
    expect(ctx.sent.filter((s) => s.to === CLIENT).map((s) => s.msg.type)).toEqual(['REPLY']);
    expect(ctx.timers).toEqual([FLOOD_PERIOD_MS, FLOOD_PERIOD_MS]);
    for (const { msg } of ctx.sent) expect(MESSAGE_TYPES).toContain(msg.type);
  });

  it('falls quiet 40 bursts after its replica last spoke, and wakes again when it speaks', () => {
    const ctx = fakeContext({ kind: 'flood' }, { id: 1 });
    const a = flood();
    a.multicast(ctx, prepare);
    for (let k = 0; k < 100; k++) a.onTimer!(ctx);
    expect(ctx.timers).toHaveLength(1 + 1 + FLOOD_LINGER_BURSTS); // armed, the burst it spoke before, then 40 more
    const sent = ctx.sent.length;
    a.onTimer!(ctx);
    expect(ctx.sent.length).toBe(sent);
    a.multicast(ctx, prepare);
    expect(ctx.timers).toHaveLength(3 + FLOOD_LINGER_BURSTS);
  });

  it('aims far beyond the views and numbers it has seen, and sends malformed payloads of the protocol’s shape', () => {
    const ctx = fakeContext({ kind: 'flood' }, { id: 1, rng: scripted(Array.from({ length: 20_000 }, (_, k) => ((k * 7919) % 1000) / 1000)) });
    const a = flood();
    a.heard!(ctx, delivered({ ...prepare, view: 3, seq: 40 }, 0, 1), 0);
    a.heard!(ctx, delivered({ ...prepare, view: 5_000_000, seq: 5_000_000 }, 2, 1), 2); // another flooder's: not where the run is
    a.multicast(ctx, prepare);
    ctx.sent.length = 0;
    for (let k = 0; k < 40; k++) a.onTimer!(ctx);
    const views = ctx.sent.map((s) => s.msg.view);
    expect(views.some((v) => v >= 1_000_000)).toBe(true);
    expect(views.some((v) => v > 3 && v < 1_000_000)).toBe(true);
    expect(views.some((v) => v < 0 || !Number.isInteger(v))).toBe(true);
    expect(ctx.sent.some((s) => s.msg.seq > 40 && s.msg.seq < 1_000_000)).toBe(true);
    expect(ctx.sent.some((s) => s.msg.view > 3 && s.msg.view <= 3 + 1000)).toBe(true);
    const payloads = new Set(ctx.sent.map((s) => s.msg.payload));
    for (const junk of PBFT_KNOWLEDGE.malformedPayloads!) expect(payloads.has(junk)).toBe(true);
  });
});

describe('the hooks a liar needs', () => {
  function liars(behaviours: Array<Behaviour | null>, table = ADVERSARIES) {
    const sent: Array<[NodeId, NodeId, OutgoingMessage]> = [];
    const timers: Array<[NodeId, number, number]> = [];
    const l = new Liars({
      n: 4,
      isAuthentic: () => true,
      rng: scripted([]),
      protocol: PBFT_KNOWLEDGE,
      table,
      behaviourOf: (id) => behaviours[id] ?? null,
      transmit: (from, to, msg) => void sent.push([from, to, msg]),
      sign: (_from, msg) => msg,
      setTimer: (from, delayMs, generation) => void timers.push([from, delayMs, generation]),
    });
    return { l, sent, timers };
  }

  it("hands a liar what its replica hears, to the adversary of its behaviour now", () => {
    const heard: Array<[NodeId, string, NodeId]> = [];
    const listener: AdversaryFactory = () => ({ multicast: (_c, m) => m, send: () => {}, heard: (ctx, m, from) => void heard.push([ctx.id, m.type, from]) });
    const { l } = liars([null, { kind: 'replay' }], { ...ADVERSARIES, replay: listener });
    l.heard(1, { kind: 'replay' }, delivered(prepare, 0, 1), 0);
    l.heard(1, { kind: 'silent' }, delivered(prepare, 0, 1), 0); // silent has no ears: nothing happens
    expect(heard).toEqual([[1, 'PREPARE', 0]]);
  });

  it('fires only the latest timer of a liar, and none once its replica is honest again', () => {
    const behaviours: Array<Behaviour | null> = [null, { kind: 'flood' }];
    const fired: NodeId[] = [];
    const ticking: AdversaryFactory = () => ({
      multicast: (_c, m) => m,
      send: () => {},
      heard: (ctx) => ctx.setTimer(5),
      onTimer: (ctx) => void fired.push(ctx.id),
    });
    const { l, timers } = liars(behaviours, { ...ADVERSARIES, flood: ticking });
    l.heard(1, behaviours[1]!, delivered(prepare, 0, 1), 0);
    l.heard(1, behaviours[1]!, delivered(prepare, 0, 1), 0);
    expect(timers).toEqual([
      [1, 5, 1],
      [1, 5, 2],
    ]);
    expect(l.timerFired(1, 1)).toBe(false); // superseded
    expect(l.timerFired(1, 2)).toBe(true);
    expect(fired).toEqual([1]);
    behaviours[1] = null;
    expect(l.timerFired(1, 2)).toBe(false);
    expect(l.timerFired(0, 0)).toBe(false); // never a liar
    expect(fired).toEqual([1]);
  });

  it('keepingWhatItSaid passes the hooks through', () => {
    const ctx = fakeContext({ kind: 'flood' }, { id: 1 });
    const wrapped = keepingWhatItSaid(flood)();
    wrapped.heard!(ctx, delivered(prepare, 0, 1), 0);
    expect(wrapped.multicast(ctx, prepare)).toBe(prepare);
    ctx.sent.length = 0;
    wrapped.onTimer!(ctx);
    expect(ctx.timers).toHaveLength(2);
    expect(ctx.sent.length).toBe(3 * FLOOD_BURST + 1);
  });
});

describe('collude with a single request (the view-0 half of the split across a view change)', () => {
  const commit: OutgoingMessage = { type: 'COMMIT', view: 0, seq: 1, digest: request.digest };
  function colluders() {
    const cabal = new Cabal((r) => r === 0 || r === 1);
    return { primary: fakeContext({ kind: 'collude' }, { id: 0, cabal }), backup: fakeContext({ kind: 'collude' }, { id: 1, cabal }), cabal };
  }

  it('waits for a partner the first time a request is offered alone, and proposes it at two numbers the second time', () => {
    const { primary } = colluders();
    const a = collude();
    expect(a.proposals!(primary, [request], 10)).toEqual([]);
    expect(a.proposals!(primary, [request], 1)).toEqual([]); // no room for two numbers
    expect(a.proposals!(primary, [request], 10)).toEqual([request, request]);
  });

  it('tells the hidden number to the colluders and one honest half, the shown number to the colluders and the other', () => {
    const { primary, cabal } = colluders();
    const a = collude();
    a.proposals!(primary, [request], 10);
    a.proposals!(primary, [request], 10);
    a.multicast(primary, prePrepare);
    a.multicast(primary, { ...prePrepare, seq: 2 });
    expect(primary.sent.map((s) => [s.msg.seq, s.to])).toEqual([
      [1, 1],
      [1, 2],
      [2, 1],
      [2, 3],
    ]);
    const plan = cabal.acrossPlan(0)!;
    expect([plan.hidden, plan.shown, [...plan.told], [...plan.left]]).toEqual([1, 2, [2], [3]]);
  });

  it("routes every colluder's votes by the plan: the hidden number's to the told half, the shown number's PREPARE to the other half, its COMMIT to no honest replica", () => {
    const { primary, backup } = colluders();
    const leader = collude();
    leader.proposals!(primary, [request], 10);
    leader.proposals!(primary, [request], 10);
    leader.multicast(primary, prePrepare);
    leader.multicast(primary, { ...prePrepare, seq: 2 });
    const a = collude();
    a.multicast(backup, prepare);
    a.multicast(backup, commit);
    a.multicast(backup, { ...prepare, seq: 2 });
    a.multicast(backup, { ...commit, seq: 2 });
    a.send(backup, 3, { ...commit, seq: 2 }); // say, an answer to a retransmission: not to the half it is hidden from
    a.send(backup, 2, { ...commit, seq: 2 });
    a.send(backup, 2, commit);
    expect(backup.sent.map((s) => [s.msg.type, s.msg.seq, s.to])).toEqual([
      ['PREPARE', 1, 0],
      ['PREPARE', 1, 2],
      ['COMMIT', 1, 0],
      ['COMMIT', 1, 2],
      ['PREPARE', 2, 0],
      ['PREPARE', 2, 3],
      ['COMMIT', 2, 0],
      ['COMMIT', 1, 2],
    ]);
  });

  it('does nothing of the kind when the honest halves could not each make a quorum with the colluders', () => {
    const cabal = new Cabal((r) => r === 0);
    const lone = fakeContext({ kind: 'collude' }, { id: 0, cabal });
    const a = collude();
    a.proposals!(lone, [request], 10);
    expect(a.proposals!(lone, [request], 10)).toEqual([]);
  });
});

/** A protocol whose view-change lies are labels, so a test sees which lie went where. */
function labelledLies(): ViewChangeLies & { newViewsBuilt: Array<ReadonlyArray<OutgoingMessage & { sender: NodeId }>> } {
  const newViewsBuilt: Array<ReadonlyArray<OutgoingMessage & { sender: NodeId }>> = [];
  return {
    viewChangeForgeries: ['a', 'b', 'c'],
    forgeViewChange: (msg, kind, heard) => ({ ...msg, digest: `vc-lie-${kind % 3}`, result: String(heard.length) }),
    newViewForgeries: ['p', 'q'],
    forgeNewView: (msg, kind) => ({ ...msg, digest: `nv-lie-${kind % 2}` }),
    hidingEverything: (msg) => ({ ...msg, digest: 'hides' }),
    joining: (view, like) => ({ type: 'VIEW_CHANGE', view, seq: like.seq, digest: 'joins' }),
    isViewChange: (m) => m.type === 'VIEW_CHANGE',
    reveals: (vc, seq) => vc.digest === `reveals-${seq}`,
    newViewOf: (view, viewChanges) => {
      newViewsBuilt.push(viewChanges);
      return { msg: { type: 'NEW_VIEW', view, seq: 0, digest: `from-${viewChanges.map((v) => v.sender).join('')}` }, decision: [{ seq: 1, digest: 'null' }] };
    },
    newViewsBuilt,
  };
}

function withLies(ctx: FakeContext, lies: ViewChangeLies): FakeContext {
  return { ...ctx, protocol: { ...ctx.protocol, viewChange: lies } };
}

describe("forge-view-change and forge-new-view (each forgery is the protocol's: src/sim/protocols/pbft/lies.test.ts)", () => {
  const viewChangeMsg: OutgoingMessage = { type: 'VIEW_CHANGE', view: 1, seq: 0, digest: '', payload: {} };

  it('forge-view-change tells each replica the next forgery in turn, with what it heard, and keeps its own words', () => {
    const ctx = withLies(fakeContext({ kind: 'forge-view-change' }, { id: 2 }), labelledLies());
    const a = forgeViewChange();
    a.heard!(ctx, delivered(prePrepare, 0, 2), 0);
    expect(a.multicast(ctx, viewChangeMsg)).toBe(viewChangeMsg);
    a.send(ctx, 0, viewChangeMsg);
    a.multicast(ctx, prepare);
    expect(ctx.sent.map((s) => [s.to, s.msg.digest])).toEqual([
      [0, 'vc-lie-0'],
      [1, 'vc-lie-1'],
      [3, 'vc-lie-2'],
      [0, 'vc-lie-1'],
      [0, request.digest],
      [1, request.digest],
      [3, request.digest],
    ]);
    expect(ctx.sent[0].msg.result).toBe('1');
  });

  it('forge-new-view tells each backup the next NEW-VIEW in turn, and again when it repeats; everything else as said', () => {
    const ctx = withLies(fakeContext({ kind: 'forge-new-view' }, { id: 1 }), labelledLies());
    const a = forgeNewView();
    expect(a.multicast(ctx, newView)).toBe(newView);
    a.multicast(ctx, newView, true);
    a.multicast(ctx, viewChangeMsg);
    expect(ctx.sent.map((s) => [s.to, s.msg.digest])).toEqual([
      [0, 'nv-lie-0'],
      [2, 'nv-lie-1'],
      [3, 'nv-lie-0'],
      [0, 'nv-lie-1'],
      [2, 'nv-lie-0'],
      [3, 'nv-lie-1'],
      [0, ''],
      [2, ''],
      [3, ''],
    ]);
  });

  it('a protocol without a view change leaves both honest', () => {
    const ctx = fakeContext({ kind: 'forge-new-view' }, { id: 1 });
    const bare = { ...ctx, protocol: { ...ctx.protocol, viewChange: undefined } };
    forgeNewView().multicast(bare, newView);
    forgeViewChange().multicast(bare, viewChangeMsg);
    expect(ctx.sent.map((s) => s.msg)).toEqual([newView, newView, newView, viewChangeMsg, viewChangeMsg, viewChangeMsg]);
  });
});

describe('collude with a single request (the view-change half)', () => {
  /** Colluders 0 and 1 after the view-0 half: #1 hidden from replica 3, #2 shown to it. */
  function afterViewZero() {
    const lies = labelledLies();
    const cabal = new Cabal((r) => r === 0 || r === 1);
    const primary = withLies(fakeContext({ kind: 'collude' }, { id: 0, cabal }), lies);
    const leader = collude();
    leader.proposals!(primary, [request], 10);
    leader.proposals!(primary, [request], 10);
    leader.multicast(primary, prePrepare);
    leader.multicast(primary, { ...prePrepare, seq: 2 });
    const next = withLies(fakeContext({ kind: 'collude' }, { id: 1, cabal }), lies);
    return { lies, primary, leader, next, nextPrimary: collude() };
  }
  const vc = (sender: NodeId, digest = '') => delivered({ type: 'VIEW_CHANGE', view: 1, seq: 0, digest, payload: {} }, sender, 1);

  it('when an honest replica asks for view 1, every colluder asks too (once), claiming nothing, on its checkpoint proof', () => {
    const { leader, primary } = afterViewZero();
    primary.sent.length = 0;
    leader.heard!(primary, vc(3), 3);
    leader.heard!(primary, vc(2), 2);
    expect(primary.sent.map((s) => [s.to, s.msg.type, s.msg.view, s.msg.digest])).toEqual([
      [1, 'VIEW_CHANGE', 1, 'joins'],
      [2, 'VIEW_CHANGE', 1, 'joins'],
      [3, 'VIEW_CHANGE', 1, 'joins'],
    ]);
    // Its replica's own VIEW-CHANGE for that view changes nothing: it has asked already.
    leader.multicast(primary, vc(0));
    expect(primary.sent).toHaveLength(3);
  });

  it("the next primary waits for VIEW-CHANGEs that show no certificate for the hidden number, builds V of those, and COMMITs to O at once", () => {
    const { lies, next, nextPrimary } = afterViewZero();
    nextPrimary.heard!(next, vc(0, 'joins'), 0);
    nextPrimary.heard!(next, vc(2, 'reveals-1'), 2); // replica 2 executed the request at #1: its VIEW-CHANGE would show it
    nextPrimary.multicast(next, { type: 'VIEW_CHANGE', view: 1, seq: 0, digest: '', payload: {} });
    next.sent.length = 0;
    // Its replica has 2f+1 and sends NEW-VIEW: withheld, V could not hide #1 yet.
    expect(nextPrimary.multicast(next, newView)).toBe(newView);
    expect(next.sent).toEqual([]);
    nextPrimary.heard!(next, vc(3), 3);
    expect(lies.newViewsBuilt.map((v) => v.map((m) => m.sender))).toEqual([[1, 0, 3]]);
    expect(next.sent.map((s) => [s.to, s.msg.type, s.msg.digest])).toEqual([
      [0, 'NEW_VIEW', 'from-103'],
      [2, 'NEW_VIEW', 'from-103'],
      [3, 'NEW_VIEW', 'from-103'],
      [0, 'COMMIT', 'null'],
      [2, 'COMMIT', 'null'],
      [3, 'COMMIT', 'null'],
    ]);
    // Repeated, the same NEW-VIEW goes out again.
    next.sent.length = 0;
    nextPrimary.multicast(next, newView, true);
    expect(next.sent.map((s) => s.msg.digest)).toEqual(['from-103', 'from-103', 'from-103']);
  });
});
