/**
 * The one picture of a run: what every view shows — each replica's view, role, phase for the newest request,
 * execution, watermarks and timer; the messages in flight; the counters; why the client waits — folded from the
 * trace's events and nothing else. The simulation feeds it as it records (through typed calls that allocate nothing,
 * also when it keeps no trace); the page folds the events it keeps with the same code, so a past moment is drawn
 * exactly as it was drawn live.
 *
 * What events cannot say comes in as explicit inputs when the picture is derived: who lies and how lossy the network
 * is (a person's interventions, `PictureSettings`), the clock, and whether anything more is scheduled.
 */
import type { TraceDraft } from './protocols/contract';
import { protocolOf } from './protocols';
import type { ProtocolDescriptor } from './protocols/descriptor';
import { partitionOf, separates, withLink } from './network';
import { primaryOf, quorumSize } from './scenario';
import {
  CLIENT,
  MESSAGE_TYPES,
  type Behaviour,
  type LinkFault,
  type LossCause,
  type MessageSummary,
  type MessageType,
  type NodeId,
  type Partition,
  type ProtocolMode,
  type ReplicaSummary,
  type SafetyViolation,
  type Scenario,
  type SimStats,
  type SlotPhase,
  type TimedIntervention,
  type TraceEvent,
} from './types';

/** A message in the picture: who sent what to whom (its digest is not drawn), and its flight. */
export interface FlightMessage extends Omit<MessageSummary, 'digest'> {
  /** Virtual time it was sent. */
  sendT: number;
  /** Virtual time it arrives, or is lost when `lost` (when held: reaches the cut; once released: arrives). */
  arriveAt: number;
  lost: boolean;
  /** What loses it besides the drop rate — a partition's cut (it vanishes at the cut) or a lossy link — or null. */
  by: LossCause | null;
  /** Waiting at a partition's cut for Heal. */
  held: boolean;
  /** When Heal released it from the cut (it travels on from there, arriving at `arriveAt`), or −1. */
  releasedAt: number;
  /** It waits in flight for a hand (deliver by hand): `arriveAt` means nothing until it is handed back (`releasedAt`). */
  hand?: boolean;
}

/** A message as the picture draws it: what it carries that the wire needs (who, which type, view and number) and its flight. */
export function flightOf(msg: Omit<MessageSummary, 'digest'>, sendT: number, arriveAt: number, lost: boolean, by: LossCause | null = null, held = false): FlightMessage {
  return { id: msg.id, type: msg.type, from: msg.from, to: msg.to, view: msg.view, seq: msg.seq, sendT, arriveAt, lost, by, held, releasedAt: -1 };
}

/** What the picture needs of a run's scenario: constants for the whole run. */
export interface PictureContext {
  n: number;
  f: number;
  mode: ProtocolMode;
  /** H − h; unbounded for the seed's protocol, which has no watermarks. */
  watermarkWindow: number;
  /** Requests the client issues on its own, and how many at once (what is still to come counts as outstanding). */
  requests: number;
  concurrency: number;
  clientTimeoutMs: number;
}

/** A protocol without watermarks: its high watermark is as far as a number goes (as the seed's replica says). */
const UNBOUNDED_WATERMARK = Number.MAX_SAFE_INTEGER;

export function pictureContext(scenario: Scenario, n: number, f: number): PictureContext {
  const mode = scenario.mode ?? 'pbft';
  return {
    n,
    f,
    mode,
    watermarkWindow: protocolOf(mode).picture.watermarks ? Math.max(1, scenario.watermarkWindow) : UNBOUNDED_WATERMARK,
    requests: scenario.requests,
    concurrency: scenario.concurrency,
    clientTimeoutMs: scenario.clientTimeoutMs,
  };
}

/**
 * What a person changes by hand rather than events: who lies (by replica id), how lossy the network is, the partition
 * standing (or null) and the slow or lossy links.
 */
export interface PictureSettings {
  behaviours: ReadonlyArray<Behaviour | null>;
  dropRate: number;
  partition: Partition | null;
  links: readonly LinkFault[];
}

