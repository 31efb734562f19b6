/**
 * Every lesson's paragraph is true of the run it opens. Each lesson is played as the app plays it — its scenario and
 * seed, through the core's Session and stepBy — and every claim of its paragraph is checked against the trace
 * computed here (who sent what to whom, who became prepared on which votes, who committed in which view, who led
 * which view, whether and why the view changed), never against the code's own account of itself. The claims are
 * timing-robust facts of the run, not a golden trace.
 */
import { describe, expect, it } from 'vitest';
import { NULL_DIGEST } from '../sim/messages';
import { separates } from '../sim/network';
import { Picture, pictureContext, settingsAt } from '../sim/picture';
import { primaryOf, replicaCount } from '../sim/scenario';
import { protocolOf } from '../sim/protocols';
import { Session } from '../sim/session';
import { Simulation } from '../sim/simulation';
import { stepBy } from '../sim/stepping';
import { CLIENT, type Message, type MessageSummary, type MessageType, type NodeId, type Scenario, type SlotPhase, type TraceEvent } from '../sim/types';
import { compareCounters } from './compareCounters';
import { LESSONS, type Lesson } from './lessons';

// ───────────────────────────── playing a lesson ─────────────────────────────

interface Played {
  scenario: Scenario;
  n: number;
  f: number;
  trace: TraceEvent[];
  /** Where each happening began (stepBy's starts), so a claim can ask what caused an event. */
  starts: number[];
  /** stepBy stopped at a safety violation, as the app pauses there. */
  stoppedAtViolation: boolean;
  /** The status line ("why the client waits") at every happening, as the page would derive it. */
  waiting: Array<{ i: number; why: string | null }>;
}

/** Presses "Next request" until the client accepted every request of the lesson, the run stops at a violation, or nothing is left. */
function play(scenario: Scenario, presses = 20): Played {
  const session = new Session(scenario);
  const n = replicaCount(scenario);
  const trace: TraceEvent[] = [];
  const starts: number[] = [];
  const waiting: Played['waiting'] = [];
  const picture = new Picture({ mode: scenario.mode });
  const ctx = pictureContext(scenario, n, session.sim.f);
  let stoppedAtViolation = false;
  for (let k = 0; k < presses; k++) {
    const step = stepBy(session, 'request');
    if (step.events.length === 0) break;
    let start = 0;
    for (const e of step.events) {
      trace.push(e);
      picture.apply(e);
      if (start < step.starts.length && step.starts[start] === e.i) {
        start++;
        waiting.push({ i: e.i, why: picture.derive(ctx, settingsAt(scenario, n, [], e.i), e.t, true).stats.waitingBecause });
      }
    }
    starts.push(...step.starts);
    if (step.violation) {
      stoppedAtViolation = true;
      break;
    }
    if (trace.filter((e) => e.kind === 'accept').length >= scenario.requests) break;
  }
  return { scenario, n, f: session.sim.f, trace, starts, stoppedAtViolation, waiting };
}

/** The paragraph makes this claim, word for word: the checks that follow it are what makes it true. */
function says(l: Lesson, claim: string): void {
  expect(l.explanation, 'the paragraph says').toContain(claim);
}

function lesson(id: string): Lesson {
  const found = LESSONS.find((l) => l.id === id);
  if (!found) throw new Error(`no lesson ${id}`);
  return found;
}

// ───────────────────────────── reading the trace ─────────────────────────────

type Send = Extract<TraceEvent, { kind: 'send' }>;
type Deliver = Extract<TraceEvent, { kind: 'deliver' }>;
type Phase = Extract<TraceEvent, { kind: 'phase' }>;
type Query = Partial<Pick<MessageSummary, 'type' | 'from' | 'to' | 'view' | 'seq' | 'digest'>>;

const matches = (m: MessageSummary, q: Query) => (Object.keys(q) as Array<keyof Query>).every((k) => m[k] === q[k]);
const sends = (p: Played, q: Query = {}): Send[] => p.trace.filter((e): e is Send => e.kind === 'send' && matches(e.msg, q));
/** Messages that arrived and were taken (not ignored). */
const taken = (p: Played, q: Query = {}): Deliver[] => p.trace.filter((e): e is Deliver => e.kind === 'deliver' && !e.ignored && matches(e.msg, q));
const phases = (p: Played, phase: SlotPhase, q: Partial<Pick<Phase, 'replica' | 'view' | 'seq' | 'digest'>> = {}): Phase[] =>
  p.trace.filter((e): e is Phase => e.kind === 'phase' && e.phase === phase && (Object.keys(q) as Array<keyof typeof q>).every((k) => e[k] === q[k]));
const honest = (p: Played, id: NodeId) => p.scenario.malicious[id] === undefined;
const replicas = (p: Played) => Array.from({ length: p.n }, (_, i) => i);
const others = (p: Played, id: NodeId) => replicas(p).filter((r) => r !== id);
const before = <E extends TraceEvent>(events: E[], i: number) => events.filter((e) => e.i < i);
const ids = (events: Array<{ msg: MessageSummary }>, side: 'from' | 'to') => [...new Set(events.map((e) => e.msg[side]))].sort((a, b) => a - b);
/** The digest the client gave its k-th request (1-based). */
function digestOf(p: Played, k: number): string {
  const issued = p.trace.filter((e) => e.kind === 'request' && !e.retransmit);
  const e = issued[k - 1];
  if (!e || e.kind !== 'request') throw new Error(`no request ${k}`);
  return e.digest;
}
/** The event that began the happening an event belongs to. */
function causeOf(p: Played, i: number): TraceEvent {
  let start = 0;
  for (const s of p.starts) if (s <= i) start = s;
  return p.trace.find((e) => e.i === start)!;
}
/** A view change a replica started on its own timer, not by joining f+1 others (its happening began with no delivery). */
const byTimer = (p: Played, e: TraceEvent) => causeOf(p, e.i).kind !== 'deliver';
/** Views in which honest replicas committed the request with this digest. */
const committedViews = (p: Played, digest: string) => [...new Set(phases(p, 'committed', { digest }).filter((e) => honest(p, e.replica)).map((e) => e.view))];

/**
 * A replica became prepared on real evidence: by then it had taken the view's PRE-PREPARE for that digest (or was
 * the primary that proposed it) and matching PREPAREs from 2f distinct backups, its own included.
 */
function preparedOnEvidence(p: Played, e: Phase): boolean {
  const q = { view: e.view, seq: e.seq, digest: e.digest };
  const isPrimary = primaryOf(e.view, p.n) === e.replica;
  const hasProposal = isPrimary || before(taken(p, { ...q, type: 'PRE_PREPARE', to: e.replica }), e.i).length > 0;
  const voters = new Set(before(taken(p, { ...q, type: 'PREPARE', to: e.replica }), e.i).map((d) => d.msg.from));
  if (!isPrimary && before(sends(p, { ...q, type: 'PREPARE', from: e.replica }), e.i).length > 0) voters.add(e.replica);
  return hasProposal && voters.size >= 2 * p.f;
}

/** It committed on 2f+1 matching COMMITs from distinct replicas (its own included) taken by then. */
function committedOnEvidence(p: Played, e: Phase): boolean {
  const q = { view: e.view, seq: e.seq, digest: e.digest };
  const voters = new Set(before(taken(p, { ...q, type: 'COMMIT', to: e.replica }), e.i).map((d) => d.msg.from));
  if (sends(p, { ...q, type: 'COMMIT', from: e.replica }).some((s) => s.i < e.i)) voters.add(e.replica);
  return voters.size >= 2 * p.f + 1;
}

// ───────────────────────────── the lessons ─────────────────────────────

