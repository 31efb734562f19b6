import { INITIAL_STATE_DIGEST, nextStateDigest, NULL_DIGEST } from '../../messages';
import { primaryOf } from '../../scenario';
import type { ClientRequest, Message, NodeId, OutgoingMessage, SlotPhase } from '../../types';
import { CLIENT } from '../../types';
import { NO_SIGNATURE, type Signature } from '../../signatures';
import type { ExecutedEntry, ReplicaConfig, ReplicaHost, ReplicaModel, ReplicaSelfInspection, ReplicaTimer, TraceDraft } from '../contract';
import { CheckpointVotes, HeldMessages } from './buffers';
import { slotPhase, VoteBook, type Slot, type Tally } from './log';
import { signedCopy, type CheckpointPayload, type CheckpointProof, type NewViewDecision, type NewViewPayload, type PreparedCertificate, type SignedMessage, type ViewChangePayload } from './payloads';
import { checkNewView, checkViewChange, computeNewViewDecision, type ProofRules } from './viewChange';

/** The view-change timeout doubles with each fruitless view change (§4.5.2), up to T · 2^30. */
const MAX_VIEW_CHANGE_DOUBLINGS = 30;
/** A replica's retransmissions back off from T to at most T · 2^5 between two of them… */
const MAX_RESEND_DOUBLINGS = 5;
/**
 * …and stop after this many without progress (about 127 T), until something new happens: progress, new business, or
 * the client's retransmission (which never stops while a request is outstanding). A run whose business cannot finish
 * (replicas that moved to a view nobody else will join) so comes to rest.
 */
const MAX_RESEND_ROUNDS = 10;

const GENESIS: CheckpointProof = Object.freeze({ seq: 0, digest: INITIAL_STATE_DIGEST, messages: Object.freeze([]) as readonly SignedMessage[] });

const isWhole = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

export class Replica implements ReplicaModel {
  readonly id: NodeId;
  readonly n: number;
  readonly f: number;
  readonly quorum: number;
  view = 0;
  /** Between its own VIEW-CHANGE and the NEW-VIEW that installs the view. */
  viewChanging = false;
  lastExecuted = 0;
  /** Low watermark h = last stable checkpoint; H = h + L. */
  lowWatermark = 0;
  stableCheckpoint: CheckpointProof = GENESIS;
  stateDigest = INITIAL_STATE_DIGEST;
  readonly executedLog: ExecutedEntry[] = [];
  /** Requests it knows of and has not executed: while any exist, a backup's view-change timer runs. */
  readonly waiting = new Map<string, ClientRequest>();
  timer: { startedAt: number; deadline: number; kind: 'request' | 'view-change' } | null = null;

  private readonly config: ReplicaConfig;
  private readonly host: ReplicaHost;
  private readonly rules: ProofRules;
  private readonly log = new Map<number, Slot>();
  /** Executed requests by digest, with their results: deduplicates and answers client retransmissions. */
  private readonly replies = new Map<string, { timestamp: number; result: string }>();
  private readonly checkpointVotes: CheckpointVotes;
  /**
   * Its own CHECKPOINTs, signed, by number (from the stable one up); made at its first (as `assigned` at the first
   * number): every replica of every run has these, and most of the attack search's runs, thousands a second, need neither.
   */
  private ownCheckpoints: Map<number, SignedMessage> | null = null;
  /** The latest VIEW-CHANGE from each replica (its own included): one per sender, whatever it floods. */
  private readonly viewChanges: Array<SignedMessage | null>;
  /** Normal-case messages for a view it has not entered, or just above H: used when it gets there. */
  private readonly held: HeldMessages;
  /** Primary only: the last sequence number it assigned, and which digests hold a number in this view. */
  private lastAssigned = 0;
  private assigned: Map<string, number> | null = null;
  /** New primary: the NEW-VIEW it sent for its view. */
  private newViewSent: OutgoingMessage | null = null;
  /** View changes since it last executed anything: the next wait is T · 2^attempts. */
  private viewChangeAttempts = 0;
  private viewChangeQuorumSeen = -1;
  /** A checkpoint the others made stable beyond what this replica has executed. */
  private checkpointAhead: { seq: number; digest: string } | null = null;
  /** Retransmission: when its timer fires (null when none runs), how often it re-sent since progress, since when it waits. */
  private resendDeadline: number | null = null;
  private resendRound = 0;
  private quietSince = 0;

  constructor(config: ReplicaConfig, host: ReplicaHost) {
    this.config = config;
    this.host = host;
    this.id = config.id;
    this.n = config.n;
    this.f = config.f;
    this.quorum = config.quorum;
    this.checkpointVotes = new CheckpointVotes(config.n);
    // Set in a loop, not filled: Array.prototype.fill runs in the engine's slow C++ path, and every replica of every run makes this.
    this.viewChanges = new Array<SignedMessage | null>(config.n);
    for (let id = 0; id < config.n; id++) this.viewChanges[id] = null;
    this.held = new HeldMessages(config.n);
    this.rules = {
      n: config.n,
      quorum: config.quorum,
      maxPrepared: config.watermarkWindow,
      // Methods, not named arrow functions: cheaper to build for every replica of every run (see Simulation.makeHost).
      verify(m) {
        return host.verify(m);
      },
      isAuthentic(r) {
        return host.isAuthentic(r);
      },
    };
  }

  get highWatermark(): number {
    return this.lowWatermark + this.config.watermarkWindow;
  }

  get isPrimary(): boolean {
    return primaryOf(this.view, this.n) === this.id;
  }

  /** Where this replica stands for the request with this digest, if it is in the log. */
  phaseOf(digest: string): SlotPhase | null {
    if (this.replies.has(digest)) return 'executed';
    for (const slot of this.log.values()) if (slot.prePrepare?.digest === digest) return slotPhase(slot);
    return null;
  }

  logSize(): number {
    return this.log.size;
  }

  hasSlot(seq: number): boolean {
    return this.log.has(seq);
  }

