import { describe, expect, it } from 'vitest';
import { MESSAGE_TYPES } from '../sim/types';
import { countByType, describeStrides, isDrawn, strideFor, stridesFor, thinningNote, typeSlot } from './thinning';

describe('the thinning rule', () => {
  it('picks the smallest power of two that brings a count within its budget', () => {
    expect(strideFor(0, 400)).toBe(1);
    expect(strideFor(400, 400)).toBe(1);
    expect(strideFor(401, 400)).toBe(2);
    expect(strideFor(800, 400)).toBe(2);
    expect(strideFor(801, 400)).toBe(4);
    expect(strideFor(9801, 400)).toBe(32); // a PREPARE round at n = 100
    for (const count of [1, 17, 400, 999, 5000, 123_456]) {
      const k = strideFor(count, 250);
      expect(Math.ceil(count / k)).toBeLessThanOrEqual(250);
      if (k > 1) expect(Math.ceil(count / (k / 2))).toBeGreaterThan(250);
    }
  });

  it('thins each type on its own: the few REQUESTs and REPLYs are always all drawn', () => {
    const strides = stridesFor({ REQUEST: 1, PRE_PREPARE: 99, PREPARE: 9801, COMMIT: 2000, REPLY: 100 }, 400);
    expect(strides).toEqual({ PREPARE: 32, COMMIT: 8 });
    expect(isDrawn(5, 'REQUEST', strides)).toBe(true);
    expect(isDrawn(5, 'PREPARE', strides)).toBe(false);
    expect(isDrawn(64, 'PREPARE', strides)).toBe(true);
  });

  it('samples a burst of consecutive ids evenly, and keeps what it drew when the stride halves or doubles', () => {
    const ids = Array.from({ length: 9801 }, (_, k) => 70_000 + k);
    for (const k of [2, 4, 8, 32]) {
      const drawn = ids.filter((id) => isDrawn(id, 'PREPARE', { PREPARE: k }));
      expect(Math.abs(drawn.length - ids.length / k)).toBeLessThanOrEqual(1);
      const finer = new Set(ids.filter((id) => isDrawn(id, 'PREPARE', { PREPARE: k / 2 })));
      // Thinning further only removes arrows; thinning less only adds them.
      expect(drawn.every((id) => finer.has(id))).toBe(true);
    }
  });

  it('counts by type and says what was thinned, or nothing when nothing was', () => {
    expect(MESSAGE_TYPES.map(typeSlot)).toEqual(MESSAGE_TYPES.map((_, k) => k));
    expect(countByType([{ type: 'PREPARE' }, { type: 'COMMIT' }, { type: 'PREPARE' }])).toEqual({ PREPARE: 2, COMMIT: 1 });
    expect(thinningNote({}, 4)).toBeNull();
    expect(describeStrides({ PREPARE: 32 })).toBe('1 in 32 PREPARE messages');
    expect(thinningNote({ PREPARE: 32, COMMIT: 16, PRE_PREPARE: 2 }, 100)).toBe(
      'Showing 1 in 2 PRE-PREPARE, 1 in 32 PREPARE and 1 in 16 COMMIT messages at n = 100; the counts are exact.',
    );
  });
});
