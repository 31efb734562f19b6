import { INITIAL_STATE_DIGEST, nextStateDigest } from '../../messages';
import type { ClientRequest, Message, NodeId, OutgoingMessage, SlotPhase } from '../../types';
import type { ExecutedEntry, ReplicaConfig, ReplicaHost, ReplicaModel, ReplicaSelfInspection } from '../contract';
import { inspectionWithoutCheckpoints } from '../shared';

interface SeedSlot {
  seq: number;
  digest: string | null;
  request: ClientRequest | null;
  prepares: Map<string, Set<NodeId>>;
  commits: Map<string, Set<NodeId>>;
  commitSent: boolean;
  committed: boolean;
}

/**
 * The seed article's node, reproduced rule for rule so its results can be compared with real PBFT:
 * the primary is replica 0 forever (no view change, no checkpoints, no timers); every node — the primary included —
 * multicasts a PREPARE for the digest it was given; a node sends COMMIT when a PREPARE arrives and it then holds
 * 2f+1 PREPAREs for its digest (the rule is checked only on PREPARE arrival); it commits on 2f+1 COMMITs.
 * A node counts its own votes as it said them. The one addition: a committed node replies to the client, so the picture
 * can end. (The seed's liars — a primary that gives every backup a different digest, backups that never COMMIT — are
 * its adversaries, ./adversaries.ts.)
 */
export class SeedReplica implements ReplicaModel {
  readonly id: NodeId;
  readonly view = 0;
  readonly viewChanging = false;
  readonly timer = null;
  readonly lowWatermark = 0;
  lastExecuted = 0;
  readonly executedLog: ExecutedEntry[] = [];
  private readonly quorum: number;
  private readonly host: ReplicaHost;
  private readonly log = new Map<number, SeedSlot>();
  private lastAssigned = 0;
  private readonly proposed = new Set<string>();
  private stateDigest = INITIAL_STATE_DIGEST;

  constructor(config: ReplicaConfig, host: ReplicaHost) {
    this.id = config.id;
    // The seed needs 2f+1 of everything whatever n is.
    this.quorum = 2 * config.f + 1;
    this.host = host;
  }

  get isPrimary(): boolean {
    return this.id === 0;
  }

  get highWatermark(): number {
    return Number.MAX_SAFE_INTEGER;
  }

  phaseOf(digest: string): SlotPhase | null {
    for (const slot of this.log.values()) if (slot.request?.digest === digest || slot.digest === digest) return slotPhase(slot);
    return null;
  }

  receive(msg: Message, from: NodeId): string | undefined {
    if (msg.sender !== from) return `claims to be from ${msg.sender} but came from ${from}`;
    if (!Number.isInteger(msg.seq)) return 'malformed message';
    switch (msg.type) {
      case 'REQUEST':
        return this.onRequest(msg);
      case 'PRE_PREPARE':
        if (from !== 0) return 'PRE-PREPARE not from the primary';
        if (typeof msg.digest !== 'string') return 'malformed PRE-PREPARE';
        return this.onPrePrepare(msg.seq, msg.digest, msg.request ?? null);
      case 'PREPARE':
        return this.onPrepare(msg, from);
      case 'COMMIT':
        return this.onCommit(msg, from);
      default:
        return `the seed's nodes have no ${msg.type}`;
    }
  }

  onTimer(): void {}

  inspect(): ReplicaSelfInspection {
    return inspectionWithoutCheckpoints(
      this,
      null,
      0,
      [...this.log.values()]
        .sort((a, b) => a.seq - b.seq)
        .map((slot) => ({
          seq: slot.seq,
          view: slot.digest === null ? null : 0,
          digest: slot.digest,
          phase: slotPhase(slot),
          prepares: slot.digest ? (slot.prepares.get(slot.digest)?.size ?? 0) : 0,
          prepareQuorum: this.quorum,
          commits: slot.digest ? (slot.commits.get(slot.digest)?.size ?? 0) : 0,
          commitQuorum: this.quorum,
          proposer: slot.digest === null ? null : 0,
          // The seed signs nothing: it holds votes, not proofs.
          prepareSigners: slot.digest ? [...(slot.prepares.get(slot.digest) ?? [])].sort((x, y) => x - y) : [],
        })),
    );
  }