  /** What it keeps of others' messages, by buffer (the flooding test holds them to a bound). */
  bufferSizes(): { held: number; checkpointVotes: number; viewChanges: number; slots: number; tallies: number } {
    let tallies = 0;
    for (const slot of this.log.values()) tallies += slot.prepares.size() + slot.commits.size();
    return {
      held: this.held.size(),
      checkpointVotes: this.checkpointVotes.size(),
      viewChanges: this.viewChanges.filter((m) => m !== null).length,
      slots: this.log.size,
      tallies,
    };
  }

  /** The same, for one sender's share. */
  bufferSizesOf(sender: NodeId): { held: number; checkpointVotes: number } {
    return { held: this.held.sizeOf(sender), checkpointVotes: this.checkpointVotes.sizeOf(sender) };
  }

  // ───────────────────────────── inbound ─────────────────────────────

  /** Handles one delivered message; returns why it was ignored, or undefined when it was used (or held for later). */
  receive(msg: Message, from: NodeId): string | undefined {
    if (msg.sender !== from) return `claims to be from ${msg.sender} but came from ${from}`;
    // Requests come from the client (or are relayed by a replica); everything else only from replicas.
    if (!this.isMember(from) && !(msg.type === 'REQUEST' && from === CLIENT)) return `sender ${from} is not a replica`;
    switch (msg.type) {
      case 'REQUEST':
        return this.onRequest(msg, from);
      case 'PRE_PREPARE':
      case 'PREPARE':
      case 'COMMIT':
        return this.onNormalCase(msg, from);
      case 'CHECKPOINT':
        return this.onCheckpoint(msg);
      case 'VIEW_CHANGE':
        return this.onViewChange(msg);
      case 'NEW_VIEW':
        return this.onNewView(msg);
      case 'REPLY':
        return 'replicas do not take replies';
      default:
        return 'unknown message type';
    }
  }

  private isMember(id: NodeId): boolean {
    return Number.isInteger(id) && id >= 0 && id < this.n;
  }

  private onRequest(msg: Message, from: NodeId): string | undefined {
    const request = msg.request;
    if (!request || typeof request.digest !== 'string') return 'no request attached';
    if (!this.host.isAuthentic(request)) return 'request is not signed by the client';
    const done = this.replies.get(request.digest);
    if (done) {
      // A retransmission of something already executed: the reply was probably lost, send it again.
      if (from === CLIENT) this.sendReply(request, done.result);
      return undefined;
    }
    const retransmitted = from === CLIENT && !this.isPrimary;
    this.remember(request);
    if (from === CLIENT) this.wakeResend();
    if (this.viewChanging) {
      if (from === CLIENT) this.resendViewChange();
      return undefined;
    }
    if (this.isPrimary) {
      const seq = this.assigned?.get(request.digest);
      if (seq !== undefined) {
        if (from === CLIENT) {
          this.resendForSlot(seq);
          // The client asks again for a request this primary ordered and has not executed: if its view cannot get it
          // committed in time (an honest replica left it, say), it too asks for the next view.
          this.startPrimaryTimer();
        }
        return undefined;
      }
      this.proposePending();
      return undefined;
    }
    if (retransmitted) {
      // PBFT §4.2: a backup relays a client's request to the primary and, since it now waits, starts its timer.
      this.send(primaryOf(this.view, this.n), { type: 'REQUEST', view: this.view, seq: 0, digest: request.digest, request, timestamp: request.timestamp });
      const seq = this.seqOf(request.digest);
      if (seq !== undefined) this.resendForSlot(seq);
      this.resendLatestCheckpoint();
    }
    return undefined;
  }

  private remember(request: ClientRequest): void {
    if (this.replies.has(request.digest) || this.waiting.has(request.digest)) return;
    this.waiting.set(request.digest, request);
    this.startRequestTimer();
  }

  private onNormalCase(msg: Message, from: NodeId): string | undefined {
    if (!isWhole(msg.view) || !isWhole(msg.seq) || typeof msg.digest !== 'string') return `malformed ${msg.type}`;
    if (msg.view < this.view) {
      // A replica still in that view repeats itself: what this one said there may be what it lacks.
      if (msg.retransmit === 'repeat' && msg.type !== 'COMMIT') {
        const slot = this.log.get(msg.seq);
        if (slot) this.answerForSlot(from, slot, msg.view);
      }
      return `stale view ${msg.view} (replica is in view ${this.view})`;
    }
    const h = this.lowWatermark;
    const L = this.config.watermarkWindow;
    if (msg.seq <= h) {
      if (msg.retransmit === 'repeat') this.answerBehind(from);
      return `#${msg.seq} is outside the watermarks (${h}, ${this.highWatermark}]`;
    }
    if (msg.view > this.view || this.viewChanging || msg.seq > this.highWatermark) {
      // Held, not dropped: a view it has not entered yet, or a number just above H (a slower replica needs them once
      // its window moves). Beyond one window above H it is no message an honest replica can send it yet.
      if (msg.seq > h + 2 * L) return `#${msg.seq} is far above the watermarks (${h}, ${this.highWatermark}]`;
      this.held.hold(msg, from);
      return undefined;
    }
    if (msg.type === 'PRE_PREPARE') return this.onPrePrepare(msg, from);
    if (msg.type === 'PREPARE') return this.onPrepare(msg, from);
    return this.onCommit(msg, from);
  }

  private onPrePrepare(msg: Message, from: NodeId): string | undefined {
    if (from !== primaryOf(msg.view, this.n)) return `PRE-PREPARE from ${from}, who is not the primary of view ${msg.view}`;
    if (this.isPrimary) return 'the primary does not accept PRE-PREPAREs';
    const request = msg.request ?? null;
    if (!request || request.digest !== msg.digest) return 'digest does not match the request';
    if (!this.host.isAuthentic(request)) return 'request is not signed by the client';
    const slot = this.slot(msg.seq);
    if (slot.prePrepare && slot.prePrepare.view === msg.view) {
      if (slot.prePrepare.digest !== msg.digest) return `already accepted ${slot.prePrepare.digest} for #${msg.seq} in view ${msg.view}`;
      if (msg.retransmit === 'repeat') this.answerForSlot(from, slot, msg.view);
      return 'duplicate PRE-PREPARE';
    }
    this.acceptPrePrepare(slot, msg.view, msg.digest, request, msg.sig ?? NO_SIGNATURE);
    return undefined;
  }

