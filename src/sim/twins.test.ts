import { describe, expect, it } from 'vitest';
import { defaultScenario } from './scenario';
import { Simulation } from './simulation';
import { readTwins } from './params';

describe('the twins rule, one for the core and for what reads a link or a file', () => {
  it('the core refuses what the reader leaves out, in the reader’s words', () => {
    const n = 4;
    const cases: Array<[string, { replicas: number[]; side: number[] }, Record<number, { kind: 'silent' }>]> = [
      ['0/5', { replicas: [0], side: [5] }, {}],
      ['7', { replicas: [7], side: [] }, {}],
      ['1/2', { replicas: [1], side: [2] }, { 1: { kind: 'silent' } }],
      ['1/1', { replicas: [1], side: [1] }, {}],
    ];
    for (const [raw, twins, malicious] of cases) {
      const read = readTwins(raw, n, malicious);
      expect(read.problems.length, raw).toBeGreaterThan(0);
      expect(() => new Simulation(defaultScenario({ f: 1, twins, malicious }))).toThrow(/^Twins: /);
    }
    expect(() => new Simulation(defaultScenario({ f: 1, twins: { replicas: [0, 0], side: [] } }))).toThrow(/twinned twice/);
    // What the rule allows, both accept.
    expect(readTwins('0,1/2', n).problems).toEqual([]);
    expect(() => new Simulation(defaultScenario({ f: 1, twins: { replicas: [0, 1], side: [2] } }))).not.toThrow();
  });
});
