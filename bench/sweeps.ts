import { runSweep, seedExperiment } from '../src/sim/experiment';

const allM = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/** Wall time of the seed's whole sweep in both modes, and of a 1,000-trials-per-point sweep. */
export function benchSweeps(quick: boolean): { seedSweepMs: Record<string, number>; bigSweepMs: number; bigTrials: number } {
  runSweep(seedExperiment({ mValues: allM, trials: 2 })); // warm-up
  const seedSweepMs: Record<string, number> = {};
  for (const mode of ['seed', 'pbft'] as const) {
    const start = performance.now();
    runSweep(seedExperiment({ mode, mValues: allM }));
    seedSweepMs[mode] = performance.now() - start;
  }
  const bigTrials = quick ? 50 : 1000;
  const start = performance.now();
  runSweep(seedExperiment({ mode: 'pbft', mValues: allM, trials: bigTrials }));
  return { seedSweepMs, bigSweepMs: performance.now() - start, bigTrials };
}