  /** Takes a PRE-PREPARE into the log and, as a backup, votes for it. */
  private acceptPrePrepare(slot: Slot, view: number, digest: string, request: ClientRequest | null, sig: Signature): void {
    this.setPrePrepare(slot, view, digest, request, sig);
    if (request && !this.replies.has(request.digest)) this.remember(request);
    this.host.showPhase(this.id, view, slot.seq, digest, 'pre-prepared');
    if (!this.isPrimary) {
      slot.prepareSentView = view;
      this.multicastVote(slot.prepares, 'PREPARE', view, slot.seq, digest);
    }
    this.checkCertificates(slot);
    this.wakeResend();
  }

  private setPrePrepare(slot: Slot, view: number, digest: string, request: ClientRequest | null, sig: Signature): void {
    slot.prePrepare = { view, digest, request, sig };
    slot.prepares.focus(view, digest);
    slot.commits.focus(view, digest);
  }

  private onPrepare(msg: Message, from: NodeId): string | undefined {
    // The primary's PRE-PREPARE is its vote; a PREPARE from it would let it be counted twice.
    if (from === primaryOf(msg.view, this.n)) return 'PREPARE from the primary is not counted';
    const slot = this.slot(msg.seq);
    if (msg.retransmit === 'repeat') this.answerForSlot(from, slot, msg.view);
    if (!slot.prepares.add(msg.view, msg.digest, from, msg.sig ?? NO_SIGNATURE)) return 'duplicate vote';
    this.checkCertificates(slot);
    return undefined;
  }

  private onCommit(msg: Message, from: NodeId): string | undefined {
    const slot = this.slot(msg.seq);
    if (!slot.commits.add(msg.view, msg.digest, from)) return 'duplicate vote';
    this.checkCertificates(slot);
    return undefined;
  }

  /** prepared and committed-local, re-checked on every arrival since votes come in any order. */
  private checkCertificates(slot: Slot): void {
    const pp = slot.prePrepare;
    if (!pp || pp.view !== this.view || this.viewChanging) return;
    const preparedNow = slot.prepared !== null && slot.prepared.view === pp.view && slot.prepared.digest === pp.digest;
    if (!preparedNow && slot.prepares.count(pp.view, pp.digest) >= this.quorum - 1) {
      slot.prepared = { view: pp.view, digest: pp.digest, request: pp.request, sig: pp.sig, prepares: slot.prepares.tally(pp.view, pp.digest) };
      this.host.showPhase(this.id, pp.view, slot.seq, pp.digest, 'prepared');
    }
    const prepared = slot.prepared !== null && slot.prepared.view === pp.view && slot.prepared.digest === pp.digest;
    if (prepared && slot.commitSentView !== pp.view) {
      slot.commitSentView = pp.view;
      this.multicastVote(slot.commits, 'COMMIT', pp.view, slot.seq, pp.digest);
    }
    if (prepared && slot.committedView !== pp.view && slot.commits.count(pp.view, pp.digest) >= this.quorum) {
      slot.committedView = pp.view;
      this.host.showPhase(this.id, pp.view, slot.seq, pp.digest, 'committed');
      this.executeReady();
    }
  }

  // ───────────────────────────── execution ─────────────────────────────

  /** Executes committed requests strictly in sequence order. */
  private executeReady(): void {
    let progressed = false;
    for (;;) {
      const slot = this.log.get(this.lastExecuted + 1);
      if (!slot || slot.executed || slot.committedView < 0 || !slot.prePrepare) break;
      this.execute(slot.seq, slot.prePrepare.digest, slot.prePrepare.request);
      slot.executed = true;
      progressed = true;
    }
    if (progressed) this.progressed();
  }

  /** Execution moved on: the view-change wait starts again from T, and so does the retransmission wait. */
  private progressed(): void {
    this.viewChangeAttempts = 0;
    this.noteProgress();
    this.restartRequestTimer();
  }

  private execute(seq: number, digest: string, request: ClientRequest | null): void {
    this.lastExecuted = seq;
    // A request committed at two sequence numbers (possible after a view change) runs only once.
    const runs = request !== null && digest !== NULL_DIGEST && !this.replies.has(digest);
    if (runs) this.stateDigest = nextStateDigest(this.stateDigest, request.op, seq);
    this.rememberExecuted({ seq, digest, request: runs ? request : null, state: this.stateDigest });
    this.host.showPhase(this.id, this.view, seq, digest, 'executed');
    if (runs) {
      this.replies.set(digest, { timestamp: request.timestamp, result: this.stateDigest });
      this.waiting.delete(digest);
      this.assigned?.delete(digest);
      this.sendReply(request, this.stateDigest);
    }
    if (seq % this.config.checkpointInterval === 0) this.takeCheckpoint(seq);
  }

  /**
   * Keeps the execution history, forgetting the oldest half once it is twice the limit: a long lecture must not
   * grow without bound. (Forgotten requests are long answered; only the history shown and transferred shrinks.)
   */
  private rememberExecuted(entry: ExecutedEntry): void {
    this.executedLog.push(entry);
    const limit = this.config.historyLimit;
    if (this.executedLog.length > 2 * limit) {
      for (const old of this.executedLog.splice(0, this.executedLog.length - limit)) this.replies.delete(old.digest);
    }
  }

  private sendReply(request: ClientRequest, result: string): void {
    this.send(request.client, { type: 'REPLY', view: this.view, seq: 0, digest: request.digest, timestamp: request.timestamp, result });
  }

  // ───────────────────────────── primary ─────────────────────────────

