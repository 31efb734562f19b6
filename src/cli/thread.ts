/**
 * One worker thread of the CLI (started by parallel.ts): it runs its slice of a search or its trials of a sweep and posts
 * the result back. Thin wiring only; the work is the core's.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { search } from '../sim/attack/search';
import { runTrial } from '../sim/experiment';
import { jsonOf, type ThreadJob } from './parallel';

const job = workerData as ThreadJob;
if (job.kind === 'search') {
  const best = new Int32Array(job.best);
  // The lowest number found is published at once (before shrinking), so threads past it stop.
  const publish = (k: number) => {
    for (let seen = Atomics.load(best, 0); k < seen; seen = Atomics.load(best, 0)) {
      if (Atomics.compareExchange(best, 0, seen, k) === seen) break;
    }
  };
  const r = search({ ...job.options, clock: () => performance.now(), stopBeyond: () => Atomics.load(best, 0), onFound: publish });
  parentPort!.postMessage(jsonOf(r, job.options));
} else {
  parentPort!.postMessage(job.trials.map(([m, t]) => runTrial(job.config, m, t)));
}
