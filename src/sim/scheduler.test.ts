import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Scheduler } from './scheduler';

interface Job {
  at: number;
  order: number;
  name: number;
}

describe('scheduler (virtual clock)', () => {
  // adaptEvery 1 and 2: the bucket width changes every bucket or two, so re-filing happens amid every pattern below.
  for (const [adaptEvery, ring] of [[undefined, false], [undefined, true], [1, false], [2, true]] as const) it(`runs happenings in (time, insertion order), whatever order they are scheduled in (width weighed every ${adaptEvery ?? 'default'} buckets, ring ${ring ? 'at once' : 'when weighed'})`, () => {
    // Operations: schedule at now + delay, or take the next; interleaved at random, as the simulation does. Delays up to
    // 5 s span more buckets than the ring has slots, so buckets also share a slot (the overflow map).
    const op = fc.oneof(fc.record({ delay: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 50, noNaN: true }), fc.integer({ min: 0, max: 3 }), fc.double({ min: 0, max: 5000, noNaN: true })) }), fc.constant('pop' as const), fc.constant('peek' as const));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const scheduler = new Scheduler<Job>({ adaptEvery, ring });
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

  it('the bucket width follows the load: sparse happenings widen it, dense ones narrow it, and order holds throughout', () => {
    const scheduler = new Scheduler<Job>({ adaptEvery: 8 });
    const taken: number[] = [];
    let name = 0;
    // One happening every 5 ms for a while: buckets of 0.1 ms hold one each, so the width grows.
    for (let k = 0; k < 400; k++) scheduler.schedule(k * 5, { at: 0, order: 0, name: name++ });
    for (let k = 0; k < 200; k++) taken.push(scheduler.popItem()!.at);
    expect(scheduler.bucketMs).toBeGreaterThan(0.1);
    const wide = scheduler.bucketMs;
    // Then twenty a millisecond for two seconds, some at one instant: wide buckets hold hundreds, so it narrows.
    const now = scheduler.now;
    for (let k = 0; k < 40_000; k++) scheduler.schedule(now + 1 + Math.floor(k / 2) * 0.1, { at: 0, order: 0, name: name++ });
    while (scheduler.size > 0) taken.push(scheduler.popItem()!.at);
    expect(scheduler.bucketMs).toBeLessThan(wide);
    expect(taken.every((t, k) => k === 0 || taken[k - 1] <= t)).toBe(true);
  });

  it('buckets that share a slot of the ring keep their order (a far bucket waits aside until its slot is free)', () => {
    const scheduler = new Scheduler<Job>({ ring: true });
    // 0.1 ms buckets, 1024 slots: t = 0.05 (bucket 0) and t ≈ 102.4 (bucket 1024) share slot 0.
    scheduler.schedule(0.05, { at: 0, order: 0, name: 1 });
    scheduler.schedule(102.41, { at: 0, order: 0, name: 2 });
    expect(scheduler.popItem()?.name).toBe(1);
    // Slot 0 is free now, but bucket 1024 already waits aside: this one joins it there, not the free slot.
    scheduler.schedule(102.45, { at: 0, order: 0, name: 3 });
    scheduler.schedule(102.42, { at: 0, order: 0, name: 4 });
    expect([scheduler.popItem()?.name, scheduler.popItem()?.name, scheduler.popItem()?.name, scheduler.popItem()]).toEqual([2, 4, 3, undefined]);
  });

  it('never schedules into the past: a time before now means now', () => {
    const scheduler = new Scheduler<Job>();
    scheduler.schedule(10, { at: 0, order: 0, name: 1 });
    scheduler.popItem();
    scheduler.schedule(3, { at: 0, order: 0, name: 2 });
    expect(scheduler.popItem()?.at).toBe(10);
  });
});
