import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../../sim/scenario';
import { Session } from '../../sim/session';
import type { Scenario } from '../../sim/types';
import { emptyRun, mergeEvents } from '../../store/replay';
import { isDrawn } from '../../store/thinning';
import { diagramContent, diagramWindow, distanceToSegment, flightWords, niceSpan } from './arrows';

function runOf(f: number, until: number, scenario: Partial<Scenario> = {}) {
  const session = new Session({ ...defaultScenario({ f, requests: 2, dropRate: 0.02, seed: 9 }), ...scenario });
  session.runUntil(until);
  const run = emptyRun();
  run.n = session.sim.n;
  mergeEvents(run, 0, session.trace, []);
  return { run, stats: session.sim.stats(), inFlight: Object.values(session.sim.messagesInFlight()).reduce((a, b) => a + b, 0) };
}

describe('the space-time diagram’s arrows', () => {
  it('counts every message of the window exactly, however many it draws', () => {
    const { run, stats, inFlight } = runOf(10, 400);
    const all = diagramContent(run.messages, run.length, run.endTime, 0, run.endTime, run.maxTransit, 1e9);
    expect(all.strides).toEqual({});
    expect(all.delivered).toBe(stats.delivered);
    expect(all.lost).toBe(stats.dropped);
    expect(all.flying).toBe(inFlight);
    expect(all.arrows).toHaveLength(stats.sentTotal);

    const thin = diagramContent(run.messages, run.length, run.endTime, 0, run.endTime, run.maxTransit, 100);
    expect([thin.delivered, thin.lost, thin.flying]).toEqual([all.delivered, all.lost, all.flying]);
    expect(thin.strides.PREPARE).toBeGreaterThan(1);
    expect(thin.arrows.length).toBeLessThan(all.arrows.length);
    for (const a of thin.arrows) expect(isDrawn(a.message.id, a.message.type, thin.strides)).toBe(true);
    // Per type, about the budget at most.
    const prepares = thin.arrows.filter((a) => a.message.type === 'PREPARE').length;
    expect(prepares).toBeLessThanOrEqual(101);
    // Oldest first.
    expect(thin.arrows.map((a) => a.message.sendIndex)).toEqual([...thin.arrows.map((a) => a.message.sendIndex)].sort((a, b) => a - b));
  });

  it('always draws the selected message, thinned or not', () => {
    const { run } = runOf(10, 400);
    const hidden = run.messages.find((m) => m.type === 'PREPARE' && m.id % 1024 !== 0)!;
    const content = diagramContent(run.messages, run.length, run.endTime, 0, run.endTime, run.maxTransit, 10, hidden.id);
    expect(content.arrows.some((a) => a.message.id === hidden.id)).toBe(true);
  });

  it('a window shows only the arrows crossing it, and the past only what was sent by then', () => {
    const { run } = runOf(1, 200);
    const cursor = Math.floor(run.length / 2);
    const t = run.trace[cursor - 1].t;
    const content = diagramContent(run.messages, cursor, t, t - 20, t, run.maxTransit, 1e9);
    for (const a of content.arrows) {
      expect(a.message.sendIndex).toBeLessThan(cursor);
      expect(a.message.sendT).toBeLessThanOrEqual(t);
      expect(a.state === 'flying' ? t : a.message.arriveAt).toBeGreaterThanOrEqual(t - 20);
    }
    expect(distanceToSegment(5, 5, 0, 0, 10, 0)).toBe(5);
    expect(distanceToSegment(-3, 4, 0, 0, 10, 0)).toBe(5);
  });
});

describe('an arrow that waits says what for', () => {
  const waiting = (scenario: Partial<Scenario>) => {
    const { run } = runOf(1, 100, { dropRate: 0, ...scenario });
    const content = diagramContent(run.messages, run.length, run.endTime, 0, run.endTime, run.maxTransit, 1e9);
    return content.arrows.filter((a) => a.state === 'flying').map(flightWords);
  };

  it('under deliver by hand, for a hand — not for a Heal, with no partition drawn', () => {
    expect(waiting({ byHand: true })).toEqual(['waiting for a hand']);
  });

  it('across a partition that holds, at the cut', () => {
    const words = waiting({ partition: [0], partitionRule: 'hold' });
    expect(words.length).toBeGreaterThan(0);
    expect(new Set(words)).toEqual(new Set(['held at the cut']));
  });
});

describe('the diagram’s time axis', () => {
  it('holds the whole run with the clock in the lower part of the picture, and moves only a dozen times from 10 ms to 1 s', () => {
    const ends = new Set<number>();
    for (let clock = 10; clock <= 1000; clock += 0.5) {
      const { t0, t1 } = diagramWindow(0, clock, null);
      expect(t0).toBe(0);
      expect(t1).toBeGreaterThanOrEqual(clock);
      // The clock is never high up the picture: at least 60 % of the way down.
      expect(clock / t1).toBeGreaterThanOrEqual(0.6 - 1e-9);
      ends.add(t1);
    }
    expect(ends.size).toBeLessThanOrEqual(13);
    // From where the kept history starts, not from 0.
    expect(diagramWindow(5000, 5400, null)).toEqual({ t0: 5000, t1: 5500 });
  });

  it('a window of the last N ms shows N ms and steps a quarter at a time, the clock in its last quarter', () => {
    const ends = new Set<number>();
    for (let clock = 0; clock <= 2000; clock += 1) {
      const { t0, t1 } = diagramWindow(0, clock, 1000);
      expect(t1 - t0).toBe(1000);
      expect(clock).toBeLessThanOrEqual(t1);
      if (clock >= 1000) expect(clock).toBeGreaterThan(t1 - 250);
      ends.add(t1);
    }
    expect(ends.size).toBe(5);
  });

  it('nice spans are round numbers that hold the span', () => {
    expect([0.3, 1, 1.2, 7, 8, 99, 101].map(niceSpan)).toEqual([0.3, 1, 1.5, 7.5, 10, 100, 150]);
  });
});
