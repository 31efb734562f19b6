import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/scenario';
import { normaliseNetwork } from './scenarioRules';

describe('normaliseNetwork', () => {
  const net = { minDelayMs: 5, maxDelayMs: 40, dropRate: 0, reorderRate: 0 };
  it('pushes max up when min passes it, and min down when max passes it', () => {
    expect(normaliseNetwork(net, { minDelayMs: 60 })).toMatchObject({ minDelayMs: 60, maxDelayMs: 60 });
    expect(normaliseNetwork(net, { maxDelayMs: 2 })).toMatchObject({ minDelayMs: 2, maxDelayMs: 2 });
  });
  it('clamps rates to [0, 1]', () => {
    expect(normaliseNetwork(net, { dropRate: 3, reorderRate: -1 })).toMatchObject({ dropRate: 1, reorderRate: 0 });
  });
  it('matches the scenario defaults the UI starts from', () => {
    const d = defaultScenario();
    expect(normaliseNetwork(d, {})).toEqual({ minDelayMs: 5, maxDelayMs: 40, dropRate: 0, reorderRate: 0 });
  });
});
