/**
 * Runs one experiment (one sweep, or the same sweep in both protocol modes) across several workers and puts the
 * results back together exactly as `runSweep` would have produced them in one thread.
 */
import { assemble, type SweepConfig, type SweepResult, type TrialOutcome } from '../sim/experiment';
import type { SweepJob, SweepEvent, TaggedOutcome } from './sweepProtocol';
import type { ConnectSweepWorker, SweepWorker } from './sweepTransport';

/** A sweep's result with compact trials (no scenarios). */
export type SweepOutcome = Omit<SweepResult, 'trials'> & { trials: TrialOutcome[] };

export type PoolEnd =
  | { status: 'done' | 'cancelled'; outcomes: TaggedOutcome[] }
  | { status: 'error'; message: string; outcomes: TaggedOutcome[] };

export interface PoolOptions {
  connect: ConnectSweepWorker;
  /** How many workers to start (fewer when there are fewer trials). */
  workers: number;
  /** Trials per chunk; by default about eight chunks per worker, at most 64 trials each. */
  chunkSize?: number;
  /** Called with each batch of finished trials, in arrival order. */
  onProgress?(fresh: TaggedOutcome[], done: number, total: number): void;
}

export interface PoolRun {
  finished: Promise<PoolEnd>;
  /** Stops every worker at once; `finished` resolves with the trials that had been reported. */
  cancel(): void;
  /** Every trial reported so far, in arrival order (grows while the run goes on). */
  readonly outcomes: readonly TaggedOutcome[];
  workers: number;
  total: number;
}

/**
 * Trial-major order: trial 0 of every m (and both modes side by side), then trial 1, ... So a sweep cancelled
 * half-way still covers every m, and the two modes of one (m, trial), which share a seed, finish close together.
 */
export function planJobs(sweeps: readonly SweepConfig[]): SweepJob[] {
  const jobs: SweepJob[] = [];
  const trials = Math.max(0, ...sweeps.map((s) => s.trials));
  for (let trial = 0; trial < trials; trial++) {
    for (let m = 0; m < Math.max(0, ...sweeps.map((s) => s.mValues.length)); m++) {
      sweeps.forEach((s, sweep) => {
        if (trial < s.trials && m < s.mValues.length) jobs.push({ sweep, m: s.mValues[m], trial });
      });
    }
  }
  return jobs;
}

export function startSweepPool(sweeps: readonly SweepConfig[], options: PoolOptions): PoolRun {
  const jobs = planJobs(sweeps);
  const total = jobs.length;
  const count = Math.max(1, Math.min(Math.floor(options.workers) || 1, total));
  const size = options.chunkSize ?? Math.min(64, Math.max(1, Math.ceil(total / (count * 8))));
  const outcomes: TaggedOutcome[] = [];
  const workers: SweepWorker[] = [];
  let next = 0;
  let busy = 0;
  let chunk = 0;
  let settled = false;
  let resolve!: (end: PoolEnd) => void;
  const finished = new Promise<PoolEnd>((r) => (resolve = r));

  const finish = (end: PoolEnd) => {
    if (settled) return;
    settled = true;
    for (const w of workers) w.dispose();
    resolve(end);
  };

  const feed = (worker: SweepWorker) => {
    if (next >= total) return;
    const slice = jobs.slice(next, next + size);
    next += slice.length;
    busy++;
    worker.send({ type: 'run', chunk: chunk++, sweeps: [...sweeps], jobs: slice });
  };

  const onEvent = (worker: SweepWorker, event: SweepEvent) => {
    if (settled) return;
    if (event.type === 'error') {
      finish({ status: 'error', message: event.message, outcomes });
      return;
    }
    outcomes.push(...event.outcomes);
    if (event.outcomes.length > 0) options.onProgress?.(event.outcomes, outcomes.length, total);
    if (settled || event.type !== 'chunk-done') return; // onProgress may have cancelled
    busy--;
    feed(worker);
    if (busy === 0 && next >= total) finish({ status: 'done', outcomes });
  };

  try {
    for (let k = 0; k < count; k++) {
      const worker: SweepWorker = options.connect((event) => onEvent(worker, event));
      workers.push(worker);
    }
    for (const w of workers) feed(w);
    if (total === 0) finish({ status: 'done', outcomes });
  } catch (err) {
    // E.g. a browser that cannot start module workers.
    finish({ status: 'error', message: `The sweep could not start: ${err instanceof Error ? err.message : String(err)}`, outcomes });
  }

  return { finished, cancel: () => finish({ status: 'cancelled', outcomes }), outcomes, workers: count, total };
}

/**
 * Per sweep, its trials in runSweep's order (m as listed, then trial) and the rows `assemble` computes from them.
 * With every trial present this equals `runSweep(config)` (without the scenarios); with some missing (a cancelled
 * run) each row's `trials` says how many of that m actually ran.
 */
export function collectResults(sweeps: readonly SweepConfig[], outcomes: readonly TaggedOutcome[]): SweepOutcome[] {
  return sweeps.map((config, sweep) => {
    const position = new Map(config.mValues.map((m, i) => [m, i]));
    const mine = outcomes
      .filter((o) => o.sweep === sweep)
      .map((o) => o.outcome)
      .sort((a, b) => position.get(a.m)! - position.get(b.m)! || a.trial - b.trial);
    return assemble(config, mine);
  });
}
