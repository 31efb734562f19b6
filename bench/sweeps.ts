import { runSweep, seedExperiment } from '../src/sim/experiment';

const allM = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/**
 * Wall time of the seed's whole sweep in both modes (best of three, after a warm-up of each mode, as the core bench:
 * the first run of a mode mostly measures the JIT compiling it), and of a 1,000-trials-per-point sweep.
 */
export function benchSweeps(quick: boolean): { seedSweepMs: Record<string, number>; bigSweepMs: number; bigTrials: number } {
  const seedSweepMs: Record<string, number> = {};
  for (const mode of ['seed', 'pbft'] as const) {
    runSweep(seedExperiment({ mode, mValues: allM, trials: 2 })); // warm-up
    let best = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 3; run++) {
      const start = performance.now();
      runSweep(seedExperiment({ mode, mValues: allM }));
      best = Math.min(best, performance.now() - start);
    }
    seedSweepMs[mode] = best;
  }
  const bigTrials = quick ? 50 : 1000;
  const start = performance.now();
  runSweep(seedExperiment({ mode: 'pbft', mValues: allM, trials: bigTrials }));
  return { seedSweepMs, bigSweepMs: performance.now() - start, bigTrials };
}
