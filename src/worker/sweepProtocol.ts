/**
 * What the Experiments panel and its sweep workers say to each other. Plain, structured-clone-safe data only.
 *
 * The page hands each worker a chunk of trials at a time and gives it the next chunk when it reports back, so
 * slow trials (many liars, view changes, timeouts) do not leave one worker busy while the others sit idle. A
 * trial is fully determined by (sweep config, m, trial), so which worker runs it never changes its outcome.
 */
import type { SweepConfig, TrialOutcome } from '../sim/experiment';

/** One trial to run: which sweep of the plan (e.g. 0 = seed mode, 1 = PBFT), how many liars, which trial. */
export interface SweepJob {
  sweep: number;
  m: number;
  trial: number;
}

/** A finished trial and the sweep it belongs to. */
export interface TaggedOutcome {
  sweep: number;
  outcome: TrialOutcome;
}

export type SweepCommand = { type: 'run'; chunk: number; sweeps: SweepConfig[]; jobs: SweepJob[] };

export type SweepEvent =
  /** Trials finished since the last message; posted at most every PROGRESS_INTERVAL_MS so the page is never flooded. */
  | { type: 'progress'; chunk: number; outcomes: TaggedOutcome[] }
  /** The chunk is finished; `outcomes` are the trials not yet reported. */
  | { type: 'chunk-done'; chunk: number; outcomes: TaggedOutcome[] }
  | { type: 'error'; chunk: number; message: string };

/** Real ms between two progress messages from one worker. */
export const PROGRESS_INTERVAL_MS = 50;