describe('every lesson’s paragraph is true of the run it opens', () => {
  it('covers every lesson', () => {
    expect(LESSONS.map((l) => l.id).sort()).toEqual(
      [
        'equivocating-primary',
        'f-plus-one-across-view-change',
        'f-plus-one-traitors',
        'lossy-network',
        'normal-case',
        'partition-primary',
        'seed-experiment',
        'silent-primary',
        'slow-link',
        'hotstuff-linear',
        'chained-three-chain',
        'tendermint-locks',
        'compare-faulty-leader',
      ].sort(),
    );
  });

  it('Normal case (f = 1)', () => {
    const l = lesson('normal-case');
    const p = play(l.scenario);
    const d = digestOf(p, 1);
    says(l, 'Four replicas tolerate one fault.');
    expect([p.n, p.f]).toEqual([4, 1]);
    says(l, 'The client sends its request to the primary (replica 0), which proposes a sequence number in PRE-PREPARE.');
    expect(primaryOf(0, p.n)).toBe(0);
    expect(sends(p, { type: 'REQUEST', from: CLIENT }).map((s) => s.msg.to)).toEqual([0]);
    const proposals = sends(p, { type: 'PRE_PREPARE', digest: d });
    expect(ids(proposals, 'from')).toEqual([0]);
    expect(ids(proposals, 'to')).toEqual([1, 2, 3]);
    const seq = proposals[0].msg.seq;
    says(l, 'The backups echo it in PREPARE');
    for (const b of [1, 2, 3]) expect(ids(sends(p, { type: 'PREPARE', from: b, seq, digest: d }), 'to'), `replica ${b}`).toEqual(others(p, b));
    says(l, 'with the PRE-PREPARE and 2f = 2 matching PREPAREs a replica is prepared and multicasts COMMIT');
    const prepared = phases(p, 'prepared', { seq, digest: d });
    expect(prepared.map((e) => e.replica).sort()).toEqual([0, 1, 2, 3]);
    for (const e of prepared) {
      expect(preparedOnEvidence(p, e), `replica ${e.replica}`).toBe(true);
      expect(ids(sends(p, { type: 'COMMIT', from: e.replica, seq, digest: d }), 'to'), `replica ${e.replica}`).toEqual(others(p, e.replica));
    }
    says(l, 'with 2f+1 = 3 COMMITs it is committed and executes');
    const committed = phases(p, 'committed', { seq, digest: d });
    expect(committed.map((e) => e.replica).sort()).toEqual([0, 1, 2, 3]);
    for (const e of committed) {
      expect(committedOnEvidence(p, e), `replica ${e.replica}`).toBe(true);
      expect(phases(p, 'executed', { replica: e.replica, seq, digest: d })).toHaveLength(1);
    }
    says(l, 'The client accepts after f+1 = 2 matching REPLYs.');
    const accept = p.trace.find((e) => e.kind === 'accept')!;
    expect(before(taken(p, { type: 'REPLY', to: CLIENT, digest: d }), accept.i + 1)).toHaveLength(2);
    says(l, 'Press Next phase to see each wave of messages complete (waves overlap: a quick PREPARE may overtake a slow PRE-PREPARE)'); // each press of Next phase ends when no message of the next wave is left on the wire, the waves come
    //  in the protocol's order, and in this run one of them carries messages of the next wave.
    const session = new Session(l.scenario);
    const waves: MessageType[] = [];
    let overlapped = false;
    for (let k = 0; k < 40 && waves[waves.length - 1] !== 'REPLY'; k++) {
      const wave = session.sim.nextArrivingType();
      const arrived = stepBy(session, 'phase').events.flatMap((e) => (e.kind === 'deliver' || e.kind === 'drop' ? [e.msg.type] : []));
      if (wave === null) continue;
      waves.push(wave);
      expect(session.sim.inFlightOf(wave), `no ${wave} left on the wire`).toBe(0);
      if (arrived.some((t) => t !== wave)) overlapped = true;
    }
    expect(waves).toEqual(['REQUEST', 'PRE_PREPARE', 'PREPARE', 'COMMIT', 'REPLY']);
    expect(overlapped).toBe(true);
  });

  it('Silent primary → view change', () => {
    const l = lesson('silent-primary');
    const p = play(l.scenario);
    const d = digestOf(p, 1);
    says(l, 'The primary has crashed: the request goes nowhere.');
    expect(primaryOf(0, p.n)).toBe(0);
    expect(p.scenario.malicious[0]).toEqual({ kind: 'silent' });
    expect(sends(p, { from: 0 })).toEqual([]);
    const retransmit = p.trace.find((e) => e.kind === 'request' && e.retransmit)!;
    expect(retransmit).toBeDefined();
    expect(before(taken(p), retransmit.i).filter((e) => e.msg.to !== 0)).toEqual([]);
    says(l, 'The client times out and sends it to every replica');
    expect(sends(p, { type: 'REQUEST', from: CLIENT }).filter((s) => s.i > retransmit.i && s.i < retransmit.i + 10).map((s) => s.msg.to)).toEqual([0, 1, 2, 3]);
    says(l, 'the backups relay it and start their view-change timers');
    for (const b of [1, 2, 3]) {
      const got = taken(p, { type: 'REQUEST', from: CLIENT, to: b })[0];
      expect(got, `replica ${b}`).toBeDefined();
      const relay = sends(p, { type: 'REQUEST', from: b, to: 0 })[0];
      expect(relay && causeOf(p, relay.i).i, `replica ${b} relays`).toBe(got.i);
      expect(p.trace.some((e) => e.kind === 'timer' && e.replica === b && e.action === 'start' && causeOf(p, e.i).i === got.i), `replica ${b}'s timer`).toBe(true);
    }
    says(l, 'When a timer expires, that backup asks for view 1 in VIEW-CHANGE.');
    const first = p.trace.find((e) => e.kind === 'view-change')!;
    expect(first).toMatchObject({ view: 1 });
    expect(first.kind === 'view-change' && first.replica).not.toBe(0);
    expect(byTimer(p, first)).toBe(true);
    if (first.kind === 'view-change') expect(ids(sends(p, { type: 'VIEW_CHANGE', from: first.replica, view: 1 }), 'to')).toEqual(others(p, first.replica));
    says(l, 'Replica 1, the primary of view 1, collects 2f+1 = 3 of them and multicasts NEW-VIEW');
    expect(primaryOf(1, p.n)).toBe(1);
    const took = p.trace.find((e) => e.kind === 'new-view' && e.replica === 1 && e.view === 1)!;
    const vcs = new Set(before(taken(p, { type: 'VIEW_CHANGE', to: 1, view: 1 }), took.i).map((e) => e.msg.from)).add(1);
    expect(vcs.size).toBeGreaterThanOrEqual(2 * p.f + 1);
    expect(ids(sends(p, { type: 'NEW_VIEW', from: 1, view: 1 }), 'to')).toEqual([0, 2, 3]);
    says(l, 'the request then commits under the new primary');
    expect(committedViews(p, d)).toEqual([1]);
    expect(p.trace.some((e) => e.kind === 'accept')).toBe(true);
  });

  it('Equivocating primary', () => {
    const l = lesson('equivocating-primary');
    const p = play(l.scenario);
    const d = digestOf(p, 1);
    const pp = sends(p, { type: 'PRE_PREPARE', from: 0, view: 0 });
    const seq = pp[0].msg.seq;
    says(l, 'The primary tells different backups different things: its PRE-PREPARE gives replicas 1 and 3 the request and replica 2 the null request');
    expect(p.scenario.malicious[0]).toEqual({ kind: 'equivocate' });
    expect(pp.every((s) => s.msg.seq === seq)).toBe(true);
    expect(pp.filter((s) => s.msg.digest === d).map((s) => s.msg.to)).toEqual([1, 3]);
    const toTwo = pp.filter((s) => s.msg.to === 2);
    expect(toTwo.map((s) => s.msg.digest)).toEqual(['null']);
    says(l, 'so replica 2 rejects it');
    expect(p.trace.some((e) => e.kind === 'deliver' && e.msg.id === toTwo[0].msg.id && e.ignored)).toBe(true);
    says(l, "Replicas 1 and 3 each hold the PRE-PREPARE and the other's PREPARE, the 2f = 2 it takes to be prepared");
    const prepared = phases(p, 'prepared', { view: 0, seq, digest: d }).filter((e) => honest(p, e.replica));
    expect(prepared.map((e) => e.replica).sort()).toEqual([1, 3]);
    for (const e of prepared) {
      expect(preparedOnEvidence(p, e), `replica ${e.replica}`).toBe(true);
      const other = e.replica === 1 ? 3 : 1;
      expect(before(taken(p, { type: 'PREPARE', from: other, to: e.replica, view: 0, seq, digest: d }), e.i), `replica ${e.replica} has ${other}'s PREPARE`).toHaveLength(1);
    }
    says(l, "the primary's COMMIT to them names the request too, so they reach 2f+1 = 3 COMMITs and execute it in view 0.");
    expect(sends(p, { type: 'COMMIT', from: 0, view: 0, seq }).filter((s) => s.msg.to !== 2).map((s) => [s.msg.to, s.msg.digest])).toEqual([
      [1, d],
      [3, d],
    ]);
    const committed = phases(p, 'committed', { view: 0, seq, digest: d }).filter((e) => honest(p, e.replica));
    expect(committed.map((e) => e.replica).sort()).toEqual([1, 3]);
    for (const e of committed) {
      expect(committedOnEvidence(p, e), `replica ${e.replica}`).toBe(true);
      expect(before(taken(p, { type: 'COMMIT', from: 0, to: e.replica, view: 0, seq, digest: d }), e.i), `replica ${e.replica} counts the primary's COMMIT`).toHaveLength(1);
      expect(phases(p, 'executed', { replica: e.replica, seq, digest: d })).toHaveLength(1);
    }
    expect(committedViews(p, d)).toEqual([0]);
    says(l, 'Replica 2 is left behind, but no honest replica executes anything else.');
    expect(phases(p, 'pre-prepared', { replica: 2 })).toEqual([]);
    expect(phases(p, 'executed', { replica: 2 })).toEqual([]);
    expect(phases(p, 'executed').filter((e) => honest(p, e.replica) && e.digest !== d)).toEqual([]);
    says(l, 'Before all this the primary replied with a wrong result; the client waits for f+1 = 2 matching REPLYs and accepts the result of replicas 1 and 3.');
    const primaryReply = sends(p, { type: 'REPLY', from: 0, to: CLIENT })[0];
    expect(primaryReply.i).toBeLessThan(pp[0].i);
    const accept = p.trace.find((e) => e.kind === 'accept')!;
    const replies = before(taken(p, { type: 'REPLY', to: CLIENT, digest: d }), accept.i);
    // The primary's reply came first; had it matched replica 1's, those two would have been the f+1 = 2 the client
    // needs. It accepted only on replica 3's: the primary's result was another.
    expect(replies.map((r) => r.msg.from)).toEqual([0, 1, 3]);
    expect(causeOf(p, accept.i)).toBe(replies[2]);
    expect(accept.kind === 'accept' && accept.fooled).toBe(false);
  });

  it('Lossy network', () => {
    const l = lesson('lossy-network');
    const p = play(l.scenario);
    const [d1, d2] = [digestOf(p, 1), digestOf(p, 2)];
    says(l, 'One message in five is lost');
    expect(l.scenario.dropRate).toBe(0.2);
    const lost = p.trace.filter((e) => e.kind === 'drop').length / sends(p).length;
    expect(lost).toBeGreaterThan(0.1);
    expect(lost).toBeLessThan(0.3);
    says(l, "Request 1's PRE-PREPARE to replica 2 and two of its COMMITs are lost, so only replica 3 commits it, and the client holds one REPLY of the f+1 = 2 it needs.");
    const firstRepeat = sends(p, { digest: d1 }).find((s) => s.retransmit === 'repeat')!;
    expect(firstRepeat).toBeDefined();
    const dropped = (q: Query) => before(p.trace, firstRepeat.i).filter((e) => e.kind === 'drop' && matches(e.msg, q));
    expect(dropped({ type: 'PRE_PREPARE', digest: d1, to: 2 })).toHaveLength(1);
    expect(dropped({ type: 'COMMIT', digest: d1 })).toHaveLength(2);
    expect(before(phases(p, 'committed', { digest: d1 }), firstRepeat.i).map((e) => e.replica)).toEqual([3]);
    expect(before(taken(p, { type: 'REPLY', to: CLIENT, digest: d1 }), firstRepeat.i)).toHaveLength(1);
    says(l, 'The primary, still working on it, sees nothing move for T and says again what it said: replica 2 gets the PRE-PREPARE at last and commits, and the client has its second REPLY.');
    const T = l.scenario.viewChangeTimeoutMs;
    const accept1 = p.trace.find((e) => e.kind === 'accept' && e.timestamp === 1)!;
    const repeats = sends(p, { digest: d1 }).filter((s) => s.retransmit === 'repeat' && s.i < accept1.i);
    expect(ids(repeats, 'from')).toEqual([primaryOf(0, p.n)]);
    const proposedAt = phases(p, 'pre-prepared', { replica: 0, digest: d1 })[0];
    for (const s of repeats) expect(s.t - proposedAt.t).toBeGreaterThanOrEqual(T);
    expect(before(phases(p, 'executed', { replica: 0, digest: d1 }), firstRepeat.i)).toHaveLength(0);
    // What it repeats is what it had said.
    const said = (s: Send) => `${s.msg.type}|${s.msg.from}|${s.msg.to}|${s.msg.view}|${s.msg.seq}|${s.msg.digest}`;
    const earlier = new Set(before(sends(p), firstRepeat.i).map(said));
    for (const s of repeats) expect(earlier.has(said(s)), said(s)).toBe(true);
    const toTwo = before(taken(p, { type: 'PRE_PREPARE', digest: d1, to: 2 }), accept1.i);
    expect(toTwo.length).toBeGreaterThan(0);
    expect(toTwo[0].i).toBeGreaterThan(firstRepeat.i);
    expect(before(phases(p, 'committed', { replica: 2, digest: d1 }), accept1.i)).toHaveLength(1);
    const replies = before(taken(p, { type: 'REPLY', to: CLIENT, digest: d1 }), accept1.i + 1);
    expect(ids(replies, 'from')).toEqual([2, 3]);
    // The client did not have to ask again.
    expect(p.trace.some((e) => e.kind === 'request' && e.retransmit && e.digest === d1 && e.i < accept1.i)).toBe(false);
    says(l, "Request 2 fares worse: its PRE-PREPARE to replica 2 is lost again, first and repeated, and replica 1 has already asked for view 1 (its timer ran out while request 1 was stuck); when replica 3's timer runs out too, the view changes before request 2 commits, in view 1.");
    const lostToTwo = p.trace.filter((e) => e.kind === 'drop' && matches(e.msg, { type: 'PRE_PREPARE', digest: d2, to: 2, view: 0 }));
    expect(lostToTwo.length).toBeGreaterThanOrEqual(2);
    const byTimers = p.trace.filter((e): e is Extract<TraceEvent, { kind: 'view-change' }> => e.kind === 'view-change' && e.view === 1 && byTimer(p, e));
    expect(byTimers.filter((e) => e.i < accept1.i).map((e) => e.replica)).toEqual([1]);
    expect(byTimers.filter((e) => e.i > accept1.i).map((e) => e.replica)).toContain(3);
    expect(committedViews(p, d2)).toEqual([1]);
    expect(p.trace.filter((e) => e.kind === 'accept')).toHaveLength(2);
    says(l, 'The status says why a request is still waiting.');
    const whileWaiting = p.waiting.filter((w) => w.i > p.trace.find((e) => e.kind === 'drop')!.i && w.i < accept1.i);
    expect(whileWaiting.some((w) => w.why?.includes('messages are being lost (20 %)'))).toBe(true);
  });

  it('f+1 traitors break agreement', () => {
    const l = lesson('f-plus-one-traitors');
    const p = play(l.scenario);
    const [a, b] = [digestOf(p, 1), digestOf(p, 2)];
    says(l, 'Here f = 1 but two replicas collude');
    expect(p.f).toBe(1);
    expect(Object.entries(p.scenario.malicious).map(([id, x]) => [Number(id), x.kind])).toEqual([
      [0, 'collude'],
      [1, 'collude'],
    ]);
    says(l, 'two concurrent requests'); // both issued before either is accepted.
    const issued = p.trace.filter((e) => e.kind === 'request' && !e.retransmit);
    const firstAccept = p.trace.find((e) => e.kind === 'accept');
    expect(issued).toHaveLength(2);
    if (firstAccept) expect(issued.every((e) => e.i < firstAccept.i)).toBe(true);
    says(l, 'the primary gives two honest replicas opposite orders');
    const honestOnes = replicas(p).filter((r) => honest(p, r));
    expect(honestOnes).toEqual([2, 3]);
    const orderOf = (r: NodeId) => sends(p, { type: 'PRE_PREPARE', from: 0, to: r, view: 0 }).sort((x, y) => x.msg.seq - y.msg.seq).map((s) => s.msg.digest);
    expect(orderOf(2)).toEqual([a, b]);
    expect(orderOf(3)).toEqual([b, a]);
    says(l, 'and its accomplice votes for both'); // to each honest replica, for the version that replica was told.
    for (const type of ['PREPARE', 'COMMIT'] as const) {
      for (const [seq, k] of [
        [1, 0],
        [2, 1],
      ] as const) {
        expect(sends(p, { type, from: 1, to: 2, seq }).map((s) => s.msg.digest), `${type} #${seq} to 2`).toContain(orderOf(2)[k]);
        expect(sends(p, { type, from: 1, to: 3, seq }).map((s) => s.msg.digest), `${type} #${seq} to 3`).toContain(orderOf(3)[k]);
      }
    }
    says(l, 'Each honest replica sees a quorum of 2f+1 = 3 for its own version, because the two liars sit in both quorums.');
    const violation = p.trace.find((e) => e.kind === 'violation' && e.violation.rule === 'agreement')!;
    expect(violation).toBeDefined();
    const seq = violation.kind === 'violation' ? violation.violation.seq : -1;
    for (const r of [2, 3]) {
      const mine = orderOf(r)[seq - 1];
      const c = phases(p, 'committed', { replica: r, seq, digest: mine })[0];
      expect(c, `replica ${r} commits its own version at #${seq}`).toBeDefined();
      expect(committedOnEvidence(p, c)).toBe(true);
      const voters = new Set(before(taken(p, { type: 'COMMIT', to: r, seq, digest: mine }), c.i).map((e) => e.msg.from));
      expect(voters.has(0) && voters.has(1), `both liars in replica ${r}'s quorum`).toBe(true);
    }
    says(l, 'The checker catches honest replicas committing different requests at one sequence number, and the run stops there.');
    expect(violation.kind === 'violation' && [...violation.violation.replicas].sort()).toEqual([2, 3]);
    expect(p.stoppedAtViolation).toBe(true);
    expect(p.trace[p.trace.length - 1].i - violation.i).toBeLessThan(10);
  });

  it("The seed's experiment (n = 10)", () => {
    const l = lesson('seed-experiment');
    const p = play(l.scenario);
    const d = digestOf(p, 1);
    says(l, "ten replicas (f = 3) and three of the article's liars, the primary among them");
    expect([p.n, p.f]).toEqual([10, 3]);
    const liars = Object.entries(p.scenario.malicious);
    expect(liars.map(([, x]) => x.kind)).toEqual(['seed', 'seed', 'seed']);
    expect(p.scenario.malicious[primaryOf(0, p.n)]).toBeDefined();
    says(l, 'Its simulator had no view change, so a lying primary stalled it'); // the same run in the seed's protocol.
    const seedMode = play({ ...l.scenario, mode: 'seed' }, 3);
    expect(seedMode.trace.some((e) => e.kind === 'view-change' || e.kind === 'new-view')).toBe(false);
    expect(seedMode.trace.some((e) => e.kind === 'accept')).toBe(false);
    expect(phases(seedMode, 'committed').filter((e) => honest(seedMode, e.replica))).toEqual([]);
    says(l, "Real PBFT survives: each time a lying primary stalls, the honest replicas' view-change timers expire and they change view, past replicas 0, 1 and 2, until replica 3, an honest one, leads");
    const views = [...new Set(p.trace.flatMap((e) => (e.kind === 'new-view' ? [e.view] : [])))].sort((x, y) => x - y);
    expect(views).toEqual([1, 2, 3]);
    expect([0, 1, 2].map((v) => primaryOf(v, p.n))).toEqual([0, 1, 2]);
    for (const v of [0, 1, 2]) {
      expect(p.scenario.malicious[primaryOf(v, p.n)], `the primary of view ${v} lies`).toBeDefined();
      expect(p.trace.some((e) => e.kind === 'view-change' && e.view === v + 1 && honest(p, e.replica) && byTimer(p, e)), `a timer leaves view ${v}`).toBe(true);
    }
    expect(primaryOf(3, p.n)).toBe(3);
    expect(honest(p, 3)).toBe(true);
    says(l, 'and the request commits with m = f'); // in view 3, and the client accepts it (a result honest replicas computed).
    expect(liars).toHaveLength(p.f);
    expect(committedViews(p, d)).toEqual([3]);
    expect(p.trace.some((e) => e.kind === 'accept' && !e.fooled)).toBe(true);
    says(l, 'Each new primary gets twice the time of the last (T, then 2T, then 4T)');
    // Every honest backup's wait in views 1, 2 and 3 (the timer it starts on entering the view) is T, 2T, 4T.
    const T = p.scenario.viewChangeTimeoutMs;
    for (let r = 0; r < p.n; r++) {
      if (!honest(p, r) || r === primaryOf(3, p.n)) continue;
      const waits = p.trace.flatMap((e) => {
        if (e.kind !== 'new-view' || e.replica !== r) return [];
        const timer = p.trace.find((t) => t.kind === 'timer' && t.replica === r && t.action === 'start' && t.i > e.i && t.t === e.t);
        return timer?.kind === 'timer' ? [[e.view, timer.deadline - timer.t]] : [];
      });
      expect(waits, `replica ${r}`).toEqual([
        [1, T],
        [2, 2 * T],
        [3, 4 * T],
      ]);
    }
  });

  it('f+1 traitors across a view change', () => {
    const l = lesson('f-plus-one-across-view-change');
    // Played as the app plays it — press after press, past the client's acceptance — until the checker stops it. The
    // NEW-VIEW's contents and the VIEW-CHANGEs' are not in the trace: they are read off the wire as they pass, unchanged.
    const session = new Session(l.scenario);
    const onTheWire: Message[] = [];
    session.sim.setDeliveryFilter((m) => {
      if (m.type === 'VIEW_CHANGE' || m.type === 'NEW_VIEW') onTheWire.push(m);
      return true;
    });
    const trace: TraceEvent[] = [];
    const starts: number[] = [];
    let stopped = false;
    for (let k = 0; k < 20 && !stopped; k++) {
      const step = stepBy(session, 'request');
      trace.push(...step.events);
      starts.push(...step.starts);
      stopped = Boolean(step.violation);
      if (step.events.length === 0) break;
    }
    const p: Played = { scenario: l.scenario, n: 4, f: 1, trace, starts, stoppedAtViolation: stopped, waiting: [] };
    const d = digestOf(p, 1);
    const prepared = (vc: Message) => (vc.payload as { prepared: Array<{ prePrepare: { seq: number } }> }).prepared.map((c) => c.prePrepare.seq);

    says(l, 'Here f = 1 and two replicas collude, the primary (replica 0) and the next primary (replica 1), with a single request.');
    expect(p.f).toBe(1);
    expect(Object.entries(p.scenario.malicious).map(([id, x]) => [Number(id), x.kind])).toEqual([
      [0, 'collude'],
      [1, 'collude'],
    ]);
    expect([primaryOf(0, p.n), primaryOf(1, p.n)]).toEqual([0, 1]);
    expect(p.trace.filter((e) => e.kind === 'request' && !e.retransmit)).toHaveLength(1);

    says(l, 'Replica 0 proposes it twice: at #1 to replicas 1 and 2 only, at #2 to replicas 1 and 3 only.');
    const proposed = sends(p, { type: 'PRE_PREPARE', from: 0, view: 0 });
    expect(proposed.every((s) => s.msg.digest === d)).toBe(true);
    expect(ids(proposed.filter((s) => s.msg.seq === 1), 'to')).toEqual([1, 2]);
    expect(ids(proposed.filter((s) => s.msg.seq === 2), 'to')).toEqual([1, 3]);
    expect(proposed.every((s) => s.msg.seq === 1 || s.msg.seq === 2)).toBe(true);

    says(l, "Replica 2 gets 2f+1 = 3 COMMITs for #1 (its own and the two liars') and executes the request in view 0");
    const twoCommitted = phases(p, 'committed', { replica: 2, seq: 1 });
    expect(twoCommitted.map((e) => [e.view, e.digest])).toEqual([[0, d]]);
    expect(committedOnEvidence(p, twoCommitted[0])).toBe(true);
    expect(new Set(before(taken(p, { type: 'COMMIT', to: 2, view: 0, seq: 1, digest: d }), twoCommitted[0].i).map((e) => e.msg.from))).toEqual(new Set([0, 1]));
    expect(phases(p, 'executed', { replica: 2, seq: 1, digest: d })).toHaveLength(1);
    says(l, 'the client accepts f+1 = 2 matching replies');
    const accept = p.trace.find((e) => e.kind === 'accept')!;
    expect(accept).toBeDefined();
    expect(before(taken(p, { type: 'REPLY', to: CLIENT, digest: d }), accept.i + 1).length).toBeGreaterThanOrEqual(2);

    says(l, 'Replica 3 is prepared at #2 but hears no COMMIT from the liars, so its timer expires and it asks for view 1.');
    const threePrepared = phases(p, 'prepared', { replica: 3, view: 0, seq: 2, digest: d });
    expect(threePrepared).toHaveLength(1);
    expect(preparedOnEvidence(p, threePrepared[0])).toBe(true);
    expect(sends(p, { type: 'COMMIT', to: 3, view: 0 }).filter((s) => s.msg.from === 0 || s.msg.from === 1)).toEqual([]);
    expect(phases(p, 'committed', { replica: 3, view: 0 })).toEqual([]);
    const asks = p.trace.find((e) => e.kind === 'view-change' && e.replica === 3)!;
    expect(asks).toMatchObject({ view: 1 });
    expect(byTimer(p, asks)).toBe(true);

    says(l, 'The liars ask too, claiming they prepared nothing.');
    for (const liar of [0, 1]) {
      const theirs = onTheWire.filter((m) => m.type === 'VIEW_CHANGE' && m.sender === liar && m.view === 1);
      expect(theirs.length, `replica ${liar}`).toBeGreaterThan(0);
      for (const vc of theirs) expect(prepared(vc)).toEqual([]);
    }

    says(l, "Replica 1, the new primary, builds V from 2f+1 = 3 VIEW-CHANGEs: the two liars' and replica 3's, which shows #2 prepared but not #1.");
    const newViews = onTheWire.filter((m) => m.type === 'NEW_VIEW' && m.sender === 1 && m.view === 1);
    expect(newViews.length).toBeGreaterThan(0);
    const payloads = new Set(newViews.map((m) => m.payload));
    expect(payloads.size).toBe(1); // one NEW-VIEW, told to everyone
    const { viewChanges, prePrepares } = newViews[0].payload as { viewChanges: Message[]; prePrepares: Array<{ seq: number; digest: string }> };
    expect(viewChanges.map((vc) => vc.sender).sort()).toEqual([0, 1, 3]);
    expect(viewChanges.every((vc) => vc.view === 1)).toBe(true);
    expect(prepared(viewChanges.find((vc) => vc.sender === 3)!)).toEqual([2]);
    // Replica 2 asked for view 1 too, and its VIEW-CHANGE showed #1 prepared: that is the one left out.
    expect(onTheWire.filter((m) => m.type === 'VIEW_CHANGE' && m.sender === 2 && m.view === 1).every((vc) => prepared(vc).includes(1))).toBe(true);

    says(l, 'So O re-proposes the null request at #1.');
    expect(prePrepares.map((pp) => [pp.seq, pp.digest])).toEqual([
      [1, 'null'],
      [2, d],
    ]);

    says(l, 'Replica 3 commits the null request at #1 in view 1: replicas 2 and 3 executed different requests at #1, and the checker stops the run.');
    const threeCommitted = phases(p, 'committed', { replica: 3, seq: 1 });
    expect(threeCommitted.map((e) => [e.view, e.digest])).toEqual([[1, 'null']]);
    expect(committedOnEvidence(p, threeCommitted[0])).toBe(true);
    expect(phases(p, 'executed', { replica: 3, seq: 1 }).map((e) => e.digest)).toEqual(['null']);
    expect(phases(p, 'executed', { replica: 2, seq: 1 }).map((e) => e.digest)).toEqual([d]);
    expect(p.stoppedAtViolation).toBe(true);
    const violation = p.trace.find((e) => e.kind === 'violation');
    expect(violation?.kind === 'violation' && [violation.violation.rule, violation.violation.seq]).toEqual(['agreement', 1]);
  });

  it('Partition the primary away', () => {
    const l = lesson('partition-primary');
    const p = play(l.scenario);
    const d = digestOf(p, 1);
    const cut = { side: l.scenario.partition ?? [] };
    says(l, 'The network is cut in two: the primary, replica 0, alone on one side, the client and replicas 1, 2 and 3 on the other, and this cut holds every message across it until Heal.');
    expect(l.scenario.partition).toEqual([0]);
    expect(l.scenario.partitionRule).toBe('hold');
    expect(primaryOf(0, p.n)).toBe(0);
    for (const r of [1, 2, 3]) expect(separates(cut, CLIENT, r)).toBe(false);
    expect(separates(cut, CLIENT, 0)).toBe(true);
    const across = sends(p).filter((s) => separates(cut, s.msg.from, s.msg.to));
    expect(across.length).toBeGreaterThan(0);
    expect(across.every((s) => s.held === true)).toBe(true);
    says(l, "The client's REQUEST waits at the cut.");
    expect(sends(p, { type: 'REQUEST', from: CLIENT })[0]).toMatchObject({ msg: { to: 0 }, held: true });
    says(l, 'Replica 0 hears nothing, sends nothing and stays in view 0: it does not even know it is cut off.');
    expect(p.trace.filter((e) => e.kind === 'deliver' && e.msg.to === 0)).toEqual([]);
    expect(sends(p, { from: 0 })).toEqual([]);
    expect(p.trace.filter((e) => (e.kind === 'view-change' || e.kind === 'new-view') && e.replica === 0)).toEqual([]);
    says(l, 'The status says why the client waits: the primary is on the other side of the cut.');
    expect(p.waiting.some((w) => w.why?.includes('the network is partitioned and the primary (replica 0) is on the other side of the cut'))).toBe(true);
    says(l, 'The client times out and sends the request to every replica; replicas 1, 2 and 3 relay it to the primary (it waits at the cut too) and start their timers.');
    const retransmit = p.trace.find((e) => e.kind === 'request' && e.retransmit)!;
    expect(sends(p, { type: 'REQUEST', from: CLIENT }).filter((s) => s.i > retransmit.i && s.i < retransmit.i + 10).map((s) => s.msg.to)).toEqual([0, 1, 2, 3]);
    for (const b of [1, 2, 3]) {
      const got = taken(p, { type: 'REQUEST', from: CLIENT, to: b })[0];
      const relay = sends(p, { type: 'REQUEST', from: b, to: 0 })[0];
      expect(relay && causeOf(p, relay.i).i, `replica ${b} relays`).toBe(got.i);
      expect(relay.held, `replica ${b}'s relay waits at the cut`).toBe(true);
      expect(p.trace.some((e) => e.kind === 'timer' && e.replica === b && e.action === 'start' && causeOf(p, e.i).i === got.i), `replica ${b}'s timer`).toBe(true);
    }
    says(l, 'When a timer expires, that replica asks for view 1, and the others follow.');
    const asks = p.trace.filter((e): e is Extract<TraceEvent, { kind: 'view-change' }> => e.kind === 'view-change' && e.view === 1);
    expect(byTimer(p, asks[0])).toBe(true);
    expect(asks.map((e) => e.replica).sort()).toEqual([1, 2, 3]);
    says(l, 'Replica 1, the primary of view 1, collects 2f+1 = 3 VIEW-CHANGEs');
    expect(primaryOf(1, p.n)).toBe(1);
    const took = p.trace.find((e) => e.kind === 'new-view' && e.replica === 1 && e.view === 1)!;
    const vcs = new Set(before(taken(p, { type: 'VIEW_CHANGE', to: 1, view: 1 }), took.i).map((e) => e.msg.from)).add(1);
    expect([...vcs].sort()).toEqual([1, 2, 3]);
    says(l, 'and the request commits in view 1 without replica 0');
    expect(committedViews(p, d)).toEqual([1]);
    expect(phases(p, 'committed', { digest: d }).map((e) => e.replica).sort()).toEqual([1, 2, 3]);
    const accept = p.trace.find((e) => e.kind === 'accept')!;
    expect(accept).toBeDefined();

    says(l, 'Now press Heal (above the graph): the messages held at the cut reach replica 0 in the order they were sent.');
    const session = new Session(l.scenario);
    while (session.position < p.trace.length) session.step();
    const healedAt = session.position;
    const held = sends(p).filter((s) => s.held).map((s) => s.msg.id);
    const after = [...session.intervene({ kind: 'setPartition', partition: null })];
    const starts = [...p.starts, healedAt];
    for (let k = 0; k < 5_000 && session.sim.nextEventTime() !== null && session.sim.now < accept.t + 3_000; k++) {
      const events = session.step();
      if (events.length > 0) starts.push(events[0].i);
      after.push(...events);
    }
    const healed: Played = { ...p, trace: [...p.trace, ...after], starts };
    expect(after.filter((e) => e.kind === 'release').map((e) => e.kind === 'release' && e.msg.id)).toEqual(held);
    const arrivals = after.filter((e) => e.kind === 'deliver' && held.includes(e.msg.id)).map((e) => e.kind === 'deliver' && e.msg.id);
    expect(arrivals).toEqual(held);
    says(l, "First the client's REQUEST: replica 0, still primary of view 0 as far as it knows, proposes it in view 0, and the others, in view 1, ignore that.");
    const firstToZero = after.find((e) => e.kind === 'deliver' && e.msg.to === 0)!;
    expect(firstToZero).toMatchObject({ msg: { type: 'REQUEST', from: CLIENT } });
    const proposedInZero = phases(healed, 'pre-prepared', { replica: 0, view: 0, digest: d });
    expect(proposedInZero).toHaveLength(1);
    expect(causeOf(healed, proposedInZero[0].i).i).toBe(firstToZero.i);
    const staleProposals = after.filter((e) => e.kind === 'deliver' && e.msg.type === 'PRE_PREPARE' && e.msg.from === 0 && e.msg.view === 0);
    expect(staleProposals.length).toBeGreaterThan(0);
    expect(staleProposals.every((e) => e.kind === 'deliver' && e.ignored?.includes('stale view'))).toBe(true);
    says(l, 'Then the VIEW-CHANGEs: on f+1 = 2 of them it joins view 1');
    const joins = after.find((e) => e.kind === 'view-change' && e.replica === 0)!;
    expect(joins).toMatchObject({ view: 1 });
    expect(causeOf(healed, joins.i)).toMatchObject({ kind: 'deliver', msg: { type: 'VIEW_CHANGE', to: 0 } });
    expect(new Set(before(taken(healed, { type: 'VIEW_CHANGE', to: 0, view: 1 }), joins.i + 1).map((e) => e.msg.from)).size).toBe(p.f + 1);
    says(l, 'and with the NEW-VIEW, the PRE-PREPARE, the PREPAREs and the COMMITs it executes the same request at the same number. All four agree.');
    expect(after.some((e) => e.kind === 'new-view' && e.replica === 0 && e.view === 1)).toBe(true);
    const executed = phases(healed, 'executed', { digest: d });
    expect(executed.map((e) => e.replica).sort()).toEqual([0, 1, 2, 3]);
    expect(new Set(executed.map((e) => `${e.view}|${e.seq}`)).size).toBe(1);
    const logs = session.sim.replicas().map((r) => JSON.stringify(r.executed));
    expect(new Set(logs).size).toBe(1);
    expect(session.sim.stats().violations).toEqual([]);
  });

  it('A slow link', () => {
    const l = lesson('slow-link');
    const p = play(l.scenario);
    const d = digestOf(p, 1);
    says(l, 'One link is slow: every message between the primary (replica 0) and replica 3 takes 300 ms longer, both ways.');
    expect(l.scenario.links).toEqual([{ a: 0, b: 3, extraDelayMs: 300, dropRate: 0 }]);
    const plain = play({ ...l.scenario, links: undefined });
    // The same seed: the link adds exactly 300 ms to the flight of the primary's first PRE-PREPARE to replica 3.
    const flight = (q: Played) => sends(q, { type: 'PRE_PREPARE', from: 0, to: 3 }).map((s) => s.arriveAt - s.t)[0];
    expect(flight(p) - flight(plain)).toBeCloseTo(300, 6);
    // Both ways: the link's extra time is in every flight between 0 and 3 and in no other, whatever the random delay.
    const flights = (q: Played, from: NodeId, to: NodeId) => sends(q, { from, to }).map((s) => s.arriveAt - s.t);
    expect(Math.min(...flights(p, 3, 0))).toBeGreaterThan(300);
    expect(Math.min(...flights(p, 0, 3))).toBeGreaterThan(300);
    for (const [a, b] of [[0, 1], [1, 0], [0, 2], [2, 0], [1, 3], [2, 3]]) expect(Math.max(...flights(p, a, b)), `${a} → ${b}`).toBeLessThan(300);
    says(l, 'The others do not wait for it.');
    says(l, 'Replicas 0, 1 and 2 are a quorum of 2f+1 = 3: they prepare, commit and execute without replica 3');
    const accept = p.trace.find((e): e is Extract<TraceEvent, { kind: 'accept' }> => e.kind === 'accept')!;
    const inTime = phases(p, 'executed', { digest: d }).filter((e) => e.i < accept.i);
    expect(inTime.map((e) => e.replica).sort()).toEqual([0, 1, 2]);
    for (const e of phases(p, 'committed', { digest: d }).filter((c) => c.replica !== 3)) {
      expect(committedOnEvidence(p, e)).toBe(true);
      expect(before(taken(p, { to: e.replica, from: 3 }), e.i).filter((x) => x.msg.type === 'PREPARE' || x.msg.type === 'COMMIT')).toEqual([]);
    }
    says(l, 'and the client accepts after f+1 = 2 REPLYs, barely later than with no slow link.');
    expect(before(taken(p, { type: 'REPLY', to: CLIENT, digest: d }), accept.i + 1)).toHaveLength(2);
    const plainAccept = plain.trace.find((e): e is Extract<TraceEvent, { kind: 'accept' }> => e.kind === 'accept')!;
    expect(accept.latencyMs).toBeGreaterThanOrEqual(plainAccept.latencyMs);
    expect(accept.latencyMs).toBeLessThan(plainAccept.latencyMs * 1.25);
    says(l, 'Replica 3 gets the PRE-PREPARE 300 ms late; by then it holds the others\u2019 PREPAREs and COMMITs'.replace('\u2019', "'"));
    const session = new Session(l.scenario);
    const all: TraceEvent[] = [];
    for (let k = 0; k < 5_000 && session.sim.nextEventTime() !== null && session.sim.now < 2_000; k++) all.push(...session.step());
    const q: Played = { ...p, trace: all };
    const ppAt3 = taken(q, { type: 'PRE_PREPARE', to: 3, digest: d })[0];
    expect(ppAt3.t - sends(q, { type: 'PRE_PREPARE', to: 3, digest: d })[0].t).toBeGreaterThan(300);
    expect(new Set(before(taken(q, { type: 'PREPARE', to: 3, digest: d }), ppAt3.i).map((e) => e.msg.from))).toEqual(new Set([1, 2]));
    expect(before(taken(q, { type: 'COMMIT', to: 3, digest: d }), ppAt3.i).length).toBeGreaterThanOrEqual(2);
    says(l, 'so it prepares, commits and executes at once — the same request at the same number.');
    const mine = ['pre-prepared', 'prepared', 'committed', 'executed'].map((phase) => phases(q, phase as SlotPhase, { replica: 3, digest: d })[0]);
    for (const e of mine) expect(e.t).toBe(ppAt3.t);
    const seqs = new Set(phases(q, 'executed', { digest: d }).map((e) => `${e.view}|${e.seq}`));
    expect(seqs.size).toBe(1);
    says(l, 'A slow link costs the replica behind it, not the quorum.');
    says(l, 'Now make the link from the primary to replica 2 slow as well');
    const both = play({ ...l.scenario, links: [{ a: 0, b: 2, extraDelayMs: 300, dropRate: 0 }, ...(l.scenario.links ?? [])] });
    says(l, 'the PRE-PREPARE reaches replicas 2 and 3 only after 300 ms, so replica 1 cannot prepare in time (its own PREPARE is not the 2f = 2 it needs).');
    const T = l.scenario.viewChangeTimeoutMs;
    const asks = both.trace.filter((e): e is Extract<TraceEvent, { kind: 'view-change' }> => e.kind === 'view-change' && e.view === 1);
    const firstAsk = asks[0];
    for (const r of [2, 3]) {
      const sent = sends(both, { type: 'PRE_PREPARE', from: 0, to: r, view: 0 })[0];
      expect(taken(both, { type: 'PRE_PREPARE', from: 0, to: r, view: 0 })[0].t - sent.t, `replica ${r}`).toBeGreaterThan(300);
    }
    expect(before(taken(both, { type: 'PRE_PREPARE', from: 0, to: 1, view: 0 }), firstAsk.i)).toHaveLength(1);
    expect(before(taken(both, { type: 'PREPARE', to: 1, view: 0 }), firstAsk.i)).toEqual([]);
    expect(phases(both, 'prepared', { replica: 1, view: 0 }).filter((e) => e.i < firstAsk.i)).toEqual([]);
    says(l, 'The quorum must now wait for a slow link: replica 1\u2019s timer (T = 300 ms) expires first and it asks for view 1, the others follow when theirs run out, and the client accepts only after the view change.'.replace('\u2019', "'"));
    expect(firstAsk.replica).toBe(1);
    expect(byTimer(both, firstAsk)).toBe(true);
    const started = both.trace.find((e) => e.kind === 'timer' && e.replica === 1 && e.action === 'start')!;
    expect(firstAsk.t - started.t).toBeCloseTo(T, 6);
    for (const r of [2, 3]) expect(asks.some((e) => e.replica === r && byTimer(both, e)), `replica ${r}'s own timer`).toBe(true);
    const newView = both.trace.find((e) => e.kind === 'new-view' && e.view === 1)!;
    const bothAccept = both.trace.find((e) => e.kind === 'accept')!;
    expect(bothAccept.i).toBeGreaterThan(newView.i);
    says(l, 'PBFT cannot tell a slow primary from a crashed one.');
  });

  it('HotStuff: linear messages, one more round', () => {
    const l = lesson('hotstuff-linear');
    const p = play(l.scenario);
    const d = digestOf(p, 1);
    const leader = (view: number) => view % p.n;
    says(l, 'Seven replicas (f = 2) run basic HotStuff.');
    expect([p.n, p.f, p.scenario.mode]).toEqual([7, 2, 'hotstuff']);
    says(l, 'The leader of view 0 (replica 0) proposes the request in PREPARE to the n − 1 = 6 others');
    const prepare = sends(p, { type: 'HS_PREPARE', digest: d });
    expect(ids(prepare, 'from')).toEqual([0]);
    expect(prepare.every((e) => e.msg.view === 0)).toBe(true);
    expect(ids(prepare, 'to')).toEqual(others(p, 0));
    says(l, 'each votes to the leader alone, never to the others.');
    const votes = p.trace.filter((e): e is Send => e.kind === 'send' && e.msg.type.startsWith('HS_VOTE_'));
    expect(votes.length).toBeGreaterThan(0);
    for (const v of votes) expect(v.msg.to, `${v.msg.type} from ${v.msg.from}`).toBe(leader(v.msg.view));
    says(l, 'From n − f = 5 votes (its own among them) the leader forms a quorum certificate and shows it to everyone in PRE-COMMIT; the same again gives COMMIT');
    for (const [vote, next] of [
      ['HS_VOTE_PREPARE', 'HS_PRE_COMMIT'],
      ['HS_VOTE_PRE_COMMIT', 'HS_COMMIT'],
      ['HS_VOTE_COMMIT', 'HS_DECIDE'],
    ] as const) {
      const shown = sends(p, { type: next, from: 0, view: 0 });
      expect(ids(shown, 'to'), next).toEqual(others(p, 0));
      const counted = new Set(before(taken(p, { type: vote, to: 0, view: 0 }), shown[0].i).map((e) => e.msg.from));
      expect(counted.size + 1, `${vote} before ${next}`).toBeGreaterThanOrEqual(p.n - p.f);
    }
    says(l, "on which each replica locks (lockedQC), and DECIDE, on which it executes (the next leader may learn the decision first from a NEW-VIEW, which carries the sender’s commitQC).");
    for (const r of others(p, 0)) {
      const lock = phases(p, 'prepared', { replica: r, digest: d })[0];
      const cause = causeOf(p, lock.i);
      expect(cause.kind === 'deliver' && cause.msg.type, `replica ${r} locks on`).toBe('HS_COMMIT');
      const exec = phases(p, 'executed', { replica: r, digest: d })[0];
      const why = causeOf(p, exec.i);
      const on = why.kind === 'deliver' ? why.msg.type : why.kind;
      if (r === leader(1) && on === 'HS_NEW_VIEW') continue;
      expect(on, `replica ${r} executes on`).toBe('HS_DECIDE');
    }
    says(l, 'Each phase is 6 messages out and 6 votes back: 42 for the decision, and 6 NEW-VIEWs to the next leader (replica 1), 48 = 8(n − 1) in all: linear in n.');
    const phaseTypes: MessageType[] = ['HS_PREPARE', 'HS_VOTE_PREPARE', 'HS_PRE_COMMIT', 'HS_VOTE_PRE_COMMIT', 'HS_COMMIT', 'HS_VOTE_COMMIT', 'HS_DECIDE'];
    for (const type of phaseTypes) expect(sends(p, { type }), type).toHaveLength(6);
    const newViews = sends(p, { type: 'HS_NEW_VIEW' });
    expect(newViews).toHaveLength(6);
    expect(ids(newViews, 'to')).toEqual([1]);
    expect(phaseTypes.length * 6 + newViews.length).toBe(8 * (p.n - 1));
    says(l, 'On the same scenario PBFT sends 36 PREPAREs and 42 COMMITs, all to all: about 2n².');
    const pbft = play({ ...l.scenario, mode: 'pbft' });
    expect(sends(pbft, { type: 'PREPARE' })).toHaveLength(36);
    expect(sends(pbft, { type: 'COMMIT' })).toHaveLength(42);
    says(l, 'three rounds of votes where PBFT has two, each through the leader, so the client accepts 9 message delays after its request, against 5 in PBFT.');
    const hops = (q: Played) => compareCounters(q.trace, { mode: q.scenario.mode ?? 'pbft', f: q.f, now: q.trace.at(-1)!.t, liars: new Set() }).hops;
    expect(hops(p)).toBe(9);
    expect(hops(pbft)).toBe(5);
    expect(new Set(sends(pbft).map((e) => e.msg.type))).not.toContain('HS_VOTE_PRE_COMMIT');
  });

  it('Chained HotStuff: one vote per view, a decision on a three-chain', () => {
    const l = lesson('chained-three-chain');
    const p = play(l.scenario);
    const d = digestOf(p, 1);
    says(l, 'Four replicas (f = 1) run Chained HotStuff, where each leader keeps two views: replica 0 leads views 0 and 1, replica 1 views 2 and 3.');
    expect([p.n, p.f, p.scenario.mode]).toEqual([4, 1, 'chained-hotstuff']);
    const proposalsOf = (view: number) => sends(p, { type: 'CHS_GENERIC', view });
    for (const [view, leader] of [[0, 0], [1, 0], [2, 1], [3, 1]]) expect(ids(proposalsOf(view), 'from'), `view ${view}`).toEqual([leader]);
    says(l, 'In view 0 replica 0 proposes the request in a GENERIC to the n − 1 = 3 others, and each sends its vote GENERIC to the leader of the next view alone.');
    expect(ids(proposalsOf(0), 'to')).toEqual(others(p, 0));
    expect(proposalsOf(0).every((e) => e.msg.digest === d)).toBe(true);
    const votes = sends(p, { type: 'CHS_VOTE_GENERIC' });
    expect(votes.length).toBeGreaterThan(0);
    const leaderOf = (view: number) => protocolOf('chained-hotstuff').proposerOf({ view, seq: 0 }, p.n);
    for (const v of votes) expect(v.msg.to, `vote of view ${v.msg.view} from ${v.msg.from}`).toBe(leaderOf(v.msg.view + 1));
    says(l, 'There is one kind of vote and one kind of QC: n − f = 3 votes for a node make its QC, and the next leader carries it in its own GENERIC, which extends that node.');
    expect(new Set(sends(p).map((e) => e.msg.type)).has('HS_VOTE_PREPARE')).toBe(false);
    for (const view of [1, 2, 3]) {
      const leader = proposalsOf(view)[0].msg.from;
      // Its own vote never travels: n − f − 1 votes of the view before reached it (when it is another replica than the
      // proposer of that view, the proposer's vote is among them).
      const counted = new Set(before(taken(p, { type: 'CHS_VOTE_GENERIC', to: leader, view: view - 1 }), proposalsOf(view)[0].i).map((e) => e.msg.from));
      expect(counted.size + 1, `votes of view ${view - 1} before the GENERIC of view ${view}`).toBeGreaterThanOrEqual(p.n - p.f);
      expect(proposalsOf(view)[0].msg.seq, `view ${view} extends view ${view - 1}'s node`).toBe(view + 1);
    }
    says(l, 'No request waits now, so the next proposals are empty nodes, there only to build the chain.');
    for (const view of [1, 2, 3]) expect(proposalsOf(view)[0].msg.digest, `view ${view}`).toBe(NULL_DIGEST);
    says(l, 'the GENERIC of view 2 carries the QC of view 1’s node — a two-chain above the request, on which each replica locks (lockedQC)');
    for (const r of replicas(p)) {
      const lock = phases(p, 'prepared', { replica: r, digest: d })[0];
      expect(lock, `replica ${r} locks`).toBeDefined();
      expect(lock.i, `replica ${r} locks after the GENERIC of view 2 is made`).toBeGreaterThan(proposalsOf(2)[0].i);
      expect(lock.i, `replica ${r} locks before the GENERIC of view 3 is made`).toBeLessThan(proposalsOf(3)[0].i);
    }
    says(l, 'the GENERIC of view 3 carries the QC of view 2’s node — a three-chain, and each replica executes the request and replies.');
    for (const r of replicas(p)) {
      const exec = phases(p, 'executed', { replica: r, digest: d })[0];
      expect(exec, `replica ${r} executes`).toBeDefined();
      expect(exec.i, `replica ${r} executes after the GENERIC of view 3 is made`).toBeGreaterThan(proposalsOf(3)[0].i);
      expect(sends(p, { type: 'REPLY', from: r, digest: d }).length, `replica ${r} replies`).toBeGreaterThan(0);
    }
    says(l, 'Each view costs 3 GENERICs and 3 votes: 24 = 8(n − 1) messages for one request, as in basic HotStuff.');
    const whole = new Simulation(l.scenario);
    whole.runToQuiescence(60_000);
    const sent = whole.stats().sent;
    expect([sent.CHS_GENERIC, sent.CHS_VOTE_GENERIC, sent.CHS_NEW_VIEW, sent.CHS_DECIDE]).toEqual([12, 12, 0, 0]);
    expect(sent.CHS_GENERIC + sent.CHS_VOTE_GENERIC).toBe(8 * (p.n - 1));
    says(l, 'so when requests keep coming every view carries one, and a decision costs about 2(n − 1).');
    const streaming = new Simulation({ ...l.scenario, requests: 40, concurrency: 8 });
    streaming.runToQuiescence(600_000);
    const s = streaming.stats();
    expect(s.committed).toBe(40);
    expect((s.sent.CHS_GENERIC + s.sent.CHS_VOTE_GENERIC) / 40).toBeLessThan(2.25 * (p.n - 1));
  });

  it('Tendermint: locks instead of a view-change protocol', () => {
    const l = lesson('tendermint-locks');
    const p = play(l.scenario);
    const d = digestOf(p, 1);
    const quorum = 2 * p.f + 1;
    says(l, 'Tendermint has no view-change protocol: no VIEW-CHANGE, no NEW-VIEW.');
    expect(sends(p).filter((e) => ['VIEW_CHANGE', 'NEW_VIEW', 'HS_NEW_VIEW'].includes(e.msg.type))).toEqual([]);
    says(l, 'Here the proposer of height 1, round 0 (replica 1) is silent.');
    expect(p.scenario.malicious[1]).toEqual({ kind: 'silent' });
    expect(sends(p, { from: 1 })).toEqual([]);
    expect(sends(p, { type: 'PROPOSAL', view: 0, seq: 1 })).toEqual([]);
    says(l, 'The others wait out timeoutPropose, then PREVOTE nil; on 2f+1 = 3 PREVOTEs and no proposal they PRECOMMIT nil');
    const honestOnes = replicas(p).filter((r) => honest(p, r));
    for (const r of honestOnes) {
      const nil = sends(p, { type: 'PREVOTE', from: r, view: 0, seq: 1 });
      expect(nil.length, `replica ${r} prevotes in round 0`).toBeGreaterThan(0);
      expect(nil.every((e) => e.msg.digest === '')).toBe(true);
      expect(causeOf(p, nil[0].i).kind, `replica ${r}'s nil prevote follows its timer`).toBe('timer');
      const nilCommit = sends(p, { type: 'PRECOMMIT', from: r, view: 0, seq: 1 });
      expect(nilCommit.length).toBeGreaterThan(0);
      expect(nilCommit.every((e) => e.msg.digest === '')).toBe(true);
      const prevotes = new Set(before(taken(p, { type: 'PREVOTE', to: r, view: 0, seq: 1 }), nilCommit[0].i).map((e) => e.msg.from));
      prevotes.add(r);
      expect(prevotes.size, `replica ${r}'s PREVOTEs before its nil PRECOMMIT`).toBeGreaterThanOrEqual(quorum);
    }
    says(l, 'when timeoutPrecommit expires they start round 1, whose proposer is replica 2.');
    const proposal = sends(p, { type: 'PROPOSAL', digest: d });
    expect(ids(proposal, 'from')).toEqual([2]);
    expect(proposal.every((e) => e.msg.view === 1 && e.msg.seq === 1)).toBe(true);
    says(l, 'Nobody locked in round 0 (no value had 2f+1 PREVOTEs), so each is free to prevote replica 2’s proposal.'.replace('’', "'"));
    expect(phases(p, 'prepared', { view: 0 })).toEqual([]);
    for (const r of honestOnes) expect(sends(p, { type: 'PREVOTE', from: r, view: 1, seq: 1, digest: d }).length, `replica ${r}`).toBeGreaterThan(0);
    says(l, 'On 2f+1 = 3 PREVOTEs for it each replica locks on the value (lockedRound = 1) and precommits it, and on 2f+1 = 3 PRECOMMITs it decides.');
    for (const r of honestOnes) {
      const lock = phases(p, 'prepared', { replica: r, view: 1, digest: d })[0];
      expect(lock, `replica ${r} locks in round 1`).toBeDefined();
      const voters = new Set(before(taken(p, { type: 'PREVOTE', to: r, view: 1, digest: d }), lock.i + 1).map((e) => e.msg.from));
      if (sends(p, { type: 'PREVOTE', from: r, view: 1, digest: d }).some((e) => e.i <= lock.i)) voters.add(r);
      expect(voters.size).toBeGreaterThanOrEqual(quorum);
      expect(sends(p, { type: 'PRECOMMIT', from: r, view: 1, digest: d }).length).toBeGreaterThan(0);
      const decided = phases(p, 'committed', { replica: r, digest: d })[0];
      const commits = new Set(before(taken(p, { type: 'PRECOMMIT', to: r, view: 1, digest: d }), decided.i + 1).map((e) => e.msg.from));
      if (sends(p, { type: 'PRECOMMIT', from: r, view: 1, digest: d }).some((e) => e.i <= decided.i)) commits.add(r);
      expect(commits.size, `replica ${r} decides on`).toBeGreaterThanOrEqual(quorum);
    }
    expect(p.trace.filter((e) => e.kind === 'accept')).toHaveLength(1);
    says(l, 'the inspector shows them.');
    const session = new Session(l.scenario);
    while (!session.sim.trace.some((e) => e.kind === 'phase' && e.phase === 'prepared' && e.replica === 0)) if (session.step().length === 0) break;
    const state = session.sim.inspect(0).protocolState!;
    expect(state.find((row) => row.name === 'lockedValue / lockedRound')?.value).toMatch(/ \/ 1$/);
    expect(state.find((row) => row.name === 'validValue / validRound')?.value).toMatch(/ \/ 1$/);
  });

  it('Compare: the same faulty leader under all three', () => {
    const l = lesson('compare-faulty-leader');
    says(l, 'replica 0 is silent, f = 1, and the client makes four requests one after another.');
    expect(l.scenario.malicious).toEqual({ 0: { kind: 'silent' } });
    expect([l.scenario.f, l.scenario.requests, l.scenario.mode ?? 'pbft']).toEqual([1, 4, 'pbft']);
    const [pbft, hotstuff, tendermint] = (['pbft', 'hotstuff', 'tendermint'] as const).map((mode) => play({ ...l.scenario, mode }));
    says(l, "PBFT's primary is replica 0 from the start: the backups' timers expire, they send VIEW-CHANGEs, replica 1 sends NEW-VIEW and proposes all four requests in view 1 — one view change, paid once.");
    expect(primaryOf(0, pbft.n)).toBe(0);
    const asks = pbft.trace.filter((e) => e.kind === 'view-change');
    expect(asks.some((e) => byTimer(pbft, e))).toBe(true);
    expect(new Set(asks.map((e) => e.kind === 'view-change' && e.view))).toEqual(new Set([1]));
    expect(sends(pbft, { type: 'VIEW_CHANGE' }).length).toBeGreaterThan(0);
    expect(ids(sends(pbft, { type: 'NEW_VIEW' }), 'from')).toEqual([1]);
    const pp = sends(pbft, { type: 'PRE_PREPARE' });
    expect(ids(pp, 'from')).toEqual([1]);
    expect(new Set(pp.map((e) => e.msg.view))).toEqual(new Set([1]));
    expect(new Set(pp.map((e) => e.msg.seq)).size).toBe(4);
    says(l, "HotStuff's leader changes every view, so replica 0's turn comes round again: views 0 and 4 are its, and each time the others wait out their view timer and send NEW-VIEW to the next leader; the requests are proposed by replicas 1, 2 and 3.");
    const given = new Set(hotstuff.trace.flatMap((e) => (e.kind === 'view-change' ? [e.view] : [])));
    expect(given.has(1) && given.has(5), `views given up: ${[...given]}`).toBe(true);
    for (const v of [1, 5]) {
      const timedOut = hotstuff.trace.filter((e) => e.kind === 'view-change' && e.view === v);
      expect(timedOut.every((e) => causeOf(hotstuff, e.i).kind === 'timer')).toBe(true);
      expect(ids(sends(hotstuff, { type: 'HS_NEW_VIEW', view: v }), 'to')).toEqual([v % hotstuff.n]);
    }
    const proposals = sends(hotstuff, { type: 'HS_PREPARE' });
    expect(proposals.every((e) => e.msg.from === e.msg.view % hotstuff.n)).toBe(true);
    expect(ids(proposals, 'from')).toEqual([1, 2, 3]);
    expect(proposals.some((e) => e.msg.view === 0 || e.msg.view === 4)).toBe(false);
    says(l, "Tendermint sends no view-change messages at all: the proposer rotates with the height, and at height 4, replica 0's turn, the others' timeoutPropose expires, they prevote and precommit nil, and round 1's proposer, replica 1, proposes the request.");
    expect(sends(tendermint).filter((e) => ['VIEW_CHANGE', 'NEW_VIEW', 'HS_NEW_VIEW'].includes(e.msg.type))).toEqual([]);
    for (const h of [1, 2, 3]) expect(ids(sends(tendermint, { type: 'PROPOSAL', seq: h, view: 0 }), 'from'), `height ${h}`).toEqual([h]);
    expect(sends(tendermint, { type: 'PROPOSAL', seq: 4, view: 0 })).toEqual([]);
    for (const r of [1, 2, 3]) {
      const nilVote = sends(tendermint, { type: 'PREVOTE', from: r, seq: 4, view: 0 });
      expect(nilVote.length > 0 && nilVote.every((e) => e.msg.digest === ''), `replica ${r} prevotes nil`).toBe(true);
      expect(causeOf(tendermint, nilVote[0].i).kind).toBe('timer');
      const nilCommit = sends(tendermint, { type: 'PRECOMMIT', from: r, seq: 4, view: 0 });
      expect(nilCommit.length > 0 && nilCommit.every((e) => e.msg.digest === ''), `replica ${r} precommits nil`).toBe(true);
    }
    expect(ids(sends(tendermint, { type: 'PROPOSAL', seq: 4, view: 1 }), 'from')).toEqual([1]);
    says(l, "All three decide all four requests; Compare's counters show each one's bill: view changes, what they cost in time and messages, and messages per decision.");
    for (const q of [pbft, hotstuff, tendermint]) {
      expect(q.trace.filter((e) => e.kind === 'accept' && !e.fooled), q.scenario.mode).toHaveLength(4);
      const c = compareCounters(q.trace, { mode: q.scenario.mode!, f: q.f, now: q.trace.at(-1)!.t, liars: new Set([0]) });
      expect(c.decisions).toBe(4);
      expect(c.viewChanges, q.scenario.mode).toBeGreaterThanOrEqual(1);
      expect(c.viewChangeMs, q.scenario.mode).toBeGreaterThan(0);
      expect(c.viewChangeMessages, q.scenario.mode).toBeGreaterThan(0);
    }
  });
});
