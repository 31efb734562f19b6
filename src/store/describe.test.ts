import { describe, expect, it } from 'vitest';
import type { MessageSummary, TraceEvent } from '../sim/types';
import { captionFor, describeEvent, messageLabel } from './describe';

const pp: MessageSummary = { id: 5, type: 'PRE_PREPARE', from: 0, to: 2, view: 0, seq: 1, digest: 'abc' };

describe('describeEvent', () => {
  it('puts a send in the paper’s words', () => {
    const e: TraceEvent = { kind: 'send', i: 3, t: 12.34, msg: pp, arriveAt: 30, lost: false };
    expect(describeEvent(e)).toBe('t=12.3 Replica 0 → Replica 2 PRE-PREPARE v0 #1');
  });

  it('names the client and leaves sequence numbers off a REQUEST', () => {
    const e: TraceEvent = {
      kind: 'send',
      i: 0,
      t: 0,
      msg: { id: 1, type: 'REQUEST', from: -1, to: 0, view: 0, seq: 0, digest: 'd' },
      arriveAt: 20,
      lost: false,
    };
    expect(describeEvent(e)).toBe('t=0.0 Client → Replica 0 REQUEST');
  });

  it('says why a message was ignored', () => {
    const e: TraceEvent = { kind: 'deliver', i: 1, t: 3, msg: pp, ignored: 'stale view' };
    expect(describeEvent(e)).toBe('t=3.0 Replica 2 ignored PRE-PREPARE v0 #1 from Replica 0 (stale view)');
  });

  it('labels view-change messages by the view they ask for', () => {
    expect(messageLabel({ type: 'VIEW_CHANGE', view: 1, seq: 0 })).toBe('VIEW-CHANGE to v1');
    expect(messageLabel({ type: 'COMMIT', view: 2, seq: 7 })).toBe('COMMIT v2 #7');
  });
});

describe('captionFor', () => {
  it('summarises a delivery and its consequences in one line', () => {
    const events: TraceEvent[] = [
      { kind: 'deliver', i: 10, t: 14.2, msg: { ...pp, to: 1 } },
      { kind: 'phase', i: 11, t: 14.2, replica: 1, view: 0, seq: 1, digest: 'abc', phase: 'pre-prepared' },
      ...[0, 2, 3].map(
        (to, k): TraceEvent => ({
          kind: 'send',
          i: 12 + k,
          t: 14.2,
          msg: { id: 20 + k, type: 'PREPARE', from: 1, to, view: 0, seq: 1, digest: 'abc' },
          arriveAt: 30,
          lost: false,
        }),
      ),
    ];
    expect(captionFor(events)).toBe('t=14.2 Replica 1 received PRE-PREPARE v0 #1 from Replica 0 → pre-prepared; sent 3 PREPARE');
  });

  it('is null for an empty batch', () => {
    expect(captionFor([])).toBeNull();
  });

  it('describes the newest step of a long batch', () => {
    const events: TraceEvent[] = [
      { kind: 'deliver', i: 1, t: 1, msg: pp },
      { kind: 'drop', i: 2, t: 2, msg: { ...pp, type: 'COMMIT' } },
    ];
    expect(captionFor(events)).toBe('t=2.0 ✕ COMMIT v0 #1 from Replica 0 to Replica 2 was lost');
  });
});
