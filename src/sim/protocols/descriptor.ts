/**
 * What the page knows of a protocol: its messages (labels, colours, roles), its phases, its quorum rules in words and
 * the scenario parameters it reads. Light by design — no replica code — so the page can import every descriptor while
 * only the simulation (in the worker) loads the replicas.
 */
import type { BehaviourKind, MessageRole, MessageSummary, MessageType, ProtocolMode, Scenario, SlotPhase, TraceEvent } from '../types';

export interface MessageWords {
  type: MessageType;
  /** As the paper writes it (PRE-PREPARE). */
  label: string;
  /** The short label inside a dot, so colour is never the only cue. */
  abbreviation: string;
  /** Its palette entry: the colour is the CSS custom property --msg-<colour> (styles.css, so themes can adjust it). */
  colour: string;
  role: MessageRole;
  /** About a sequence number, so captions name it (#3). */
  numbered: boolean;
}

/** A certificate, as the inspector states it ("PREPARE 1 of 2f = 2"); the number itself comes from the replica. */
export interface QuorumRule {
  /** The votes it counts. */
  votes: MessageType;
  /** Its size as a formula in f. */
  formula(f: number): string;
}

type PhaseEvent = Extract<TraceEvent, { kind: 'phase' }>;

/** What a sentence may use: who acted (its name as the page writes it), the run's n and f, the quorum 2f+1, the liars now. */
export interface NarrationFacts {
  who: string;
  n: number;
  f: number;
  quorum: number;
  /** How many replicas lie at this moment (0 when unknown): beyond f, the protocol's guarantees are void. */
  m?: number;
  /** The types of message the replica really sent in this step (a sentence claims no send that did not happen). */
  sent?: ReadonlySet<MessageType>;
}

/**
 * What a malicious replica did with one message it was due to send, as the wire shows it: nothing (`withheld`), a
 * different digest to each receiver (`each-different`), different digests to different receivers (`split`), one
 * digest other than the one it holds (`forged`), the message to only some (`partial`), the honest message late
 * (`late`), or what an honest replica would have sent (`honest`).
 */
export type LieVerdict = 'withheld' | 'each-different' | 'split' | 'forged' | 'partial' | 'late' | 'honest';

/** The narration's sentences about this protocol's own steps (the rest of the lecturer's voice is shared). */
export interface ProtocolNarration {
  /**
   * What a replica of this protocol multicasts on reaching `phase` (`byPrimary`: the primary of that view, which
   * proposed): the messages whose fate the narration reports when the replica is malicious.
   */
  sendsOn(phase: SlotPhase, byPrimary: boolean): readonly MessageType[];
  /** What follows in this protocol from a liar's deed with a message of this role, in a sentence; null: nothing particular. */
  afterDeed(verdict: LieVerdict, role: MessageRole, facts: NarrationFacts): string | null;
  /** `byPrimary`: the replica that pre-prepared is the primary of that view (it proposed rather than accepted). */
  prePrepared(e: PhaseEvent, facts: NarrationFacts, byPrimary: boolean): string;
  prepared(e: PhaseEvent, facts: NarrationFacts): string;
  committed(e: PhaseEvent, facts: NarrationFacts): string;
  executed(e: PhaseEvent, facts: NarrationFacts): string;
  /** A vote that arrived and counted: what it counts towards; null when the type is not one of its votes. */
  voteArrived(msg: MessageSummary, facts: NarrationFacts): string | null;
}

export interface ProtocolDescriptor {
  mode: ProtocolMode;
  name: string;
  /** The messages it sends, in the legend's order. */
  messages: readonly MessageWords[];
  /** The vote that commits: a liar that never commits withholds it. */
  finalVote: MessageType | null;
  /** Where a replica can stand for one request, in order. */
  phases: readonly SlotPhase[];
  /** Each phase in the protocol's own words (HotStuff's "prepared" is where it locks). */
  phaseNames: Readonly<Record<SlotPhase, string>>;
  /**
   * The Byzantine behaviours that mean something in this protocol; a scenario giving a replica another is refused
   * (params.ts, rule 'behaviour-protocol'), so nobody reads a run of a lie that was never told.
   */
  behaviours: readonly BehaviourKind[];
  quorums: { prepared: QuorumRule; committed: QuorumRule };
  narration: ProtocolNarration;
  /** The scenario parameters it reads (its rows of the parameter table). */
  parameters: readonly (keyof Scenario)[];
  /** What the one picture (src/sim/picture.ts) must know of it. */
  picture: {
    /** Its replicas keep a watermark window H − h (without one, H is unbounded). */
    watermarks: boolean;
    /** A slot belongs to the request its PRE-PREPARE carried, not to the digest it pre-prepared (the seed's liars forge every digest). */
    slotFollowsRequest: boolean;
    /** It replaces a faulty primary by a view change; without one, a lying primary stalls it for good. */
    viewChange: boolean;
  };
  /**
   * What a sweep counts as a successful trial: the client accepted every request, or — the seed article's own
   * definition — every honest replica executed each one before the timeout.
   */
  trialSuccess: 'client-accepted' | 'all-honest-executed';
}