/** The settings after `index` events: the scenario's, changed by every intervention made by then. */
export function settingsAt(scenario: Scenario, n: number, interventions: readonly TimedIntervention[], index: number): PictureSettings {
  const behaviours: Array<Behaviour | null> = Array.from({ length: n }, (_, id) => scenario.malicious[id] ?? null);
  let dropRate = scenario.dropRate;
  for (const h of interventions) {
    if (h.afterEvent > index) break;
    const i = h.intervention;
    if (i.kind === 'setBehaviour' && i.id < n) behaviours[i.id] = i.behaviour;
    else if (i.kind === 'setNetwork' && i.params.dropRate !== undefined) dropRate = i.params.dropRate;
  }
  return { behaviours, dropRate, ...networkAt(scenario, interventions, index) };
}

/** The partition standing and the faulty links after `index` events: the scenario's, changed by every cut, heal and link since. */
export function networkAt(scenario: Scenario, interventions: readonly TimedIntervention[], index: number): Pick<PictureSettings, 'partition' | 'links'> {
  let partition = partitionOf(scenario);
  let links: readonly LinkFault[] = scenario.links ?? [];
  for (const h of interventions) {
    if (h.afterEvent > index) break;
    const i = h.intervention;
    if (i.kind === 'setPartition') partition = i.partition && i.partition.side.length > 0 ? i.partition : null;
    else if (i.kind === 'setLink') links = withLink(links, i.a, i.b, i.fault);
  }
  return { partition, links };
}

export interface PictureOptions {
  /** The protocol the events come from (default 'pbft'). */
  mode?: ProtocolMode;
  /** Keep every message in flight as a FlightMessage (the page draws them; the simulation only counts them). */
  flights?: boolean;
  /** Latencies kept: the newest this many (more are kept briefly, so trimming is rare). Default: all. */
  latencyLimit?: number;
}

/** What the picture derives at one moment. */
export interface DerivedPicture {
  replicas: ReplicaSummary[];
  stats: SimStats;
}

/** One replica as events show it. Phases are followed for the newest request only: that is all a picture shows. */
interface ReplicaState {
  view: number;
  /**
   * Views it entered beyond the first, or in Tendermint rounds beyond round 0 summed over its heights (its round starts
   * again at 0 with each height, so its `view` alone forgets the rounds an earlier height took).
   */
  viewChanges: number;
  viewChanging: boolean;
  /** Where the newest request stands here (before execution), and the sequence number of its slot (−1: none known). */
  newestPhase: SlotPhase | null;
  newestSeq: number;
  /** It committed the newest in its slot (in some view): a new view's PRE-PREPARE for it does not undo that. */
  newestCommitted: boolean;
  newestExecuted: boolean;
  lastExecuted: number;
  lowWatermark: number;
  timer: { startedAt: number; deadline: number } | null;
}

function freshReplica(): ReplicaState {
  return {
    view: 0,
    viewChanges: 0,
    viewChanging: false,
    newestPhase: null,
    newestSeq: -1,
    newestCommitted: false,
    newestExecuted: false,
    lastExecuted: 0,
    lowWatermark: 0,
    timer: null,
  };
}

/** A replica moves to `view`; a lower one can only be round 0 of a later height in Tendermint, counted from 0. */
function moveTo(r: ReplicaState, view: number): void {
  r.viewChanges += view >= r.view ? view - r.view : view;
  r.view = view;
}

function forgetNewest(r: ReplicaState): void {
  r.newestPhase = null;
  r.newestSeq = -1;
  r.newestCommitted = false;
}

/**
 * Counts by message type are lists in MESSAGE_TYPES order: a record read and written by a type that changes from
 * message to message (ten of them in HotStuff) took the engine's slowest property path, three times a message.
 */
const TYPE_INDEX = new Map<string, number>(MESSAGE_TYPES.map((t, k) => [t, k]));

function zeroCounts(): number[] {
  const out: number[] = [];
  for (let k = 0; k < MESSAGE_TYPES.length; k++) out.push(0);
  return out;
}

function countRecord(counts: readonly number[]): Record<MessageType, number> {
  const out = {} as Record<MessageType, number>;
  for (let k = 0; k < MESSAGE_TYPES.length; k++) out[MESSAGE_TYPES[k]] = counts[k];
  return out;
}

function countList(record: Readonly<Record<MessageType, number>>): number[] {
  return MESSAGE_TYPES.map((t) => record[t] ?? 0);
}

