import { describe, expect, it } from 'vitest';
import type { Behaviour, MessageType, NodeId, TraceEvent } from '../sim/types';
import { deedInWords, deedsIn } from './deeds';

let i = 0;
const send = (from: NodeId, to: NodeId, type: MessageType, digest: string, seq = 1): TraceEvent => ({
  kind: 'send',
  i: i++,
  t: 1,
  msg: { id: i, type, from, to, view: 0, seq, digest },
  arriveAt: 2,
  lost: false,
});
const phase = (replica: NodeId, p: 'pre-prepared' | 'prepared', digest: string): TraceEvent => ({ kind: 'phase', i: i++, t: 1, replica, view: 0, seq: 1, digest, phase: p });
const liars = (id: NodeId, b: Behaviour) => Array.from({ length: 4 }, (_, k) => (k === id ? b : null));

describe('deeds: what a liar did with each message, from the sends alone', () => {
  it('a vote sent to only some replicas is partial, and says who was left out', () => {
    const events = [phase(2, 'pre-prepared', 'd'), send(2, 0, 'PREPARE', 'd'), send(2, 3, 'PREPARE', 'd')];
    const [deed] = deedsIn(events, { n: 4, behaviours: liars(2, { kind: 'omit' }) });
    expect(deed).toMatchObject({ liar: 2, type: 'PREPARE', held: 'd', verdict: 'partial' });
    expect(deedInWords(deed, 4)).toContain('to replicas 0 and 3 only and withholds it from replica 1');
  });

  it('knows nothing of honest replicas, and nothing without the settings', () => {
    const events = [phase(2, 'pre-prepared', 'd')];
    expect(deedsIn(events, { n: 4, behaviours: liars(1, { kind: 'silent' }) })).toEqual([]);
    expect(deedsIn(events, { n: 4 })).toEqual([]);
  });

  it('a primary that re-proposes inside its NEW-VIEW is not said to withhold a PRE-PREPARE', () => {
    const events: TraceEvent[] = [{ kind: 'new-view', i: i++, t: 1, replica: 1, view: 1, primary: 1 }, { ...phase(1, 'pre-prepared', 'd'), view: 1 } as TraceEvent];
    const deeds = deedsIn(events, { n: 4, behaviours: liars(1, { kind: 'silent' }) });
    expect(deeds.map((d) => [d.type, d.verdict])).toEqual([['NEW_VIEW', 'withheld']]);
  });

  it('without its own phase event, different digests to different replicas are still a split', () => {
    const events = [send(0, 1, 'PRE_PREPARE', 'a'), send(0, 2, 'PRE_PREPARE', 'b'), send(0, 3, 'PRE_PREPARE', 'a')];
    const [deed] = deedsIn(events, { n: 4, behaviours: liars(0, { kind: 'collude' }) });
    expect(deed).toMatchObject({ held: null, verdict: 'split' });
    expect(deedInWords(deed, 4)).toContain('replicas 1 and 3 digest a; replica 2 digest b');
  });
});
