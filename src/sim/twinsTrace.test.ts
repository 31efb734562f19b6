/**
 * What the world says of a twin's second instance (Twins): its messages are marked in `pending()` and in the trace —
 * `toTwin` for one sent to it, `fromTwin` for one it sent — so a view can name it (1′) instead of taking it for replica
 * 1; its timers go by process n + k. A run without twins carries no such marks.
 */
import { describe, expect, it } from 'vitest';
import { defaultScenario } from './scenario';
import { Session } from './session';
import type { PendingItem } from './types';

const messages = (items: PendingItem[]) => items.filter((p): p is Extract<PendingItem, { kind: 'message' }> => p.kind === 'message');

describe('a twin’s second instance in pending() and in the trace', () => {
  it('twins of the primary (side: replica 3): the REQUEST goes to both instances; only 0′ proposes to 3, only 0 to 1 and 2', () => {
    const session = new Session({ ...defaultScenario({ f: 1, twins: { replicas: [0], side: [3] } }), byHand: true });
    session.runUntil(0);
    const requests = messages(session.sim.pending());
    expect(requests.map((m) => [m.type, m.to, m.toTwin ?? false]).sort()).toEqual([
      ['REQUEST', 0, false],
      ['REQUEST', 0, true],
    ]);
    // Deliver the REQUEST to the second instance only: what follows comes from it.
    session.intervene({ kind: 'deliver', msg: requests.find((m) => m.toTwin)!.id });
    const proposals = messages(session.sim.pending()).filter((m) => m.type === 'PRE_PREPARE');
    expect(proposals.map((m) => [m.from, m.to, m.fromTwin ?? false])).toEqual([[0, 3, true]]);
    // The trace says the same of each send.
    const sends = session.trace.filter((e) => e.kind === 'send');
    expect(sends.map((e) => e.kind === 'send' && [e.msg.type, e.msg.fromTwin ?? false, e.msg.toTwin ?? false]).sort()).toEqual([
      ['PRE_PREPARE', true, false],
      ['REQUEST', false, false],
      ['REQUEST', false, true],
    ]);
    // Its timers go by process n + 0 = 4 (fireTimer's number for it).
    expect(session.sim.pending().filter((p) => p.kind === 'timer' && p.replica === 4).length).toBeGreaterThan(0);
  });

  it('a run without twins carries no marks (its trace is as it was)', () => {
    const session = new Session(defaultScenario({ f: 1 }));
    session.runUntil(2_000);
    const marked = session.trace.filter((e) => 'msg' in e && ('fromTwin' in e.msg || 'toTwin' in e.msg));
    expect(session.trace.some((e) => e.kind === 'accept')).toBe(true);
    expect(marked).toEqual([]);
  });
});