/** Each protocol's proposal types, made once (a picture is built with every run, and the search builds thousands a second). */
const PROPOSALS = new WeakMap<ProtocolDescriptor, ReadonlySet<MessageType>>();
function proposalTypes(protocol: ProtocolDescriptor): ReadonlySet<MessageType> {
  let out = PROPOSALS.get(protocol);
  if (!out) PROPOSALS.set(protocol, (out = new Set(protocol.messages.filter((m) => m.role === 'proposal').map((m) => m.type))));
  return out;
}

/** A picture frozen at one index: small (in-flight messages by id only), so one every few thousand events is cheap. */
export interface PictureSnapshot {
  index: number;
  /** Virtual time of the last event folded (0 before any). */
  t: number;
  replicas: ReplicaState[];
  inFlight: Record<MessageType, number>;
  flightIds: Float64Array;
  sent: Record<MessageType, number>;
  sentTotal: number;
  delivered: number;
  dropped: number;
  held: number;
  /** Messages in flight whose drawing a hold or a release changed (the rest are the page's records as they are). */
  altered: FlightMessage[];
  issued: number;
  accepted: number;
  fooled: number;
  newest: string | null;
  newestProposedAt: number;
  latencies: number[];
  violations: SafetyViolation[];
}

/** The running state of a run, event by event. */
export class Picture {
  /** Trace events folded through `apply` (a picture fed by the simulation's typed calls does not count them). */
  index = 0;
  /** Virtual time of the last event folded through `apply`. */
  t = 0;
  /** Messages on the wire by id, when asked for (`flights`); null otherwise. */
  readonly flights: Map<number, FlightMessage> | null;
  /** Messages on the wire by type (MESSAGE_TYPES order): what "step to the end of this phase" waits for. */
  private inFlightCounts = zeroCounts();
  private sentCounts = zeroCounts();
  /** The type counted last and its place: the messages of one multicast come one after another. */
  private lastType: string | null = null;
  private lastIndex = -1;
  sentTotal = 0;
  delivered = 0;
  dropped = 0;
  /** Messages waiting at a partition's cut (they are not on the wire: `inFlight` leaves them out). */
  held = 0;
  /** Ids of the messages in flight whose drawing a hold or a release changed. */
  private altered = new Set<number>();
  /** Requests the client issued (retransmissions aside) and accepted. */
  issued = 0;
  accepted = 0;
  /** Accepted requests whose result no honest replica computed (the checker says so on the accept event). */
  fooled = 0;
  /** The newest request's digest, and the sequence number its first PRE-PREPARE gave it (−1 until then). */
  newest: string | null = null;
  private newestProposedAt = -1;
  private states: ReplicaState[] = [];
  private latencies: number[] = [];
  private readonly latencyLimit: number;
  /** Slots follow the request they were proposed with (the seed's), or the digest they pre-prepared (PBFT's). */
  private readonly followsRequest: boolean;
  /** The message types that play the proposal in the protocol (PBFT's and the seed's: PRE-PREPARE). */
  private readonly proposals: ReadonlySet<MessageType>;
  violations: SafetyViolation[] = [];

  constructor(options: PictureOptions = {}) {
    this.flights = options.flights ? new Map() : null;
    const protocol = protocolOf(options.mode);
    this.followsRequest = protocol.picture.slotFollowsRequest;
    this.proposals = proposalTypes(protocol);
    this.latencyLimit = Math.max(1, options.latencyLimit ?? Infinity);
  }

  // ───────────────────────────── feeding ─────────────────────────────

  /** Folds the next trace event in; `flight` is the message as pictures draw it (built from the event when absent). */
  apply(e: TraceEvent, flight?: FlightMessage): void {
    this.index++;
    this.t = e.t;
    switch (e.kind) {
      case 'send':
        this.send(e.msg.type, e.msg.from, e.msg.digest);
        if (e.hand && flight && this.flights) {
          // The page's flight is its shared record of the message: waiting for a hand is this moment's, so a copy says it.
          this.flights.set(e.msg.id, { ...flight, hand: true });
          this.altered.add(e.msg.id);
        } else this.flights?.set(e.msg.id, flight ?? (e.hand ? { ...flightOf(e.msg, e.t, e.arriveAt, false), hand: true } : flightOf(e.msg, e.t, e.arriveAt, e.lost, e.held ? 'partition' : (e.by ?? null), e.held === true)));
        if (e.held) this.hold(e.msg.type);
        return;
      case 'hold':
        if (e.hand) this.byHand(e.msg.id, true, e.t);
        else this.hold(e.msg.type, e.msg.id);
        return;
      case 'release':
        if (e.hand) this.byHand(e.msg.id, false, e.t, e.arriveAt);
        else this.release(e.msg.type, e.msg.id, e.t, e.arriveAt);
        return;
      case 'deliver':
        this.deliver(e.msg.type, e.msg.id);
        return;
      case 'drop':
        this.drop(e.msg.type, e.msg.id, e.held === true);
        return;
      default:
        this.note(e, e.t);
    }
  }

