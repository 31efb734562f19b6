/**
 * Deliver by hand: the person is the network. Everything here is judged from the trace and the replicas' own execution
 * logs (what a test can compute for itself), not by asking the code under test whether it did right.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRunArgs } from '../cli/args';
import { PARAMS } from './params';
import { defaultScenario } from './scenario';
import { decodeShare, encodeShare, exportRun, importRun, validateScenario } from './share';
import { Session } from './session';
import { Simulation } from './simulation';
import { phasesOf } from './testkit';
import type { Behaviour, Intervention, MessageSummary, Scenario, TraceEvent } from './types';

const handScenario = (overrides: Partial<Scenario> = {}): Scenario => defaultScenario({ f: 1, requests: 1, byHand: true, ...overrides });

/** Runs whatever is due now (the client's issue): under deliver by hand nothing else is ever due by itself. */
function settle(sim: Simulation): void {
  while (sim.advance());
}

const delivered = (trace: readonly TraceEvent[]): MessageSummary[] => trace.flatMap((e) => (e.kind === 'deliver' ? [e.msg] : []));

describe('deliver by hand', () => {
  it('nothing arrives by itself: the REQUEST waits in flight, and the clock has nothing to do', () => {
    const sim = new Simulation(handScenario());
    settle(sim);
    const waiting = sim.pending();
    expect(waiting).toEqual([
      expect.objectContaining({ kind: 'message', type: 'REQUEST', from: -1, to: 0 }),
      expect.objectContaining({ kind: 'timer', replica: -1, timer: expect.stringMatching(/^client:/) }),
    ]);
    expect(sim.step()).toEqual([]);
    expect(sim.nextEventTime()).toBeNull();
    expect(sim.trace.filter((e) => e.kind === 'deliver')).toEqual([]);
  });

  it('a PBFT round delivered by hand in a chosen order (newest first) commits and executes, in exactly that order', () => {
    const sim = new Simulation(handScenario());
    const chosen: number[] = [];
    for (let steps = 0; steps < 500; steps++) {
      settle(sim);
      const messages = sim.pending().filter((p) => p.kind === 'message');
      if (messages.length === 0) break;
      // The chosen order: always the message sent last — the opposite of what the network model tends to do.
      const id = messages[messages.length - 1].id;
      chosen.push(id);
      sim.deliverMessage(id);
    }
    expect(delivered(sim.trace).map((m) => m.id)).toEqual(chosen);
    // Every replica executed the request at #1 (their own logs), the client accepted it, and no timer fired.
    const digest = sim.trace.find((e) => e.kind === 'request')!.digest;
    for (const r of sim.replicas()) expect(r.executed).toEqual([[1, digest]]);
    expect(sim.trace.filter((e) => e.kind === 'accept')).toHaveLength(1);
    expect(sim.trace.some((e) => e.kind === 'view-change')).toBe(false);
    // The paper's count for one request at n = 4: PRE-PREPARE 3, PREPARE 9, COMMIT 12, REPLY 4 (+ the REQUEST).
    const count = (type: string) => delivered(sim.trace).filter((m) => m.type === type).length;
    expect([count('REQUEST'), count('PRE_PREPARE'), count('PREPARE'), count('COMMIT'), count('REPLY')]).toEqual([1, 3, 9, 12, 4]);
    // Only timers are left waiting (the backups' view-change timers stopped on execution).
    expect(sim.pending().every((p) => p.kind === 'timer')).toBe(true);
  });

  it('dropping one PREPARE keeps a replica un-prepared (replica 1 silent, so replica 3 had no vote to spare)', () => {
    const sim = new Simulation(handScenario({ malicious: { 1: { kind: 'silent' } } }));
    let droppedOne: MessageSummary | null = null;
    for (let steps = 0; steps < 500; steps++) {
      settle(sim);
      const next = sim.pending().find((p) => p.kind === 'message');
      if (!next || next.kind !== 'message') break;
      if (!droppedOne && next.type === 'PREPARE' && next.from === 2 && next.to === 3) {
        sim.dropMessage(next.id);
        droppedOne = next;
      } else sim.deliverMessage(next.id);
    }
    expect(droppedOne).not.toBeNull();
    const drops = sim.trace.filter((e) => e.kind === 'drop');
    expect(drops).toEqual([expect.objectContaining({ msg: expect.objectContaining({ id: droppedOne!.id, type: 'PREPARE' }), by: 'hand' })]);
    // Judged from the trace: PREPAREs delivered to replica 3 — only from replica 2 could one have come, and it was lost.
    expect(delivered(sim.trace).filter((m) => m.type === 'PREPARE' && m.to === 3)).toEqual([]);
    expect(phasesOf(sim.trace as TraceEvent[], 3, 1)).toEqual(['pre-prepared']);
    // Replica 2 (its own PREPARE and replica 3's) did prepare: the drop, not the scenario, held replica 3 back.
    expect(phasesOf(sim.trace as TraceEvent[], 2, 1)).toContain('prepared');
    // Nothing more will come by itself: its view-change timer waits for a hand.
    expect(sim.pending()).toContainEqual(expect.objectContaining({ kind: 'timer', replica: 3, timer: 'main' }));
  });

  it('a duplicate arrives on its own, with an id of its own (the replica ignores or recounts it as the protocol says)', () => {
    const sim = new Simulation(handScenario());
    settle(sim);
    const request = sim.pending()[0];
    sim.duplicate(request.kind === 'message' ? request.id : -1);
    const copies = sim.pending().filter((p) => p.kind === 'message');
    expect(copies.map((p) => p.kind === 'message' && p.type)).toEqual(['REQUEST', 'REQUEST']);
    expect(sim.trace.filter((e) => e.kind === 'send').at(-1)).toMatchObject({ copyOf: request.kind === 'message' ? request.id : -1, hand: true });
    for (const p of copies) if (p.kind === 'message') sim.deliverMessage(p.id);
    expect(delivered(sim.trace).map((m) => m.type)).toEqual(['REQUEST', 'REQUEST']);
  });

  it('firing a waiting timer moves the clock to its deadline and runs it', () => {
    const sim = new Simulation(handScenario());
    settle(sim);
    const timer = sim.pending().find((p) => p.kind === 'timer')!;
    expect(timer).toMatchObject({ replica: -1, deadline: 500 });
    if (timer.kind !== 'timer') return;
    sim.fireTimer(timer.replica, timer.timer);
    expect(sim.now).toBe(500);
    // The client's retransmission: the request again, to every replica.
    expect(sim.pending().filter((p) => p.kind === 'message' && p.type === 'REQUEST')).toHaveLength(1 + 4);
  });

  it('switching it off hands what waits back to the network model, in send order, and the run finishes', () => {
    const session = new Session(handScenario({ seed: 5 }));
    session.step();
    const waitingBefore = session.sim.pending().filter((p) => p.kind === 'message');
    const events = session.intervene({ kind: 'setByHand', on: false });
    const released = events.filter((e) => e.kind === 'release');
    expect(released.map((e) => e.kind === 'release' && e.hand && e.msg.id)).toEqual(waitingBefore.map((p) => p.kind === 'message' && p.id));
    session.runUntil(5_000);
    expect(session.sim.pending()).toEqual([]);
    expect(session.trace.filter((e) => e.kind === 'accept')).toHaveLength(1);
  });

  it('switching it on mid-run takes everything off the wire; holding a sender holds only what it sends', () => {
    const session = new Session(defaultScenario({ f: 1, requests: 1, seed: 3 }));
    session.intervene({ kind: 'holdFrom', replica: 0, on: true });
    session.runUntil(2_000);
    // The primary's PRE-PREPAREs never left: nobody but the primary pre-prepared.
    expect(session.trace.filter((e) => e.kind === 'deliver' && e.msg.from === 0)).toEqual([]);
    expect(session.sim.pending().filter((p) => p.kind === 'message').every((p) => p.kind === 'message' && p.from === 0)).toBe(true);
    session.intervene({ kind: 'holdFrom', replica: 0, on: false });
    session.runUntil(10_000);
    expect(session.trace.filter((e) => e.kind === 'accept')).toHaveLength(1);

    const midway = new Session(defaultScenario({ f: 1, requests: 1, seed: 3 }));
    midway.runUntil(20);
    const before = midway.trace.length;
    midway.intervene({ kind: 'setByHand', on: true });
    midway.runUntil(10_000);
    expect(midway.trace.slice(before).every((e) => e.kind === 'hold' && e.hand)).toBe(true);
  });
});

