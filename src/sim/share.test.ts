import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultScenario, replicaCount } from './scenario';
import { Session } from './session';
import { PARAMS } from './params';
import { decodeShare, encodeShare, exportRun, importRun, ImportError, validateScenario } from './share';
import { BEHAVIOURS, type Behaviour, type Scenario } from './types';

const shareable = fc
  .record({
    f: fc.integer({ min: PARAMS.f.min, max: PARAMS.f.max }),
    seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    minDelayMs: fc.integer({ min: 0, max: 200 }),
    spread: fc.integer({ min: 0, max: 300 }),
    dropPct: fc.integer({ min: 0, max: 100 }),
    reorderPct: fc.integer({ min: 0, max: 100 }),
    requests: fc.integer({ min: 0, max: 100 }),
    concurrency: fc.integer({ min: 1, max: 16 }),
    checkpointInterval: fc.integer({ min: 1, max: 100 }),
    viewChangeTimeoutMs: fc.integer({ min: 10, max: 10_000 }),
    mode: fc.constantFrom('pbft' as const, 'seed' as const),
    liars: fc.array(fc.record({ at: fc.nat(), kind: fc.constantFrom(...BEHAVIOURS), p: fc.integer({ min: 0, max: 100 }), ms: fc.integer({ min: 0, max: 500 }) }), { maxLength: 6 }),
    speed: fc.integer({ min: PARAMS.speed.min, max: PARAMS.speed.max }),
    preset: fc.option(fc.constantFrom('normal-case', 'silent-primary', 'lossy-network')),
  })
  .map((g) => {
    const n = 3 * g.f + 1;
    const malicious: Record<number, Behaviour> = {};
    for (const l of g.liars) {
      const b: Behaviour = { kind: l.kind };
      if (l.kind === 'omit') b.omitProbability = l.p / 100;
      if (l.kind === 'slow') b.extraDelayMs = l.ms;
      malicious[l.at % n] = b;
    }
    const scenario: Scenario = defaultScenario({
      f: g.f,
      seed: g.seed,
      minDelayMs: g.minDelayMs,
      maxDelayMs: g.minDelayMs + g.spread,
      dropRate: g.dropPct / 100,
      reorderRate: g.reorderPct / 100,
      requests: g.requests,
      concurrency: g.concurrency,
      checkpointInterval: g.checkpointInterval,
      viewChangeTimeoutMs: g.viewChangeTimeoutMs,
      mode: g.mode,
      malicious,
    });
    return { scenario, speed: g.speed, preset: g.preset };
  });

