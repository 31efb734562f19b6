/**
 * What the leader-based plug-ins (HotStuff, Tendermint) share and PBFT does its own way: the requests a replica knows
 * of and has not executed, executing one into its log, and catching up by state transfer on a leader's word.
 */
import { INITIAL_STATE_DIGEST, nextStateDigest } from '../messages';
import type { ClientRequest, Message, NodeId, SlotInspection, TimerKind } from '../types';
import { CLIENT } from '../types';
import type { ExecutedEntry, ReplicaHost, ReplicaModel, ReplicaSelfInspection } from './contract';

/** Where an executed history stands: its last number and the state digest after it (what a leader's message carries). */
export interface ExecutedBase {
  seq: number;
  state: string;
}

export function isBase(x: unknown): x is ExecutedBase {
  const b = x as Partial<ExecutedBase> | null;
  return typeof b === 'object' && b !== null && Number.isInteger(b.seq) && (b.seq as number) >= 0 && typeof b.state === 'string';
}

/**
 * A replica's application: the requests it knows of and has not executed (while any exist, its timer runs), what it
 * executed (one entry per decided number, the request or null when it had already run that request) and the replies
 * it owes.
 */
export class Application {
  readonly executedLog: ExecutedEntry[] = [];
  readonly pending = new Map<string, ClientRequest>();
  /**
   * Executed requests by digest, as their log entries (`state` is the result it replied): a retransmission is answered
   * again, never re-run. Filled from the log only when asked (`executed`): in the normal case nobody asks — a new
   * request is newer than all it executed, and one it executes it holds as waiting — and a map entry per replica per
   * decision was a tenth of a linear protocol's cost at n = 64.
   */
  private readonly results = new Map<string, ExecutedEntry>();
  /** How much of the log `results` holds. */
  private indexed = 0;
  lastExecuted = 0;
  state = INITIAL_STATE_DIGEST;
  /** The newest timestamp among the requests it executed. */
  private newestExecuted = -Infinity;

  constructor(
    private readonly id: NodeId,
    private readonly host: ReplicaHost,
  ) {}

  get base(): ExecutedBase {
    return { seq: this.lastExecuted, state: this.state };
  }

  /**
   * A REQUEST that reached it: a genuine one it has not executed is kept (and, when it came from the client itself,
   * relayed to every replica, as leaders rotate and each must know what waits); one it executed is answered again.
   * Returns why it is ignored, or undefined.
   */
  onRequest(msg: Message, from: NodeId, view: number, relay: (request: ClientRequest) => void): string | undefined {
    const request = msg.request;
    if (!request || typeof request.digest !== 'string' || !this.host.isAuthentic(request)) return 'request is not signed by the client';
    // A request newer than everything it executed cannot have been executed: no lookup in the ever-growing results.
    const done = request.timestamp > this.newestExecuted ? undefined : this.executed(request.digest);
    if (done) {
      if (from === CLIENT) this.reply(request, done.state, view);
      return undefined;
    }
    if (this.pending.has(request.digest)) return from === CLIENT ? undefined : 'already known';
    this.pending.set(request.digest, request);
    if (from === CLIENT) relay(request);
    return undefined;
  }

  /** Executes one decided number: the request (null when it already ran, or none), emitting what the checker reads. */
  execute(seq: number, view: number, request: ClientRequest | null, digest: string, reply = true): void {
    // A request it holds as waiting has not run (it is kept only if not executed, and dropped once it is): the small
    // map answers before the ever-growing one.
    const fresh = request !== null && (this.pending.has(request.digest) || this.executed(request.digest) === undefined);
    if (fresh) this.state = nextStateDigest(this.state, request.op, seq);
    this.lastExecuted = seq;
    this.executedLog.push({ seq, digest, request: fresh ? request : null, state: this.state });
    if (request) this.pending.delete(request.digest);
    this.host.showPhase(this.id, view, seq, digest, 'committed');
    this.host.showPhase(this.id, view, seq, digest, 'executed');
    if (fresh) {
      if (request.timestamp > this.newestExecuted) this.newestExecuted = request.timestamp;
      if (reply) this.reply(request, this.state, view);
    }
  }

  /** The log entry of the request with this digest, if it executed it. */
  executed(digest: string): ExecutedEntry | undefined {
    const log = this.executedLog;
    for (; this.indexed < log.length; this.indexed++) {
      const e = log[this.indexed];
      if (e.request) this.results.set(e.request.digest, e);
    }
    return this.results.get(digest);
  }

  /**
   * State transfer: the history of a replica whose state after `base.seq` was `base.state` (a leader says where it
   * stands); the numbers this replica missed are adopted as executed (no replies: the client has its f+1 elsewhere).
   * Returns whether it now stands at base.seq.
   */
  catchUp(base: ExecutedBase, view: number): boolean {
    if (base.seq <= this.lastExecuted) return base.seq === this.lastExecuted && base.state === this.state;
    const history = this.host.fetchState(base.seq, base.state);
    if (!history) return false;
    for (const e of history) {
      if (e.seq <= this.lastExecuted) continue;
      this.execute(e.seq, view, e.request, e.digest, false);
    }
    // Whatever the source computed is what its state digest says; a history with a gap would not get here.
    return this.lastExecuted === base.seq && this.state === base.state;
  }

  private reply(request: ClientRequest, result: string, view: number): void {
    this.host.send(this.id, request.client, { type: 'REPLY', view, seq: 0, digest: request.digest, timestamp: request.timestamp, result });
  }
}

/**
 * The inspection of a replica of a protocol with no PBFT-style view-change protocol, checkpoints or watermarks
 * (HotStuff, Tendermint, the seed's): what it has — its view or round, its timer, how far it executed, what waits, its
 * log and its own state by the protocol's names — with PBFT's parts empty. `timerKind`: what its running timer waits
 * for, by the protocol's own name (HotStuff's view timer, Tendermint's timeout of the step it is in).
 */
export function inspectionWithoutCheckpoints(
  replica: Pick<ReplicaModel, 'id' | 'view' | 'isPrimary' | 'highWatermark' | 'timer' | 'lastExecuted'>,
  timerKind: TimerKind | null,
  waiting: number,
  log: SlotInspection[],
  protocolState?: ReplicaSelfInspection['protocolState'],
): ReplicaSelfInspection {
  return {
    id: replica.id,
    view: replica.view,
    role: replica.isPrimary ? 'primary' : 'backup',
    viewChanging: false,
    lastExecuted: replica.lastExecuted,
    stableCheckpoint: { seq: 0, digest: INITIAL_STATE_DIGEST, signers: [] },
    lowWatermark: 0,
    highWatermark: replica.highWatermark,
    timer: replica.timer && timerKind ? { kind: timerKind, ...replica.timer } : null,
    waiting,
    log,
    viewChanges: [],
    held: 0,
    resend: null,
    ...(protocolState ? { protocolState } : {}),
  };
}
