import { describe, expect, it } from 'vitest';
import { judgeLossyThenCalm } from './calm.testkit';
import { defaultScenario } from './scenario';

const judging = { calmAt: 500, bound: 20_000, hint: '(a test of the judge)' };

describe('the lossy-then-calm judge', () => {
  it('passes a run within the bound and catches split histories and a stall beyond it', () => {
    expect(() => judgeLossyThenCalm(defaultScenario({ f: 1, requests: 2, dropRate: 0.1 }), judging)).not.toThrow();
    // f + 1 colluders split the honest replicas (see tendermint.test.ts).
    const colluders = { 1: { kind: 'collude' as const }, 2: { kind: 'collude' as const } };
    expect(() => judgeLossyThenCalm(defaultScenario({ mode: 'tendermint', f: 1, requests: 2, concurrency: 2, malicious: colluders }), judging)).toThrow(/honest histories diverge/);
    // f + 1 silent replicas: no quorum forms.
    const silent = { 1: { kind: 'silent' as const }, 2: { kind: 'silent' as const } };
    expect(() => judgeLossyThenCalm(defaultScenario({ f: 1, requests: 1, malicious: silent }), judging)).toThrow(/only 0\/1 requests accepted/);
  });
});
