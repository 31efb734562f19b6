/**
 * Cuts, heals and link faults are interventions like any other: recorded at their moment, replayed exactly from the
 * seed (after a seek too), carried by a run file and, as the scenario stands, by a link.
 */
import { describe, expect, it } from 'vitest';
import { defaultScenario } from './scenario';
import { Session } from './session';
import { decodeShare, encodeShare, exportRun, importRun, ImportError } from './share';
import { stepBy } from './stepping';
import { CLIENT, type Intervention, type Scenario, type TraceEvent } from './types';

/** A run with a cut (hold), a slow lossy link, a heal and a link made normal again, each at its own moment. */
function played(scenario: Scenario = defaultScenario({ f: 1, requests: 3, seed: 9 })): Session {
  const s = new Session(scenario);
  const act = (i: Intervention, untilT: number) => {
    s.runUntil(untilT);
    s.intervene(i);
  };
  act({ kind: 'setPartition', partition: { side: [0, CLIENT], rule: 'hold' } }, 20);
  act({ kind: 'setLink', a: 2, b: 1, fault: { extraDelayMs: 80, dropRate: 0.3 } }, 40);
  act({ kind: 'setPartition', partition: null }, 400);
  act({ kind: 'setLink', a: 1, b: 2, fault: null }, 700);
  s.runUntil(3_000);
  return s;
}

describe('partitions and link faults as interventions', () => {
  it('a run with cuts, a heal and link faults replays exactly from its seed and its interventions', () => {
    const first = played();
    expect(first.trace.some((e) => e.kind === 'send' && e.held)).toBe(true);
    expect(first.trace.some((e) => e.kind === 'release')).toBe(true);
    const again = new Session(first.scenario, first.history as never);
    again.runUntil(3_000);
    expect(again.trace).toEqual(first.trace);
  });

  it('seeking back before the cut and playing on gives the same future; acting there replaces it', () => {
    const s = played();
    const whole = [...s.trace];
    const cutAt = s.history[0].afterEvent;
    s.seekToEvent(cutAt - 2);
    s.runUntil(3_000);
    expect(s.trace).toEqual(whole);
    s.seekToEvent(cutAt - 2);
    s.intervene({ kind: 'setPartition', partition: { side: [3], rule: 'lose' } });
    expect(s.history.map((h) => h.intervention.kind)).toEqual(['setPartition']);
    s.runUntil(3_000);
    expect(s.trace.some((e) => e.kind === 'release')).toBe(false);
    expect(s.trace.some((e) => e.kind === 'drop' && e.by === 'partition')).toBe(true);
  });

  it('a run file carries them: exported, imported and replayed, the trace is the same', () => {
    const s = played();
    const file = importRun(exportRun(s.scenario, s.history, s.trace));
    expect(file.interventions).toEqual(s.history);
    const replay = new Session(file.scenario, file.interventions);
    replay.runUntil(3_000);
    expect(replay.trace).toEqual(s.trace);
  });

  it('a run file with a partition or links that are not nodes of the run is refused, saying why', () => {
    const s = played();
    const bad = (intervention: unknown) => () => importRun(exportRun(s.scenario, [{ afterEvent: 0, at: 0, intervention: intervention as Intervention }], []));
    expect(bad({ kind: 'setPartition', partition: { side: [7], rule: 'lose' } })).toThrow(/names 7, which is no node of n = 4/);
    expect(bad({ kind: 'setPartition', partition: { side: [CLIENT, 0, 1, 2, 3], rule: 'lose' } })).toThrow(/no node on one side/);
    expect(bad({ kind: 'setPartition', partition: { side: [0], rule: 'keep' } })).toThrow(ImportError);
    expect(bad({ kind: 'setLink', a: 1, b: 1, fault: null })).toThrow(/does not join two nodes/);
    expect(bad({ kind: 'setLink', a: 0, b: 1, fault: { extraDelayMs: -5, dropRate: 0 } })).toThrow(/link delay is invalid/);
    expect(() => importRun(exportRun({ ...s.scenario, partition: [4] }, [], []))).toThrow(/partition names 4/);
    expect(() => importRun(exportRun({ ...s.scenario, links: [{ a: 0, b: 9, extraDelayMs: 10, dropRate: 0 }] }, [], []))).toThrow(/link 0–9/);
  });

  it('a partition and links standing from the start travel in a link and replay the same run', () => {
    const scenario = defaultScenario({ f: 1, seed: 4, partition: [CLIENT, 1, 2], partitionRule: 'hold', links: [{ a: 0, b: 3, extraDelayMs: 120, dropRate: 0.1 }] });
    const query = encodeShare({ scenario, speed: 20, preset: null });
    expect(query).toContain('cut=1%2C2%2Cc');
    expect(query).toContain('cutrule=hold');
    expect(query).toContain('links=0-3%3Aslow%3D120%3Alossy%3D0.1');
    const back = decodeShare(query);
    expect(back.notices).toEqual([]);
    expect(back.scenario).toEqual(scenario);
    const run = (s: Scenario): TraceEvent[] => {
      const session = new Session(s);
      stepBy(session, 'request');
      return [...session.trace];
    };
    expect(run(back.scenario)).toEqual(run(scenario));
  });
});