  /** A message put on the wire (the simulation calls this as it sends, trace or not). */
  send(type: MessageType, from: NodeId, digest: string): void {
    // A primary may put its proposal on the wire before its phase event says it pre-prepared (the seed's does): it
    // stands pre-prepared from its first send, so a moment between the two (the event log can show one) draws it so.
    if (digest === this.newest && this.proposals.has(type)) {
      const r = this.replica(from);
      if (r && r.newestPhase === null) r.newestPhase = 'pre-prepared';
    }
    const k = this.indexOf(type);
    this.sentTotal++;
    if (k < 0) return;
    this.sentCounts[k]++;
    this.inFlightCounts[k]++;
  }

  /** Messages on the wire by type. */
  get inFlight(): Record<MessageType, number> {
    return countRecord(this.inFlightCounts);
  }

  /** Messages sent by type. */
  get sent(): Record<MessageType, number> {
    return countRecord(this.sentCounts);
  }

  /** Messages of one type on the wire. */
  inFlightOf(type: MessageType): number {
    const k = this.indexOf(type);
    return k < 0 ? 0 : this.inFlightCounts[k];
  }

  /** A type's place in the counters (−1: no type of the protocols'; a flooder's garbage is not counted by type). */
  private indexOf(type: string): number {
    if (type !== this.lastType) {
      this.lastType = type;
      this.lastIndex = TYPE_INDEX.get(type) ?? -1;
    }
    return this.lastIndex;
  }

  /** Adds `by` to the wire's count of a type. */
  private onWire(type: string, by: number): void {
    const k = this.indexOf(type);
    if (k >= 0) this.inFlightCounts[k] += by;
  }

  /** A message off the wire, delivered. */
  deliver(type: MessageType, id: number): void {
    this.delivered++;
    this.arrive(type, id);
  }

  /** A message off the wire, lost; `held`: it was waiting at a cut (a new cut that loses messages lost it there). */
  drop(type: MessageType, id: number, held = false): void {
    this.dropped++;
    if (held) {
      this.held--;
      this.onWire(type, 1);
    }
    this.arrive(type, id);
  }

  private arrive(type: MessageType, id: number): void {
    this.onWire(type, -1);
    this.flights?.delete(id);
    if (this.altered.size > 0) this.altered.delete(id);
  }

  /**
   * A message stops at a partition's cut to wait for Heal: it leaves the wire's count (a phase step does not wait for
   * it). With `id`, a message caught on the wire: drawn waiting at the cut from now on.
   */
  hold(type: MessageType, id?: number): void {
    this.onWire(type, -1);
    this.held++;
    const f = id === undefined ? undefined : this.flights?.get(id);
    if (f && id !== undefined) {
      this.flights!.set(id, { ...f, held: true, by: 'partition' });
      this.altered.add(id);
    }
  }

  /** Heal lets a held message go on: back on the wire, drawn from the cut at `t` to its arrival at `arriveAt`. */
  release(type: MessageType, id?: number, t = 0, arriveAt = t): void {
    this.onWire(type, 1);
    this.held--;
    const f = id === undefined ? undefined : this.flights?.get(id);
    if (f && id !== undefined) {
      this.flights!.set(id, { ...f, held: false, releasedAt: t, arriveAt });
      this.altered.add(id);
    }
  }

  /**
   * A message in flight begins to wait for a hand (`waits`), or is handed back to the network model at `t`, arriving at
   * `arriveAt`. It stays in flight either way: only how it is drawn changes.
   */
  private byHand(id: number, waits: boolean, t: number, arriveAt = t): void {
    const f = this.flights?.get(id);
    if (!f) return;
    this.flights!.set(id, waits ? { ...f, hand: true, lost: false, by: null } : { ...f, hand: false, releasedAt: t, arriveAt });
    this.altered.add(id);
  }

