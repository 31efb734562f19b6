import { INITIAL_STATE_DIGEST, nextStateDigest, NULL_DIGEST } from '../../messages';
import { primaryOf } from '../../scenario';
import type { ClientRequest, Message, NodeId, OutgoingMessage, SlotPhase } from '../../types';
import { CLIENT } from '../../types';
import type { ExecutedEntry, ReplicaConfig, ReplicaHost, ReplicaModel, ReplicaSelfInspection, TraceDraft } from '../contract';
import { slotPhase, VoteBook, type Slot } from './log';
import type { CheckpointPayload, CheckpointProof, NewViewPayload, PreparedCertificate, ReProposal, ViewChangePayload } from './payloads';
import { computeNewViewDecision, verifyNewView } from './viewChange';

/** Messages of a view this replica has not entered yet are held here and replayed when it gets there. */
const FUTURE_BUFFER_LIMIT = 20_000;

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
  stableCheckpoint: CheckpointProof = { seq: 0, digest: INITIAL_STATE_DIGEST, signers: [] };
  stateDigest = INITIAL_STATE_DIGEST;
  readonly executedLog: ExecutedEntry[] = [];
  /** Requests it knows of and has not executed: while any exist, a backup's view-change timer runs. */
  readonly waiting = new Map<string, ClientRequest>();
  timer: { startedAt: number; deadline: number; kind: 'request' | 'view-change' } | null = null;

  private readonly config: ReplicaConfig;
  private readonly host: ReplicaHost;
  private readonly log = new Map<number, Slot>();
  /** Executed requests by digest, with their results: deduplicates and answers client retransmissions. */
  private readonly replies = new Map<string, { timestamp: number; result: string }>();
  private readonly checkpointVotes = new Map<number, Map<string, Set<NodeId>>>();
  private ownCheckpoints = new Map<number, string>();
  private readonly viewChanges = new Map<number, Map<NodeId, ViewChangePayload>>();
  private futureBuffer: Array<{ msg: Message; from: NodeId }> = [];
  /** Primary only: the last sequence number it assigned, and which digests hold a number in this view. */
  private lastAssigned = 0;
  private assigned = new Map<string, number>();
  private newViewSent: NewViewPayload | null = null;
  /** Consecutive view changes without progress: the next one waits T · 2^attempts. */
  private viewChangeAttempts = 0;
  private viewChangeQuorumSeen = -1;
  /** A checkpoint the others made stable beyond what this replica has executed. */
  private checkpointAhead: { seq: number; digest: string } | null = null;

  constructor(config: ReplicaConfig, host: ReplicaHost) {
    this.config = config;
    this.host = host;
    this.id = config.id;
    this.n = config.n;
    this.f = config.f;
    this.quorum = config.quorum;
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

  // ───────────────────────────── inbound ─────────────────────────────

  /** Handles one delivered message; returns why it was ignored, or undefined when it was used. */
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
    if (this.viewChanging) {
      if (from === CLIENT) this.resendViewChange();
      return undefined;
    }
    if (this.isPrimary) {
      const seq = this.assigned.get(request.digest);
      if (seq !== undefined) {
        if (from === CLIENT) this.resendForSlot(seq);
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
    if (msg.view < this.view) return `stale view ${msg.view} (replica is in view ${this.view})`;
    if (msg.view > this.view || this.viewChanging) {
      this.futureBuffer.push({ msg, from });
      if (this.futureBuffer.length > FUTURE_BUFFER_LIMIT) this.futureBuffer.shift();
      return undefined;
    }
    if (!(msg.seq > this.lowWatermark && msg.seq <= this.highWatermark)) {
      return `#${msg.seq} is outside the watermarks (${this.lowWatermark}, ${this.highWatermark}]`;
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
      return slot.prePrepare.digest === msg.digest ? 'duplicate PRE-PREPARE' : `already accepted ${slot.prePrepare.digest} for #${msg.seq} in view ${msg.view}`;
    }
    this.acceptPrePrepare(slot, msg.view, msg.digest, request);
    return undefined;
  }

  /** Takes a PRE-PREPARE into the log and, as a backup, votes for it. */
  private acceptPrePrepare(slot: Slot, view: number, digest: string, request: ClientRequest | null): void {
    this.setPrePrepare(slot, view, digest, request);
    if (request && !this.replies.has(request.digest)) this.remember(request);
    this.emit({ kind: 'phase', replica: this.id, view, seq: slot.seq, digest, phase: 'pre-prepared' });
    if (!this.isPrimary) {
      this.multicastVote(slot.prepares, 'PREPARE', view, slot.seq, digest);
    }
    this.checkCertificates(slot);
  }

  private setPrePrepare(slot: Slot, view: number, digest: string, request: ClientRequest | null): void {
    slot.prePrepare = { view, digest, request };
    slot.prepares.focus(view, digest);
    slot.commits.focus(view, digest);
  }

  private onPrepare(msg: Message, from: NodeId): string | undefined {
    // The primary's PRE-PREPARE is its vote; a PREPARE from it would let it be counted twice.
    if (from === primaryOf(msg.view, this.n)) return 'PREPARE from the primary is not counted';
    const slot = this.slot(msg.seq);
    if (!this.vote(slot.prepares, msg.view, msg.digest, from)) return 'duplicate vote';
    this.checkCertificates(slot);
    return undefined;
  }

  private onCommit(msg: Message, from: NodeId): string | undefined {
    const slot = this.slot(msg.seq);
    if (!this.vote(slot.commits, msg.view, msg.digest, from)) return 'duplicate vote';
    this.checkCertificates(slot);
    return undefined;
  }

  /** Counts a vote once per sender; false if this sender had already voted for it. */
  private vote(votes: VoteBook, view: number, digest: string, sender: NodeId): boolean {
    return votes.tally(view, digest).add(sender);
  }

  /** prepared and committed-local, re-checked on every arrival since votes come in any order. */
  private checkCertificates(slot: Slot): void {
    const pp = slot.prePrepare;
    if (!pp || pp.view !== this.view || this.viewChanging) return;
    const preparedNow = slot.prepared !== null && slot.prepared.view === pp.view && slot.prepared.digest === pp.digest;
    if (!preparedNow && slot.prepares.count(pp.view, pp.digest) >= this.quorum - 1) {
      slot.prepared = { seq: slot.seq, view: pp.view, digest: pp.digest, request: pp.request };
      this.emit({ kind: 'phase', replica: this.id, view: pp.view, seq: slot.seq, digest: pp.digest, phase: 'prepared' });
    }
    const prepared = slot.prepared !== null && slot.prepared.view === pp.view && slot.prepared.digest === pp.digest;
    if (prepared && slot.commitSentView !== pp.view) {
      slot.commitSentView = pp.view;
      this.multicastVote(slot.commits, 'COMMIT', pp.view, slot.seq, pp.digest);
    }
    if (prepared && slot.committedView !== pp.view && slot.commits.count(pp.view, pp.digest) >= this.quorum) {
      slot.committedView = pp.view;
      this.emit({ kind: 'phase', replica: this.id, view: pp.view, seq: slot.seq, digest: pp.digest, phase: 'committed' });
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
    if (progressed) {
      this.viewChangeAttempts = 0;
      this.restartRequestTimer();
    }
  }

  private execute(seq: number, digest: string, request: ClientRequest | null): void {
    this.lastExecuted = seq;
    // A request committed at two sequence numbers (possible after a view change) runs only once.
    const runs = request !== null && digest !== NULL_DIGEST && !this.replies.has(digest);
    if (runs) this.stateDigest = nextStateDigest(this.stateDigest, request.op, seq);
    this.rememberExecuted({ seq, digest, request: runs ? request : null, state: this.stateDigest });
    this.emit({ kind: 'phase', replica: this.id, view: this.view, seq, digest, phase: 'executed' });
    if (runs) {
      this.replies.set(digest, { timestamp: request.timestamp, result: this.stateDigest });
      this.waiting.delete(digest);
      this.assigned.delete(digest);
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
    const unassigned = [...this.waiting.values()].filter((r) => !this.assigned.has(r.digest));
    for (const request of this.host.proposals(this.id, unassigned, this.highWatermark - this.lastAssigned)) {
      if (this.lastAssigned + 1 > this.highWatermark) return; // stalls until a checkpoint moves h
      const seq = ++this.lastAssigned;
      this.assigned.set(request.digest, seq);
      const slot = this.slot(seq);
      this.setPrePrepare(slot, this.view, request.digest, request);
      this.emit({ kind: 'phase', replica: this.id, view: this.view, seq, digest: request.digest, phase: 'pre-prepared' });
      this.sendPrePrepares(seq, request);
      this.checkCertificates(slot);
    }
  }

  private sendPrePrepares(seq: number, request: ClientRequest, repeat = false): void {
    this.multicast({ type: 'PRE_PREPARE', view: this.view, seq, digest: request.digest, request }, repeat);
  }

  /** Multicasts its PREPARE or COMMIT and logs the copy it keeps as its own vote. */
  private multicastVote(votes: VoteBook, type: 'PREPARE' | 'COMMIT', view: number, seq: number, digest: string): void {
    const own = this.multicast({ type, view, seq, digest });
    if (own) this.vote(votes, view, own.digest, this.id);
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
    this.ownCheckpoints.set(seq, this.stateDigest);
    const payload: CheckpointPayload = { stateDigest: this.stateDigest };
    this.recordCheckpointVote(seq, this.stateDigest, this.id);
    this.multicast({ type: 'CHECKPOINT', view: this.view, seq, digest: this.stateDigest, payload });
    this.emit({ kind: 'checkpoint', replica: this.id, seq, stable: false });
    this.checkStable(seq, this.stateDigest);
  }

  private onCheckpoint(msg: Message): string | undefined {
    if (typeof msg.digest !== 'string' || !Number.isInteger(msg.seq)) return 'malformed CHECKPOINT';
    if (msg.seq <= this.lowWatermark) return `checkpoint #${msg.seq} is already below the low watermark`;
    if (!this.recordCheckpointVote(msg.seq, msg.digest, msg.sender)) return 'duplicate vote';
    this.checkStable(msg.seq, msg.digest);
    return undefined;
  }

  private recordCheckpointVote(seq: number, digest: string, sender: NodeId): boolean {
    let byDigest = this.checkpointVotes.get(seq);
    if (!byDigest) this.checkpointVotes.set(seq, (byDigest = new Map()));
    let voters = byDigest.get(digest);
    if (!voters) byDigest.set(digest, (voters = new Set()));
    if (voters.has(sender)) return false;
    voters.add(sender);
    return true;
  }

  private checkStable(seq: number, digest: string): void {
    const voters = this.checkpointVotes.get(seq)?.get(digest);
    if (!voters || voters.size < this.quorum || seq <= this.lowWatermark) return;
    if (this.lastExecuted < seq) {
      // The others are ahead. Slightly behind, it will get there by itself (its own checkpoint at `seq` finds
      // this quorum waiting); a whole checkpoint behind, or stuck when its timer fires, it fetches the state.
      const earlier = this.checkpointAhead;
      const behind = earlier !== null && earlier.seq > this.lastExecuted && earlier.seq < seq;
      this.checkpointAhead = { seq, digest };
      if (!behind || !this.transferState(seq, digest)) return;
    }
    const own = this.ownCheckpoints.get(seq);
    if (own !== undefined && own !== digest) return; // our own state differs: never adopt someone else's proof
    this.makeStable({ seq, digest, signers: [...voters].sort((x, y) => x - y) });
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
    for (const seq of [...this.checkpointVotes.keys()]) if (seq <= proof.seq) this.checkpointVotes.delete(seq);
    for (const seq of [...this.ownCheckpoints.keys()]) if (seq < proof.seq) this.ownCheckpoints.delete(seq);
    this.emit({ kind: 'checkpoint', replica: this.id, seq: proof.seq, stable: true });
  }

  /** A replica that fell behind fetches the certified state instead of re-running what it missed. */
  private transferState(seq: number, digest: string): boolean {
    const history = this.host.fetchState(seq, digest);
    if (!history) return false;
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
      this.emit({ kind: 'phase', replica: this.id, view: this.view, seq: entry.seq, digest: entry.digest, phase: 'executed' });
    }
    this.ownCheckpoints.set(seq, digest);
    this.executeReady();
    this.restartRequestTimer();
    return this.lastExecuted >= seq;
  }

  private resendLatestCheckpoint(): void {
    let latest = -1;
    for (const seq of this.ownCheckpoints.keys()) if (seq > this.lowWatermark && seq > latest) latest = seq;
    if (latest < 0) return;
    const digest = this.ownCheckpoints.get(latest)!;
    this.multicast({ type: 'CHECKPOINT', view: this.view, seq: latest, digest, payload: { stateDigest: digest } }, true);
  }

  /** Under loss, a client's retransmission is the cue to repeat what this replica already said for that slot. */
  private resendForSlot(seq: number): void {
    const slot = this.log.get(seq);
    const pp = slot?.prePrepare;
    if (!slot || !pp || pp.view !== this.view) return;
    if (this.isPrimary && pp.request) this.sendPrePrepares(seq, pp.request, true);
    if (!this.isPrimary) this.multicast({ type: 'PREPARE', view: pp.view, seq, digest: pp.digest }, true);
    if (slot.commitSentView === pp.view) this.multicast({ type: 'COMMIT', view: pp.view, seq, digest: pp.digest }, true);
    if (this.isPrimary && this.newViewSent) this.multicast({ type: 'NEW_VIEW', view: this.view, seq: 0, digest: '', payload: this.newViewSent }, true);
  }

  private seqOf(digest: string): number | undefined {
    for (const slot of this.log.values()) if (slot.prePrepare?.digest === digest && slot.prePrepare.view === this.view) return slot.seq;
    return undefined;
  }

  // ───────────────────────────── timers ─────────────────────────────

  /** A backup waiting for a request it knows of suspects the primary when the timer fires. */
  private startRequestTimer(): void {
    if (this.timer || this.viewChanging || this.isPrimary || this.waiting.size === 0) return;
    this.setTimer('request', this.config.viewChangeTimeoutMs);
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
    this.host.clearTimer(this.id);
    this.emit({ kind: 'timer', replica: this.id, action: 'stop', deadline: this.host.now() });
  }

  private setTimer(kind: 'request' | 'view-change', delay: number): void {
    const now = this.host.now();
    this.timer = { startedAt: now, deadline: now + delay, kind };
    this.host.setTimer(this.id, delay);
    this.emit({ kind: 'timer', replica: this.id, action: 'start', deadline: now + delay });
  }

  /** Called by the host when this replica's timer fires. */
  onTimer(): void {
    if (!this.timer) return;
    const kind = this.timer.kind;
    this.timer = null;
    this.emit({ kind: 'timer', replica: this.id, action: 'stop', deadline: this.host.now() });
    if (kind === 'request' && (this.waiting.size === 0 || this.viewChanging)) return;
    const ahead = this.checkpointAhead;
    if (kind === 'request' && ahead && ahead.seq > this.lastExecuted) {
      // Not the primary's fault: a quorum moved on without us. Catch up instead of asking for a new view.
      this.checkStableAfterTransfer(ahead.seq, ahead.digest);
      return;
    }
    this.startViewChange(this.view + 1);
  }

  // ───────────────────────────── view change ─────────────────────────────

  private startViewChange(target: number): void {
    if (target <= this.view) return;
    if (this.viewChanging) this.viewChangeAttempts++;
    this.stopTimer();
    this.view = target;
    this.viewChanging = true;
    this.newViewSent = null;
    this.assigned = new Map();
    const payload = this.viewChangePayload();
    this.recordViewChange(target, this.id, payload);
    this.emit({ kind: 'view-change', replica: this.id, view: target });
    this.multicast({ type: 'VIEW_CHANGE', view: target, seq: this.lowWatermark, digest: '', payload });
    for (const v of [...this.viewChanges.keys()]) if (v < target) this.viewChanges.delete(v);
    this.afterViewChangeVote(target);
  }

  private viewChangePayload(): ViewChangePayload {
    const prepared: PreparedCertificate[] = [];
    for (const slot of this.log.values()) if (slot.prepared && slot.seq > this.lowWatermark) prepared.push(slot.prepared);
    prepared.sort((a, b) => a.seq - b.seq);
    return { stable: this.stableCheckpoint, prepared };
  }

  private resendViewChange(): void {
    const own = this.viewChanges.get(this.view)?.get(this.id);
    if (own) this.multicast({ type: 'VIEW_CHANGE', view: this.view, seq: own.stable.seq, digest: '', payload: own }, true);
  }

  private recordViewChange(view: number, sender: NodeId, payload: ViewChangePayload): boolean {
    let senders = this.viewChanges.get(view);
    if (!senders) this.viewChanges.set(view, (senders = new Map()));
    if (senders.has(sender)) return false;
    senders.set(sender, payload);
    return true;
  }

  private onViewChange(msg: Message): string | undefined {
    if (msg.view < this.view || (msg.view === this.view && !this.viewChanging)) return `view ${msg.view} is not ahead of view ${this.view}`;
    const payload = msg.payload as ViewChangePayload | undefined;
    if (!payload || !payload.stable || !Array.isArray(payload.prepared)) return 'malformed VIEW-CHANGE';
    if (!this.recordViewChange(msg.view, msg.sender, payload)) return 'duplicate VIEW-CHANGE';
    if (!(this.viewChanging && msg.view === this.view)) {
      // §4.5.2: f+1 replicas asking for higher views cannot all be faulty — join the smallest such view.
      const ahead = new Map<NodeId, number>();
      for (const [v, senders] of this.viewChanges) {
        if (v <= this.view) continue;
        for (const s of senders.keys()) if (s !== this.id && (!ahead.has(s) || v < ahead.get(s)!)) ahead.set(s, v);
      }
      if (ahead.size >= this.f + 1) this.startViewChange(Math.min(...ahead.values()));
      return undefined;
    }
    this.afterViewChangeVote(msg.view);
    return undefined;
  }

  /** With 2f+1 VIEW-CHANGEs for the view it is moving to, the new primary sends NEW-VIEW; backups wait T·2^k for it. */
  private afterViewChangeVote(view: number): void {
    if (!this.viewChanging || view !== this.view) return;
    const senders = this.viewChanges.get(view);
    if (!senders || senders.size < this.quorum) return;
    if (primaryOf(view, this.n) === this.id) {
      if (!this.newViewSent) this.sendNewView(view, senders);
      return;
    }
    if (this.viewChangeQuorumSeen !== view) {
      this.viewChangeQuorumSeen = view;
      this.setTimer('view-change', this.config.viewChangeTimeoutMs * 2 ** this.viewChangeAttempts);
    }
  }

  private sendNewView(view: number, senders: Map<NodeId, ViewChangePayload>): void {
    const viewChanges = [...senders.entries()]
      .sort((a, b) => a[0] - b[0])
      .slice(0, this.quorum)
      .map(([sender, payload]) => ({ sender, payload }));
    const payload: NewViewPayload = { viewChanges, ...computeNewViewDecision(viewChanges) };
    this.newViewSent = payload;
    this.multicast({ type: 'NEW_VIEW', view, seq: 0, digest: '', payload });
    this.installView(view, payload);
  }

  private onNewView(msg: Message): string | undefined {
    if (msg.view < this.view || (msg.view === this.view && !this.viewChanging)) return `view ${msg.view} is already installed or stale`;
    if (msg.sender !== primaryOf(msg.view, this.n)) return `NEW-VIEW from ${msg.sender}, who is not the primary of view ${msg.view}`;
    const payload = msg.payload as NewViewPayload | undefined;
    if (!payload || !Array.isArray(payload.viewChanges) || !Array.isArray(payload.prePrepares)) return 'malformed NEW-VIEW';
    if (payload.viewChanges.some((vc) => !vc.payload || !vc.payload.stable || !Array.isArray(vc.payload.prepared))) return 'malformed NEW-VIEW';
    const problem = verifyNewView(payload, this.quorum, this.n);
    if (problem) return `rejected NEW-VIEW: ${problem}`;
    this.installView(msg.view, payload);
    return undefined;
  }

  /** Enters `view` with the PRE-PREPAREs of O; backups vote for each of them again in the new view. */
  private installView(view: number, decision: NewViewPayload): void {
    this.stopTimer();
    if (decision.minSeq > this.lowWatermark) {
      const signers = decision.viewChanges.find((vc) => vc.payload.stable.seq === decision.minSeq)?.payload.stable.signers ?? [];
      if (this.lastExecuted < decision.minSeq) this.transferState(decision.minSeq, decision.checkpointDigest);
      if (this.lastExecuted >= decision.minSeq) this.makeStable({ seq: decision.minSeq, digest: decision.checkpointDigest, signers });
    }
    this.view = view;
    this.viewChanging = false;
    this.assigned = new Map();
    const primary = primaryOf(view, this.n);
    this.emit({ kind: 'new-view', replica: this.id, view, primary });
    let maxSeq = decision.minSeq;
    for (const entry of decision.prePrepares) {
      maxSeq = Math.max(maxSeq, entry.seq);
      if (entry.seq <= this.lowWatermark) continue;
      if (entry.request) this.assigned.set(entry.digest, entry.seq);
      this.acceptPrePrepare(this.slot(entry.seq), view, entry.digest, entry.request);
    }
    this.lastAssigned = Math.max(maxSeq, this.lowWatermark);
    this.replayFutureMessages();
    if (this.isPrimary) {
      this.proposePending();
    } else {
      for (const request of this.waiting.values()) {
        if (!decision.prePrepares.some((e: ReProposal) => e.digest === request.digest)) {
          this.send(primary, { type: 'REQUEST', view, seq: 0, digest: request.digest, request, timestamp: request.timestamp });
        }
      }
      this.startRequestTimer();
    }
  }

  private replayFutureMessages(): void {
    const ready = this.futureBuffer.filter((e) => e.msg.view === this.view);
    this.futureBuffer = this.futureBuffer.filter((e) => e.msg.view > this.view);
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
        return {
          seq: slot.seq,
          view: pp?.view ?? null,
          digest: pp?.digest ?? null,
          phase: slotPhase(slot),
          prepares: pp ? slot.prepares.count(pp.view, pp.digest) : 0,
          prepareQuorum: this.quorum - 1,
          commits: pp ? slot.commits.count(pp.view, pp.digest) : 0,
          commitQuorum: this.quorum,
        };
      });
    return {
      id: this.id,
      view: this.view,
      role: this.isPrimary ? 'primary' : 'backup',
      viewChanging: this.viewChanging,
      lastExecuted: this.lastExecuted,
      stableCheckpoint: { seq: this.stableCheckpoint.seq, digest: this.stableCheckpoint.digest, signers: this.stableCheckpoint.signers.length },
      lowWatermark: this.lowWatermark,
      highWatermark: this.highWatermark,
      timer: this.timer ? { ...this.timer } : null,
      waiting: this.waiting.size,
      log,
    };
  }
}
