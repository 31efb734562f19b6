import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/scenario';
import type { Scenario } from '../sim/types';
import { draftOf, replicaChoices, scenarioFromDraft, visualizerScenario, type CompareDraft } from './compareScenario';

const base = defaultScenario({ f: 1, seed: 4, requests: 3, malicious: { 2: { kind: 'omit', omitProbability: 0.3 } } });
const both = ['pbft', 'hotstuff'] as const;

function apply(draft: Partial<CompareDraft>, from: Scenario = base, modes: readonly Scenario['mode'][] = both) {
  return scenarioFromDraft(from, { ...draftOf(from), ...draft }, modes as Parameters<typeof scenarioFromDraft>[2]);
}

describe('the Compare view’s scenario form', () => {
  it('shows the scenario as it is, and gives it back unchanged when nothing was edited', () => {
    const draft = draftOf(base);
    expect(draft).toEqual({ n: 4, seed: '4', minDelayMs: '5', maxDelayMs: '40', dropPercent: '0', reorderPercent: '0', liars: [{ id: 2, kind: 'omit', knob: '30' }] });
    expect(apply({})).toEqual({ scenario: base });
  });

  it('changes n (as f), the seed, the network and the liars; what the form does not show stays', () => {
    const result = apply({
      n: 10,
      seed: '99',
      minDelayMs: '10',
      maxDelayMs: '80',
      dropPercent: '12.5',
      reorderPercent: '5',
      liars: [
        { id: 0, kind: 'equivocate', knob: '' },
        { id: 7, kind: 'slow', knob: '150' },
      ],
    });
    expect(result.errors).toBeUndefined();
    expect(result.scenario).toEqual({
      ...base,
      f: 3,
      n: undefined,
      seed: 99,
      minDelayMs: 10,
      maxDelayMs: 80,
      dropRate: 0.125,
      reorderRate: 0.05,
      malicious: { 0: { kind: 'equivocate' }, 7: { kind: 'slow', extraDelayMs: 150 } },
    });
    expect(result.scenario!.requests).toBe(3);
  });

  it('offers n = 3f + 1 for every f the table allows, and a link’s own n', () => {
    expect(replicaChoices({ f: 1 }).slice(0, 4)).toEqual([1, 4, 7, 10]);
    expect(replicaChoices({ f: 1, n: 5 })).toContain(5);
    // A link's n = 5 is kept as n while the form leaves n alone.
    const five = defaultScenario({ f: 1, n: 5 });
    expect(scenarioFromDraft(five, draftOf(five), ['pbft', 'hotstuff']).scenario).toMatchObject({ f: 1, n: 5 });
  });

  it('says, box by box, what cannot be used — and gives no scenario, so nothing changes', () => {
    const result = apply({ seed: '1.5', minDelayMs: '50', maxDelayMs: '40', dropPercent: '120', reorderPercent: '' });
    expect(result.scenario).toBeUndefined();
    expect(result.errors).toEqual({
      seed: 'Seed must be a whole number; 1.5 is not.',
      minDelayMs: 'Min delay (50 ms) must not exceed max delay (40 ms).',
      dropPercent: 'Drop rate must be from 0 % to 100 %; 120 is out of range.',
      reorderPercent: 'Reorder rate is empty: give a number from 0 % to 100 %.',
    });
  });

  it('refuses a liar that a smaller n has no room for, a lie no compared protocol has, and a knob out of range', () => {
    expect(apply({ n: 4, liars: [{ id: 6, kind: 'silent', knob: '' }] }).errors).toEqual({ 'liar-6': 'Replica 6 lies, but n = 4 has replicas 0 to 3: make it honest or choose a larger n.' });
    expect(apply({ liars: [{ id: 1, kind: 'forge-view-change', knob: '' }] }, base, ['hotstuff', 'tendermint']).errors).toEqual({
      'liar-1': 'Replica 1: forge-view-change means nothing in HotStuff or Tendermint; choose another behaviour.',
    });
    expect(apply({ liars: [{ id: 1, kind: 'omit', knob: '130' }] }).errors).toEqual({ 'liar-1': 'Replica 1: Omit probability must be from 0 % to 100 %; 130 is out of range.' });
  });

  it('a lie PBFT has and HotStuff lacks is allowed when PBFT is compared; the visualizer then runs PBFT, so a link never carries a lie its protocol refuses', () => {
    const hs = { ...base, mode: 'hotstuff' as const };
    const result = apply({ liars: [{ id: 1, kind: 'forge-view-change', knob: '' }] }, hs, ['pbft', 'hotstuff']);
    expect(result.scenario!.malicious).toEqual({ 1: { kind: 'forge-view-change' } });
    expect(visualizerScenario(result.scenario!, ['pbft', 'hotstuff']).mode).toBe('pbft');
    // A lie HotStuff has keeps the visualizer's protocol.
    const kept = apply({ liars: [{ id: 1, kind: 'silent', knob: '' }] }, hs, ['pbft', 'hotstuff']).scenario!;
    expect(visualizerScenario(kept, ['pbft', 'hotstuff'])).toBe(kept);
  });

  it('a partition naming a replica the smaller n no longer has is cut to the replicas that remain', () => {
    const split = defaultScenario({ f: 2, partition: [0, 6] });
    const result = scenarioFromDraft(split, { ...draftOf(split), n: 4 }, ['pbft', 'hotstuff']);
    expect(result.scenario!.partition).toEqual([0]);
  });
});
