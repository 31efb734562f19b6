/**
 * What the page knows of a protocol: its messages (labels, colours, roles), its phases, its quorum rules in words and
 * the scenario parameters it reads. Light by design — no replica code — so the page can import every descriptor while
 * only the simulation (in the worker) loads the replicas.
 */
import type { BehaviourKind, MessageRole, MessageSummary, MessageType, NodeId, ProtocolMode, Scenario, SlotPhase, TimerKind, TraceEvent } from '../types';

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
  /** Sent to one replica, the leader (HotStuff's votes and NEW-VIEW), not to every other: telling only it is honest. */
  toLeader?: true;
}

/** A certificate, as the inspector states it ("PREPARE 1 of 2f = 2"); the number itself comes from the replica. */
export interface QuorumRule {
  /** The votes it counts. */
  votes: MessageType;
  /** Its size as a formula in f. */
  formula(f: number): string;
}

type PhaseEvent = Extract<TraceEvent, { kind: 'phase' }>;
type ViewChangeEvent = Extract<TraceEvent, { kind: 'view-change' }>;
type NewViewEvent = Extract<TraceEvent, { kind: 'new-view' }>;

/**
 * The quorum as a sentence says it: "2f+1 = 3" where the replicas count the papers' 2f + 1 (n = 3f + 1), else the number
 * they count (⌈(n + f + 1)/2⌉ beyond 3f + 1) — "2f+1 = 4" would be a false sum.
 */
export function quorumText(f: number, quorum: number): string {
  return quorum === 2 * f + 1 ? `2f+1 = ${quorum}` : String(quorum);
}

/** What a sentence may use: who acted (its name as the page writes it), the run's n and f, its quorum, the liars now. */
export interface NarrationFacts {
  who: string;
  n: number;
  f: number;
  /** What the replicas count for a decision (quorumOf): 2f + 1 at n = 3f + 1. */
  quorum: number;
  /** How many replicas lie at this moment (0 when unknown): beyond f, the protocol's guarantees are void. */
  m?: number;
  /** The types of message the replica really sent in this step (a sentence claims no send that did not happen). */
  sent?: ReadonlySet<MessageType>;
  /** The sender of the message that arrived, as the page names it (for a sentence about a delivery). */
  sender?: string;
  /** The view (a round, in Tendermint) it entered in this step, and its leader there, as the page names it. */
  entered?: { view: number; leader: string };
}

/** How a replica came to enter a view (a round, in Tendermint), as the step shows it. */
export interface ViewEntry {
  /** Its leader there, as the page names it. */
  leader: string;
  /** It executed in the same step: the view follows its own decision, and the execution's sentence tells it. */
  decided: boolean;
  /** It gave up on its view in the same step (the trace's view-change event): its timer expired. */
  gaveUp: boolean;
  /** The step began with one of its timers firing. */
  timedOut: boolean;
  /** The message whose delivery began the step, if one did. */
  heard: MessageSummary | null;
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
  /**
   * Its proposals and votes name the digest its phase events show (PBFT, the seed and Tendermint name the request);
   * false when they name something else (HotStuff's name the node, whose id only the replicas compute), so what a
   * liar's message names cannot be held against what it holds.
   */
  namesHeldDigest: boolean;
  /** A vote that arrived and counted: what it counts towards; null when the type is not one of its votes. */
  voteArrived(msg: MessageSummary, facts: NarrationFacts): string | null;
  /**
   * A leader's message that arrived and moved the receiver to no new phase (HotStuff's PRE-COMMIT, whose vote is no
   * phase of the slot): what it did; null when there is nothing particular to say.
   */
  leaderMessageArrived(msg: MessageSummary, facts: NarrationFacts): string | null;
  /** A message of its view-change (or pacemaker) that arrived and counted; null when the type is none of those. */
  viewMessageArrived(msg: MessageSummary, facts: NarrationFacts): string | null;
  /**
   * What a replica of this protocol sends on giving up on its view (`view-change`) or on entering one (`new-view`;
   * `leads`: it is that view's leader): the messages whose fate the narration reports when the replica is malicious.
   */
  sendsOnView(kind: 'view-change' | 'new-view', leads: boolean): readonly MessageType[];
  /**
   * It gave up on its view (the trace's view-change event). `joined`: a message began the step (others asked first);
   * `before` and `after`: the leaders of the view it leaves and of the one it asks for.
   */
  viewChangeStarted(e: ViewChangeEvent, facts: NarrationFacts, how: { joined: boolean; before: string; after: string }): string;
  /** It entered a view or round (the trace's new-view event); null when the step's other events tell it better. */
  enteredView(e: NewViewEvent, facts: NarrationFacts, how: ViewEntry): string | null;
  /**
   * The step a liar's view-change (`view-change`) or new-view (`new-view`) message belongs to, introduced: it gave up
   * on its view and asks for `view`, or it took over `view` as its leader ("Replica 1 starts a view change to view 1.").
   */
  viewIntro(kind: 'view-change' | 'new-view', view: number, facts: NarrationFacts): string;
  /** The step a liar's proposal belongs to, introduced ("The primary (Replica 0) assigns #1 to the request."). */
  proposed(seqs: readonly number[], view: number, facts: NarrationFacts): string;
  /**
   * How the shared sentences (a safety violation, a lost message) name the protocol and its quorum: "PBFT" and
   * "2f+1 = 3", "HotStuff" and "n − f = 3".
   */
  called: string;
  quorumWords(facts: NarrationFacts): string;
  /** The client sends request `timestamp` (again, when `retransmit`: it waited in vain for f+1 matching replies). */
  clientSends(timestamp: number, retransmit: boolean, facts: NarrationFacts): string;
  /** What a replica does with a client's request it had not seen, when it relays it (a clause: "relays it to …"). */
  relaysRequest: string;
  /** It started a timer that fires at `deadline` (as the page writes a time): what it waits for. */
  timerStarted(deadline: string, facts: NarrationFacts): string;
}

export interface ProtocolDescriptor {
  mode: ProtocolMode;
  name: string;
  /** The messages it sends, in the legend's order. */
  messages: readonly MessageWords[];
  /** The vote that commits: a liar that never commits withholds it. */
  finalVote: MessageType | null;
  /** The message that carries a leader's proposal (PBFT's PRE-PREPARE, Tendermint's PROPOSAL). */
  proposal: MessageType;
  /**
   * Who proposes number `seq` in view `view` (a round, in Tendermint): PBFT's primary, HotStuff's leader, Tendermint's
   * proposer of height seq, round view — the protocol's one rule, which its replicas follow too.
   */
  proposerOf(at: { view: number; seq: number }, n: number): NodeId;
  /** How many matching votes decide, as its replicas count them for n replicas tolerating f. */
  quorumOf(n: number, f: number): number;
  /**
   * What it calls a view (Tendermint: a round), the replica that leads one (primary, leader, proposer) and the others
   * (PBFT's backups), as the inspector names a replica's view and role.
   */
  terms: {
    view: string;
    leader: string;
    follower: string;
    /** Its replicas' main timer, as the Network panel and the event log name it ("view-change timer", "round timeout"). */
    timer: string;
  };
  /** What each of its timers waits for, in its own words (the inspector's timer bar). */
  timers: Partial<Readonly<Record<TimerKind, string>>>;
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
