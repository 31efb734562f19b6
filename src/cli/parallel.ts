/**
 * Campaigns across cores and machines. The work of a sweep (its trials) and of a search (its schedules) is numbered, and
 * every piece depends on its number alone, so any split gives the same answer: a shard "i/k" takes every k-th piece
 * from the i-th on, the threads of one process split their shard the same way again, and `merge` puts shard outputs
 * together into exactly the JSON one unsharded run prints.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { search, type SearchOptions, type SearchResult, type Slice } from '../sim/attack/search';
import { assemble, runTrial, validateSweep, type SweepConfig, type SweepResult, type TrialResult } from '../sim/experiment';
import type { NodeId } from '../sim/types';
import type { Shard } from './args';

/** The slice of numbered work that thread `worker` of `workers` runs within shard `shard`. */
export function sliceOf(shard: Shard | null, worker = 0, workers = 1): Slice {
  const { index, count } = shard ?? { index: 0, count: 1 };
  return { offset: index + worker * count, stride: count * workers };
}

export function threadCount(requested: number | null): number {
  return requested ?? availableParallelism();
}

// ───────────────────────────── threads ─────────────────────────────

/** What a thread is asked to do (structured-clone safe). */
export type ThreadJob =
  | { kind: 'search'; options: Omit<SearchOptions, 'onProgress' | 'clock' | 'stopBeyond'>; best: SharedArrayBuffer }
  | { kind: 'sweep'; config: SweepConfig; trials: Array<[m: number, trial: number]> };

/**
 * Starts a worker thread on src/cli/thread.ts. The CLI runs under tsx, whose loader a worker does not inherit: the
 * thread registers it first, then imports its entry.
 */
