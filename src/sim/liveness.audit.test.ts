/**
 * Issue 11's liveness holes, each the audit's own command, run as the CLI runs it (its parser, then the simulation up to
 * its time limit). Each failed before the fix: the run never finished (or counted one PREPARE per slot short).
 */
import { describe, expect, it } from 'vitest';
import { parseRunArgs } from '../cli/args';
import { Simulation } from './simulation';
import type { TraceEvent } from './types';

function cli(argv: string[], recordTrace = false): Simulation {
  const options = parseRunArgs(argv);
  if (options.command !== 'run') throw new Error('not a run');
  const sim = new Simulation(options.scenario, { recordTrace });
  sim.runToQuiescence(options.limitMs);
  return sim;
}

const words = (command: string) => command.trim().split(/\s+/);

/** Every request the client issued was accepted, and no honest replica broke agreement. */
function expectFinished(sim: Simulation, requests: number): void {
  const stats = sim.stats();
  expect(stats.committed, stats.waitingBecause ?? '').toBe(requests);
  expect(stats.outstanding).toBe(0);
  expect(stats.violations).toEqual([]);
}

const retransmissions = (trace: readonly TraceEvent[]) => trace.filter((e) => e.kind === 'send' && e.retransmit !== undefined).length;

describe('audit: the view-change timer doubles across failed views (§4.5.2), also across NEW-VIEWs', () => {
  it('--f 2 --seed 1 --requests 1 --view-change-timeout 6 finishes (T far below the normal-case latency, no faults)', () => {
    const sim = cli(words('--f 2 --seed 1 --requests 1 --view-change-timeout 6'));
    expectFinished(sim, 1);
    // Not by luck: it took several view changes, each waiting twice as long, until one was long enough.
    expect(sim.stats().view).toBeGreaterThan(2);
    expect(sim.stats().view).toBeLessThan(20);
  });

  it('--f 1 --seed 2 --min-delay 38 --max-delay 40 --view-change-timeout 30 finishes', () => {
    expectFinished(cli(words('--f 1 --seed 2 --min-delay 38 --max-delay 40 --view-change-timeout 30')), 1);
  });

  it('the timer comes back to T once a request executes', () => {
    const sim = cli(words('--f 1 --seed 2 --min-delay 38 --max-delay 40 --view-change-timeout 30 --requests 3'), true);
    expectFinished(sim, 3);
    // After the first execution, the next request's timer at a backup is T again (not the doubled wait).
    const firstExecuted = sim.trace.find((e) => e.kind === 'phase' && e.phase === 'executed')!;
    const later = sim.trace.filter((e) => e.kind === 'timer' && e.action === 'start' && e.i > firstExecuted.i);
    expect(later.some((e) => e.kind === 'timer' && Math.abs(e.deadline - e.t - 30) < 1e-9)).toBe(true);
  });
});

describe('audit: a checkpoint interval above the watermark window', () => {
  it('--requests 17 --checkpoint-interval 17 finishes (L follows K: L = 34)', () => {
    const sim = cli(words('--requests 17 --checkpoint-interval 17'));
    expectFinished(sim, 17);
    expect(sim.scenario.watermarkWindow).toBe(34);
  });
});

describe('audit: replicas retransmit, with back-off, so loss alone never stalls a run (m ≤ f)', () => {
  it('--n 5 --seed 698786 --requests 2 --concurrency 5 --min-delay 7 --max-delay 28 --drop 0.18 --reorder 0.29 --malicious 1:silent --view-change-timeout 435 --client-timeout 1196 finishes 2/2', () => {
    const sim = cli(words('--n 5 --seed 698786 --requests 2 --concurrency 5 --min-delay 7 --max-delay 28 --drop 0.18 --reorder 0.29 --malicious 1:silent --view-change-timeout 435 --client-timeout 1196'), true);
    expectFinished(sim, 2);
    expect(retransmissions(sim.trace)).toBeGreaterThan(0);
  });

  it('a fault-free, loss-free run retransmits nothing (n = 4: PRE-PREPARE 3, PREPARE 9, COMMIT 12, REPLY 4 per request)', () => {
    for (const f of [1, 2, 3]) {
      const sim = cli(words(`--f ${f} --requests 20 --concurrency 4 --reorder 0.3`), true);
      expectFinished(sim, 20);
      expect(retransmissions(sim.trace), `f = ${f}`).toBe(0);
    }
    const one = cli(words('--f 1 --requests 1'), true);
    expect(one.stats().sent).toMatchObject({ PRE_PREPARE: 3, PREPARE: 9, COMMIT: 12, REPLY: 4, VIEW_CHANGE: 0, NEW_VIEW: 0 });
  });
});

describe('audit: messages just above H are held, not dropped', () => {
  // L = 2 with K = 1 keeps L ≥ 2K, so the audit's own command stands as it was.
  it("--scenario '{\"watermarkWindow\":2}' --f 3 --seed 2 --requests 3 --concurrency 3 --reorder 0.2 --checkpoint-interval 1 counts PREPARE 243", () => {
    const sim = cli(['--scenario', '{"watermarkWindow":2}', ...words('--f 3 --seed 2 --requests 3 --concurrency 3 --reorder 0.2 --checkpoint-interval 1')], true);
    expectFinished(sim, 3);
    // n = 10: every backup's PREPARE to every other replica, for each of the 3 requests: 9 × 9 × 3.
    expect(sim.stats().sent.PREPARE).toBe(243);
    expect(sim.stats().sent.REPLY).toBe(30);
    expect(retransmissions(sim.trace)).toBe(0);
  });
});
