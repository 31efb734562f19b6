import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Scheduler } from './scheduler';

interface Job {
  at: number;
  order: number;
  name: number;
}

describe('scheduler (virtual clock)', () => {
  it('runs happenings in (time, insertion order), whatever order they are scheduled in', () => {
    // Operations: schedule at now + delay, or take the next; interleaved at random, as the simulation does.
    const op = fc.oneof(fc.record({ delay: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 50, noNaN: true }), fc.integer({ min: 0, max: 3 })) }), fc.constant('pop' as const), fc.constant('peek' as const));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const scheduler = new Scheduler<Job>();
        const reference: Array<{ at: number; seq: number; name: number }> = [];
        let seq = 0;
        for (const o of ops) {
          if (o === 'peek') {
            const best = [...reference].sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
            expect(scheduler.peekTime()).toBe(best ? best.at : null);
          } else if (o === 'pop') {
            reference.sort((a, b) => a.at - b.at || a.seq - b.seq);
            const expected = reference.shift();
            const got = scheduler.popItem();
            expect(got?.name).toBe(expected?.name);
            if (expected) expect(scheduler.now).toBe(expected.at);
          } else {
            const at = scheduler.now + o.delay;
            scheduler.schedule(at, { at: 0, order: 0, name: seq });
            reference.push({ at, seq, name: seq });
            seq++;
          }
          expect(scheduler.size).toBe(reference.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never schedules into the past: a time before now means now', () => {
    const scheduler = new Scheduler<Job>();
    scheduler.schedule(10, { at: 0, order: 0, name: 1 });
    scheduler.popItem();
    scheduler.schedule(3, { at: 0, order: 0, name: 2 });
    expect(scheduler.popItem()?.at).toBe(10);
  });
});