describe('shareable URLs', () => {
  it('round-trip every scenario field, the speed and the preset', () => {
    fc.assert(
      fc.property(shareable, (view) => {
        const back = decodeShare(encodeShare(view));
        expect(back.notices).toEqual([]);
        expect(back.speed).toBe(view.speed);
        expect(back.preset).toBe(view.preset);
        const expected = { ...view.scenario, mode: view.scenario.mode === 'seed' ? 'seed' : back.scenario.mode };
        expect(back.scenario).toEqual(expected);
      }),
    );
  });

  it('replaces a bad value by its default and says so', () => {
    const back = decodeShare('f=abc&drop=250&min=90&max=10&mal=0:silent,99:omit,1:lie&speed=-3&mode=raft');
    expect(back.scenario.f).toBe(1);
    expect(back.scenario.dropRate).toBe(0);
    expect([back.scenario.minDelayMs, back.scenario.maxDelayMs]).toEqual([5, 40]);
    expect(back.scenario.malicious).toEqual({ 0: { kind: 'silent' } });
    expect(back.speed).toBe(PARAMS.speed.default);
    expect(back.notices.join('\n')).toMatch(/f must be a number, got “abc”/);
    expect(back.notices.join('\n')).toMatch(/drop rate \(%\) must be between 0 and 100/);
    expect(back.notices.join('\n')).toMatch(/replica 99 does not exist/);
    expect(back.notices.join('\n')).toMatch(/unknown behaviour “lie”/);
    expect(back.notices.join('\n')).toMatch(/min \(90\) exceeds max \(10\)/);
    expect(back.notices.join('\n')).toMatch(/speed/);
    expect(back.notices.join('\n')).toMatch(/mode/);
  });

  it('never throws and always yields a runnable scenario, whatever the query (fuzz)', () => {
    const key = fc.constantFrom('f', 'seed', 'min', 'max', 'drop', 'reorder', 'mal', 'twins', 'speed', 'preset', 'req', 'conc', 'k', 'vct', 'mode', 'x');
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.oneof(fc.string(), fc.double().map(String), fc.integer().map(String)))), (pairs) => {
        const query = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
        const back = decodeShare(query);
        const s = back.scenario;
        expect(s.f).toBeGreaterThanOrEqual(PARAMS.f.min);
        expect(s.f).toBeLessThanOrEqual(PARAMS.f.max);
        expect(s.minDelayMs).toBeLessThanOrEqual(s.maxDelayMs);
        expect(s.dropRate).toBeGreaterThanOrEqual(0);
        expect(s.dropRate).toBeLessThanOrEqual(1);
        for (const id of Object.keys(s.malicious)) expect(Number(id)).toBeLessThan(replicaCount(s));
        expect(back.speed).toBeGreaterThanOrEqual(PARAMS.speed.min);
        expect(() => validateScenario(s)).not.toThrow();
        // Twins from the URL can run: the world accepts them (a twin is no liar, its side no twin).
        if (s.twins) expect(() => new Session(s)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});

describe('run files', () => {
  function sampleRun() {
    const session = new Session(defaultScenario({ requests: 2, seed: 3 }));
    session.runUntil(40);
    session.intervene({ kind: 'setBehaviour', id: 2, behaviour: { kind: 'omit', omitProbability: 0.4 } });
    session.runUntil(3_000);
    return session;
  }

  it('export then import gives back the scenario, the interventions and the trace', () => {
    const session = sampleRun();
    const file = importRun(exportRun(session.scenario, session.history, session.trace));
    expect(file.scenario).toEqual(session.scenario);
    expect(file.interventions).toEqual(session.history);
    expect(file.trace).toEqual(session.trace);
    // And the imported run replays to the same trace: it really is that run.
    const replay = new Session(file.scenario, file.interventions);
    replay.runUntil(3_000);
    expect(replay.trace).toEqual(file.trace);
  });

  it('rejects what is not a trace with a clear error', () => {
    const reject = (text: string) => {
      try {
        importRun(text);
      } catch (e) {
        expect(e).toBeInstanceOf(ImportError);
        return (e as Error).message;
      }
      throw new Error('accepted ' + text.slice(0, 40));
    };
    expect(reject('')).toMatch(/empty/);
    expect(reject('hello')).toMatch(/not JSON/);
    expect(reject('{"a": 1}')).toMatch(/not a PBFT Lab run/);
    expect(reject('[1,2,3]')).toMatch(/not a PBFT Lab run/);
    const good = exportRun(sampleRun().scenario, [], []);
    expect(reject(good.slice(0, good.length / 2))).toMatch(/not JSON/);
    expect(reject(good.replace('"version":1', '"version":7'))).toMatch(/newer PBFT Lab/);
    expect(reject(good.replace('"f":1', '"f":-4'))).toMatch(/scenario's f is invalid/);
    expect(reject(good.replace('"malicious":{}', '"malicious":{"12":{"kind":"silent"}}'))).toMatch(/replica 12/);
    expect(reject(JSON.stringify({ format: 'pbft-lab-run', version: 1, scenario: {}, interventions: [], trace: [{ kind: 'send' }] }))).toMatch(/Trace event 0/);
  });

  it('never throws anything but an ImportError (fuzz)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ format: 'pbft-lab-run', version: 1, scenario: v, interventions: [], trace: [] }))), (text) => {
        try {
          importRun(text);
        } catch (e) {
          expect(e).toBeInstanceOf(ImportError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('twins travel with the scenario: in a link and in a run file, and the run replays exactly', () => {
  /** Twins of the primary and replica 1 at f = 1, their second instances talking to replica 2; two requests in flight. */
  const twinned = (): Scenario => defaultScenario({ f: 1, requests: 2, concurrency: 2, twins: { replicas: [0, 1], side: [2] } });

  /** Played by hand: the client's requests delivered everywhere they went, then a twin's second instance's timer fired. */
  function handRun() {
    const session = new Session({ ...twinned(), byHand: true });
    session.runUntil(0);
    for (const p of session.sim.pending()) if (p.kind === 'message') session.intervene({ kind: 'deliver', msg: p.id });
    const timer = session.sim.pending().find((p) => p.kind === 'timer' && p.replica === 4);
    expect(timer, "the primary's twin (process n + 0 = 4) has a timer waiting").toBeDefined();
    if (timer?.kind === 'timer') session.intervene({ kind: 'fireTimer', replica: timer.replica, timer: timer.timer });
    session.intervene({ kind: 'setByHand', on: false });
    session.runUntil(3_000);
    return session;
  }

  it('a link keeps the twins and their side (written 0,1/2); without a side, the side is empty', () => {
    const query = encodeShare({ scenario: twinned(), speed: 20, preset: null });
    expect(new URLSearchParams(query).get('twins')).toBe('0,1/2');
    const back = decodeShare(query);
    expect(back.notices).toEqual([]);
    expect(back.scenario).toEqual(twinned());
    expect(decodeShare('f=1&twins=3').scenario.twins).toEqual({ replicas: [3], side: [] });
  });

  it('a link with twins that cannot run drops what breaks the rule and says why', () => {
    const liar = decodeShare('f=1&mal=0:silent&twins=0,1/2');
    expect(liar.scenario.twins).toEqual({ replicas: [1], side: [2] });
    expect(liar.notices.join(' ')).toMatch(/replica 0 is malicious, and a twin runs honest code/);
    expect(decodeShare('f=1&twins=9').notices.join(' ')).toMatch(/replica 9 does not exist with n = 4/);
    expect(decodeShare('f=1&twins=0/0,3').scenario.twins).toEqual({ replicas: [0], side: [3] });
    expect(decodeShare('f=1&twins=x').scenario.twins).toBeUndefined();
  });

  it('a run file keeps them, with a fired timer of a twin’s second instance, and replays to the same trace', () => {
    const session = handRun();
    const file = importRun(exportRun(session.scenario, session.history, session.trace));
    expect(file.scenario.twins).toEqual({ replicas: [0, 1], side: [2] });
    expect(file.interventions).toEqual(session.history);
    const replay = new Session(file.scenario, file.interventions);
    replay.runUntil(3_000);
    expect(replay.trace).toEqual(session.trace);
  });

  it('a run file whose twins cannot run is refused with a reason', () => {
    const good = JSON.parse(exportRun(twinned(), [], [])) as { scenario: Record<string, unknown> };
    const withTwins = (twins: unknown, malicious: unknown = {}) => JSON.stringify({ ...good, scenario: { ...good.scenario, twins, malicious } });
    expect(() => importRun(withTwins({ replicas: [0], side: [] }, { 0: { kind: 'silent' } }))).toThrow(/twins cannot run: replica 0 is malicious/);
    expect(() => importRun(withTwins({ replicas: [7], side: [] }))).toThrow(/replica 7 does not exist/);
    expect(() => importRun(withTwins({ replicas: [0], side: [0] }))).toThrow(/cannot be on the twins' side/);
    expect(() => importRun(withTwins([0]))).toThrow(/not \{ replicas: \[ids\], side: \[ids\] \}/);
    // A timer of a process that does not exist (no third twin) is no intervention of this run.
    const stray = JSON.stringify({ ...good, interventions: [{ afterEvent: 0, at: 0, intervention: { kind: 'fireTimer', replica: 6, timer: 'main' } }] });
    expect(() => importRun(stray)).toThrow(/6 is no node of n = 4 nor a twin's second instance/);
  });
});