  /** The primary assigns sequence numbers to waiting requests, up to the high watermark H. */
  private proposePending(): void {
    if (!this.isPrimary || this.viewChanging) return;
    const unassigned = [...this.waiting.values()].filter((r) => !this.assigned?.has(r.digest));
    for (const request of this.host.proposals(this.id, unassigned, this.highWatermark - this.lastAssigned)) {
      if (this.lastAssigned + 1 > this.highWatermark) break; // stalls until a checkpoint moves h
      const seq = ++this.lastAssigned;
      (this.assigned ??= new Map()).set(request.digest, seq);
      const slot = this.slot(seq);
      const own = this.multicast({ type: 'PRE_PREPARE', view: this.view, seq, digest: request.digest, request });
      this.setPrePrepare(slot, this.view, request.digest, request, own?.sig ?? NO_SIGNATURE);
      this.host.showPhase(this.id, this.view, seq, request.digest, 'pre-prepared');
      this.checkCertificates(slot);
    }
    this.wakeResend();
  }

  /** Multicasts its PREPARE or COMMIT and logs the copy it keeps as its own vote. */
  private multicastVote(votes: VoteBook, type: 'PREPARE' | 'COMMIT', view: number, seq: number, digest: string): void {
    const own = this.multicast({ type, view, seq, digest });
    if (own) votes.add(view, own.digest, this.id, type === 'PREPARE' ? (own.sig ?? NO_SIGNATURE) : undefined);
  }

  private send(to: NodeId, fields: OutgoingMessage): void {
    this.host.send(this.id, to, fields);
  }

  /** `repeat`: it says again what it already said (a retransmission). */
  private multicast(fields: OutgoingMessage, repeat = false): OutgoingMessage | null {
    return this.host.multicast(this.id, fields, repeat);
  }

  // ───────────────────────────── checkpoints ─────────────────────────────

  private takeCheckpoint(seq: number): void {
    const payload: CheckpointPayload = { stateDigest: this.stateDigest };
    const own = this.multicast({ type: 'CHECKPOINT', view: this.view, seq, digest: this.stateDigest, payload });
    const vote = signedCopy({ type: 'CHECKPOINT', view: this.view, seq, digest: this.stateDigest, sender: this.id, sig: own?.sig ?? this.signAsSelf('CHECKPOINT', this.view, seq, this.stateDigest), payload });
    (this.ownCheckpoints ??= new Map()).set(seq, vote);
    this.checkpointVotes.add(vote, this.highWatermark);
    this.emit({ kind: 'checkpoint', replica: this.id, seq, stable: false });
    this.checkStable(seq, this.stateDigest);
    this.wakeResend();
  }

  private onCheckpoint(msg: Message): string | undefined {
    if (typeof msg.digest !== 'string' || !isWhole(msg.seq) || !isWhole(msg.view)) return 'malformed CHECKPOINT';
    if (msg.seq <= this.lowWatermark) {
      if (msg.retransmit === 'repeat') this.answerBehind(msg.sender);
      return `checkpoint #${msg.seq} is already below the low watermark`;
    }
    if (msg.seq % this.config.checkpointInterval !== 0) return `#${msg.seq} is not a checkpoint number (a multiple of K = ${this.config.checkpointInterval})`;
    if (msg.retransmit === 'repeat') {
      const mine = this.ownCheckpoints?.get(msg.seq);
      if (mine) this.send(msg.sender, { ...checkpointFields(mine), retransmit: 'answer' });
    }
    const vote: SignedMessage = { type: 'CHECKPOINT', view: msg.view, seq: msg.seq, digest: msg.digest, sender: msg.sender, sig: msg.sig ?? NO_SIGNATURE };
    if (!this.checkpointVotes.add(vote, this.highWatermark)) return 'duplicate vote';
    this.checkStable(msg.seq, msg.digest);
    return undefined;
  }

  private checkStable(seq: number, digest: string): void {
    if (this.checkpointVotes.count(seq, digest) < this.quorum || seq <= this.lowWatermark) return;
    if (this.lastExecuted < seq) {
      // The others are ahead. Slightly behind, it will get there by itself (its own checkpoint at `seq` finds
      // this quorum waiting); a whole checkpoint behind, or stuck when a timer fires, it fetches the state.
      const earlier = this.checkpointAhead;
      const behind = earlier !== null && earlier.seq > this.lastExecuted && earlier.seq < seq;
      this.checkpointAhead = { seq, digest };
      if (!behind || !this.transferState(seq, digest)) return;
    }
    const own = this.ownCheckpoints?.get(seq);
    if (own !== undefined && own.digest !== digest) return; // our own state differs: never adopt someone else's proof
    // Its proof: the matching CHECKPOINTs, as their senders signed them.
    this.makeStable({ seq, digest, messages: this.checkpointVotes.voters(seq, digest) });
    if (this.isPrimary) this.proposePending();
  }

  private checkStableAfterTransfer(seq: number, digest: string): void {
    if (this.transferState(seq, digest)) this.checkStable(seq, digest);
    else this.startRequestTimer();
  }

  /** Moves h to a stable checkpoint and discards the log and votes at or below it. */
  private makeStable(proof: CheckpointProof): void {
    if (proof.seq <= this.lowWatermark) return;
    this.stableCheckpoint = proof;
    this.lowWatermark = proof.seq;
    for (const seq of [...this.log.keys()]) if (seq <= proof.seq) this.log.delete(seq);
    this.checkpointVotes.forgetUpTo(proof.seq);
    const own = this.ownCheckpoints;
    if (own) for (const seq of [...own.keys()]) if (seq < proof.seq) own.delete(seq);
    this.emit({ kind: 'checkpoint', replica: this.id, seq: proof.seq, stable: true });
    this.noteProgress();
    this.releaseHeld();
  }

