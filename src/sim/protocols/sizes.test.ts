import { describe, expect, it } from 'vitest';
import { MESSAGE_TYPES } from '../types';
import { messageBytes } from './sizes';

describe('the size model (README: Bytes per decision)', () => {
  it('sizes every message type, as the README states them', () => {
    for (const type of MESSAGE_TYPES) expect(messageBytes(type, 1), type).toBeGreaterThan(0);
    expect(messageBytes('REQUEST', 1)).toBe(152);
    expect(messageBytes('PREPARE', 1)).toBe(120);
    expect(messageBytes('PRE_PREPARE', 1)).toBe(272);
    expect(messageBytes('HS_COMMIT', 1)).toBe(216);
    expect(messageBytes('HS_PREPARE', 1)).toBe(400);
    expect(messageBytes('PROPOSAL', 1)).toBe(248);
  });

  it('grows PBFT’s view-change messages with f, and keeps HotStuff’s constant (a QC is one threshold signature)', () => {
    expect(messageBytes('VIEW_CHANGE', 3)).toBeGreaterThan(messageBytes('VIEW_CHANGE', 1));
    expect(messageBytes('NEW_VIEW', 3)).toBeGreaterThan(messageBytes('NEW_VIEW', 1));
    for (const type of ['HS_NEW_VIEW', 'HS_PREPARE', 'HS_DECIDE', 'PREVOTE'] as const) expect(messageBytes(type, 10)).toBe(messageBytes(type, 1));
  });
});
