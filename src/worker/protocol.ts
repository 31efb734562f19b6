/**
 * The only language spoken across the worker boundary. Commands go down (store → worker), events come up
 * (worker → store). Everything here is structured-clone safe: plain data, no classes, no functions.
 */
import type {
  Behaviour,
  NetworkParams,
  ReplicaSummary,
  Scenario,
  SimStats,
  TraceEvent,
} from '../sim/types';

export type SimCommand =
  /** Build a fresh run from this scenario (keeps the playing state, so changing f mid-lecture keeps going). */
  | { type: 'configure'; scenario: Scenario }
  | { type: 'play' }
  | { type: 'pause' }
  /** Pause and process exactly one scheduled event. */
  | { type: 'step' }
  /** Rebuild the run from the last configured scenario (with every live change since), paused. */
  | { type: 'reset' }
  | { type: 'newRequest' }
  | { type: 'setSpeed'; virtualMsPerSecond: number }
  | { type: 'setNetwork'; network: Partial<NetworkParams> }
  | { type: 'setBehaviour'; id: number; behaviour: Behaviour | null }
  /** The UI has rendered the previous batch: the worker may post the next. */
  | { type: 'ack' };

export interface BatchEvent {
  type: 'batch';
  /** Trace events since the previous batch, in order. */
  events: TraceEvent[];
  stats: SimStats;
  replicas: ReplicaSummary[];
  /** Virtual ms after this batch. */
  now: number;
  /** When the next scheduled event fires; the UI never extrapolates time past it. */
  nextEventAt: number | null;
  playing: boolean;
  /** True on the first batch of a new run: the UI forgets everything it drew before. */
  reset: boolean;
  /** Replica count of this run, so the UI can lay out the graph before any event arrives. */
  n: number;
  f: number;
}

export interface SimErrorEvent {
  type: 'error';
  message: string;
}

export type SimEvent = BatchEvent | SimErrorEvent;

/**
 * What the host needs from a simulation. `src/sim/simulation.ts` satisfies it; tests pass scripted fakes so
 * the bridge can be tested without the core (and without a real Worker).
 */
export interface SimulationLike {
  readonly n: number;
  readonly f: number;
  readonly now: number;
  step(): TraceEvent[];
  runUntil(t: number): TraceEvent[];
  nextEventTime(): number | null;
  submitRequest(): TraceEvent[];
  setNetwork(p: Partial<NetworkParams>): void;
  setBehaviour(id: number, b: Behaviour | null): void;
  stats(): SimStats;
  replicas(withExecuted?: boolean): ReplicaSummary[];
}

export const SPEED_LIMITS = { min: 1, max: 5000, default: 20 } as const;