function startThread(job: ThreadJob): Promise<unknown> {
  const entry = new URL('./thread.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(boot, { eval: true, workerData: job });
    worker.once('message', (result: unknown) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

// ───────────────────────────── search ─────────────────────────────

/**
 * Twins as a search's JSON reports them: the replicas, and the side their second instances talked to — the found
 * schedule's (drawn for it, or fixed by the scenario), or null when nothing was found and each schedule drew its own.
 */
export interface SearchTwins {
  replicas: NodeId[];
  side: NodeId[] | null;
}

/** A search's answer as the CLI prints it; `twins` only when the search ran twins, `shard` only in a shard's output. */
export interface SearchJson {
  found: boolean;
  schedulesTried: number;
  schedulesPerSec: number;
  schedule: SearchResult['schedule'];
  violation: SearchResult['violation'];
  scheduleIndex: number | null;
  twins?: SearchTwins;
  shard?: string;
}

/**
 * Searchers over disjoint slices, as one: the attack found at the lowest schedule number wins (one searcher alone would
 * have stopped there), and so many schedules were tried; with none found, every schedule each tried. Rates add up
 * (they ran side by side).
 */
export function combineSearches(parts: ReadonlyArray<Omit<SearchJson, 'shard'>>): Omit<SearchJson, 'shard'> {
  const rate = parts.reduce((sum, p) => sum + p.schedulesPerSec, 0);
  const found = parts.filter((p) => p.found).sort((a, b) => a.scheduleIndex! - b.scheduleIndex!)[0];
  if (found) {
    const twins = found.twins ? { twins: found.twins } : {};
    return { found: true, schedulesTried: found.scheduleIndex! + 1, schedulesPerSec: rate, schedule: found.schedule, violation: found.violation, scheduleIndex: found.scheduleIndex, ...twins };
  }
  const twins = parts[0]?.twins ? { twins: parts[0].twins } : {};
  return { found: false, schedulesTried: parts.reduce((sum, p) => sum + p.schedulesTried, 0), schedulesPerSec: rate, schedule: null, violation: null, scheduleIndex: null, ...twins };
}

/** A searcher's result as JSON: the twins the found schedule replays with (search's `scenario`), or those searched. */
export function jsonOf(r: SearchResult, options: Pick<SearchOptions, 'twins' | 'scenario'>): Omit<SearchJson, 'shard'> {
  const played = r.found ? r.scenario.twins : options.scenario.twins;
  const twins: SearchTwins | undefined = played ? { replicas: played.replicas, side: played.side } : options.twins ? { replicas: [...options.twins], side: null } : undefined;
  return { found: r.found, schedulesTried: r.schedulesTried, schedulesPerSec: r.schedulesPerSec, schedule: r.schedule, violation: r.violation, scheduleIndex: r.scheduleIndex, ...(twins ? { twins } : {}) };
}

/** One search (or one shard of it) on `workers` threads; one thread runs in this one. */
export async function searchInParallel(options: Omit<SearchOptions, 'slice' | 'stopBeyond'>, shard: Shard | null, workers: number): Promise<SearchJson> {
  const tag = shard ? { shard: `${shard.index}/${shard.count}` } : {};
  if (workers <= 1) return { ...jsonOf(search({ ...options, slice: sliceOf(shard) }), options), ...tag };
  // The lowest schedule number found so far, shared: a thread past it stops (nothing it finds there could win).
  const best = new SharedArrayBuffer(4);
  new Int32Array(best)[0] = 0x7fffffff;
  const { onProgress: _onProgress, clock: _clock, ...plain } = options;
  const parts = await Promise.all(
    Array.from({ length: workers }, (_, w) => startThread({ kind: 'search', options: { ...plain, slice: sliceOf(shard, w, workers) }, best }) as Promise<Omit<SearchJson, 'shard'>>),
  );
  return { ...combineSearches(parts), ...tag };
}

// ───────────────────────────── sweep ─────────────────────────────

/** A sweep's trials in their order, numbered: (m, trial) for every m of the config, trials 0 … trials − 1 each. */
export function sweepTrials(config: SweepConfig): Array<[m: number, trial: number]> {
  return config.mValues.flatMap((m) => Array.from({ length: config.trials }, (_, t) => [m, t] as [number, number]));
}

/** A sweep's JSON as the CLI prints it (one per protocol); `shard` only in a shard's output. */
export interface SweepJson {
  mode: SweepConfig['mode'];
  config: SweepConfig;
  f: number;
  rows: SweepResult['rows'];
  trials: TrialResult[];
  shard?: string;
}

function sweepJsonOf(config: SweepConfig, trials: TrialResult[], shard: Shard | null): SweepJson {
  // In the sweep's own order, however they were split: the rows are summed in that order.
  const order = new Map(sweepTrials(config).map(([m, t], j) => [`${m}|${t}`, j]));
  const sorted = [...trials].sort((a, b) => order.get(`${a.m}|${a.trial}`)! - order.get(`${b.m}|${b.trial}`)!);
  const r = assemble(config, sorted);
  return { mode: config.mode, config, f: r.f, rows: r.rows, trials: r.trials, ...(shard ? { shard: `${shard.index}/${shard.count}` } : {}) };
}

/** One sweep (or one shard of it) on `workers` threads. */
export async function sweepInParallel(config: SweepConfig, shard: Shard | null, workers: number): Promise<SweepJson> {
  validateSweep(config);
  const all = sweepTrials(config);
  const mine = (slice: Slice) => all.filter((_, j) => j >= slice.offset && (j - slice.offset) % slice.stride === 0);
  let trials: TrialResult[];
  if (workers <= 1) trials = mine(sliceOf(shard)).map(([m, t]) => runTrial(config, m, t));
  else {
    const parts = await Promise.all(Array.from({ length: workers }, (_, w) => startThread({ kind: 'sweep', config, trials: mine(sliceOf(shard, w, workers)) }) as Promise<TrialResult[]>));
    trials = parts.flat();
  }
  return sweepJsonOf(config, trials, shard);
}

// ───────────────────────────── merge ─────────────────────────────

export class MergeError extends Error {}

/**
 * Shard outputs (each a search's or a sweep's JSON — a sweep of both protocols is a list of two) → the JSON of one
 * unsharded run. Shards must be of one campaign: same kind, and for sweeps the same configs.
 */
export function merge(shards: readonly unknown[]): unknown {
  if (shards.length === 0) throw new MergeError('nothing to merge');
  const isSearch = (x: unknown) => typeof x === 'object' && x !== null && 'schedulesTried' in x;
  if (shards.every(isSearch)) {
    const parts = shards.map((s) => {
      const { shard: _shard, ...rest } = s as SearchJson;
      return rest;
    });
    return combineSearches(parts);
  }
  const lists = shards.map((s) => (Array.isArray(s) ? s : [s]) as SweepJson[]);
  if (!lists.every((l) => l.length === lists[0].length && l.every((x) => typeof x === 'object' && x !== null && 'trials' in x && 'config' in x))) {
    throw new MergeError('the files are not shards of one campaign (a search or a sweep, all alike)');
  }
  const merged = lists[0].map((first, k) => {
    const key = JSON.stringify(first.config);
    const parts = lists.map((l) => l[k]);
    if (parts.some((p) => JSON.stringify(p.config) !== key)) throw new MergeError('the shards were run with different sweep settings');
    return sweepJsonOf(first.config, parts.flatMap((p) => p.trials), null);
  });
  return merged.length === 1 ? merged[0] : merged;
}