  /** A replica that fell behind fetches the certified state instead of re-running what it missed. */
  private transferState(seq: number, digest: string): boolean {
    const history = this.host.fetchState(seq, digest);
    if (!history) return false;
    const before = this.lastExecuted;
    for (const entry of history) {
      if (entry.seq <= this.lastExecuted) continue;
      this.rememberExecuted(entry);
      this.lastExecuted = entry.seq;
      this.stateDigest = entry.state;
      const slot = this.log.get(entry.seq);
      if (slot) slot.executed = true;
      if (entry.request) {
        this.replies.set(entry.digest, { timestamp: entry.request.timestamp, result: entry.state });
        this.waiting.delete(entry.digest);
      }
      this.host.showPhase(this.id, this.view, entry.seq, entry.digest, 'executed');
    }
    // It now holds that state and can say so in its own name.
    const mine = this.ownCheckpoints?.get(seq);
    if (!mine || mine.digest !== digest) {
      (this.ownCheckpoints ??= new Map()).set(seq, signedCopy({ type: 'CHECKPOINT', view: this.view, seq, digest, sender: this.id, sig: this.signAsSelf('CHECKPOINT', this.view, seq, digest), payload: { stateDigest: digest } }));
    }
    if (this.lastExecuted > before) this.progressed();
    this.executeReady();
    this.restartRequestTimer();
    return this.lastExecuted >= seq;
  }

  private signAsSelf(type: Message['type'], view: number, seq: number, digest: string, payload?: unknown): Signature {
    return this.host.sign(this.id, { type, view, seq, digest, sender: this.id, payload });
  }

  private resendLatestCheckpoint(): void {
    let latest: SignedMessage | null = null;
    if (this.ownCheckpoints) for (const [seq, m] of this.ownCheckpoints) if (seq > this.lowWatermark && (!latest || seq > latest.seq)) latest = m;
    if (latest) this.multicast(checkpointFields(latest), true);
  }

  /** Under loss, a client's retransmission (or its own retransmission timer) is the cue to repeat what it said for that slot. */
  private resendForSlot(seq: number): void {
    const slot = this.log.get(seq);
    const pp = slot?.prePrepare;
    if (!slot || !pp || pp.view !== this.view) return;
    if (this.isPrimary && pp.request) this.multicast({ type: 'PRE_PREPARE', view: pp.view, seq, digest: pp.digest, request: pp.request }, true);
    if (!this.isPrimary && slot.prepareSentView === pp.view) this.multicast({ type: 'PREPARE', view: pp.view, seq, digest: pp.digest }, true);
    if (slot.commitSentView === pp.view) this.multicast({ type: 'COMMIT', view: pp.view, seq, digest: pp.digest }, true);
  }

  /**
   * Another replica repeats what it said for a slot in `view`, so it is missing something: it gets what this replica
   * said there itself — its PREPARE and its COMMIT, to it alone. Only a replica done with that slot answers (it has
   * committed it, or moved on to a later view: its words there stand); one still working on it repeats them itself.
   */
  private answerForSlot(to: NodeId, slot: Slot, view: number): void {
    const pp = slot.prePrepare;
    if (!pp || pp.view !== view || to === this.id) return;
    const done = slot.executed || slot.committedView === view || view < this.view;
    if (!done) return;
    if (slot.prepareSentView === view) this.send(to, { type: 'PREPARE', view, seq: slot.seq, digest: pp.digest, retransmit: 'answer' });
    if (slot.commitSentView === view) this.send(to, { type: 'COMMIT', view, seq: slot.seq, digest: pp.digest, retransmit: 'answer' });
  }

  /** Another replica repeats something this one has already made stable and discarded: it gets this one's CHECKPOINT. */
  private answerBehind(to: NodeId): void {
    const mine = this.ownCheckpoints?.get(this.lowWatermark);
    if (mine && to !== this.id && this.isMember(to)) this.send(to, { ...checkpointFields(mine), retransmit: 'answer' });
  }

  private seqOf(digest: string): number | undefined {
    for (const slot of this.log.values()) if (slot.prePrepare?.digest === digest && slot.prePrepare.view === this.view) return slot.seq;
    return undefined;
  }

  // ───────────────────────────── timers ─────────────────────────────

  /** T · 2^k, with k bounded so the wait stays a finite number. */
  private backoff(k: number, cap: number): number {
    const T = this.config.viewChangeTimeoutMs;
    return k <= 0 ? T : T * 2 ** Math.min(k, cap);
  }

  /**
   * A backup waiting for a request it knows of suspects the primary when the timer fires. The wait is T, and doubles
   * with each view change that executed nothing (§4.5.2: the view change to v+1 waits T, the next 2T, then 4T …), across
   * NEW-VIEWs too; any execution brings it back to T.
   */
  private startRequestTimer(): void {
    if (this.timer || this.viewChanging || this.isPrimary || this.waiting.size === 0) return;
    this.setTimer('request', this.backoff(this.viewChangeAttempts - 1, MAX_VIEW_CHANGE_DOUBLINGS));
  }

  /** The primary suspects its own view only when the client retransmits a request it ordered and has not executed. */
  private startPrimaryTimer(): void {
    if (this.timer || this.viewChanging || !this.isPrimary || this.waiting.size === 0) return;
    this.setTimer('request', this.backoff(this.viewChangeAttempts - 1, MAX_VIEW_CHANGE_DOUBLINGS));
  }

  /** After progress the wait starts afresh for whatever is still pending (the view-change timer is left alone). */
  private restartRequestTimer(): void {
    if (this.viewChanging) return;
    this.stopTimer();
    this.startRequestTimer();
  }

  private stopTimer(): void {
    if (!this.timer) return;
    this.timer = null;
    this.host.clearTimer(this.id, 'main');
    this.host.showTimer(this.id, 'stop', this.host.now());
  }

  private setTimer(kind: 'request' | 'view-change', delay: number): void {
    const now = this.host.now();
    this.timer = { startedAt: now, deadline: now + delay, kind };
    this.host.setTimer(this.id, delay, 'main');
    this.host.showTimer(this.id, 'start', now + delay);
  }

