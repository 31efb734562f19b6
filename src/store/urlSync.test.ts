import { describe, expect, it } from 'vitest';
import { Session } from '../sim/session';
import { decodeShare } from '../sim/share';
import { manualTime } from '../worker/manualTime';
import { WORKER_SESSION_OPTIONS } from '../worker/simHost';
import { connectInProcess } from '../worker/transport';
import { createLabStore } from './labStore';
import { LESSONS } from './lessons';
import { readEmbed, readShare, syncUrl, type UrlTarget } from './urlSync';

function fakeUrl(initial = '') {
  let query = initial;
  const writes: string[] = [];
  const target: UrlTarget = {
    search: () => query,
    replace: (q) => {
      query = q;
      writes.push(q);
    },
  };
  return { target, writes, query: () => query };
}

function storeFrom(search: string) {
  const time = manualTime();
  const start = readShare(search);
  const store = createLabStore({
    connect: connectInProcess({ createSession: (s, i) => new Session(s, i, WORKER_SESSION_OPTIONS), clock: time.clock, setTimer: time.setTimer }),
    requestFrame: () => {},
    clock: time.clock,
    scenario: start.scenario,
    speed: start.speed,
    preset: start.preset,
    notices: start.notices,
  });
  return { store, start };
}

describe('readShare (decode on load)', () => {
  it('opens a lesson from its id alone', () => {
    const start = readShare('?preset=silent-primary');
    expect(start.preset).toBe('silent-primary');
    expect(start.scenario.malicious).toEqual({ 0: { kind: 'silent' } });
    expect(start.notices).toEqual([]);
  });

  it('lets explicit parameters override the lesson', () => {
    const start = readShare('?preset=silent-primary&f=2&mal=0:silent,4:equivocate');
    expect(start.scenario.f).toBe(2);
    expect(start.scenario.malicious).toEqual({ 0: { kind: 'silent' }, 4: { kind: 'equivocate' } });
  });

  it('falls back to defaults with one notice per bad value', () => {
    const start = readShare('?f=banana&drop=250&mal=9:silent&speed=-3&preset=nope');
    expect(start.scenario.f).toBe(1);
    expect(start.scenario.dropRate).toBe(0);
    expect(start.scenario.malicious).toEqual({});
    expect(start.notices).toHaveLength(5);
    expect(start.notices.join(' ')).toMatch(/f must be a number/);
    expect(start.notices.join(' ')).toMatch(/no lesson “nope”/);
  });

  it('every lesson round-trips through its own URL', () => {
    for (const lesson of LESSONS) {
      const start = readShare(`?preset=${lesson.id}`);
      expect(start.scenario).toEqual(lesson.scenario);
      expect(start.speed).toBe(lesson.speed);
    }
  });
});

describe('syncUrl (encode on change)', () => {
  it('writes the scenario, speed and lesson whenever they change', () => {
    const { store } = storeFrom('?f=2&seed=9&mal=3:omit=0.3');
    const url = fakeUrl('?f=2&seed=9&mal=3:omit=0.3');
    const stop = syncUrl(store, url.target);
    const decoded = () => decodeShare(url.query());
    expect(decoded().scenario).toMatchObject({ f: 2, seed: 9, malicious: { 3: { kind: 'omit', omitProbability: 0.3 } } });

    const { actions } = store.getState();
    actions.toggleMalicious(5);
    expect(decoded().scenario.malicious[5]).toEqual({ kind: 'silent' });
    actions.setNetwork({ dropRate: 0.25 });
    expect(decoded().scenario.dropRate).toBe(0.25);
    actions.setSpeed(300);
    expect(decoded().speed).toBe(300);
    actions.loadLesson('equivocating-primary');
    expect(decoded()).toMatchObject({ preset: 'equivocating-primary', scenario: { f: 1, malicious: { 0: { kind: 'equivocate' } } } });
    const writes = url.writes.length;
    actions.selectMessage(3);
    expect(url.writes).toHaveLength(writes);
    stop();
    actions.setSeed(12);
    expect(url.writes).toHaveLength(writes);
  });

  it('a link reopens the same scenario', () => {
    const first = storeFrom('');
    const url = fakeUrl();
    syncUrl(first.store, url.target);
    first.store.getState().actions.setF(2);
    first.store.getState().actions.toggleMalicious(1);
    first.store.getState().actions.toggleMalicious(6);
    const second = storeFrom(url.query());
    expect(second.store.getState().scenario).toEqual(first.store.getState().scenario);
    expect(second.start.notices).toEqual([]);
  });

  it('keeps the notices of a broken link in the store for the page to show', () => {
    const { store } = storeFrom('?max=lots');
    expect(store.getState().notices).toEqual(['Ignored max: max delay must be a number, got “lots”; using 40.']);
    store.getState().actions.dismissNotice(0);
    expect(store.getState().notices).toEqual([]);
  });
});

describe('the page’s own parameters', () => {
  it('embed=1 embeds the page and is no scenario parameter (no notice)', () => {
    expect(readEmbed('?embed=1&f=2')).toBe(true);
    expect(readEmbed('?f=2')).toBe(false);
    expect(readEmbed('?embed=0')).toBe(false);
    expect(readShare('?embed=1&f=2')).toMatchObject({ notices: [], scenario: { f: 2 } });
  });
});
