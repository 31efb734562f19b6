import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultScenario } from './scenario';
import { Simulation } from './simulation';
import { ignoredReasons, msg, phasesOf, quietWorld, signedRequest } from './testkit';
import { CLIENT, MESSAGE_TYPES, type Message, type Scenario } from './types';

function world(overrides: Partial<Scenario>) {
  return new Simulation(defaultScenario(overrides));
}

describe('checkpoints and watermarks', () => {
  it('a checkpoint becomes stable with 2f+1 matching CHECKPOINTs and the log below it is discarded', () => {
    const sim = world({ requests: 4, concurrency: 4, checkpointInterval: 4 });
    // Replica 1 hears only replica 2's CHECKPOINT: with its own that is 2f = 2, one short of the quorum.
    sim.setDeliveryFilter((m) => !(m.type === 'CHECKPOINT' && m.receiver === 1 && m.sender !== 2));
    sim.runToQuiescence(10_000);
    expect(sim.stats().committed).toBe(4);
    for (const id of [0, 2, 3]) {
      const r = sim.pbft(id);
      expect(r.lowWatermark).toBe(4);
      expect(r.stableCheckpoint.messages.length).toBeGreaterThanOrEqual(3);
      for (let seq = 1; seq <= 4; seq++) expect(r.hasSlot(seq)).toBe(false);
    }
    const lagging = sim.pbft(1);
    expect(lagging.lowWatermark).toBe(0);
    expect(lagging.hasSlot(4)).toBe(true);
    // The third matching CHECKPOINT arrives: now it is stable and the log is gone.
    const trace = sim.inject(1, msg('CHECKPOINT', 3, { seq: 4, digest: lagging.stateDigest, view: 0 }));
    expect(trace.some((e) => e.kind === 'checkpoint' && e.replica === 1 && e.stable && e.seq === 4)).toBe(true);
    expect(lagging.lowWatermark).toBe(4);
    expect(lagging.logSize()).toBe(0);
  });

  it('messages at or below h, or more than a window above H, are ignored; those just above H are held', () => {
    const sim = quietWorld({ watermarkWindow: 8, checkpointInterval: 4 });
    const request = signedRequest(sim);
    const far = sim.inject(1, msg('PRE_PREPARE', 0, { seq: 17, digest: request.digest, request }));
    expect(ignoredReasons(far)).toEqual(['#17 is far above the watermarks (0, 8]']);
    const atLow = sim.inject(1, msg('PREPARE', 2, { seq: 0, digest: request.digest }));
    expect(ignoredReasons(atLow)).toEqual(['#0 is outside the watermarks (0, 8]']);
    const above = sim.inject(1, msg('PRE_PREPARE', 0, { seq: 9, digest: request.digest, request }));
    expect(ignoredReasons(above)).toEqual([]);
    expect(sim.inspect(1).held).toBe(1);
    expect(phasesOf(sim.trace, 1, 9)).toEqual([]);
    const inside = sim.inject(1, msg('PRE_PREPARE', 0, { seq: 8, digest: request.digest, request }));
    expect(ignoredReasons(inside)).toEqual([]);
  });

  it('the primary stops assigning sequence numbers at the high watermark H until a checkpoint becomes stable', () => {
    const L = 2;
    const sim = world({ requests: 6, concurrency: 6, checkpointInterval: 2, watermarkWindow: L });
    sim.runToQuiescence(20_000);
    expect(sim.stats().committed).toBe(6);
    let stableAtPrimary = 0;
    let waited = false;
    for (const e of sim.trace) {
      if (e.kind === 'checkpoint' && e.replica === 0 && e.stable) stableAtPrimary = e.seq;
      if (e.kind === 'send' && e.msg.type === 'PRE_PREPARE' && e.msg.from === 0) {
        expect(e.msg.seq).toBeLessThanOrEqual(stableAtPrimary + L);
        if (e.msg.seq > L) waited = true;
      }
    }
    expect(waited).toBe(true);
  });

  it('a replica that missed the PRE-PREPARE executes nothing until it catches up by state transfer', () => {
    const sim = world({ requests: 4, concurrency: 4, checkpointInterval: 4 });
    sim.setDeliveryFilter((m) => !(m.type === 'PRE_PREPARE' && m.seq === 1 && m.receiver === 3));
    let caughtUpAt = -1;
    let othersExecuted3At = -1;
    for (let k = 0; k < 5000; k++) {
      const events = sim.step();
      if (events.length === 0) break;
      for (const e of events) {
        if (e.kind === 'phase' && e.phase === 'executed' && e.replica === 3 && caughtUpAt < 0) caughtUpAt = e.i;
        if (e.kind === 'phase' && e.phase === 'executed' && e.replica !== 3 && e.seq === 3 && othersExecuted3At < 0) othersExecuted3At = e.i;
      }
    }
    expect(othersExecuted3At).toBeGreaterThan(0);
    expect(caughtUpAt).toBeGreaterThan(othersExecuted3At); // nothing before the others were well ahead
    const stable = sim.trace.find((e) => e.kind === 'checkpoint' && e.replica === 3 && e.stable);
    expect(stable && stable.i).toBeLessThanOrEqual(caughtUpAt + 5);
    expect(sim.replicas()[3].executed).toEqual(sim.replicas()[0].executed);
  });
});