  /** Called by the host when one of this replica's timers fires. */
  onTimer(which: ReplicaTimer = 'main'): void {
    if (which === 'resend') {
      this.onResendTimer();
      return;
    }
    if (!this.timer) return;
    const kind = this.timer.kind;
    this.timer = null;
    this.host.showTimer(this.id, 'stop', this.host.now());
    if (kind === 'request' && (this.waiting.size === 0 || this.viewChanging)) return;
    const ahead = this.checkpointAhead;
    if (kind === 'request' && ahead && ahead.seq > this.lastExecuted) {
      // Not the primary's fault: a quorum moved on without us. Catch up instead of asking for a new view.
      this.checkStableAfterTransfer(ahead.seq, ahead.digest);
      return;
    }
    this.startViewChange(this.view + 1);
  }

  // ───────────────────────────── retransmission ─────────────────────────────

  /**
   * Unfinished business: a slot of this view it has spoken for and not executed, a checkpoint of its own not yet
   * stable, or a view change not yet installed. While it has some and sees no progress, it says again what it said.
   */
  private hasBusiness(): boolean {
    if (this.viewChanging) return true;
    if (this.ownCheckpoints) for (const seq of this.ownCheckpoints.keys()) if (seq > this.lowWatermark) return true;
    for (const slot of this.log.values()) if (this.isOpen(slot)) return true;
    return false;
  }

  private isOpen(slot: Slot): boolean {
    const pp = slot.prePrepare;
    return !slot.executed && pp !== null && pp.view === this.view && (this.isPrimary || slot.prepareSentView === this.view);
  }

  /** Progress (or new business after none): the retransmission wait starts again from T. */
  private noteProgress(): void {
    this.resendRound = 0;
    this.quietSince = this.host.now();
    // A timer backed off far into the future comes back to T from now.
    if (this.resendDeadline !== null && this.resendDeadline > this.quietSince + this.config.viewChangeTimeoutMs) {
      this.resendDeadline = null;
      this.host.clearTimer(this.id, 'resend');
      this.armResend(false);
    }
  }

  /** Something new to say (or the client asking again): a replica that had given up retransmitting starts again. */
  private wakeResend(): void {
    if (this.resendRound >= MAX_RESEND_ROUNDS) {
      this.resendRound = 0;
      this.quietSince = this.host.now();
    }
    this.armResend();
  }

  /**
   * Starts the retransmission timer if it has business and none runs. `fresh`: the business begins now (no timer ran),
   * so the wait for progress counts from now.
   */
  private armResend(fresh = true): void {
    if (this.resendDeadline !== null || this.resendRound >= MAX_RESEND_ROUNDS || !this.hasBusiness()) return;
    const now = this.host.now();
    if (fresh && this.resendRound === 0) this.quietSince = now;
    const at = Math.max(now, this.quietSince + this.backoff(this.resendRound, MAX_RESEND_DOUBLINGS));
    this.resendDeadline = at;
    this.host.setTimer(this.id, at - now, 'resend');
  }

  private onResendTimer(): void {
    this.resendDeadline = null;
    if (!this.hasBusiness()) return;
    const now = this.host.now();
    const due = this.quietSince + this.backoff(this.resendRound, MAX_RESEND_DOUBLINGS);
    // Progress since it was armed, or a view change due this very moment: no retransmission yet.
    if (now < due || (this.timer !== null && this.timer.deadline <= now)) {
      if (now >= due) this.quietSince = now;
      this.armResend(false);
      return;
    }
    const ahead = this.checkpointAhead;
    if (ahead && ahead.seq > this.lastExecuted && !this.viewChanging) {
      // A quorum moved on without it: catching up is the progress it was waiting for.
      const before = this.lastExecuted;
      this.checkStableAfterTransfer(ahead.seq, ahead.digest);
      if (this.lastExecuted > before) {
        this.armResend(false);
        return;
      }
    }
    this.resendRound++;
    this.quietSince = now;
    if (this.viewChanging) this.resendViewChange();
    else {
      if (this.isPrimary && this.newViewSent && this.newViewSent.view === this.view) this.multicast(this.newViewSent, true);
      for (const slot of [...this.log.values()]) if (this.isOpen(slot)) this.resendForSlot(slot.seq);
    }
    this.resendLatestCheckpoint();
    this.armResend(false);
  }

  // ───────────────────────────── view change ─────────────────────────────

  private startViewChange(target: number): void {
    if (target <= this.view) return;
    this.viewChangeAttempts = Math.min(this.viewChangeAttempts + 1, MAX_VIEW_CHANGE_DOUBLINGS);
    this.stopTimer();
    this.view = target;
    this.viewChanging = true;
    this.newViewSent = null;
    this.assigned = null;
    const payload = this.viewChangePayload();
    this.emit({ kind: 'view-change', replica: this.id, view: target });
    const own = this.multicast({ type: 'VIEW_CHANGE', view: target, seq: this.stableCheckpoint.seq, digest: '', payload });
    this.viewChanges[this.id] = signedCopy({ type: 'VIEW_CHANGE', view: target, seq: this.stableCheckpoint.seq, digest: '', sender: this.id, sig: own?.sig ?? this.signAsSelf('VIEW_CHANGE', target, this.stableCheckpoint.seq, '', payload), payload });
    this.noteProgress();
    this.armResend();
    this.afterViewChangeVote(target);
  }

  /** C and P, as proofs: the stable checkpoint's 2f+1 CHECKPOINTs, and each prepared slot's PRE-PREPARE and 2f PREPAREs. */
  private viewChangePayload(): ViewChangePayload {
    const prepared: PreparedCertificate[] = [];
    for (const slot of this.log.values()) {
      if (!slot.prepared || slot.seq <= this.lowWatermark) continue;
      const cert = this.certificate(slot.seq, slot.prepared, slot.prepared.prepares);
      if (cert) prepared.push(cert);
    }
    prepared.sort((a, b) => a.prePrepare.seq - b.prePrepare.seq);
    return Object.freeze({ stable: this.stableCheckpoint, prepared: Object.freeze(prepared) });
  }

