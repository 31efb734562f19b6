import { search } from '../src/sim/attack/search';
import { defaultScenario } from '../src/sim/scenario';

export interface SearchFigure {
  n: number;
  schedules: number;
  seconds: number;
  schedulesPerSec: number;
  /**
   * The same per second of this process's CPU time: on a shared machine (the 2-core VM runs other jobs) wall-clock
   * figures fall with the load, CPU time much less.
   */
  schedulesPerCpuSec: number;
}

/**
 * Schedules the attack search tries per wall-clock second on one core: n replicas, no liars, one request, goal
 * agreement (so nothing is found and every schedule runs to its end: the hand-driven run, then the calm network).
 * Best of three after a warm-up.
 */
export function benchSearch(n: number, schedules: number): SearchFigure {
  const scenario = defaultScenario({ n, f: Math.floor((n - 1) / 3), requests: 1 });
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const run = (count: number, seed: number) => {
    const start = performance.now();
    const cpuStart = cpuMs();
    const r = search({ scenario, goal: 'agreement', budget: { schedules: count }, seed, shrink: false });
    if (r.found) throw new Error(`the search broke agreement at n = ${n} with no liars: ${r.violation?.message}`);
    return { seconds: (performance.now() - start) / 1000, cpuSeconds: (cpuMs() - cpuStart) / 1000 };
  };
  run(Math.ceil(schedules / 5), 99);
  let best: SearchFigure | null = null;
  for (let round = 0; round < 3; round++) {
    const { seconds, cpuSeconds } = run(schedules, round + 1);
    if (!best || schedules / seconds > best.schedulesPerSec) best = { n, schedules, seconds, schedulesPerSec: schedules / seconds, schedulesPerCpuSec: 0 };
    best.schedulesPerCpuSec = Math.max(best.schedulesPerCpuSec, schedules / cpuSeconds);
  }
  return best!;
}
