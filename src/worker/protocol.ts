/**
 * The only language spoken across the worker boundary. Commands go down (store → worker), events come up
 * (worker → store). Everything here is structured-clone safe: plain data, no classes, no functions.
 */
import type { StepGrain, Steppable, SteppedWorld } from '../sim/stepping';
import type { Behaviour, Intervention, LinkKnobs, NetworkParams, NodeId, Partition, PendingItem, ReplicaInspection, Scenario, TimedIntervention, TraceEvent } from '../sim/types';

/** What a person does as the network (deliver by hand): the interventions the Network panel sends. */
export type HandIntervention = Extract<Intervention, { kind: 'setByHand' | 'deliver' | 'dropMessage' | 'duplicate' | 'fireTimer' | 'holdFrom' }>;

export const HAND_KINDS: ReadonlySet<Intervention['kind']> = new Set(['setByHand', 'deliver', 'dropMessage', 'duplicate', 'fireTimer', 'holdFrom']);

export type SimCommand =
  /** Build a fresh run from this scenario (keeps the playing state, so changing f mid-lecture keeps going). */
  | { type: 'configure'; scenario: Scenario; interventions?: TimedIntervention[] }
  /**
   * Load a run file: the JSON text is parsed and validated here, off the page's thread, and the run is replayed from
   * its seed to where the file ended. Answered with `importFailed` (the current run goes on untouched), or with a
   * reset batch carrying `imported` and then batches of at most IMPORT_CHUNK_EVENTS events until the replay is sent.
   */
  | { type: 'import'; text: string; request: number }
  | { type: 'play' }
  | { type: 'pause' }
  /**
   * Pause and run up to virtual time `until` (the Compare view's one clock: every protocol's run is brought to the same
   * moment). A batch says where it stopped: short of `until` when a batch was full or a safety violation paused it.
   */
  | { type: 'advance'; until: number }
  /** Pause and go forward by one grain (default: one happening). */
  | { type: 'step'; grain?: StepGrain }
  /**
   * Rebuild the run up to trace event `index` (or virtual time `time`, when the person scrubbed to a moment),
   * paused, so that playing or acting goes on from there.
   */
  | { type: 'seek'; index: number; time?: number }
  /** Rebuild the run from the last configured scenario (with every live change since), paused. */
  | { type: 'reset' }
  | { type: 'newRequest' }
  | { type: 'setSpeed'; virtualMsPerSecond: number }
  | { type: 'setNetwork'; network: Partial<NetworkParams> }
  | { type: 'setBehaviour'; id: number; behaviour: Behaviour | null }
  /** Cut the network in two now (replacing any partition), or heal it with null. */
  | { type: 'setPartition'; partition: Partition | null }
  /** Make the link between a and b slow and/or lossy from now on, or normal again with null. */
  | { type: 'setLink'; a: NodeId; b: NodeId; fault: LinkKnobs | null }
  /**
   * The person as the network: these interventions, in order, now (one click, one happening: Back undoes them
   * together). A filter ("deliver everything to replica 2") arrives as one list.
   */
  | { type: 'hand'; interventions: HandIntervention[] }
  /**
   * Which replica the inspector shows. Without `at`, every later batch carries its live inspection; with `at`,
   * the worker answers once with the replica as it was after trace event `at` (the page is looking at the past).
   */
  | { type: 'inspect'; id: number | null; at?: number }
  /** The UI has rendered the previous batch: the worker may post the next. */
  | { type: 'ack' }
  /**
   * The whole trace of the current run up to event `upTo`, replayed from the seed (the page keeps only its newest
   * history, so a run file of a long run is rebuilt here). Answered with a `trace` event carrying `request`.
   */
  | { type: 'exportTrace'; upTo: number; request: number };

/**
 * What the worker says after running: the events (the page folds them into its picture with src/sim/picture.ts, so no
 * second picture crosses the boundary) and where the run stands.
 */
export interface BatchEvent {
  type: 'batch';
  /** Trace events since the previous batch, in order; the first has index traceLength − events.length. */
  events: TraceEvent[];
  /** Events in the worker's trace after this batch: a batch that starts below the page's end replaces its future. */
  traceLength: number;
  /** Absolute indices at which a happening (one Step) begins, for the events of this batch. */
  starts: number[];
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
  /** Set when the worker paused by itself: the checker found a safety violation. */
  pausedBy?: 'violation';
  /** On reset batches: the scenario this run started from (what an exported run file records). */
  scenario?: Scenario;
  /** Every intervention of the run so far, sent whenever it changed. */
  interventions?: TimedIntervention[];
  /** The live inspection of the replica the inspector shows, or null when none is selected. */
  inspection?: ReplicaInspection | null;
  /**
   * What waits for a hand after this batch (messages, then timers: Simulation.pending()), while deliver by hand is on
   * or a sender is held; absent when nothing can wait.
   */
  pending?: PendingItem[];
  /**
   * On the reset batch of an imported run: which import it answers, whether re-simulating gave another trace, and how
   * many events the replay holds (the batches that follow bring the rest).
   */
  imported?: { request: number; differs: boolean; length: number };
}

/** The answer to an `inspect` command with `at`: the replica as it was after trace event `at`. */
export interface InspectionEvent {
  type: 'inspection';
  id: number;
  at: number;
  inspection: ReplicaInspection;
}

/** The answer to `exportTrace`: every event of the run from the first up to `upTo`. */
export interface TraceEventList {
  type: 'trace';
  request: number;
  events: TraceEvent[];
}

/** The answer to an `import` whose file is not a run this app can load; `message` says why, for a person. */
export interface ImportFailedEvent {
  type: 'importFailed';
  request: number;
  message: string;
}

export interface SimErrorEvent {
  type: 'error';
  message: string;
}

export type SimEvent = BatchEvent | InspectionEvent | TraceEventList | ImportFailedEvent | SimErrorEvent;

/**
 * What the host needs from a simulation. `src/sim/simulation.ts` satisfies it; tests pass scripted fakes so
 * the bridge can be tested without the core (and without a real Worker).
 */
export interface SimulationLike extends SteppedWorld {
  readonly n: number;
  readonly f: number;
  step(): TraceEvent[];
  runUntil(t: number): TraceEvent[];
  submitRequest(): TraceEvent[];
  setNetwork(p: Partial<NetworkParams>): void;
  setBehaviour(id: number, b: Behaviour | null): void;
  inspect?(id: number): ReplicaInspection;
  /** Deliver by hand (the core's; fakes may leave these out). */
  readonly deliveringByHand?: boolean;
  readonly heldSenders?: readonly NodeId[];
  pending?(): PendingItem[];
}

/**
 * A run that can travel in time (`src/sim/session.ts`): the host talks to the world through it so that every
 * person's action is recorded at its moment and replayed identically after a seek.
 */
export interface SessionLike extends Steppable {
  readonly sim: SimulationLike;
  /** Trace events produced so far (the worker's sessions do not keep the events themselves). */
  readonly position: number;
  readonly history: readonly TimedIntervention[];
  step(): TraceEvent[];
  runUntil(t: number): TraceEvent[];
  intervene(intervention: Intervention): TraceEvent[];
  seekToEvent(index: number): void;
  seekToTime(t: number): void;
}

