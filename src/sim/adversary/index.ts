/**
 * The Byzantine behaviours, one module each, and the dispatcher the simulation sends a Byzantine replica's messages
 * through. A protocol may map behaviours to other adversaries (the seed article knew only one kind of liar).
 */
import type { Behaviour, BehaviourKind, ClientRequest, Message, NodeId, OutgoingMessage } from '../types';
import type { Rng } from '../rng';
import { Cabal } from './cabal';
import { isClientRequest } from '../messages';
import { collude } from './collude';
import { equivocate } from './equivocate';
import { flood } from './flood';
import { forgeNewView, forgeViewChange } from './forging';
import { omit } from './omit';
import { replay } from './replay';
import { seed } from './seed';
import { silent } from './silent';
import { slow } from './slow';
import { withholdNewView } from './withholdNewView';
import type { Adversary, AdversaryContext, AdversaryFactory, ProtocolKnowledge } from './types';

export type { Adversary, AdversaryContext, AdversaryFactory, ProtocolKnowledge } from './types';

export type AdversaryTable = Readonly<Record<BehaviourKind, AdversaryFactory>>;

export const ADVERSARIES: AdversaryTable = {
  silent,
  slow,
  omit,
  equivocate,
  'forge-view-change': forgeViewChange,
  'forge-new-view': forgeNewView,
  'withhold-new-view': withholdNewView,
  replay,
  flood,
  collude,
  seed,
};

export interface LiarsOptions {
  n: number;
  rng: Rng;
  protocol: ProtocolKnowledge;
  table: AdversaryTable;
  /** The run's behaviours as they are now (they change mid-run). */
  behaviourOf(id: NodeId): Behaviour | null;
  transmit(from: NodeId, to: NodeId, msg: OutgoingMessage, delayMs: number): void;
  /** `msg` signed in `from`'s own name (the host holds the keys). */
  sign(from: NodeId, msg: OutgoingMessage): OutgoingMessage;
  /** Schedules `timerFired(from, generation)` on the Liars `delayMs` of virtual time from now. */
  setTimer(from: NodeId, delayMs: number, generation: number): void;
  /** Whether the client really issued this request (its signature checks out). */
  isAuthentic(request: ClientRequest): boolean;
}

/** One context per Byzantine replica, its behaviour refreshed on every send. */
class Context implements AdversaryContext {
  behaviour!: Behaviour;
  constructor(
    readonly id: NodeId,
    private readonly liars: LiarsOptions,
    readonly cabal: Cabal,
  ) {}
  get n(): number {
    return this.liars.n;
  }
  get rng(): Rng {
    return this.liars.rng;
  }
  get protocol(): ProtocolKnowledge {
    return this.liars.protocol;
  }
  transmit(to: NodeId, msg: OutgoingMessage, delayMs = 0): void {
    this.liars.transmit(this.id, to, msg, delayMs);
  }
  sign(msg: OutgoingMessage): OutgoingMessage {
    return this.liars.sign(this.id, msg);
  }
  /** Bumped on every setTimer: only the latest timer fires. */
  timerGeneration = 0;
  setTimer(delayMs: number): void {
    this.liars.setTimer(this.id, Math.max(0, delayMs), ++this.timerGeneration);
  }
  genuine(request: unknown): request is ClientRequest {
    return isClientRequest(request) && this.liars.isAuthentic(request);
  }
}

/**
 * Every Byzantine replica's adversary. Each replica keeps one adversary per behaviour it has had, so one that is switched
 * away and back still remembers what it did.
 */
export class Liars {
  readonly cabal: Cabal;
  private readonly contexts: Context[] = [];
  private readonly adversaries: Array<Map<BehaviourKind, Adversary>> = [];

  constructor(private readonly options: LiarsOptions) {
    this.cabal = new Cabal((id) => options.behaviourOf(id)?.kind === 'collude');
  }

  multicast(from: NodeId, behaviour: Behaviour, msg: OutgoingMessage, repeat = false): OutgoingMessage | null {
    const ctx = this.context(from, behaviour);
    return this.adversary(from, behaviour.kind).multicast(ctx, msg, repeat);
  }

  send(from: NodeId, behaviour: Behaviour, to: NodeId, msg: OutgoingMessage): void {
    const ctx = this.context(from, behaviour);
    this.adversary(from, behaviour.kind).send(ctx, to, msg);
  }

  /**
   * Its replica says again, to one replica only, what it said to all (an answer to another's retransmission). The
   * adversary decides as for a repeated multicast — a liar that withholds its COMMITs withholds this one too — and only
   * the copy meant for `to` leaves.
   */
  sendAgain(from: NodeId, behaviour: Behaviour, to: NodeId, msg: OutgoingMessage): void {
    const ctx = this.context(from, behaviour);
    const only: AdversaryContext = {
      id: ctx.id,
      n: ctx.n,
      behaviour: ctx.behaviour,
      rng: ctx.rng,
      cabal: ctx.cabal,
      protocol: ctx.protocol,
      transmit: (recipient, m, delayMs) => {
        if (recipient === to) ctx.transmit(recipient, m, delayMs);
      },
      sign: (m) => ctx.sign(m),
      setTimer: (delayMs) => ctx.setTimer(delayMs),
      genuine: (request): request is ClientRequest => ctx.genuine(request),
    };
    this.adversary(from, behaviour.kind).multicast(only, msg, true);
  }

  proposals(from: NodeId, behaviour: Behaviour, pending: readonly ClientRequest[], room: number): readonly ClientRequest[] {
    const ctx = this.context(from, behaviour);
    const adversary = this.adversary(from, behaviour.kind);
    return adversary.proposals ? adversary.proposals(ctx, pending, room) : pending;
  }

  /** A message delivered to a Byzantine replica, before the replica reads it. */
  heard(to: NodeId, behaviour: Behaviour, msg: Message, from: NodeId): void {
    const ctx = this.context(to, behaviour);
    this.adversary(to, behaviour.kind).heard?.(ctx, msg, from);
  }

  /**
   * A liar's own timer fired; false when it was superseded, or its replica is honest now (a liar's timer dies with its
   * behaviour: one switched back to honest stops flooding at once).
   */
  timerFired(id: NodeId, generation: number): boolean {
    const ctx = this.contexts[id];
    const behaviour = this.options.behaviourOf(id);
    if (!ctx || generation !== ctx.timerGeneration || !behaviour) return false;
    const adversary = this.adversary(id, behaviour.kind);
    if (!adversary.onTimer) return false;
    adversary.onTimer(this.context(id, behaviour));
    return true;
  }

  /** Whether a liar's timer set with `generation` would still fire (not superseded, its replica still lying). */
  timerLive(id: NodeId, generation: number): boolean {
    const ctx = this.contexts[id];
    const behaviour = this.options.behaviourOf(id);
    return !!ctx && generation === ctx.timerGeneration && !!behaviour && !!this.adversary(id, behaviour.kind).onTimer;
  }

  private context(id: NodeId, behaviour: Behaviour): Context {
    const ctx = (this.contexts[id] ??= new Context(id, this.options, this.cabal));
    ctx.behaviour = behaviour;
    return ctx;
  }

  private adversary(id: NodeId, kind: BehaviourKind): Adversary {
    const mine = (this.adversaries[id] ??= new Map());
    let adversary = mine.get(kind);
    if (!adversary) mine.set(kind, (adversary = this.options.table[kind]()));
    return adversary;
  }
}