  private certificate(seq: number, p: { view: number; digest: string; request: ClientRequest | null; sig: Signature }, prepares: Tally): PreparedCertificate | null {
    const votes = prepares.signed().slice(0, this.quorum - 1);
    if (votes.length < this.quorum - 1) return null;
    const prePrepare = signedCopy({ type: 'PRE_PREPARE', view: p.view, seq, digest: p.digest, sender: primaryOf(p.view, this.n), sig: p.sig, request: p.request });
    const list = votes.map(({ sender, sig }) => signedCopy({ type: 'PREPARE', view: p.view, seq, digest: p.digest, sender, sig }));
    return Object.freeze({ prePrepare, prepares: Object.freeze(list) });
  }

  private resendViewChange(): void {
    const own = this.viewChanges[this.id];
    if (own && own.view === this.view && this.viewChanging) this.multicast(viewChangeFields(own), true);
  }

  private onViewChange(msg: Message): string | undefined {
    if (!isWhole(msg.view)) return 'malformed VIEW-CHANGE';
    const repeat = msg.retransmit === 'repeat';
    if (msg.view < this.view || (msg.view === this.view && !this.viewChanging)) {
      if (repeat) this.answerViewChange(msg.sender, msg.view);
      return `view ${msg.view} is not ahead of view ${this.view}`;
    }
    const known = this.viewChanges[msg.sender];
    if (known && known.view >= msg.view) {
      if (repeat) this.answerViewChange(msg.sender, msg.view);
      return known.view === msg.view ? 'duplicate VIEW-CHANGE' : `it already holds a VIEW-CHANGE for view ${known.view} from replica ${msg.sender}`;
    }
    const problem = checkViewChange(msg, msg.view, this.rules);
    if (problem) return `rejected VIEW-CHANGE: ${problem}`;
    this.viewChanges[msg.sender] = signedCopy(msg);
    if (repeat) this.answerViewChange(msg.sender, msg.view);
    if (!(this.viewChanging && msg.view === this.view)) {
      // §4.5.2: f+1 replicas asking for higher views cannot all be faulty — join the smallest such view.
      let asking = 0;
      let smallest = Infinity;
      for (const vc of this.viewChanges) {
        if (!vc || vc.sender === this.id || vc.view <= this.view) continue;
        asking++;
        smallest = Math.min(smallest, vc.view);
      }
      if (asking >= this.f + 1) this.startViewChange(smallest);
      // A VIEW-CHANGE for a later view also says its sender has left this one: it may complete the quorum that starts the timer.
      else this.afterViewChangeVote(this.view);
      return undefined;
    }
    this.afterViewChangeVote(msg.view);
    return undefined;
  }

  /**
   * Another replica repeats its VIEW-CHANGE for `view`, so it is missing something. The new primary of an installed view
   * answers with its NEW-VIEW; a replica changing to the same view answers only if the one repeating is that view's new
   * primary (which needs 2f+1 VIEW-CHANGEs; the others hear each other's repeats anyway); one already past that view
   * answers with its own latest VIEW-CHANGE, so f+1 of them bring the laggard along.
   */
  private answerViewChange(to: NodeId, view: number): void {
    if (to === this.id || !this.isMember(to)) return;
    if (!this.viewChanging && this.isPrimary && this.newViewSent && this.newViewSent.view === this.view && view <= this.view) {
      this.send(to, { ...this.newViewSent, retransmit: 'answer' });
      return;
    }
    const own = this.viewChanges[this.id];
    if (!own || own.view !== this.view) return;
    if (view < this.view || (this.viewChanging && to === primaryOf(view, this.n))) this.send(to, { ...viewChangeFields(own), retransmit: 'answer' });
  }

  /** The VIEW-CHANGEs it holds for `view`, by sender. */
  private viewChangesFor(view: number): SignedMessage[] {
    const out: SignedMessage[] = [];
    for (const vc of this.viewChanges) if (vc && vc.view === view) out.push(vc);
    return out;
  }

  /**
   * With 2f+1 VIEW-CHANGEs for the view it is moving to, the new primary sends NEW-VIEW. A backup starts its timer
   * (T·2^(k−1)) once 2f+1 replicas have asked for this view or a later one — they have all left the views before it —
   * and moves on when no NEW-VIEW comes in time.
   */
  private afterViewChangeVote(view: number): void {
    if (!this.viewChanging || view !== this.view) return;
    const collected = this.viewChangesFor(view);
    if (primaryOf(view, this.n) === this.id) {
      if (!this.newViewSent && collected.length >= this.quorum) this.sendNewView(view, collected.slice(0, this.quorum));
      return;
    }
    let leaving = 0;
    for (const vc of this.viewChanges) if (vc && vc.view >= view) leaving++;
    if (leaving < this.quorum) return;
    if (this.viewChangeQuorumSeen !== view) {
      this.viewChangeQuorumSeen = view;
      this.setTimer('view-change', this.backoff(this.viewChangeAttempts - 1, MAX_VIEW_CHANGE_DOUBLINGS));
    }
  }

  private sendNewView(view: number, viewChanges: SignedMessage[]): void {
    const decision = computeNewViewDecision(viewChanges);
    const prePrepares = decision.prePrepares.map(({ seq, digest, request }) =>
      signedCopy({ type: 'PRE_PREPARE', view, seq, digest, sender: this.id, sig: this.signAsSelf('PRE_PREPARE', view, seq, digest), request }),
    );
    const payload: NewViewPayload = Object.freeze({ viewChanges: Object.freeze(viewChanges), prePrepares: Object.freeze(prePrepares) });
    const fields: OutgoingMessage = { type: 'NEW_VIEW', view, seq: 0, digest: '', payload };
    this.newViewSent = this.multicast(fields) ?? fields;
    this.installView(view, decision, prePrepares);
  }