  /** Every event but a message's: the client's, the replicas', the checker's. */
  note(e: TraceDraft, t: number): void {
    switch (e.kind) {
      case 'request':
        if (e.retransmit) return;
        this.issued++;
        this.newest = e.digest;
        this.newestProposedAt = -1;
        // Nobody can have seen a request before the client issued it: the new newest starts from nothing.
        for (const r of this.states) {
          forgetNewest(r);
          r.newestExecuted = false;
        }
        return;
      case 'accept':
        this.accepted++;
        if (e.fooled) this.fooled++;
        this.latencies.push(e.latencyMs);
        if (this.latencies.length > 2 * this.latencyLimit) this.latencies.splice(0, this.latencies.length - this.latencyLimit);
        return;
      case 'phase':
        this.phase(e.replica, e.seq, e.digest, e.phase);
        return;
      case 'view-change': {
        const r = this.replica(e.replica);
        if (!r) return;
        moveTo(r, e.view);
        r.viewChanging = true;
        return;
      }
      case 'new-view':
        this.enteredView(e.replica, e.view);
        return;
      case 'timer':
        this.timer(e.replica, e.action, e.deadline, t);
        return;
      case 'checkpoint': {
        const r = this.replica(e.replica);
        if (!r || !e.stable) return;
        r.lowWatermark = Math.max(r.lowWatermark, e.seq);
        // A stable checkpoint discards the log at and below it.
        if (r.newestSeq >= 0 && r.newestSeq <= e.seq) forgetNewest(r);
        return;
      }
      case 'violation':
        this.violations.push(e.violation);
        return;
      default:
        return;
    }
  }

  /** A replica entered a view (its view change, if any, over). */
  enteredView(id: NodeId, view: number): void {
    const r = this.replica(id);
    if (!r) return;
    moveTo(r, view);
    r.viewChanging = false;
  }

  /** A replica's view timer started at `t` (until `deadline`) or stopped. */
  timer(id: NodeId, action: 'start' | 'stop', deadline: number, t: number): void {
    const r = this.replica(id);
    if (r) r.timer = action === 'start' ? { startedAt: t, deadline } : null;
  }

  /**
   * Where a replica stands for the newest request: the phase of the slot holding it. A slot belongs to the digest
   * it pre-prepared; in the seed's protocol, to the request its PRE-PREPARE carried, whatever digest a liar claimed.
   */
  phase(id: NodeId, seq: number, digest: string, phase: SlotPhase): void {
    const r = this.replica(id);
    if (!r) return;
    if (phase === 'executed') r.lastExecuted = Math.max(r.lastExecuted, seq);
    if (this.newest === null) return;
    const isNewest = digest === this.newest;
    if (isNewest && phase === 'pre-prepared' && this.newestProposedAt < 0) this.newestProposedAt = seq;
    const ofNewest = isNewest || (this.followsRequest && seq === this.newestProposedAt);
    if (!ofNewest) {
      // Its slot now holds another request (a new view re-proposed the number).
      if (phase === 'pre-prepared' && seq === r.newestSeq) forgetNewest(r);
      return;
    }
    if (phase === 'executed') {
      r.newestExecuted = true;
      return;
    }
    if (seq !== r.newestSeq) {
      r.newestSeq = seq;
      r.newestCommitted = false;
    }
    if (phase === 'committed') r.newestCommitted = true;
    r.newestPhase = r.newestCommitted ? 'committed' : phase;
  }

  private replica(id: number): ReplicaState | undefined {
    if (!Number.isInteger(id) || id < 0) return undefined;
    while (this.states.length <= id) this.states.push(freshReplica());
    return this.states[id];
  }

  // ───────────────────────────── deriving ─────────────────────────────