/** One random hand action on what waits now; returns the intervention (or null when nothing waits). */
function randomAction(sim: Simulation, pick: number, kind: number): Intervention | null {
  const waiting = sim.pending();
  if (waiting.length === 0) return null;
  const item = waiting[pick % waiting.length];
  if (item.kind === 'timer') return { kind: 'fireTimer', replica: item.replica, timer: item.timer };
  if (kind < 70) return { kind: 'deliver', msg: item.id };
  if (kind < 85) return { kind: 'dropMessage', msg: item.id };
  if (kind < 95) return { kind: 'duplicate', msg: item.id };
  return { kind: 'holdFrom', replica: item.from, on: kind % 2 === 0 };
}

describe('replay from the seed with hand interventions is exact (property)', () => {
  it('a fresh session given the interventions reproduces the trace event for event', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          malicious: fc.constantFrom<Record<number, Behaviour>>({}, { 0: { kind: 'equivocate' } }, { 1: { kind: 'collude' }, 2: { kind: 'collude' } }, { 3: { kind: 'omit', omitProbability: 0.5 } }),
          actions: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 99 })), { minLength: 1, maxLength: 80 }),
          switchOffAt: fc.nat({ max: 100 }),
        }),
        ({ seed, malicious, actions, switchOffAt }) => {
          const scenario = handScenario({ seed, malicious });
          const original = new Session(scenario);
          actions.forEach(([pick, kind], k) => {
            original.step();
            if (k === switchOffAt) original.intervene({ kind: 'setByHand', on: false });
            const action = randomAction(original.sim, pick, kind);
            if (action) original.intervene(action);
          });
          original.runUntil(original.sim.now + 3_000);
          const replay = new Session(scenario, [...original.history]);
          replay.runUntil(original.sim.now);
          expect(replay.trace).toEqual(original.trace);
          expect(replay.sim.pending()).toEqual(original.sim.pending());
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('the byHand parameter reads the same in every reader (src/sim/params.ts)', () => {
  it('URL hand=1, CLI --by-hand and a run file all switch it on; an unreadable value is refused', () => {
    const on = defaultScenario({ byHand: true });
    const query = encodeShare({ scenario: on, speed: PARAMS.speed.default, preset: null });
    expect(new URLSearchParams(query).get(PARAMS.byHand.url!)).toBe('1');
    expect(decodeShare(query).scenario.byHand).toBe(true);
    expect(decodeShare('hand=yes').notices).toHaveLength(1);
    expect(decodeShare('hand=yes').scenario.byHand).toBeUndefined();
    const cli = parseRunArgs([PARAMS.byHand.cli!, '--f', '2']);
    expect(cli.command === 'run' && cli.scenario.byHand).toBe(true);
    expect(validateScenario({ ...on }).byHand).toBe(true);
    expect(() => validateScenario({ ...defaultScenario(), byHand: 'yes' })).toThrow(/true or false/);
  });

  it('a run file carries hand interventions, and refuses malformed ones', () => {
    const session = new Session(handScenario());
    session.step();
    const first = session.sim.pending()[0];
    session.intervene({ kind: 'deliver', msg: first.kind === 'message' ? first.id : 0 });
    session.intervene({ kind: 'holdFrom', replica: 0, on: true });
    const back = importRun(exportRun(session.scenario, session.history, session.trace));
    expect(back.interventions).toEqual(session.history);
    const broken = JSON.parse(exportRun(session.scenario, session.history, session.trace)) as { interventions: Array<{ intervention: unknown }> };
    broken.interventions[0].intervention = { kind: 'fireTimer', replica: 0, timer: 'alarm' };
    expect(() => importRun(JSON.stringify(broken))).toThrow(/no timer/);
  });
});
