import { describe, expect, it } from 'vitest';
import { search } from '../sim/attack/search';
import { withCalm } from '../sim/attack/replay';
import { defaultScenario } from '../sim/scenario';
import { Session } from '../sim/session';
import type { TimedIntervention } from '../sim/types';
import { decodeSchedule, encodeSchedule, MAX_LINK_LENGTH, runLink } from './scheduleLink';
import { readShare, shareQuery } from './urlSync';

const schedule: TimedIntervention[] = [
  { afterEvent: 0, at: 0, intervention: { kind: 'setByHand', on: true } },
  { afterEvent: 2, at: 0, intervention: { kind: 'deliver', msg: 1 } },
  { afterEvent: 9, at: 12.345678901234567, intervention: { kind: 'dropMessage', msg: 4 } },
  { afterEvent: 9, at: 12.345678901234567, intervention: { kind: 'duplicate', msg: 5 } },
  { afterEvent: 14, at: 20, intervention: { kind: 'fireTimer', replica: -1, timer: 'client:1' } },
  { afterEvent: 15, at: 21.5, intervention: { kind: 'holdFrom', replica: 2, on: true } },
  { afterEvent: 15, at: 21.5, intervention: { kind: 'setPartition', partition: { side: [0, 1], rule: 'hold' } } },
  { afterEvent: 20, at: 30, intervention: { kind: 'setBehaviour', id: 3, behaviour: { kind: 'omit', omitProbability: 0.5 } } },
  { afterEvent: 21, at: 31, intervention: { kind: 'setByHand', on: false } },
];

describe('a run’s schedule in a link', () => {
  it('round-trips exactly (times to the last bit), every kind of intervention', async () => {
    const text = await encodeSchedule(schedule);
    expect(text).toMatch(/^1\.[A-Za-z0-9_-]+$/);
    expect(await decodeSchedule(text, defaultScenario())).toEqual(schedule);
  });

  it('is compact: a thousand deliveries by hand fit in a link', async () => {
    const many: TimedIntervention[] = Array.from({ length: 1000 }, (_, k) => ({ afterEvent: 3 * k, at: k * 1.5, intervention: { kind: 'deliver', msg: k + 1 } }));
    const link = await runLink('https://example.org/pbft/', 'f=1', many);
    expect(link.ok).toBe(true);
    if (link.ok) expect(await decodeSchedule(new URL(link.url).searchParams.get('schedule')!, defaultScenario())).toEqual(many);
  });

  it('a schedule too long for a link says so, with its length, and offers Export', async () => {
    // Random-looking times do not compress: tens of thousands of steps cannot fit in 8,000 characters.
    const huge: TimedIntervention[] = Array.from({ length: 20_000 }, (_, k) => ({ afterEvent: k * 7 + (k % 5), at: k * 1.37 + Math.sin(k), intervention: { kind: 'deliver', msg: (k * 7919) % 100_003 } }));
    const link = await runLink('https://example.org/', 'f=1', huge);
    expect(link.ok).toBe(false);
    if (!link.ok) {
      expect(link.length).toBeGreaterThan(MAX_LINK_LENGTH);
      expect(link.message).toMatch(/too long to share as a link/);
      expect(link.message).toMatch(/Export/);
    }
  });

  it('a run without interventions is the scenario’s link alone', async () => {
    expect(await runLink('https://example.org/', 'f=2', [])).toEqual({ ok: true, url: 'https://example.org/?f=2' });
  });

  it('a damaged or foreign schedule is refused with a reason, not replayed', async () => {
    const good = await encodeSchedule(schedule);
    await expect(decodeSchedule(good.slice(0, good.length - 12), defaultScenario())).rejects.toThrow(/damaged/);
    await expect(decodeSchedule('2.abc', defaultScenario())).rejects.toThrow(/unknown format/);
    await expect(decodeSchedule('1.%%%', defaultScenario())).rejects.toThrow(/damaged/);
    // Checked as a run file's interventions are: replica 9 does not exist with n = 4.
    const bad = await encodeSchedule([{ afterEvent: 0, at: 0, intervention: { kind: 'holdFrom', replica: 9, on: true } }]);
    await expect(decodeSchedule(bad, defaultScenario())).rejects.toThrow(/9/);
  });
});

describe('a Twins attack in a link', () => {
  it('Copy link carries the twins (in the scenario’s query) and the schedule; the link replays the same run', async () => {
    // A Twins search draws the side per schedule: the found scenario holds the side it was found with.
    const found = search({ scenario: defaultScenario({ f: 1, requests: 2, concurrency: 2 }), goal: 'agreement', budget: { schedules: 100 }, seed: 1, twins: [0, 1] });
    expect(found.found).toBe(true);
    const opened = withCalm(found.scenario, found.schedule!);
    const link = await runLink('https://example.org/pbft/', shareQuery({ scenario: found.scenario, speed: 20, preset: null }), opened);
    expect(link.ok).toBe(true);
    if (!link.ok) return;
    const url = new URL(link.url);
    const shared = readShare(url.search);
    expect(shared.notices).toEqual([]);
    expect(shared.scenario.twins).toEqual(found.scenario.twins);
    const steps = await decodeSchedule(url.searchParams.get('schedule')!, shared.scenario);
    const original = new Session(found.scenario, opened);
    const reopened = new Session(shared.scenario, steps);
    original.runUntil(5_000);
    reopened.runUntil(5_000);
    expect(reopened.trace).toEqual(original.trace);
  });

  it('a fired timer of a twin’s second instance (process n + k) travels in a link', async () => {
    const scenario = defaultScenario({ f: 1, twins: { replicas: [2], side: [3] } });
    const steps: TimedIntervention[] = [{ afterEvent: 4, at: 300, intervention: { kind: 'fireTimer', replica: 4, timer: 'main' } }];
    expect(await decodeSchedule(await encodeSchedule(steps), scenario)).toEqual(steps);
    await expect(decodeSchedule(await encodeSchedule(steps), defaultScenario({ f: 1 }))).rejects.toThrow(/4 is no node of n = 4/);
  });
});
