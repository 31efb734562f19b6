import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/scenario';
import { Simulation } from '../sim/simulation';
import type { ProtocolMode, Scenario } from '../sim/types';
import { compareCounters } from './compareCounters';

function counted(scenario: Scenario) {
  const sim = new Simulation(scenario, { recordTrace: true });
  sim.runToQuiescence(10_000);
  const mode: ProtocolMode = scenario.mode ?? 'pbft';
  return compareCounters(sim.trace, { mode, f: sim.f, now: sim.now, liars: new Set(Object.keys(scenario.malicious).map(Number)) });
}

describe('compareCounters', () => {
  it('counts a calm PBFT run: messages and bytes per decision, 5 message delays, no view change', () => {
    const c = counted(defaultScenario({ f: 1, seed: 3 }));
    expect(c.decisions).toBe(1);
    // REQUEST, 3 PRE-PREPAREs, 9 PREPAREs, 12 COMMITs, 4 REPLYs.
    expect(c.messagesPerDecision).toBe(29);
    expect(c.bytesPerDecision).toBe(152 + 3 * 272 + 21 * 120 + 4 * 120);
    expect(c.hops).toBe(5);
    expect([c.viewChanges, c.viewChangeMs, c.viewChangeMessages]).toEqual([0, 0, 0]);
  });

  it('prices a silent primary’s view change: the time and messages from the first expired timer to the decision', () => {
    const c = counted(defaultScenario({ f: 1, seed: 3, malicious: { 0: { kind: 'silent' } } }));
    expect(c.decisions).toBe(1);
    expect(c.viewChanges).toBe(1);
    expect(c.viewChangeMs).toBeGreaterThan(0);
    expect(c.viewChangeMessages).toBeGreaterThan(0);
    expect(c.viewChangeMessages).toBeLessThan(c.messages);
  });

  it('does not count HotStuff’s change of leader after every decision as a view change', () => {
    const c = counted(defaultScenario({ f: 1, seed: 3, mode: 'hotstuff', requests: 3 }));
    expect(c.decisions).toBe(3);
    expect(c.viewChanges).toBe(0);
    expect(c.hops).toBeGreaterThan(5);
  });
});
