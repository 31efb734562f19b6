import { defaultScenario } from '../src/sim/scenario';
import { Simulation } from '../src/sim/simulation';

export interface CoreFigure {
  n: number;
  delivered: number;
  seconds: number;
  msgsPerSec: number;
}

/**
 * Delivered messages per wall-clock second for the normal case — no faults, no loss, one client with one request
 * outstanding at a time (as in the paper) — with trace recording off. Best of three runs after a warm-up.
 */
export function benchCore(f: number, targetMessages: number): CoreFigure {
  const n = 3 * f + 1;
  const perRequest = 1 + (n - 1) + (n - 1) * (n - 1) + n * (n - 1) + n;
  const requests = Math.max(10, Math.ceil(targetMessages / perRequest));
  // Warm-up so the JIT has compiled the hot paths before we measure.
  new Simulation(defaultScenario({ f, requests: Math.ceil(requests / 10), concurrency: 1 }), { recordTrace: false }).runToQuiescence();
  let best: CoreFigure | null = null;
  for (let round = 0; round < 3; round++) {
    const sim = new Simulation(defaultScenario({ f, requests, concurrency: 1 }), { recordTrace: false });
    const start = performance.now();
    sim.runToQuiescence();
    const seconds = (performance.now() - start) / 1000;
    const delivered = sim.stats().delivered;
    if (!best || delivered / seconds > best.msgsPerSec) best = { n, delivered, seconds, msgsPerSec: delivered / seconds };
  }
  return best!;
}