  private onRequest(msg: Message): string | undefined {
    const request = msg.request;
    if (!this.isPrimary) return 'only the primary takes requests';
    if (!request || typeof request.digest !== 'string' || !this.host.isAuthentic(request)) return 'request is not signed by the client';
    if (this.proposed.has(request.digest)) return undefined;
    this.proposed.add(request.digest);
    const seq = ++this.lastAssigned;
    this.multicast({ type: 'PRE_PREPARE', view: 0, seq, digest: request.digest, request });
    this.onPrePrepare(seq, request.digest, request);
    return undefined;
  }

  private onPrePrepare(seq: number, digest: string, request: ClientRequest | null): string | undefined {
    const slot = this.slot(seq);
    if (slot.digest !== null) return 'already has a PRE-PREPARE for this number';
    slot.digest = digest;
    slot.request = request;
    this.host.showPhase(this.id, 0, seq, digest, 'pre-prepared');
    const said = this.multicast({ type: 'PREPARE', view: 0, seq, digest });
    if (said) this.record(slot.prepares, said.digest, this.id);
    return undefined;
  }

  private onPrepare(msg: Message, from: NodeId): string | undefined {
    const slot = this.slot(msg.seq);
    if (!this.record(slot.prepares, msg.digest, from)) return 'duplicate vote';
    // The seed checks its commit rule here, and only here.
    if (slot.digest !== null && !slot.commitSent && (slot.prepares.get(slot.digest)?.size ?? 0) >= this.quorum) {
      slot.commitSent = true;
      this.host.showPhase(this.id, 0, slot.seq, slot.digest, 'prepared');
      const said = this.multicast({ type: 'COMMIT', view: 0, seq: slot.seq, digest: slot.digest });
      if (said) this.record(slot.commits, said.digest, this.id);
      this.checkCommitted(slot);
    }
    return undefined;
  }

  private onCommit(msg: Message, from: NodeId): string | undefined {
    const slot = this.slot(msg.seq);
    if (!this.record(slot.commits, msg.digest, from)) return 'duplicate vote';
    this.checkCommitted(slot);
    return undefined;
  }

  private checkCommitted(slot: SeedSlot): void {
    if (slot.committed || !slot.commitSent || slot.digest === null) return;
    if ((slot.commits.get(slot.digest)?.size ?? 0) < this.quorum) return;
    slot.committed = true;
    this.host.showPhase(this.id, 0, slot.seq, slot.digest, 'committed');
    // The seed has one sequence number and commits out of order; we record commits as they happen.
    this.lastExecuted = Math.max(this.lastExecuted, slot.seq);
    const request = slot.request && slot.request.digest === slot.digest ? slot.request : null;
    if (request) this.stateDigest = nextStateDigest(this.stateDigest, request.op, slot.seq);
    this.executedLog.push({ seq: slot.seq, digest: slot.digest, request, state: this.stateDigest });
    this.host.showPhase(this.id, 0, slot.seq, slot.digest, 'executed');
    if (request) this.send(request.client, { type: 'REPLY', view: 0, seq: 0, digest: request.digest, timestamp: request.timestamp, result: this.stateDigest });
  }

  private record(votes: Map<string, Set<NodeId>>, digest: string, sender: NodeId): boolean {
    let voters = votes.get(digest);
    if (!voters) votes.set(digest, (voters = new Set()));
    if (voters.has(sender)) return false;
    voters.add(sender);
    return true;
  }

  private slot(seq: number): SeedSlot {
    let slot = this.log.get(seq);
    if (!slot) this.log.set(seq, (slot = { seq, digest: null, request: null, prepares: new Map(), commits: new Map(), commitSent: false, committed: false }));
    return slot;
  }

  private send(to: NodeId, fields: OutgoingMessage): void {
    this.host.send(this.id, to, fields);
  }

  /** To every other node; returns what this node said (its own vote), or null if it said nothing. */
  private multicast(fields: OutgoingMessage): OutgoingMessage | null {
    return this.host.multicast(this.id, fields);
  }
}

/** Where a node stands for one number: the one definition, for its answer about a request and for its inspector. */
function slotPhase(slot: SeedSlot): SlotPhase | null {
  if (slot.committed) return 'executed';
  if (slot.commitSent) return 'prepared';
  return slot.digest ? 'pre-prepared' : null;
}