  /** Every replica as the picture shows it (without execution logs: those are the replicas' own). */
  replicas(ctx: PictureContext, settings: PictureSettings): ReplicaSummary[] {
    const out: ReplicaSummary[] = [];
    for (let id = 0; id < ctx.n; id++) {
      const r = this.states[id] ?? freshReplica();
      out.push({
        id,
        behaviour: settings.behaviours[id] ?? null,
        view: r.view,
        isPrimary: primaryOf(r.view, ctx.n) === id && !r.viewChanging,
        viewChanging: r.viewChanging,
        phase: this.newest === null ? null : r.newestExecuted ? 'executed' : r.newestPhase,
        lastExecuted: r.lastExecuted,
        lowWatermark: r.lowWatermark,
        highWatermark: r.lowWatermark + ctx.watermarkWindow,
        timer: r.timer ? { startedAt: r.timer.startedAt, deadline: r.timer.deadline } : null,
        executed: [],
      });
    }
    return out;
  }

  /**
   * The picture at virtual time `now`; `scheduled` says whether anything more is due (the simulation knows it from its
   * scheduler, the page from the worker's next event time or from the events that followed).
   */
  derive(ctx: PictureContext, settings: PictureSettings, now: number, scheduled: boolean): DerivedPicture {
    const replicas = this.replicas(ctx, settings);
    const view = currentView(replicas);
    const viewChanges = mostHonest(replicas, (r) => this.states[r.id]?.viewChanges ?? 0);
    const clientOutstanding = this.issued - this.accepted;
    const latencies = this.latencies.slice(-this.latencyLimit);
    const stats: SimStats = {
      now,
      view,
      viewChanges,
      primary: primaryOf(view, ctx.n),
      sent: this.sent,
      sentTotal: this.sentTotal,
      delivered: this.delivered,
      dropped: this.dropped,
      held: this.held,
      committed: this.accepted,
      fooled: this.fooled,
      outstanding: clientOutstanding + stillToIssue(ctx, this.accepted),
      latenciesMs: latencies,
      lastLatencyMs: latencies.length ? latencies[latencies.length - 1] : null,
      violations: [...this.violations],
      waitingBecause: waitingBecause(clientOutstanding, replicas, ctx, settings, scheduled),
    };
    return { replicas, stats };
  }

  // ───────────────────────────── snapshots ─────────────────────────────

  snapshot(): PictureSnapshot {
    const flightIds = new Float64Array(this.flights?.size ?? 0);
    let k = 0;
    if (this.flights) for (const id of this.flights.keys()) flightIds[k++] = id;
    return {
      index: this.index,
      t: this.t,
      replicas: this.states.map((r) => ({ ...r })),
      inFlight: this.inFlight,
      flightIds,
      sent: this.sent,
      sentTotal: this.sentTotal,
      delivered: this.delivered,
      dropped: this.dropped,
      held: this.held,
      altered: [...this.altered].flatMap((id) => {
        const f = this.flights?.get(id);
        return f ? [{ ...f }] : [];
      }),
      issued: this.issued,
      accepted: this.accepted,
      fooled: this.fooled,
      newest: this.newest,
      newestProposedAt: this.newestProposedAt,
      latencies: this.latencies.slice(-this.latencyLimit),
      violations: [...this.violations],
    };
  }

  /** The picture a snapshot froze; its messages in flight are looked up by id (the page keeps their records). */
  static restore(snap: PictureSnapshot, options: PictureOptions, message: (id: number) => FlightMessage | undefined): Picture {
    const p = new Picture(options);
    p.index = snap.index;
    p.t = snap.t;
    p.states = snap.replicas.map((r) => ({ ...r }));
    p.inFlightCounts = countList(snap.inFlight);
    if (p.flights) {
      for (const id of snap.flightIds) {
        const m = message(id);
        if (m) p.flights.set(id, m);
      }
      for (const f of snap.altered) {
        p.flights.set(f.id, { ...f });
        p.altered.add(f.id);
      }
    }
    p.sentCounts = countList(snap.sent);
    p.sentTotal = snap.sentTotal;
    p.delivered = snap.delivered;
    p.dropped = snap.dropped;
    p.held = snap.held;
    p.issued = snap.issued;
    p.accepted = snap.accepted;
    p.fooled = snap.fooled;
    p.newest = snap.newest;
    p.newestProposedAt = snap.newestProposedAt;
    p.latencies = [...snap.latencies];
    p.violations = [...snap.violations];
    return p;
  }
}

/** Requests the client has yet to issue on its own: after its first `concurrency`, one each time it accepts a result. */
function stillToIssue(ctx: PictureContext, accepted: number): number {
  const requests = Math.max(0, ctx.requests);
  const first = Math.min(requests, Math.max(1, ctx.concurrency));
  return Math.max(0, requests - first - accepted);
}

