import { describe, expect, it } from 'vitest';
import { runSweep, runTrial, seedExperiment, type SweepConfig, type TrialResult } from '../sim/experiment';
import type { SweepEvent } from './sweepProtocol';
import { createSweepHost } from './sweepHost';
import { collectResults, planJobs, startSweepPool } from './sweepPool';
import { connectSweepInProcess } from './sweepTransport';

/** A fake clock that moves 20 ms per reading, so the host posts progress every few trials. */
function steppingClock(stepMs = 20) {
  let t = 0;
  return () => (t += stepMs);
}

const withoutScenario = (r: { trials: TrialResult[] }) => r.trials.map(({ scenario: _s, ...rest }) => rest);

describe('sweep pool', () => {
  const small = seedExperiment({ mValues: [0, 3, 5, 7], trials: 5 });

  it('plans every (sweep, m, trial) exactly once, trial-major', () => {
    const sweeps: SweepConfig[] = [{ ...small, mode: 'seed' }, { ...small, mode: 'pbft' }];
    const jobs = planJobs(sweeps);
    expect(jobs).toHaveLength(2 * 4 * 5);
    expect(new Set(jobs.map((j) => `${j.sweep}|${j.m}|${j.trial}`)).size).toBe(jobs.length);
    expect(jobs.slice(0, 3)).toEqual([
      { sweep: 0, m: 0, trial: 0 },
      { sweep: 1, m: 0, trial: 0 },
      { sweep: 0, m: 3, trial: 0 },
    ]);
  });

  for (const workers of [1, 2, 3, 5]) {
    it(`with ${workers} in-process worker(s) gives exactly runSweep's rows and trials, in both modes`, async () => {
      const sweeps: SweepConfig[] = [{ ...small, mode: 'seed' }, { ...small, mode: 'pbft' }];
      const progress: number[] = [];
      const run = startSweepPool(sweeps, {
        connect: connectSweepInProcess({ clock: steppingClock() }),
        workers,
        chunkSize: 3,
        onProgress: (_fresh, done) => progress.push(done),
      });
      expect(run.workers).toBe(workers);
      const end = await run.finished;
      expect(end.status).toBe('done');
      expect(progress.at(-1)).toBe(run.total);
      // Progress only ever grows.
      expect([...progress].sort((a, b) => a - b)).toEqual(progress);
      const results = collectResults(sweeps, end.outcomes);
      for (const [k, config] of sweeps.entries()) {
        const expected = runSweep(config);
        expect(results[k].rows).toEqual(expected.rows);
        expect(results[k].f).toBe(expected.f);
        expect(results[k].trials).toEqual(withoutScenario(expected));
      }
    });
  }

  it('the default chunking matches too (odd trial count, more workers than chunks)', async () => {
    const config = seedExperiment({ n: 7, mValues: [0, 1, 2, 3, 4], trials: 3, behaviour: 'equivocate', selection: 'primary' });
    const end = await startSweepPool([config], { connect: connectSweepInProcess({ clock: steppingClock() }), workers: 4 }).finished;
    expect(collectResults([config], end.outcomes)[0].rows).toEqual(runSweep(config).rows);
  });

  it('Cancel stops early and the partial result says how many trials ran', async () => {
    const config = seedExperiment({ mValues: [0, 3, 5, 7], trials: 40 });
    let sent = 0;
    const connect = connectSweepInProcess({ clock: steppingClock() });
    const counting: typeof connect = (onEvent) => {
      const worker = connect(onEvent);
      return { send: (cmd) => (sent++, worker.send(cmd)), dispose: worker.dispose };
    };
    let cancel = () => {};
    let seenAtCancel = -1;
    const run = startSweepPool([config], {
      connect: counting,
      workers: 2,
      chunkSize: 8,
      onProgress: (_fresh, done) => {
        if (done >= 20 && seenAtCancel < 0) {
          seenAtCancel = done;
          cancel();
        }
      },
    });
    cancel = run.cancel;
    const end = await run.finished;
    expect(end.status).toBe('cancelled');
    // Nothing arrives after Cancel: the result holds exactly what had been reported then.
    expect(end.outcomes).toHaveLength(seenAtCancel);
    expect(seenAtCancel).toBeLessThan(run.total);
    expect(sent).toBeLessThan(run.total / 8);
    await new Promise((r) => setTimeout(r, 20));
    expect(end.outcomes).toHaveLength(seenAtCancel);

    const [partial] = collectResults([config], end.outcomes);
    expect(partial.rows.reduce((s, r) => s + r.trials, 0)).toBe(seenAtCancel);
    // Trial-major order: every m has some trials, none has all 40.
    expect(partial.rows.map((r) => r.m)).toEqual([0, 3, 5, 7]);
    for (const row of partial.rows) {
      expect(row.trials).toBeLessThan(config.trials);
      const ran = partial.trials.filter((t) => t.m === row.m);
      expect(row.trials).toBe(ran.length);
      expect(row.successes).toBe(ran.filter((t) => t.success).length);
    }
    // Each trial that ran is the trial runSweep would have run.
    const full = withoutScenario(runSweep(config));
    for (const t of partial.trials) expect(t).toEqual(full.find((x) => x.m === t.m && x.trial === t.trial));
  });

  it('a trial that throws ends the run with an error naming the trial', async () => {
    const config = seedExperiment({ mValues: [0, 3], trials: 4 });
    const end = await startSweepPool([config], {
      connect: connectSweepInProcess({
        clock: steppingClock(),
        runTrial: (c, m, trial) => {
          if (m === 3 && trial === 1) throw new Error('boom');
          return runTrial(c, m, trial);
        },
      }),
      workers: 2,
      chunkSize: 1,
    }).finished;
    expect(end.status).toBe('error');
    expect(end.status === 'error' && end.message).toBe('PBFT mode, m = 3, trial 2: boom');
  });

  it('a worker that cannot start is reported, not thrown', async () => {
    const end = await startSweepPool([small], {
      connect: () => {
        throw new Error('no module workers here');
      },
      workers: 2,
    }).finished;
    expect(end).toMatchObject({ status: 'error', message: 'The sweep could not start: no module workers here' });
  });
});

describe('sweep host', () => {
  it('posts progress at most every 50 ms of its clock, then the rest with chunk-done', () => {
    const events: SweepEvent[] = [];
    let now = 0;
    const host = createSweepHost((e) => events.push(e), { clock: () => (now += 10) });
    const config = seedExperiment({ mValues: [0], trials: 12 });
    host.handle({ type: 'run', chunk: 7, sweeps: [config], jobs: planJobs([config]) });
    const kinds = events.map((e) => e.type);
    expect(kinds.at(-1)).toBe('chunk-done');
    expect(kinds.filter((k) => k === 'progress').length).toBe(2); // 10 ms per trial: after trials 5 and 10
    const reported = events.flatMap((e) => (e.type === 'error' ? [] : e.outcomes));
    expect(reported.map((o) => o.outcome.trial)).toEqual([...Array(12).keys()]);
    expect(events.every((e) => e.chunk === 7)).toBe(true);
    expect(reported[0].outcome).not.toHaveProperty('scenario');
  });
});