  private onNewView(msg: Message): string | undefined {
    if (!isWhole(msg.view)) return 'malformed NEW-VIEW';
    if (msg.view < this.view || (msg.view === this.view && !this.viewChanging)) return `view ${msg.view} is already installed or stale`;
    if (msg.sender !== primaryOf(msg.view, this.n)) return `NEW-VIEW from ${msg.sender}, who is not the primary of view ${msg.view}`;
    const checked = checkNewView(msg.view, msg.sender, msg.payload, this.rules);
    if ('problem' in checked) return `rejected NEW-VIEW: ${checked.problem}`;
    this.installView(msg.view, checked.decision, (msg.payload as NewViewPayload).prePrepares);
    return undefined;
  }

  /** Enters `view` with the PRE-PREPAREs of O; backups vote for each of them again in the new view. */
  private installView(view: number, decision: NewViewDecision, prePrepares: readonly SignedMessage[]): void {
    this.stopTimer();
    const stable = decision.stable;
    if (stable.seq > this.lowWatermark) {
      if (this.lastExecuted < stable.seq) this.transferState(stable.seq, stable.digest);
      if (this.lastExecuted >= stable.seq) this.makeStable(stable);
    }
    this.view = view;
    this.viewChanging = false;
    this.assigned = null;
    const primary = primaryOf(view, this.n);
    this.host.showView(this.id, view, primary);
    let maxSeq = stable.seq;
    for (const pp of prePrepares) {
      maxSeq = Math.max(maxSeq, pp.seq);
      if (pp.seq <= this.lowWatermark) continue;
      const request = pp.request ?? null;
      if (request) (this.assigned ??= new Map()).set(pp.digest, pp.seq);
      this.acceptPrePrepare(this.slot(pp.seq), view, pp.digest, request, pp.sig);
    }
    this.lastAssigned = Math.max(maxSeq, this.lowWatermark);
    for (const slot of this.log.values()) {
      slot.prepares.forgetBefore(view, slot.prepared?.prepares ?? null);
      slot.commits.forgetBefore(view, null);
    }
    this.noteProgress();
    this.releaseHeld();
    if (this.isPrimary) {
      this.proposePending();
    } else {
      for (const request of this.waiting.values()) {
        if (!prePrepares.some((pp) => pp.digest === request.digest)) {
          this.send(primary, { type: 'REQUEST', view, seq: 0, digest: request.digest, request, timestamp: request.timestamp });
        }
      }
      this.startRequestTimer();
    }
    this.armResend();
  }

  /** Uses the held messages it can use now (its view, inside its window); lets go of those it never will. */
  private releaseHeld(): void {
    const ready = this.held.take((m) => {
      if (m.view < this.view || m.seq <= this.lowWatermark) return 'dead';
      if (m.view === this.view && !this.viewChanging && m.seq <= this.highWatermark) return 'ready';
      return 'keep';
    });
    for (const { msg, from } of ready) this.onNormalCase(msg, from);
  }

  // ───────────────────────────── helpers ─────────────────────────────

  private slot(seq: number): Slot {
    let slot = this.log.get(seq);
    if (!slot) {
      slot = {
        seq,
        prePrepare: null,
        prepares: new VoteBook(this.n),
        commits: new VoteBook(this.n),
        prepared: null,
        prepareSentView: -1,
        commitSentView: -1,
        committedView: -1,
        executed: seq <= this.lastExecuted,
      };
      this.log.set(seq, slot);
    }
    return slot;
  }

  private emit(event: TraceDraft): void {
    this.host.emit(this.id, event);
  }

  inspect(): ReplicaSelfInspection {
    const log = [...this.log.values()]
      .sort((a, b) => a.seq - b.seq)
      .map((slot) => {
        const pp = slot.prePrepare;
        const prepares = pp ? slot.prepares.tally(pp.view, pp.digest) : null;
        return {
          seq: slot.seq,
          view: pp?.view ?? null,
          digest: pp?.digest ?? null,
          phase: slotPhase(slot),
          prepares: pp ? slot.prepares.count(pp.view, pp.digest) : 0,
          prepareQuorum: this.quorum - 1,
          commits: pp ? slot.commits.count(pp.view, pp.digest) : 0,
          commitQuorum: this.quorum,
          proposer: pp ? primaryOf(pp.view, this.n) : null,
          prepareSigners: prepares ? prepares.signed().map((v) => v.sender) : [],
        };
      });
    const viewChanges = this.viewChanging
      ? this.viewChangesFor(this.view).map((vc) => {
          const p = vc.payload as ViewChangePayload;
          return { sender: vc.sender, checkpoint: p.stable.seq, prepared: p.prepared.map((c) => c.prePrepare.seq) };
        })
      : [];
    return {
      id: this.id,
      view: this.view,
      role: this.isPrimary ? 'primary' : 'backup',
      viewChanging: this.viewChanging,
      lastExecuted: this.lastExecuted,
      stableCheckpoint: { seq: this.stableCheckpoint.seq, digest: this.stableCheckpoint.digest, signers: this.stableCheckpoint.messages.map((m) => m.sender) },
      lowWatermark: this.lowWatermark,
      highWatermark: this.highWatermark,
      timer: this.timer ? { ...this.timer } : null,
      waiting: this.waiting.size,
      log,
      viewChanges,
      held: this.held.size(),
      resend: this.resendDeadline !== null ? { deadline: Math.max(this.resendDeadline, this.quietSince + this.backoff(this.resendRound, MAX_RESEND_DOUBLINGS)), attempt: this.resendRound } : null,
    };
  }
}

/** A stored CHECKPOINT as fields to send again (the host signs them anew: the same words give the same signature). */
function checkpointFields(m: SignedMessage): OutgoingMessage {
  return { type: 'CHECKPOINT', view: m.view, seq: m.seq, digest: m.digest, payload: m.payload };
}

function viewChangeFields(m: SignedMessage): OutgoingMessage {
  return { type: 'VIEW_CHANGE', view: m.view, seq: m.seq, digest: m.digest, payload: m.payload };
}