/** The view most honest replicas have installed (what the header shows as "the" view). */
function currentView(replicas: readonly ReplicaSummary[]): number {
  return mostHonest(replicas, (r) => r.view);
}

/**
 * What most honest replicas not changing view say of `valueOf` (the larger on a tie); the largest any says when none
 * qualifies.
 */
function mostHonest(replicas: readonly ReplicaSummary[], valueOf: (r: ReplicaSummary) => number): number {
  const counts = new Map<number, number>();
  for (const r of replicas) {
    if (r.behaviour || r.viewChanging) continue;
    const v = valueOf(r);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = -1;
  for (const [value, count] of counts) if (count > bestCount || (count === bestCount && value > best)) [best, bestCount] = [value, count];
  return bestCount < 0 ? Math.max(0, ...replicas.map(valueOf)) : best;
}

/**
 * Liveness is not silent: when the client is still waiting, say what stands in the way, most telling reason first.
 */
function waitingBecause(
  outstanding: number,
  replicas: readonly ReplicaSummary[],
  ctx: PictureContext,
  settings: PictureSettings,
  scheduled: boolean,
): string | null {
  if (outstanding <= 0) return null;
  const m = replicas.filter((r) => r.behaviour).length;
  const { dropRate } = settings;
  const plural = outstanding === 1 ? 'request is' : 'requests are';
  if (dropRate >= 1) return `${outstanding} ${plural} waiting: every message is lost (drop rate 100 %).`;
  const protocol = protocolOf(ctx.mode);
  if (m > ctx.f) return `${outstanding} ${plural} waiting: ${m} malicious replicas exceed f = ${ctx.f}, so ${protocol.name} cannot promise progress.`;
  const cut = settings.partition;
  // The replicas the client can reach, and whether the primary most replicas follow is among them.
  const withClient = cut ? replicas.filter((r) => !separates(cut, CLIENT, r.id)) : replicas;
  const quorum = quorumSize(ctx.n, ctx.f);
  const honestWithClient = withClient.filter((r) => !r.behaviour).length;
  if (cut && honestWithClient < quorum) {
    const side = withClient.length === 0 ? 'no replica' : `${honestWithClient} honest replica${honestWithClient === 1 ? '' : 's'}`;
    return `${outstanding} ${plural} waiting: the network is partitioned and the client's side of the cut has ${side}, fewer than the ${quorum} a quorum needs, so nothing can commit until Heal joins the sides again.`;
  }
  const leader = primaryOf(currentView(replicas), ctx.n);
  const primaryCutOff = cut !== null && separates(cut, CLIENT, leader);
  const primary = replicas.find((r) => r.isPrimary);
  if (!protocol.picture.viewChange && primary?.behaviour) {
    return `${outstanding} ${plural} waiting: ${protocol.name} has no view change, so a lying primary (replica ${primary.id}) stalls it for good.`;
  }
  const changing = replicas.filter((r) => r.viewChanging && !r.behaviour);
  if (changing.length > 0) {
    const target = Math.max(...changing.map((r) => r.view));
    const why = primaryCutOff ? ` The network is partitioned: the primary (replica ${leader}) is on the other side of the cut.` : '';
    return `${outstanding} ${plural} waiting: ${changing.length} honest replica${changing.length === 1 ? ' is' : 's are'} changing view (to view ${target}).${why}`;
  }
  if (primaryCutOff) {
    return `${outstanding} ${plural} waiting: the network is partitioned and the primary (replica ${leader}) is on the other side of the cut; ${protocol.picture.viewChange ? "the backups on the client's side will time out and change view." : `${protocol.name} has no view change, so nothing commits until Heal.`}`;
  }
  if (cut && withClient.length < replicas.length && !scheduled) {
    return `${outstanding} ${plural} waiting: the network is partitioned and nothing more is scheduled on the client's side; Heal joins the sides again.`;
  }
  if (dropRate > 0) return `${outstanding} ${plural} waiting: messages are being lost (${Math.round(dropRate * 100)} %); the client retransmits every ${ctx.clientTimeoutMs} ms.`;
  if (!scheduled) return `${outstanding} ${plural} waiting and nothing more is scheduled.`;
  return `${outstanding} ${plural} in progress.`;
}
