import { search } from '../src/sim/attack/search';
import { defaultScenario } from '../src/sim/scenario';

export interface SearchFigure {
  n: number;
  schedules: number;
  seconds: number;
  schedulesPerSec: number;
}

/**
 * Schedules the attack search tries per wall-clock second on one core: n replicas, no liars, one request, goal
 * agreement (so nothing is found and every schedule runs to its end: the hand-driven run, then the calm network).
 * Best of three after a warm-up.
 */
export function benchSearch(n: number, schedules: number): SearchFigure {
  const scenario = defaultScenario({ n, f: Math.floor((n - 1) / 3), requests: 1 });
  const run = (count: number, seed: number) => {
    const start = performance.now();
    const r = search({ scenario, goal: 'agreement', budget: { schedules: count }, seed, shrink: false });
    if (r.found) throw new Error(`the search broke agreement at n = ${n} with no liars: ${r.violation?.message}`);
    return (performance.now() - start) / 1000;
  };
  run(Math.ceil(schedules / 5), 99);
  let best: SearchFigure | null = null;
  for (let round = 0; round < 3; round++) {
    const seconds = run(schedules, round + 1);
    if (!best || schedules / seconds > best.schedulesPerSec) best = { n, schedules, seconds, schedulesPerSec: schedules / seconds };
  }
  return best!;
}