describe('votes and senders', () => {
  it('a vote from a replica that is not a member, or one claiming another sender, is rejected', () => {
    const sim = quietWorld({ f: 1 });
    const request = signedRequest(sim);
    sim.inject(1, msg('PRE_PREPARE', 0, { digest: request.digest, request }));
    expect(ignoredReasons(sim.inject(1, msg('PREPARE', 7, { digest: request.digest })))).toEqual(['sender 7 is not a replica']);
    expect(ignoredReasons(sim.inject(1, msg('PREPARE', 2, { digest: request.digest }), 3))).toEqual(['claims to be from 2 but came from 3']);
    expect(phasesOf(sim.trace, 1, 1)).toEqual(['pre-prepared']);
  });

  it('COMMIT before PREPARE, and PREPARE before PRE-PREPARE, still lead to commitment once the rest arrives', () => {
    const sim = quietWorld({ f: 1 });
    const request = signedRequest(sim);
    const d = request.digest;
    sim.inject(1, msg('COMMIT', 0, { digest: d }));
    sim.inject(1, msg('COMMIT', 2, { digest: d }));
    sim.inject(1, msg('PREPARE', 2, { digest: d }));
    expect(phasesOf(sim.trace, 1)).toEqual([]);
    sim.inject(1, msg('PRE_PREPARE', 0, { digest: d, request }));
    expect(phasesOf(sim.trace, 1)).toEqual(['pre-prepared', 'prepared', 'committed', 'executed']);
  });

  it('a request not signed by the client is refused', () => {
    const sim = quietWorld({ f: 1 });
    const fake = { op: 'steal', timestamp: 1, client: CLIENT, digest: '12345678' };
    expect(ignoredReasons(sim.inject(1, msg('PRE_PREPARE', 0, { digest: fake.digest, request: fake })))).toEqual(['request is not signed by the client']);
  });

  it('a replica fed random messages of every type never throws', () => {
    const anything = fc.oneof(fc.anything(), fc.constant(undefined), fc.constant(null));
    const message = fc.record({
      type: fc.oneof(fc.constantFrom(...MESSAGE_TYPES), fc.string()),
      view: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.double()),
      seq: fc.oneof(fc.integer({ min: -2, max: 40 }), fc.double()),
      digest: fc.oneof(fc.string({ maxLength: 8 }), anything),
      sender: fc.integer({ min: -2, max: 6 }),
      timestamp: fc.oneof(fc.integer({ min: 0, max: 3 }), anything),
      result: anything,
      request: fc.oneof(anything, fc.record({ op: fc.string(), timestamp: fc.integer(), client: fc.integer(), digest: fc.string() })),
      payload: fc.oneof(
        anything,
        fc.record({ stable: anything, prepared: fc.array(anything) }),
        fc.record({ viewChanges: fc.array(fc.record({ sender: fc.integer(), payload: anything })), prePrepares: fc.array(anything), minSeq: anything }),
      ),
    });
    fc.assert(
      fc.property(fc.array(fc.record({ message, from: fc.integer({ min: -1, max: 6 }), to: fc.integer({ min: 0, max: 3 }) }), { maxLength: 40 }), (batch) => {
        const sim = quietWorld({ f: 1 });
        signedRequest(sim);
        for (const { message: m, from, to } of batch) {
          const full = { ...m, id: 1, receiver: to } as unknown as Message;
          expect(() => sim.replicaList[to].receive(full, from)).not.toThrow();
        }
        sim.runToQuiescence(5_000);
      }),
      { numRuns: 500 },
    );
  });
});
