/**
 * What a protocol's replica and the simulation promise each other, whichever protocol it is. A replica says what it
 * sends and what it proposes; whether that goes out as said (a Byzantine replica's adversary may change it) is the
 * host's business, so no replica knows of behaviours at all.
 */
import type { Signable, Signature } from '../signatures';
import type { ClientRequest, Message, NodeId, OutgoingMessage, ReplicaInspection, SlotPhase, TraceEvent } from '../types';

type DistributiveOmit<T, K extends keyof never> = T extends unknown ? Omit<T, K> : never;
export type TraceDraft = DistributiveOmit<TraceEvent, 'i' | 't'>;

/** What a replica asks of the world it lives in (the simulation provides it). */
export interface ReplicaHost {
  now(): number;
  /**
   * Sends one message to one node (signed in the sender's name where the protocol signs its type; `fields.retransmit`
   * marks an answer to another's retransmission).
   */
  send(from: NodeId, to: NodeId, fields: OutgoingMessage): void;
  /**
   * Sends one message to every other replica, signed once in the sender's name; `repeat` when it says again what it
   * already said (a retransmission). Returns the copy the sender keeps of it, signature included — what it counts as
   * its own vote: its own words, unless a Byzantine sender's adversary says otherwise — or null when it keeps none.
   */
  multicast(from: NodeId, fields: OutgoingMessage, repeat?: boolean): OutgoingMessage | null;
  /**
   * The signature `from` puts on a message it makes for a proof (O's PRE-PREPAREs, a CHECKPOINT it reached by state
   * transfer). The host holds the keys and signs only in the asking replica's own name.
   */
  sign(from: NodeId, content: Signable): Signature;
  /** Whether a relayed message carries its claimed sender's genuine signature (anyone can check; never throws). */
  verify(message: unknown): boolean;
  /** Of the requests waiting for a number, those the primary proposes now, in order (`room`: numbers it may still assign). */
  proposals(from: NodeId, pending: readonly ClientRequest[], room: number): readonly ClientRequest[];
  emit(from: NodeId, event: TraceDraft): void;
  /**
   * The view timer as the picture shows it started (until `deadline`) or stopped: the trace's timer event, said without
   * an event object when no trace is kept (a replica says it a few times a decision).
   */
  showTimer(from: NodeId, action: 'start' | 'stop', deadline: number): void;
  /**
   * A slot's phase reached (pre-prepared … executed): the trace's phase event, which the picture and the safety checker
   * read, said without an event object when no trace is kept (a replica reaches four phases a decision).
   */
  showPhase(from: NodeId, view: number, seq: number, digest: string, phase: SlotPhase): void;
  /** It entered `view` (a round, in Tendermint) led by `primary`: the trace's new-view event, as showTimer says timers. */
  showView(from: NodeId, view: number, primary: NodeId): void;
  /**
   * Starts (or restarts) one of this replica's two timers — 'main' (the view-change timer the picture shows) or
   * 'resend' (its retransmission timer); a later call for the same timer supersedes the earlier one.
   */
  setTimer(replica: NodeId, delayMs: number, which?: ReplicaTimer): void;
  clearTimer(replica: NodeId, which?: ReplicaTimer): void;
  /** Models client signatures: true only for requests the client really issued. */
  isAuthentic(request: ClientRequest): boolean;
  /** State transfer: the execution history of a replica whose state at `seq` had `digest`. */
  fetchState(seq: number, digest: string): ExecutedEntry[] | null;
}

export type ReplicaTimer = 'main' | 'resend';

export interface ExecutedEntry {
  seq: number;
  digest: string;
  request: ClientRequest | null;
  /** State digest after this entry. */
  state: string;
}

export interface ReplicaConfig {
  id: NodeId;
  n: number;
  f: number;
  quorum: number;
  checkpointInterval: number;
  watermarkWindow: number;
  viewChangeTimeoutMs: number;
  /** How many executed entries to remember (older ones are forgotten in long runs); Infinity keeps all. */
  historyLimit: number;
}

/** What a replica shows of itself; the simulation adds what it knows and the replica does not (its behaviour). */
export type ReplicaSelfInspection = Omit<ReplicaInspection, 'behaviour'>;

/** What the simulation needs of a replica, whichever protocol it runs. */
export interface ReplicaModel {
  readonly id: NodeId;
  readonly view: number;
  readonly viewChanging: boolean;
  readonly isPrimary: boolean;
  readonly lastExecuted: number;
  readonly lowWatermark: number;
  readonly highWatermark: number;
  readonly timer: { startedAt: number; deadline: number } | null;
  readonly executedLog: ExecutedEntry[];
  receive(msg: Message, from: NodeId): string | undefined;
  onTimer(which?: ReplicaTimer): void;
  /** Where it stands for the request with this digest (the protocol's one definition of a slot's phase). */
  phaseOf(digest: string): SlotPhase | null;
  inspect(): ReplicaSelfInspection;
}

export type ReplicaFactory = (config: ReplicaConfig, host: ReplicaHost) => ReplicaModel;
