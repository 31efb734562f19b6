import type { Behaviour, ClientRequest, Message, MessageRole, MessageType, NodeId, OutgoingMessage } from '../types';
import type { Rng } from '../rng';
import type { Cabal } from './cabal';

/**
 * What a lie needs to know of the protocol it is told in; the protocol's plug-in supplies it. Everything else a lie
 * touches is the shape every message shares: `digest` is what a proposal proposes and a vote votes for, `request` the
 * request a proposal carries, `result` what a reply reports.
 */
export interface ProtocolKnowledge {
  roleOf(type: MessageType): MessageRole;
  /** The vote that commits (PBFT's COMMIT): a liar that never commits withholds it; colluders send it at once. */
  finalVote: MessageType | null;
  /** A new-view decision whose contents do not follow from its proofs, different for each `salt`; absent if it has none. */
  forgeDecision?(msg: OutgoingMessage, salt: number): OutgoingMessage;
  /** The digest of the protocol's null request (what fills a gap), if it has one: a proposal may name it instead of a request. */
  nullDigest?: string;
  /** Payloads that look like the protocol's own but are malformed (what a flooder sends besides plain garbage). */
  malformedPayloads?: readonly unknown[];
  /** The lies its view change admits; absent if it has no view change. */
  viewChange?: ViewChangeLies;
}

/**
 * The lies a protocol's view change admits, as its plug-in builds them (PBFT's: src/sim/protocols/pbft/lies.ts). Each is
 * made of what the liar really holds — its replica's genuine message, the signed messages delivered to it — and signed
 * only in its own name (ctx.sign), so whatever it claims in another's name is a claim it cannot back.
 */
export interface ViewChangeLies {
  /** The forged VIEW-CHANGEs it can make, by name: forgeViewChange's `kind` is taken modulo their number. */
  readonly viewChangeForgeries: readonly string[];
  /** Its replica's VIEW-CHANGE, claiming certificates or a checkpoint it cannot prove (forgery `kind`). */
  forgeViewChange(msg: OutgoingMessage, kind: number, heard: readonly Message[], ctx: AdversaryContext): OutgoingMessage;
  /** The NEW-VIEWs it can build as a new primary from fabricated or stale material, by name (the last one is valid). */
  readonly newViewForgeries: readonly string[];
  /** Its replica's genuine NEW-VIEW, rebuilt as forgery `kind`. */
  forgeNewView(msg: OutgoingMessage, kind: number, heard: readonly Message[], ctx: AdversaryContext): OutgoingMessage;
  /** Its replica's VIEW-CHANGE, claiming nothing prepared: a lie about itself that nobody can catch. */
  hidingEverything(msg: OutgoingMessage): OutgoingMessage;
  /** A VIEW-CHANGE for `view` in its own name, claiming nothing prepared, with the checkpoint proof `like` carries. */
  joining(view: number, like: Message): OutgoingMessage;
  /** Whether a message it heard is a VIEW-CHANGE of the right shape (material it can use; its signatures unchecked). */
  isViewChange(m: Message): boolean;
  /** Whether a VIEW-CHANGE (of the right shape) shows a prepared certificate for `seq`. */
  reveals(viewChange: OutgoingMessage, seq: number): boolean;
  /**
   * A NEW-VIEW for `view` whose V is exactly `viewChanges` (signed VIEW-CHANGEs it holds, each with its sender) and whose
   * O is what they imply, signed by the liar; with O's numbers and digests.
   */
  newViewOf(view: number, viewChanges: ReadonlyArray<OutgoingMessage & { sender: NodeId }>, ctx: AdversaryContext): { msg: OutgoingMessage; decision: ReadonlyArray<{ seq: number; digest: string }> };
}

/** What an adversary knows and can do, for the one Byzantine replica it speaks for. */
export interface AdversaryContext {
  readonly id: NodeId;
  readonly n: number;
  /** The behaviour as set now: its parameters may change mid-run. */
  readonly behaviour: Behaviour;
  /** The byzantine stream, shared by every liar of the run: draws happen in the order liars speak. */
  readonly rng: Rng;
  /** The colluders' shared plans (they coordinate out of band). */
  readonly cabal: Cabal;
  readonly protocol: ProtocolKnowledge;
  /**
   * Puts one message from this replica on the wire, `delayMs` later than the network alone would. Whatever it puts
   * there goes out under this replica's own signature.
   */
  transmit(to: NodeId, msg: OutgoingMessage, delayMs?: number): void;
  /**
   * The message signed in this replica's own name — the only name it can sign in (for a message it builds into a
   * proof). Messages it has seen keep the signatures they came with: it may replay them, never forge one.
   */
  sign(msg: OutgoingMessage): OutgoingMessage;
  /**
   * Starts (or restarts) the liar's own timer, on the virtual clock: its adversary's onTimer runs `delayMs` from now.
   * A later call supersedes an earlier one. (A liar that keeps re-arming it keeps the run from ever going quiet.)
   */
  setTimer(delayMs: number): void;
  /**
   * Whether `request` is one the client really issued (the client's signature: anyone can check it). A liar that
   * wants to pass a request off as real uses only these: garbage it heard would be refused by every honest replica.
   */
  genuine(request: unknown): request is ClientRequest;
}

/**
 * One Byzantine behaviour. Its replica runs the honest protocol; the adversary decides what of it reaches the wire —
 * to whom, when, with which content — and what the replica proposes. It is asked on every send, so a behaviour
 * changed mid-run acts at once.
 */
export interface Adversary {
  /**
   * A message its replica multicasts to every other replica: one decision per multicast. Returns the copy its replica
   * keeps (and counts as its own vote): by default its own words, whatever the others were told — a liar knows what it
   * hides — or null when it keeps none. (The seed's protocol keeps what was said instead: see keepingWhatItSaid.)
   * `repeat`: its replica says again what it already said (a retransmission).
   */
  multicast(ctx: AdversaryContext, msg: OutgoingMessage, repeat?: boolean): OutgoingMessage | null;
  /** A message its replica sends to one node. */
  send(ctx: AdversaryContext, to: NodeId, msg: OutgoingMessage): void;
  /** Which waiting requests its replica proposes, as primary, and in which order; all of them, as they are, when absent. */
  proposals?(ctx: AdversaryContext, pending: readonly ClientRequest[], room: number): readonly ClientRequest[];
  /** A message delivered to its replica, just before the replica reads it: what the liar learns from the wire. */
  heard?(ctx: AdversaryContext, msg: Message, from: NodeId): void;
  /** Its own timer fired (AdversaryContext.setTimer). */
  onTimer?(ctx: AdversaryContext): void;
}

/** Makes one replica's adversary (some remember what they did, so each liar has its own). */
export type AdversaryFactory = () => Adversary;
