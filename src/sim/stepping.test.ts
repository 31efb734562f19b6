import { describe, expect, it } from 'vitest';
import { defaultScenario } from './scenario';
import { Session } from './session';
import { stepBy } from './stepping';

const scenario = defaultScenario({ f: 1, requests: 3, seed: 11, dropRate: 0.05 });

describe('stepping at three grains', () => {
  it('a step delivers the next single happening', () => {
    const session = new Session(scenario);
    const first = stepBy(session, 'event');
    expect(first.events.map((e) => e.kind)).toEqual(['request', 'send']);
    expect(first.starts).toEqual([0]);
    const second = stepBy(session, 'event');
    expect(second.events[0].kind).toBe('deliver');
  });

  it('a phase step ends when every message of the current phase has arrived or been lost', () => {
    const session = new Session(defaultScenario({ f: 2, requests: 1 }));
    stepBy(session, 'event'); // the client sends its REQUEST
    const request = stepBy(session, 'phase').events;
    expect(request.filter((e) => e.kind === 'deliver').map((e) => e.kind === 'deliver' && e.msg.type)).toEqual(['REQUEST']);
    expect(session.sim.nextArrivingType()).toBe('PRE_PREPARE');
    const prePrepares = stepBy(session, 'phase').events;
    expect(session.sim.inFlightOf('PRE_PREPARE')).toBe(0);
    expect(session.sim.messagesInFlight().PRE_PREPARE).toBe(0);
    const arrived = prePrepares.filter((e) => e.kind === 'deliver' && e.msg.type === 'PRE_PREPARE');
    expect(arrived.length).toBe(6);
    const last = [...prePrepares].reverse().find((e) => e.kind === 'deliver');
    expect(last && last.kind === 'deliver' && last.msg.type).toBe('PRE_PREPARE');
  });

  it('a request step ends when the client accepts the next result', () => {
    const session = new Session(scenario);
    const round = stepBy(session, 'request').events;
    expect(round[round.length - 1].kind).toBe('accept');
    expect(round.filter((e) => e.kind === 'accept').length).toBe(1);
    const next = stepBy(session, 'request').events;
    expect(next[next.length - 1].kind).toBe('accept');
    expect(session.sim.stats().committed).toBe(2);
  });

  it('says where each happening began, so the page can step back by happenings', () => {
    const session = new Session(scenario);
    const p = stepBy(session, 'request');
    expect(p.starts[0]).toBe(0);
    expect(p.starts).toEqual([...p.starts].sort((a, b) => a - b));
    for (const s of p.starts) expect(p.events.some((e) => e.i === s)).toBe(true);
  });
});

describe('stepping honours what happened in the run', () => {
  it('replays an intervention recorded inside a phase at its moment', () => {
    const phaseScenario = defaultScenario({ f: 2, requests: 1, seed: 3 });
    const original = new Session(phaseScenario);
    stepBy(original, 'event');
    stepBy(original, 'phase'); // the REQUEST arrives; the PRE-PREPAREs are on the wire
    stepBy(original, 'event'); // the first of them arrives
    // Mid-phase, replica 5 crashes: it sends no PREPARE after that.
    original.intervene({ kind: 'setBehaviour', id: 5, behaviour: { kind: 'silent' } });
    stepBy(original, 'phase');
    stepBy(original, 'phase');
    const seen = [...original.trace];

    const replay = new Session(phaseScenario, [...original.history]);
    stepBy(replay, 'event');
    stepBy(replay, 'phase');
    stepBy(replay, 'phase'); // the intervention falls inside this one
    stepBy(replay, 'phase');
    expect(replay.trace).toEqual(seen.slice(0, replay.trace.length));
    expect(replay.trace.length).toBe(seen.length);
    expect(replay.sim.behaviourOf(5)).toEqual({ kind: 'silent' });
  });

  it('stops at the happening in which the checker found a safety violation', () => {
    const session = new Session(defaultScenario({ requests: 2, concurrency: 2, malicious: { 0: { kind: 'collude' }, 1: { kind: 'collude' } } }));
    let found = false;
    for (let k = 0; k < 20 && !found; k++) {
      const p = stepBy(session, 'request');
      if (p.events.length === 0) break;
      if (!p.violation) continue;
      found = true;
      // The last happening is the one that broke safety, and the world went no further.
      const lastStart = p.starts[p.starts.length - 1];
      expect(p.events.filter((e) => e.i >= lastStart).some((e) => e.kind === 'violation')).toBe(true);
      expect(p.events.filter((e) => e.i < lastStart).some((e) => e.kind === 'violation')).toBe(false);
      expect(session.position).toBe(p.events.at(-1)!.i + 1);
    }
    expect(found).toBe(true);
  });
});
