/**
 * The vocabulary shared by the simulation core, the worker bridge, the CLI and the UI.
 * Names follow Castro & Liskov (OSDI 1999): a message is ⟨TYPE, v, n, d, i⟩, replicas are 0..n-1,
 * the primary of view v is v mod n.
 */

/** The client is drawn as its own node; replicas are 0..n-1. */
export const CLIENT = -1;
export type NodeId = number;

export const MESSAGE_TYPES = [
  'REQUEST',
  'PRE_PREPARE',
  'PREPARE',
  'COMMIT',
  'REPLY',
  'CHECKPOINT',
  'VIEW_CHANGE',
  'NEW_VIEW',
  // Basic HotStuff (Yin et al., PODC 2019): the leader's four phase messages, the replicas' three votes, NEW-VIEW.
  'HS_NEW_VIEW',
  'HS_PREPARE',
  'HS_PRE_COMMIT',
  'HS_COMMIT',
  'HS_DECIDE',
  'HS_VOTE_PREPARE',
  'HS_VOTE_PRE_COMMIT',
  'HS_VOTE_COMMIT',
  // Tendermint (Buchman, Kwon, Milosevic 2018).
  'PROPOSAL',
  'PREVOTE',
  'PRECOMMIT',
  // Chained HotStuff (Yin et al., PODC 2019, Algorithm 3): one proposal and one generic vote per view, NEW-VIEW, and the
  // relay of a decision to a replica that executed less.
  'CHS_GENERIC',
  'CHS_VOTE_GENERIC',
  'CHS_NEW_VIEW',
  'CHS_DECIDE',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** How a malicious replica lies (src/sim/adversary: one module each). */
export const BEHAVIOURS = ['equivocate', 'omit', 'slow', 'silent', 'forge-view-change', 'forge-new-view', 'withhold-new-view', 'replay', 'flood', 'collude', 'seed'] as const;
export type BehaviourKind = (typeof BEHAVIOURS)[number];

export interface Behaviour {
  kind: BehaviourKind;
  /** omit: probability that each message it should send (but a relayed request) is withheld (0..1). */
  omitProbability?: number;
  /** slow: virtual ms added to everything it sends. */
  extraDelayMs?: number;
}

export interface NetworkParams {
  /** Per-message delay is uniform in [minDelayMs, maxDelayMs]. */
  minDelayMs: number;
  maxDelayMs: number;
  /** Probability that a message is lost (0..1). */
  dropRate: number;
  /** Probability that a message is held back by up to an extra maxDelayMs, so it overtakes later ones (0..1). */
  reorderRate: number;
}

/** What a partition does to a message that would cross its cut: lose it, or hold it at the cut until Heal. */
export const CUT_RULES = ['lose', 'hold'] as const;
export type CutRule = (typeof CUT_RULES)[number];

/**
 * The network cut in two: `side` (replica ids, and CLIENT for the client) on one side, every other node on the other.
 * While it stands no message crosses the cut: each is lost, or held at the cut and delivered after Heal, in order.
 */
export interface Partition {
  side: NodeId[];
  rule: CutRule;
}

/** What makes one link (both directions between two nodes) unlike the rest of the network. */
export interface LinkKnobs {
  /** Virtual ms added to every message across it. */
  extraDelayMs: number;
  /** Probability that it loses a message across it (0..1), on top of the network's drop rate. */
  dropRate: number;
}

/** A slow or lossy link between nodes a and b (a < b; CLIENT is −1, so the client comes first). */
export interface LinkFault extends LinkKnobs {
  a: NodeId;
  b: NodeId;
}

/** Why a message was lost when not by the network's own drop rate: a partition's cut, a lossy link, or a hand (dropMessage). */
export type LossCause = 'partition' | 'link' | 'hand';

/**
 * 'pbft' is the full protocol; 'seed' reproduces the seed article's simulator (fixed primary, no view change, no
 * checkpoints) so the two can be compared on the same seeds; 'hotstuff' is basic HotStuff (Algorithm 2 of the PODC
 * 2019 paper), 'chained-hotstuff' its Algorithm 3 (one generic phase per view, decisions on a three-chain) and
 * 'tendermint' Algorithm 1 of "The latest gossip on BFT consensus".
 */
export type ProtocolMode = 'pbft' | 'seed' | 'hotstuff' | 'chained-hotstuff' | 'tendermint';

export interface Scenario extends NetworkParams {
  /** Which protocol the replicas run (default 'pbft'). */
  mode?: ProtocolMode;
  /** Tolerated faults; n = 3f + 1 unless `n` is given. */
  f: number;
  /** Replica count; defaults to 3f + 1. */
  n?: number;
  seed: number;
  /** Malicious replicas by id. */
  malicious: Record<number, Behaviour>;
  /** Requests the client issues on its own at start (it sends the next when the previous is accepted). */
  requests: number;
  /** How many requests the client keeps in flight at once (PBFT allows many clients; 1 is the classroom default). */
  concurrency: number;
  /** Executed requests between checkpoints (K). */
  checkpointInterval: number;
  /** Width of the watermark window L = H - h (a multiple of K). */
  watermarkWindow: number;
  /** View-change timer T (virtual ms); doubles for each consecutive failed view change. */
  viewChangeTimeoutMs: number;
  /** Client retransmission timer (virtual ms). */
  clientTimeoutMs: number;
  /** One side of a partition standing from the start (absent: none); see Partition. */
  partition?: NodeId[];
  /** What that partition, and one drawn later by default, does to a message across its cut (default 'lose'). */
  partitionRule?: CutRule;
  /** Slow or lossy links from the start (absent: none). */
  links?: LinkFault[];
  /**
   * Deliver by hand: while true, the clock delivers no message and fires no timer — everything sent waits in flight and
   * every timer waits, until a `deliver`, `dropMessage`, `duplicate` or `fireTimer` intervention (or switching it off,
   * which hands what waits back to the network model). Absent: false.
   */
  byHand?: boolean;
  /** Faulty replicas run as twins (Twins, Bano et al. 2020); absent: none. See Twins. */
  twins?: Twins;
}

/**
 * Twins: each replica in `replicas` runs as two instances of its protocol's honest code with the same identity and keys,
 * each talking to a different part of the network, so equivocation emerges from honest code instead of a scripted lie.
 * The first instance of every twin talks to the replicas not in `side`, the second to those in `side` (replicas that are
 * not twins); twins reach each other's instance of the same part, and the client reaches both instances of each. A twin
 * is a faulty replica: it counts among the malicious (the goals and the checker leave it out). A twin's second instance
 * is the process n + k (k its place in `replicas`): its timers go by that number in `pending` and `fireTimer`.
 */
export interface Twins {
  replicas: NodeId[];
  side: NodeId[];
}

/** A message as it travels. `digest` is '' where the type has none. */
export interface Message {
  id: number;
  type: MessageType;
  view: number;
  seq: number;
  digest: string;
  sender: NodeId;
  receiver: NodeId;
  /** REQUEST/REPLY: the client's timestamp t; REPLY: result r. */
  timestamp?: number;
  result?: string;
  /** PRE_PREPARE and REQUEST carry the request itself. */
  request?: ClientRequest;
  /** VIEW_CHANGE / NEW_VIEW / CHECKPOINT payloads (opaque to the UI). */
  payload?: unknown;
  /**
   * The sender's signature, for the types its protocol signs (PBFT: PRE-PREPARE, PREPARE, CHECKPOINT, VIEW-CHANGE,
   * NEW-VIEW). The simulation signs what a replica sends in that replica's name only (src/sim/signatures.ts).
   */
  sig?: number;
  /**
   * A replica's retransmission: 'repeat' when it says again what it already said because it has seen no progress
   * (whoever has its own word on the matter answers), 'answer' for such an answer. Absent for everything else.
   */
  retransmit?: Retransmission;
}

export type Retransmission = 'repeat' | 'answer';

/** A message as its sender says it; the host stamps id, sender and receiver. */
export type OutgoingMessage = Omit<Message, 'id' | 'sender' | 'receiver'>;

/**
 * What a message does in its protocol. Adversaries act on roles, not on type names, so one lie fits every protocol:
 * "withhold proposals and votes" means PRE-PREPARE, PREPARE and COMMIT in PBFT, and whatever plays those parts elsewhere.
 */
export type MessageRole = 'request' | 'proposal' | 'vote' | 'reply' | 'checkpoint' | 'view-change' | 'new-view';

export interface ClientRequest {
  /** Operation o. */
  op: string;
  /** Client timestamp t: orders the client's requests. */
  timestamp: number;
  client: NodeId;
  /** D(m): what PRE-PREPARE, PREPARE and COMMIT agree on. */
  digest: string;
}

/** Where a replica stands for one sequence number. */
export type SlotPhase = 'pre-prepared' | 'prepared' | 'committed' | 'executed';

export interface SafetyViolation {
  rule: 'agreement' | 'total-order' | 'unknown-request' | 'duplicate-execution';
  seq: number;
  replicas: NodeId[];
  digests: string[];
  message: string;
  t: number;
}

/**
 * What the simulation reports, in order. `i` is the position in the trace (0, 1, 2, ...), `t` virtual ms.
 * Together they are the whole observable run: same scenario + seed ⇒ identical array.
 */
export type TraceEvent = TraceEventOfKind & HandFired;

/**
 * The first event a timer fired by hand caused (the fireTimer intervention) names that timer, as `pending` does, so the
 * log can say a hand fired it: its effects alone (a view change, a retransmission) read as if the clock had. A field, not
 * an event of its own, so the events a run counts (and every intervention's position) stay what they were.
 */
export interface HandFired {
  firedByHand?: { replica: NodeId; timer: string };
}

type TraceEventOfKind =
  | {
      kind: 'send';
      i: number;
      t: number;
      msg: MessageSummary;
      arriveAt: number;
      lost: boolean;
      /** Why it will be lost, when a partition's cut or a lossy link loses it (absent: the drop rate, or not lost). */
      by?: LossCause;
      /**
       * It crosses a partition's cut that holds messages: it travels to the cut (reaching it at `arriveAt`) and waits
       * there until Heal releases it (a `release` event says when it arrives).
       */
      held?: true;
      /** A replica's retransmission (a repeat, or an answer to one); absent for a first sending. */
      retransmit?: Retransmission;
      /**
       * It waits in flight for a hand (deliver by hand, or its sender is held): `arriveAt` is only when it was sent; a
       * `deliver`, a `drop` or a `release` (handed back to the network model) says what became of it.
       */
      hand?: true;
      /** A copy the network made of message `copyOf` (the duplicate intervention): it arrives on its own. */
      copyOf?: number;
    }
  | {
      kind: 'deliver';
      i: number;
      t: number;
      msg: MessageSummary;
      /** Why the receiver ignored it, when it did ("stale view", "digest mismatch", ...). */
      ignored?: string;
    }
  /** `held`: it was waiting at a partition's cut, and a new cut that loses messages lost it there. */
  | { kind: 'drop'; i: number; t: number; msg: MessageSummary; by?: LossCause; held?: true }
  /**
   * A partition made with the hold rule caught this message on the wire across its cut: it waits at the cut. `hand`:
   * instead, deliver by hand (or holding its sender) took it off the wire: it waits in flight for a hand.
   */
  | { kind: 'hold'; i: number; t: number; msg: MessageSummary; hand?: true }
  /**
   * Heal (or a new cut that no longer separates its ends) let a held message go on: it arrives at `arriveAt`. `hand`:
   * a message that waited for a hand was handed back to the network model (deliver by hand switched off).
   */
  | { kind: 'release'; i: number; t: number; msg: MessageSummary; arriveAt: number; hand?: true }
  | { kind: 'phase'; i: number; t: number; replica: NodeId; view: number; seq: number; digest: string; phase: SlotPhase }
  | { kind: 'request'; i: number; t: number; timestamp: number; digest: string; op: string; retransmit: boolean }
  | {
      kind: 'accept';
      i: number;
      t: number;
      timestamp: number;
      result: string;
      latencyMs: number;
      /**
       * No honest replica had computed this result for the request when the client accepted it: f+1 liars answered
       * alike (possible only with m > f). Absent in runs recorded before it was known.
       */
      fooled?: boolean;
      /** The replicas whose matching REPLYs the client accepted on (f+1 or more, in id order); absent in older runs. */
      repliers?: NodeId[];
    }
  | { kind: 'view-change'; i: number; t: number; replica: NodeId; view: number }
  | { kind: 'new-view'; i: number; t: number; replica: NodeId; view: number; primary: NodeId }
  | { kind: 'timer'; i: number; t: number; replica: NodeId; action: 'start' | 'stop'; deadline: number }
  | { kind: 'checkpoint'; i: number; t: number; replica: NodeId; seq: number; stable: boolean }
  | { kind: 'violation'; i: number; t: number; violation: SafetyViolation };

/** A message as the trace shows it (no payloads, so a trace stays small and serialisable). */
export interface MessageSummary {
  id: number;
  type: MessageType;
  from: NodeId;
  to: NodeId;
  view: number;
  seq: number;
  digest: string;
  /** Sent by the second instance of twin `from` (see Twins); absent otherwise. */
  fromTwin?: true;
  /** For the second instance of twin `to` (see Twins); absent otherwise. */
  toTwin?: true;
}

export type TraceKind = TraceEvent['kind'];

export interface ReplicaSummary {
  id: NodeId;
  behaviour: Behaviour | null;
  view: number;
  isPrimary: boolean;
  /** True between a view-change timeout and the NEW-VIEW that installs the next view. */
  viewChanging: boolean;
  /** Phase of the slot holding the client's newest request, or null. */
  phase: SlotPhase | null;
  lastExecuted: number;
  lowWatermark: number;
  highWatermark: number;
  /** View-change timer: when it fires (virtual ms) and how long it was set for, or null when stopped. */
  timer: { startedAt: number; deadline: number } | null;
  executed: Array<[number, string]>;
}

export interface SimStats {
  now: number;
  view: number;
  /**
   * Views entered beyond the first (PBFT, HotStuff: the view number itself) or, in Tendermint, rounds beyond round 0
   * summed over its heights, as most honest replicas count them: the sweeps' "view changes".
   */
  viewChanges: number;
  primary: NodeId;
  sent: Record<MessageType, number>;
  sentTotal: number;
  delivered: number;
  dropped: number;
  /** Messages waiting at a partition's cut for Heal (the hold rule). */
  held: number;
  /** Requests the client accepted (f+1 matching replies). */
  committed: number;
  /** Of those, the ones whose result no honest replica computed: the client was fooled (only beyond f liars). */
  fooled: number;
  outstanding: number;
  latenciesMs: number[];
  lastLatencyMs: number | null;
  violations: SafetyViolation[];
  /** Why requests are outstanding, in plain words, or null when nothing is waiting. */
  waitingBecause: string | null;
}

/** One sequence number as a replica's inspector shows it: the votes it holds against the quorums. */
export interface SlotInspection {
  seq: number;
  /** View and digest of the PRE-PREPARE it accepted, or null if it has none (votes may still be waiting). */
  view: number | null;
  digest: string | null;
  phase: SlotPhase | null;
  /** Matching PREPAREs (its own included) and how many "prepared" needs (2f for n = 3f+1). */
  prepares: number;
  prepareQuorum: number;
  /** Matching COMMITs (its own included) and how many "committed-local" needs (2f+1). */
  commits: number;
  commitQuorum: number;
  /** Who signed the PRE-PREPARE it accepted (the primary of that view, or the new primary through O), or null. */
  proposer: NodeId | null;
  /** Who signed the matching PREPAREs it holds (its own included), in id order: its proof of "prepared". */
  prepareSigners: NodeId[];
}

/** One VIEW-CHANGE a replica holds for the view it is moving to, as the inspector lists it. */
export interface ViewChangeInspection {
  sender: NodeId;
  /** The stable checkpoint it proves (with 2f+1 CHECKPOINTs). */
  checkpoint: number;
  /** The numbers it proves prepared (each with a PRE-PREPARE and 2f PREPAREs). */
  prepared: number[];
}

/**
 * What a replica's running timer waits for, by its protocol's own name: PBFT's request and view-change timers,
 * HotStuff's pacemaker view timer, Tendermint's timeoutPropose, timeoutPrevote and timeoutPrecommit.
 */
export type TimerKind = 'request' | 'view-change' | 'view' | 'propose' | 'prevote' | 'precommit';

/** Everything the replica inspector shows. */
export interface ReplicaInspection {
  id: NodeId;
  behaviour: Behaviour | null;
  view: number;
  role: 'primary' | 'backup';
  viewChanging: boolean;
  lastExecuted: number;
  /** Its stable checkpoint and who signed the 2f+1 CHECKPOINTs that prove it (none for the initial state). */
  stableCheckpoint: { seq: number; digest: string; signers: NodeId[] };
  lowWatermark: number;
  highWatermark: number;
  timer: { kind: TimerKind; startedAt: number; deadline: number } | null;
  /** Requests it knows of and has not executed. */
  waiting: number;
  log: SlotInspection[];
  /** While changing view: the VIEW-CHANGEs it holds for the view it is moving to (its own included). */
  viewChanges: ViewChangeInspection[];
  /** Messages it holds for later: for a view it has not entered, or for numbers just above H. */
  held: number;
  /** Its retransmission timer: when it next says again what it said, and how often it has since its last progress. */
  resend: { deadline: number; attempt: number } | null;
  /**
   * What its protocol keeps beyond PBFT's shape, in the protocol's own words, in order: HotStuff's prepareQC and
   * lockedQC, Tendermint's height, round, step, lockedValue/lockedRound and validValue/validRound. Absent for PBFT.
   */
  protocolState?: ReadonlyArray<{ name: string; value: string }>;
}

/** Something a person did to a running simulation. */
export type Intervention =
  | { kind: 'setNetwork'; params: Partial<NetworkParams> }
  | { kind: 'setBehaviour'; id: number; behaviour: Behaviour | null }
  | { kind: 'submitRequest' }
  /** Cuts the network in two (replacing any partition standing), or heals it with null. */
  | { kind: 'setPartition'; partition: Partition | null }
  /** Makes the link between a and b slow and/or lossy, or normal again with null. */
  | { kind: 'setLink'; a: NodeId; b: NodeId; fault: LinkKnobs | null }
  /** Deliver by hand on or off; off hands every message and timer that waits back to the network model, in send order. */
  | { kind: 'setByHand'; on: boolean }
  /** Delivers message `msg` (the id its send event carries) now, wherever it is in flight. */
  | { kind: 'deliver'; msg: number }
  /** Loses message `msg` in flight. */
  | { kind: 'dropMessage'; msg: number }
  /** The network copies message `msg`: the copy (a new id) travels, or waits, on its own. */
  | { kind: 'duplicate'; msg: number }
  /** Fires a timer that waits for a hand (PendingItem's `replica` and `timer`). */
  | { kind: 'fireTimer'; replica: NodeId; timer: string }
  /** While on, everything replica `replica` sends waits for a hand (off hands it back, unless deliver by hand is on). */
  | { kind: 'holdFrom'; replica: NodeId; on: boolean };

/** What waits for a hand: a message in flight, or a timer (Simulation.pending()). */
export type PendingItem =
  /** `fromTwin` / `toTwin`: sent by, or for, the second instance of twin `from` / `to` (see Twins). */
  | { kind: 'message'; id: number; type: MessageType; from: NodeId; to: NodeId; view: number; seq: number; digest: string; fromTwin?: true; toTwin?: true }
  /**
   * `timer`: a replica's 'main' (view-change) or 'resend' timer, a liar's own 'liar' timer, or the client's
   * retransmission timer 'client:<timestamp>' (replica CLIENT). `deadline`: when the clock would have fired it.
   */
  | { kind: 'timer'; replica: NodeId; timer: string; deadline: number };

/** An intervention pinned to the moment it happened: after `afterEvent` trace events, at virtual time `at`. */
export interface TimedIntervention {
  afterEvent: number;
  at: number;
  intervention: Intervention;
}
