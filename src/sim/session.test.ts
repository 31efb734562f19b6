import { describe, expect, it } from 'vitest';
import { defaultScenario } from './scenario';
import { Session } from './session';
import type { TraceEvent } from './types';

const scenario = defaultScenario({ f: 1, requests: 3, seed: 11, dropRate: 0.05 });

function playToEnd(session: Session, limit = 20_000): void {
  session.runUntil(limit);
}

describe('time travel', () => {
  it('seeking to time t and playing on gives the identical trace to playing straight through', () => {
    const straight = new Session(scenario);
    playToEnd(straight);
    for (const t of [0, 17.5, 60, 140, 400]) {
      const traveller = new Session(scenario);
      playToEnd(traveller);
      traveller.seekToTime(t);
      expect(traveller.trace.every((e) => e.t <= t)).toBe(true);
      playToEnd(traveller);
      expect(traveller.trace).toEqual(straight.trace);
    }
  });

  it('seeking back over interventions replays them where they happened', () => {
    const original = new Session(scenario);
    const seen: TraceEvent[] = [];
    seen.push(...original.runUntil(30));
    seen.push(...original.intervene({ kind: 'setBehaviour', id: 2, behaviour: { kind: 'silent' } }));
    for (let k = 0; k < 15; k++) seen.push(...original.step());
    seen.push(...original.intervene({ kind: 'submitRequest' }));
    seen.push(...original.intervene({ kind: 'setNetwork', params: { minDelayMs: 20, maxDelayMs: 20 } }));
    seen.push(...original.runUntil(5_000));
    expect(seen).toEqual(original.trace);
    const full = [...original.trace];

    original.seekToEvent(10);
    expect(original.trace.length).toBeGreaterThanOrEqual(10);
    expect(original.trace).toEqual(full.slice(0, original.trace.length));
    for (let k = 0; k < 10; k++) original.step();
    original.runUntil(5_000);
    expect(original.trace).toEqual(full);
  });

  it('acting after a seek back replaces the old future', () => {
    const session = new Session(scenario);
    session.runUntil(20);
    session.intervene({ kind: 'setBehaviour', id: 0, behaviour: { kind: 'silent' } });
    session.runUntil(5_000);
    session.seekToTime(10);
    session.intervene({ kind: 'setBehaviour', id: 3, behaviour: { kind: 'silent' } });
    session.runUntil(5_000);
    expect(session.history.map((h) => h.intervention)).toEqual([{ kind: 'setBehaviour', id: 3, behaviour: { kind: 'silent' } }]);
    expect(session.sim.behaviourOf(0)).toBeNull();
    expect(session.sim.stats().committed).toBe(3);
  });
});

describe('sessions that keep no trace', () => {
  it('count positions in events, so seeking works without a stored trace', () => {
    const kept = new Session(scenario);
    const lean = new Session(scenario, [], { keepTrace: false });
    const seenLean: TraceEvent[] = [];
    seenLean.push(...lean.runUntil(25));
    kept.runUntil(25);
    kept.intervene({ kind: 'submitRequest' });
    seenLean.push(...lean.intervene({ kind: 'submitRequest' }));
    kept.runUntil(3_000);
    seenLean.push(...lean.runUntil(3_000));
    expect(lean.trace).toEqual([]);
    expect(seenLean).toEqual(kept.trace);
    expect(lean.position).toBe(kept.trace.length);
    lean.seekToEvent(40);
    const replayed: TraceEvent[] = [];
    replayed.push(...lean.runUntil(3_000));
    expect(replayed).toEqual(kept.trace.slice(lean.position - replayed.length));
  });

  it('a slider dragged at one moment is recorded as one network change', () => {
    const session = new Session(scenario);
    session.runUntil(10);
    for (const max of [50, 60, 70]) session.intervene({ kind: 'setNetwork', params: { maxDelayMs: max } });
    session.intervene({ kind: 'setNetwork', params: { dropRate: 0.1 } });
    expect(session.history).toHaveLength(1);
    expect(session.history[0].intervention).toEqual({ kind: 'setNetwork', params: { maxDelayMs: 70, dropRate: 0.1 } });
  });
});
