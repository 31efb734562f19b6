import { SafetyChecker } from './checker';
import { Client } from './client';
import { summarize } from './messages';
import { Network, partitionOf, type Transit } from './network';
import { Liars } from './adversary';
import { Picture, pictureContext, type PictureContext, type PictureSettings } from './picture';
import type { ExecutedEntry, ReplicaConfig, ReplicaHost, ReplicaModel, ReplicaTimer, TraceDraft } from './protocols/contract';
import { Replica } from './protocols/pbft/replica';
import { runtimeOf } from './protocols/runtime';
import { worldRng, type Rng } from './rng';
import { primaryOf, quorumSize, replicaCount, toleratedFaults } from './scenario';
import { Scheduler, type Timed } from './scheduler';
import { Signatures } from './signatures';
import { checkTwins, twinsProblemText } from './twins';
import type {
  Behaviour,
  ClientRequest,
  LinkKnobs,
  LossCause,
  Message,
  MessageType,
  NetworkParams,
  NodeId,
  OutgoingMessage,
  Partition,
  PendingItem,
  ReplicaInspection,
  Retransmission,
  ReplicaSummary,
  Scenario,
  SimStats,
  SlotPhase,
  TraceEvent,
  Twins,
} from './types';
import { CLIENT } from './types';

/**
 * What the virtual clock can have due. A message on the wire is scheduled as itself (arriving, or vanishing when
 * `lost`); the rest are small records. Every one carries the scheduler's key (`at`, `order`).
 */
type WireMessage = Message & Timed & {
  lost: boolean;
  /** What loses it besides the drop rate (a partition's cut, a lossy link), or null. */
  by: LossCause | null;
  /** A new cut caught it on the wire (lost or held there): its place in the clock's queue is void. */
  caught: boolean;
  /** When it was sent (a cut that catches it on the wire holds it with its flight). */
  sentT: number;
  /** Latency its sender adds (a slow liar's): kept so a message handed back to the network model travels as it would have. */
  extraMs: number;
  /** The process it is for: its receiver, or a twin's second instance (n + k); CLIENT for the client. */
  dst: number;
  /** Twins only: 1 when a twin's second instance sent it, 2 when it is for one (both: 3); what the trace shows of it. */
  twin: number;
};
type ReplicaTimerItem = { type: 'REPLICA_TIMER'; replica: NodeId; which: ReplicaTimer; generation: number } & Timed;
type LiarTimerItem = { type: 'LIAR_TIMER'; replica: NodeId; generation: number } & Timed;
type ClientIssueItem = { type: 'CLIENT_ISSUE' } & Timed;
type ClientTimerItem = { type: 'CLIENT_TIMER'; timestamp: number } & Timed;
type Happening = WireMessage | ReplicaTimerItem | LiarTimerItem | ClientIssueItem | ClientTimerItem;

/** A twin's instance sending outside its part of the network: the message never leaves (see Twins). */
const NO_ROUTE = -2;

/** What a message says, as its sender put it: the part of a message a copy or a new message takes over. */
type Words = Omit<Message, 'id' | 'sender' | 'receiver'>;

/**
 * A message on the wire: every one is made here, in one shape (a retransmission's mark too, undefined on the rest), so
 * the code that reads messages — millions a second in the attack search — sees one hidden class (see below).
 */
function wireMessage(
  id: number,
  words: Words,
  sender: NodeId,
  receiver: NodeId,
  dst: number,
  sentT: number,
  extraMs: number,
  retransmit: Retransmission | undefined,
  twin: number,
): WireMessage {
  return {
    id,
    type: words.type,
    view: words.view,
    seq: words.seq,
    digest: words.digest,
    sender,
    receiver,
    timestamp: words.timestamp,
    result: words.result,
    request: words.request,
    payload: words.payload,
    sig: words.sig,
    retransmit,
    at: 0,
    order: 0,
    lost: false,
    by: null,
    caught: false,
    sentT,
    extraMs,
    dst,
    twin,
  };
}

/*
 * Two messages made before any real one, every field holding first an object and then a number with a fraction, so
 * the engine settles the messages' hidden class on its most general form at once (and so below for the clock's other
 * items). Otherwise the first real messages
 * set it (whole times, no signature…) and later ones change it (a fractional time, a signature), and every place that
 * reads messages, having seen several classes, stays on its slow generic path for the rest of the process (about a
 * tenth of the attack search's time).
 */
for (const x of [null, 0.5] as never[]) {
  const m = wireMessage(x, { type: x, view: x, seq: x, digest: x, timestamp: x, result: x, request: x, payload: x, sig: x }, x, x, x, x, x, x, x);
  m.at = m.order = x;
  m.lost = m.caught = x;
  m.by = x;
}

/**
 * Everything else the clock has due — timers and the client's next issue — in one shape of their own, for the same
 * reason (the clock and the loop read every one): the fields a kind has no use for hold zeros.
 */
function clockItem(type: Exclude<Happening, WireMessage>['type'], replica: NodeId, which: ReplicaTimer, generation: number, timestamp: number) {
  return { type, replica, which, generation, timestamp, at: 0, order: 0 };
}

function replicaTimer(replica: NodeId, which: ReplicaTimer, generation: number): ReplicaTimerItem {
  return clockItem('REPLICA_TIMER', replica, which, generation, 0) as ReplicaTimerItem;
}

function liarTimer(replica: NodeId, generation: number): LiarTimerItem {
  return clockItem('LIAR_TIMER', replica, 'main', generation, 0) as LiarTimerItem;
}

function clientIssue(): ClientIssueItem {
  return clockItem('CLIENT_ISSUE', 0, 'main', 0, 0) as ClientIssueItem;
}

function clientTimer(timestamp: number): ClientTimerItem {
  return clockItem('CLIENT_TIMER', 0, 'main', 0, timestamp) as ClientTimerItem;
}

for (const x of [null, 0.5] as never[]) {
  const item = clockItem(x, x, x, x, x);
  item.at = item.order = x;
}

/** What a replica says, copied into the one shape every sending has (see `stamped`), not signed yet. */
function unsignedWords(fields: Words): Words {
  return {
    type: fields.type,
    view: fields.view,
    seq: fields.seq,
    digest: fields.digest,
    timestamp: fields.timestamp,
    result: fields.result,
    request: fields.request,
    payload: fields.payload,
    sig: undefined,
    retransmit: fields.retransmit,
  };
}

for (const x of [null, 0.5] as never[]) {
  const words = unsignedWords({ type: x, view: x, seq: x, digest: x, timestamp: x, result: x, request: x, payload: x, sig: x, retransmit: x });
  words.sig = x;
}

/** A copy of a message on the wire, in the same one shape, not caught (whatever caught the original). */
function copyOfWire(m: WireMessage): WireMessage {
  const copy = wireMessage(m.id, m, m.sender, m.receiver, m.dst, m.sentT, m.extraMs, m.retransmit, m.twin);
  copy.at = m.at;
  copy.order = m.order;
  copy.lost = m.lost;
  copy.by = m.by;
  return copy;
}

/** A list of `length` copies of `value`, set in a loop: Array.prototype.fill runs in the engine's slow C++ path. */
function filled<T>(length: number, value: T): T[] {
  const out = new Array<T>(length);
  for (let k = 0; k < length; k++) out[k] = value;
  return out;
}

/** Twins as the scenario gives them, checked: distinct replicas, none also a liar, a side of other replicas. */
function checkedTwins(twins: Twins, n: number, malicious: Scenario['malicious']): Twins {
  if (new Set(twins.replicas).size !== twins.replicas.length) throw new RangeError('A replica is twinned twice');
  const [problem] = checkTwins(twins.replicas, twins.side, n, malicious).problems;
  if (problem) throw new RangeError(`Twins: ${twinsProblemText(problem)}`);
  return twins;
}

/** What a lean world's step returns when it has no violation to report. */
const NOTHING: readonly TraceEvent[] = Object.freeze([]);

type TimerHappening = Extract<Happening, { type: 'REPLICA_TIMER' | 'LIAR_TIMER' | 'CLIENT_TIMER' }>;

/** A timer as PendingItem names it: 'main' / 'resend' (a replica's), 'liar', or 'client:<timestamp>' (replica CLIENT). */
function timerName(h: TimerHappening): string {
  return h.type === 'REPLICA_TIMER' ? h.which : h.type === 'LIAR_TIMER' ? 'liar' : `client:${h.timestamp}`;
}

/**
 * A waiting timer's number, as cheap to make as the timer itself (replicas re-arm theirs on every step of progress): a
 * replica's timers by replica and kind, the client's by the request's timestamp (negative).
 */
function timerKey(replica: NodeId, timer: string): number {
  const kind = timer === 'main' ? 0 : timer === 'resend' ? 1 : timer === 'liar' ? 2 : NaN;
  return replica >= 0 ? replica * 4 + kind : NaN;
}

function timerOwner(h: TimerHappening): NodeId {
  return h.type === 'CLIENT_TIMER' ? CLIENT : h.replica;
}

function isTimer(h: Happening): h is TimerHappening {
  return h.type === 'REPLICA_TIMER' || h.type === 'LIAR_TIMER' || h.type === 'CLIENT_TIMER';
}

/** A message on the wire, as opposed to a timer or the client's next issue. */
function onTheWire(h: Happening): h is WireMessage {
  return h.type !== 'REPLICA_TIMER' && h.type !== 'LIAR_TIMER' && h.type !== 'CLIENT_ISSUE' && h.type !== 'CLIENT_TIMER';
}

export interface SimulationOptions {
  /** Produce trace events at all (benchmarks and sweeps need not; violations are reported regardless). */
  recordTrace?: boolean;
  /** Also keep them in `trace` (default: same as recordTrace). A client that stores them itself can say no. */
  keepTrace?: boolean;
  /**
   * How many executed requests each replica, the client and the checker remember (default: all). A long-running
   * session (the app's worker) sets a bound so memory stays flat; the oldest history is forgotten first.
   */
  historyLimit?: number;
  /**
   * Fold what every view shows — counters, phases, messages in flight — as the run goes (default true). A world only
   * judged from its replicas' logs and the client's acceptances (the attack search's, thousands a second) need not:
   * without it `stats`, `replicas`, `messagesInFlight` and `inFlightOf` throw.
   */
  picture?: boolean;
}

/**
 * One world: n replicas of the scenario's protocol (a plug-in, src/sim/protocols), one client, a network and the
 * adversaries of its lying replicas (src/sim/adversary), advanced by a virtual clock.
 * Nothing here reads real time or Math.random, so the same scenario always yields the same trace.
 */
export class Simulation {
  readonly scenario: Scenario;
  readonly n: number;
  readonly f: number;
  readonly quorum: number;
  readonly trace: TraceEvent[] = [];
  readonly replicaList: ReplicaModel[];
  /**
   * Every running instance: the n replicas, then each twin's second instance (process n + k for twin k). Without twins
   * it is replicaList itself.
   */
  private readonly processes: ReplicaModel[];
  /** Per replica id: the process of its twin's second instance, or −1 (not a twin). */
  private readonly twinOf: number[];
  /** Per process: the part of the network it talks to when twins run (0 or 1; see Twins). */
  private readonly partOf: number[];
  private readonly twinCount: number;
  /** When every honest replica had executed each request (by digest): the seed's notion of done. */
  readonly allHonestExecutedAt = new Map<string, number>();
  private readonly honestExecutions = new Map<string, number>();
  readonly client: Client;
  readonly checker: SafetyChecker;

  private readonly scheduler = new Scheduler<Happening>();
  private readonly network: Network<WireMessage>;
  private readonly byzantineRng: Rng;
  private readonly behaviours: Array<Behaviour | null>;
  private readonly everMalicious = new Set<NodeId>();
  /** Per process, its timers' generations (see `generations`). */
  private readonly mainGeneration: number[];
  private readonly resendGeneration: number[];
  /** Every replica's signing key; only this world signs, and only in the sending replica's name. */
  private readonly signatures: Signatures;
  private readonly recordTrace: boolean;
  private readonly keepTrace: boolean;
  private readonly historyLimit: number;
  /** Accepted requests in order, so the oldest can be forgotten under `historyLimit`. */
  private readonly acceptedOrder: string[] = [];
  private unflushed: TraceEvent[] = [];
  private deliveryFilter: ((msg: Message) => boolean) | null = null;
  /** The adversaries, made when a liar first speaks or hears (most of the attack search's worlds have none). */
  private liarsMade: Liars | null = null;
  private nextMessageId = 1;
  private eventIndex = 0;
  /** Deliver by hand: the clock delivers nothing and fires nothing; messages and timers wait below. */
  private byHand: boolean;
  /** Replicas whose messages wait for a hand even when deliver by hand is off (holdFrom). */
  private readonly holding = new Set<NodeId>();
  /**
   * Messages waiting in flight for a hand, in the order they began to wait. A list, not a map by id: a hand's run makes a
   * fresh one every schedule and mostly appends and scans it (the search's pick looks at every one each step), so a
   * list that never rehashes is the cheaper of the two; it is short (about one round's messages).
   */
  private readonly waiting: WireMessage[] = [];
  /** Timers waiting for a hand, by owner and name (a timer set again replaces its earlier self). */
  private readonly waitingTimers = new Map<number, TimerHappening>();
  /** While a hand fires a timer: that timer, for the first event it causes to name (then null again). */
  private firing: { replica: NodeId; timer: string } | null = null;
  private toIssue: number;
  /** What every view shows, folded from what this world records (whether or not it keeps a trace); null when not asked for. */
  private readonly picture: Picture | null;
  private readonly pictureCtx: PictureContext | null;

  constructor(scenario: Scenario, options: SimulationOptions = {}) {
    this.scenario = { ...scenario, malicious: { ...scenario.malicious } };
    this.n = replicaCount(scenario);
    this.f = scenario.n === undefined ? scenario.f : toleratedFaults(this.n);
    this.quorum = quorumSize(this.n, this.f);
    this.recordTrace = options.recordTrace ?? true;
    this.keepTrace = this.recordTrace && (options.keepTrace ?? true);
    this.historyLimit = Math.max(1, options.historyLimit ?? Infinity);
    const drawing = options.picture ?? true;
    this.picture = drawing ? new Picture({ mode: scenario.mode, latencyLimit: this.historyLimit }) : null;
    this.pictureCtx = drawing ? pictureContext(this.scenario, this.n, this.f) : null;
    this.network = new Network<WireMessage>(scenario, worldRng(scenario.seed, 'network'), worldRng(scenario.seed, 'links'));
    // A partition or faulty links standing from the start (nothing is on the wire yet; a new network has neither).
    const cut = partitionOf(scenario);
    if (cut) this.network.setPartition(cut, 0);
    if (scenario.links) for (const link of scenario.links) this.network.setLink(link.a, link.b, link);
    this.byzantineRng = worldRng(scenario.seed, 'byzantine');
    // Plain loops, not Array.from with a callback: every run builds these (the attack search, thousands a second).
    this.behaviours = new Array<Behaviour | null>(this.n);
    for (let id = 0; id < this.n; id++) {
      const b = scenario.malicious[id] ?? null;
      this.behaviours[id] = b;
      if (b) this.everMalicious.add(id);
    }
    const twins = scenario.twins ? checkedTwins(scenario.twins, this.n, scenario.malicious) : null;
    this.twinCount = twins ? twins.replicas.length : 0;
    this.twinOf = filled(this.n, -1);
    this.partOf = filled(this.n + this.twinCount, 0);
    if (twins) {
      twins.replicas.forEach((id, k) => {
        this.twinOf[id] = this.n + k;
        this.partOf[this.n + k] = 1;
        this.everMalicious.add(id);
      });
      for (const id of twins.side) this.partOf[id] = 1;
    }
    const processes = this.n + this.twinCount;
    this.mainGeneration = filled(processes, 0);
    this.resendGeneration = filled(processes, 0);
    this.signatures = new Signatures(scenario.seed, this.n, runtimeOf(scenario.mode).signing);
    this.client = new Client(CLIENT, this.f);
    this.checker = new SafetyChecker(
      (r) => !this.everMalicious.has(r),
      (d) => this.client.issued.has(d),
    );
    const host = this.makeHost();
    const { createReplica } = runtimeOf(scenario.mode);
    this.replicaList = new Array<ReplicaModel>(this.n);
    for (let id = 0; id < this.n; id++) this.replicaList[id] = createReplica(this.replicaConfig(id), host);
    this.processes = this.replicaList;
    if (twins) {
      // The second instance: the same factory, the same identity (so the same keys), its own host for its own part.
      this.processes = [...this.replicaList];
      twins.replicas.forEach((id, k) => this.processes.push(createReplica(this.replicaConfig(id), this.makeTwinHost(host, this.n + k))));
    }
    this.byHand = scenario.byHand === true;
    this.toIssue = Math.max(0, scenario.requests);
    const first = Math.min(this.toIssue, Math.max(1, scenario.concurrency));
    for (let k = 0; k < first; k++) this.scheduler.schedule(0, clientIssue());
    this.toIssue -= first;
  }

  get now(): number {
    return this.scheduler.now;
  }

  /**
   * Per process, the generation of its timer `which`: a timer that fires with an older one was cancelled. (Two lists
   * picked by name, not a record indexed by it: a look-up by a name that varies is one of V8's slow paths.)
   */
  private generations(which: ReplicaTimer): number[] {
    return which === 'resend' ? this.resendGeneration : this.mainGeneration;
  }

  /** What replica `id` is told of its world. (A method, not a closure: every run makes n of these.) */
  private replicaConfig(id: NodeId): ReplicaConfig {
    const scenario = this.scenario;
    return {
      id,
      n: this.n,
      f: this.f,
      quorum: this.quorum,
      checkpointInterval: Math.max(1, scenario.checkpointInterval),
      watermarkWindow: Math.max(1, scenario.watermarkWindow),
      viewChangeTimeoutMs: scenario.viewChangeTimeoutMs,
      historyLimit: this.historyLimit,
    };
  }

  /** Trace events produced so far (whether or not they are kept in `trace`): a position in the run. */
  get eventCount(): number {
    return this.eventIndex;
  }

  nextEventTime(): number | null {
    return this.scheduler.peekTime();
  }

  /** Processes the next due happening (skipping timers that were cancelled); [] when nothing is scheduled. */
  step(): TraceEvent[] {
    for (;;) {
      const next = this.scheduler.popItem();
      if (next === undefined) return [];
      const produced = this.process(next);
      if (produced) return this.flush();
    }
  }

  /** The type of the next message due to arrive (or be lost), or null when none is on the wire. */
  nextArrivingType(): MessageType | null {
    let best: { time: number; order: number; type: MessageType } | null = null;
    for (const h of this.scheduler.entries()) {
      if (!onTheWire(h) || h.caught) continue;
      if (!best || h.at < best.time || (h.at === best.time && h.order < best.order)) best = { time: h.at, order: h.order, type: h.type };
    }
    return best?.type ?? null;
  }

  /** Messages on the wire right now, by type. */
  messagesInFlight(): Record<MessageType, number> {
    return this.drawn().inFlight;
  }

  /** Messages of one type on the wire right now (what a phase step waits for). */
  inFlightOf(type: MessageType): number {
    return this.drawn().inFlightOf(type);
  }

  /** Processes everything due at or before t, then moves the clock to t. */
  runUntil(t: number): TraceEvent[] {
    for (;;) {
      const due = this.scheduler.peekTime();
      if (due === null || due > t) break;
      this.process(this.scheduler.popItem()!);
    }
    this.scheduler.advanceTo(t);
    return this.flush();
  }

  /** Runs until nothing more is scheduled or `limit` virtual ms have passed; returns the number of happenings. */
  runToQuiescence(limitMs = Infinity): number {
    let count = 0;
    for (;;) {
      const due = this.scheduler.peekTime();
      if (due === null || due > limitMs) break;
      this.process(this.scheduler.popItem()!);
      count++;
      if ((count & 1023) === 0) this.flush();
    }
    this.flush();
    return count;
  }

  /** Moves the clock forward without running anything (nothing may be due before t). */
  advanceClock(t: number): void {
    const due = this.scheduler.peekTime();
    this.scheduler.advanceTo(due === null ? t : Math.min(t, due));
  }

  /** The client issues one more request now, beyond those the scenario scheduled. */
  submitRequest(): TraceEvent[] {
    this.issueRequest();
    return this.flush();
  }

  setNetwork(params: Partial<NetworkParams>): void {
    this.network.params = { ...this.network.params, ...params };
    Object.assign(this.scenario, params);
  }

  /**
   * Cuts the network in two (replacing the partition standing), or heals it with null. Messages on the wire across the
   * new cut are caught there at once — lost, or held under the hold rule — and what waited at the old cut and is not
   * cut off any more goes on, arriving in the order it was sent (network.ts has the rule).
   */
  setPartition(partition: Partition | null): TraceEvent[] {
    const cut = partition && partition.side.length > 0 ? partition : null;
    const { released, lost } = this.network.setPartition(cut, this.now);
    if (cut) {
      this.scenario.partition = [...this.network.partition!.side];
      this.scenario.partitionRule = cut.rule;
    } else {
      delete this.scenario.partition;
    }
    if (cut) {
      const caught = this.scheduler
        .entries()
        .filter((h): h is WireMessage => onTheWire(h) && !h.lost && !h.caught && this.network.separated(h.sender, h.receiver))
        .sort((x, y) => x.id - y.id);
      for (const h of caught) {
        h.caught = true;
        if (cut.rule === 'lose') this.loseToCut(h);
        else {
          // A fresh copy waits at the cut: the caught one stays void in the clock's queue.
          this.network.hold({ msg: copyOfWire(h), id: h.id, from: h.sender, to: h.receiver, sendT: h.sentT, arriveAt: h.at });
          this.picture?.hold(h.type);
          if (this.recordTrace) this.record({ kind: 'hold', msg: summarize(h) });
          else this.eventIndex++;
        }
      }
    }
    for (const h of lost) this.loseToCut(h.msg, true);
    for (const h of released) {
      const msg = copyOfWire(h.msg);
      msg.by = null;
      msg.lost = false;
      this.picture?.release(msg.type);
      if (this.recordTrace) this.record({ kind: 'release', msg: summarize(msg), arriveAt: h.arrival });
      else this.eventIndex++;
      this.scheduler.schedule(h.arrival, msg);
    }
    return this.flush();
  }

  /** Makes the link between a and b slow and/or lossy for messages sent from now on, or normal again with null. */
  setLink(a: NodeId, b: NodeId, fault: LinkKnobs | null): void {
    this.network.setLink(a, b, fault);
    const links = this.network.linkFaults;
    if (links.length > 0) this.scenario.links = links;
    else delete this.scenario.links;
  }

  /** A message the cut loses now: caught on the wire, or (`held`) waiting at a cut replaced by one that loses messages. */
  private loseToCut(h: WireMessage, held = false): void {
    this.picture?.drop(h.type, h.id, held);
    if (this.recordTrace) this.record(held ? { kind: 'drop', msg: summarize(h), by: 'partition', held: true } : { kind: 'drop', msg: summarize(h), by: 'partition' });
    else this.eventIndex++;
  }

  setBehaviour(id: NodeId, behaviour: Behaviour | null): void {
    if (id < 0 || id >= this.n) throw new RangeError(`No replica ${id} (n = ${this.n})`);
    this.behaviours[id] = behaviour;
    if (behaviour) {
      this.everMalicious.add(id);
      this.scenario.malicious[id] = behaviour;
    } else {
      delete this.scenario.malicious[id];
    }
  }

  /**
   * Cuts chosen links: a message for which `keep` returns false is lost on arrival. Tests use it to stage the
   * situations PBFT must survive (a replica that missed a PRE-PREPARE, COMMITs that reached only some replicas).
   */
  setDeliveryFilter(keep: ((msg: Message) => boolean) | null): void {
    this.deliveryFilter = keep;
  }

  /**
   * Test hook: delivers a hand-made message to a replica now, as if it had come from `from`. It never was on the wire,
   * so the picture's message counters leave it out (what it makes the replica do is folded as usual).
   */
  inject(to: NodeId, msg: Omit<Message, 'id' | 'receiver'>, from: NodeId = msg.sender): TraceEvent[] {
    const full: Message = { ...msg, id: this.nextMessageId++, receiver: to };
    // As if `from` had sent it: signed in its name, unless the test brings a signature of its own.
    if (full.sig === undefined && this.signatures.signs(full.type)) full.sig = this.signatures.sign(from, full);
    this.deliver(full, from);
    return this.flush();
  }

  /**
   * Test hook: `fields` signed as replica `id` signs them — what a liar can say in its own name, or a message of an
   * honest replica's it has seen (a test that plays a liar stands for both; the core itself never signs for another).
   */
  signAs(id: NodeId, fields: OutgoingMessage): OutgoingMessage & { sender: NodeId; sig: number } {
    return Object.freeze({ ...fields, sender: id, sig: this.signatures.sign(id, fields) });
  }

  /** The counters and why the client waits, as the picture derives them. */
  stats(): SimStats {
    return this.drawn().derive(this.context(), this.settings(), this.now, this.scheduler.size > 0).stats;
  }

  /**
   * Per-replica state as the picture derives it, with each replica's own execution log (the CLI's report and the
   * tests read it; `withExecuted: false` leaves it out, as it grows all run long).
   */
  replicas(withExecuted = true): ReplicaSummary[] {
    const out = this.drawn().replicas(this.context(), this.settings());
    if (withExecuted) for (const r of out) r.executed = this.replicaList[r.id].executedLog.map((e) => [e.seq, e.digest] as [number, string]);
    return out;
  }

  private drawn(): Picture {
    if (!this.picture) throw new Error('This world draws no picture (it was made with picture: false)');
    return this.picture;
  }

  private context(): PictureContext {
    return this.pictureCtx!;
  }

  /** What the picture cannot learn from events: who lies now, and how lossy the network is. */
  private settings(): PictureSettings {
    return { behaviours: this.behaviours, dropRate: this.network.params.dropRate, partition: this.network.partition, links: this.network.linkFaults };
  }

  /** What the replica inspector shows for one replica. */
  inspect(id: NodeId): ReplicaInspection {
    const r = this.replicaList[id];
    if (!r) throw new RangeError(`No replica ${id} (n = ${this.n})`);
    return { ...r.inspect(), behaviour: this.behaviours[id] ?? null };
  }

  /** A replica of the full protocol, for tests that look inside it. */
  pbft(id: NodeId): Replica {
    const r = this.replicaList[id];
    if (!(r instanceof Replica)) throw new Error(`replica ${id} does not run PBFT (mode ${this.scenario.mode})`);
    return r;
  }

  /** Replicas that lied at any moment of the run (a liar switched back to honest still may have lied). */
  get everMaliciousIds(): ReadonlySet<NodeId> {
    return this.everMalicious;
  }

  behaviourOf(id: NodeId): Behaviour | null {
    return this.behaviours[id] ?? null;
  }


  // ───────────────────────────── the loop ─────────────────────────────

  /** Returns whether the happening did anything observable. */
  private process(h: Happening): boolean {
    switch (h.type) {
      case 'REPLICA_TIMER': {
        if (h.generation !== this.generations(h.which)[h.replica]) return false;
        const before = this.eventIndex;
        this.processes[h.replica].onTimer(h.which);
        // A retransmission timer that found nothing to say produced nothing to show.
        return h.which === 'main' || this.eventIndex > before;
      }
      case 'LIAR_TIMER':
        return this.liars.timerFired(h.replica, h.generation);
      case 'CLIENT_ISSUE':
        this.issueRequest();
        return true;
      case 'CLIENT_TIMER': {
        const entry = this.client.outstanding.get(h.timestamp);
        if (!entry) return false;
        this.record({ kind: 'request', timestamp: entry.request.timestamp, digest: entry.request.digest, op: entry.request.op, retransmit: true });
        for (let to = 0; to < this.n; to++) this.clientSend(to, entry.request);
        this.later(this.now + this.scenario.clientTimeoutMs, h);
        return true;
      }
      default:
        if (h.caught) return false;
        if (h.lost || (this.deliveryFilter && !this.deliveryFilter(h))) {
          this.picture?.drop(h.type, h.id);
          if (this.recordTrace) this.record(h.by && h.lost ? { kind: 'drop', msg: summarize(h), by: h.by } : { kind: 'drop', msg: summarize(h) });
          else this.eventIndex++;
        } else {
          this.picture?.deliver(h.type, h.id);
          this.deliver(h, h.sender, h.dst);
        }
        return true;
    }
  }

  private issueRequest(): void {
    const request = this.client.issue(this.now);
    this.record({ kind: 'request', timestamp: request.timestamp, digest: request.digest, op: request.op, retransmit: false });
    this.clientSend(primaryOf(this.client.believedView, this.n), request);
    this.later(this.now + this.scenario.clientTimeoutMs, clientTimer(request.timestamp));
  }

  private clientSend(to: NodeId, request: ClientRequest): void {
    this.transmit(CLIENT, to, { type: 'REQUEST', view: this.client.believedView, seq: 0, digest: request.digest, request, timestamp: request.timestamp });
  }

  /** `dst`: the process it is for (a twin's second instance has its own; see Twins). */
  private deliver(msg: Message, from: NodeId, dst: number = msg.receiver): void {
    if (msg.receiver === CLIENT) {
      const outcome = this.client.onReply(msg, from, this.now);
      if (outcome && typeof outcome === 'object') {
        this.record({ kind: 'deliver', msg: summarize(msg) });
        this.checker.onAccepted(outcome.request.digest, outcome.result, this.now);
        const fooled = !this.checker.honestlyComputed(outcome.request.digest, outcome.result);
        this.forgetOldHistory(outcome.request.digest);
        this.record({ kind: 'accept', timestamp: outcome.request.timestamp, result: outcome.result, latencyMs: outcome.latencyMs, fooled, repliers: outcome.repliers });
        if (this.toIssue > 0) {
          this.toIssue--;
          this.scheduler.schedule(this.now, clientIssue());
        }
      } else {
        this.record({ kind: 'deliver', msg: summarize(msg), ...(outcome ? { ignored: outcome } : {}) });
      }
      return;
    }
    const replica = this.processes[dst];
    if (!replica) return;
    // A liar learns what its replica is told (it may replay it, or lie about it).
    const liar = this.behaviours[msg.receiver];
    if (liar) this.liars.heard(msg.receiver, liar, msg, from);
    // The deliver event goes first so the trace reads cause → effect.
    const index = this.recordTrace ? this.unflushed.length : -1;
    if (this.recordTrace) this.record({ kind: 'deliver', msg: summarize(msg) });
    else this.eventIndex++;
    // No safety net here: a replica must never throw on any input (a property test feeds it garbage), and a bug
    // that makes it throw should surface as an error, not pass as an ignored message.
    const ignored = replica.receive(msg, from);
    if (ignored && index >= 0) {
      const ev = this.unflushed[index];
      if (ev.kind === 'deliver') ev.ignored = ignored;
    }
  }

  /**
   * Puts one message on the wire; `extraDelayMs` is a slow sender's (its adversary says so); `retransmit` marks a
   * replica's retransmission (by default, what the fields say).
   */
  private transmit(from: NodeId, to: NodeId, fields: OutgoingMessage, extraDelayMs = 0, retransmit?: Retransmission, src: number = from): void {
    let dst = to;
    if (this.twinCount > 0) {
      dst = this.route(src, to);
      if (dst === NO_ROUTE) return;
      // The client reaches both instances of a twin: the second gets a message of its own.
      if (src === CLIENT && to >= 0 && this.twinOf[to] >= 0) this.transmitTo(from, to, this.twinOf[to], fields, extraDelayMs, retransmit, src);
    }
    this.transmitTo(from, to, dst, fields, extraDelayMs, retransmit, src);
  }

  /**
   * Where a message from process `src` to replica `to` goes when twins run (see Twins): the process, or NO_ROUTE when a
   * twin's instance sends outside its part. Only twins' links are cut; the others talk as the network lets them.
   */
  private route(src: number, to: NodeId): number {
    if (to === CLIENT || src === CLIENT) return to;
    const part = this.partOf[src];
    if (this.twinOf[to] >= 0) return part === 0 ? to : this.twinOf[to];
    const srcIsTwin = src >= this.n || this.twinOf[src] >= 0;
    return srcIsTwin && this.partOf[to] !== part ? NO_ROUTE : to;
  }

  private transmitTo(from: NodeId, to: NodeId, dst: number, fields: OutgoingMessage, extraDelayMs: number, retransmit: Retransmission | undefined, src: number): void {
    const again = (retransmit ?? fields.retransmit) || undefined;
    const twin = this.twinCount === 0 ? 0 : (src >= this.n ? 1 : 0) | (dst >= this.n ? 2 : 0);
    this.put(wireMessage(this.nextMessageId++, fields, from, to, dst, this.now, extraDelayMs, again, twin), again);
  }

  /** A message sent now: on the wire under the network's rule, or waiting for a hand. `copyOf`: a duplicate's original. */
  private put(msg: WireMessage, again?: Retransmission, copyOf?: number): void {
    const from = msg.sender;
    this.picture?.send(msg.type, from, msg.digest);
    if (this.byHand || (this.holding.size > 0 && this.holding.has(from))) {
      // The network draws nothing for it: the hand decides when it arrives, if ever.
      if (this.recordTrace) {
        const event: TraceDraft = { kind: 'send', msg: summarize(msg), arriveAt: this.now, lost: false, hand: true };
        if (again) event.retransmit = again;
        if (copyOf !== undefined) event.copyOf = copyOf;
        this.record(event);
      } else this.eventIndex++;
      this.waiting.push(msg);
      return;
    }
    const transit = this.network.transit(this.now, msg.extraMs, from, msg.receiver);
    if (this.recordTrace) {
      const event: TraceDraft =
        transit.by === null
          ? again
            ? { kind: 'send', msg: summarize(msg), arriveAt: transit.at, lost: transit.lost, retransmit: again }
            : { kind: 'send', msg: summarize(msg), arriveAt: transit.at, lost: transit.lost }
          : {
              kind: 'send',
              msg: summarize(msg),
              arriveAt: transit.at,
              lost: transit.lost,
              ...(transit.held ? { held: true as const } : { by: transit.by }),
              ...(again ? { retransmit: again } : {}),
            };
      if (copyOf !== undefined) event.copyOf = copyOf;
      this.record(event);
    } else this.eventIndex++;
    this.launch(msg, transit);
  }

  /** Onto the wire (or to wait at a cut that holds), as the network's transit says. */
  private launch(msg: WireMessage, transit: Transit): void {
    if (transit.held) {
      // It waits at the cut until Heal; when it was sent is kept for the release.
      this.picture?.hold(msg.type);
      this.network.hold({ msg, id: msg.id, from: msg.sender, to: msg.receiver, sendT: this.now, arriveAt: transit.at });
      return;
    }
    msg.lost = transit.lost;
    msg.by = transit.by;
    this.scheduler.schedule(transit.at, msg);
  }

  /** A timer set for `time`: on the clock, or (deliver by hand) waiting for a hand, replacing its earlier self. */
  private later(time: number, h: TimerHappening): void {
    if (!this.byHand) {
      this.scheduler.schedule(time, h);
      return;
    }
    h.at = time > this.now ? time : this.now;
    const key = h.type === 'REPLICA_TIMER' ? timerKey(h.replica, h.which) : h.type === 'LIAR_TIMER' ? timerKey(h.replica, 'liar') : -h.timestamp;
    // Re-inserted, so the map's order stays the order timers were set in.
    this.waitingTimers.delete(key);
    this.waitingTimers.set(key, h);
  }

  /** Whether a timer would still do something if it fired (a replica's not superseded or cleared, a request still outstanding). */
  private timerLive(h: TimerHappening): boolean {
    if (h.type === 'REPLICA_TIMER') return h.generation === this.generations(h.which)[h.replica];
    if (h.type === 'LIAR_TIMER') return this.liars.timerLive(h.replica, h.generation);
    return this.client.outstanding.has(h.timestamp);
  }

  // ───────────────────────────── deliver by hand ─────────────────────────────

  /** Whether deliver by hand is on. */
  get deliveringByHand(): boolean {
    return this.byHand;
  }

  /** Replicas whose messages wait for a hand (holdFrom), in id order. */
  get heldSenders(): NodeId[] {
    return [...this.holding].sort((a, b) => a - b);
  }

  /**
   * What waits for a hand: messages in flight in send order (by id), then live timers by deadline (then owner and
   * name). The order is stable: the same run gives the same list.
   */
  pending(): PendingItem[] {
    const out: PendingItem[] = [];
    for (const m of [...this.waiting].sort((x, y) => x.id - y.id)) {
      const item: PendingItem = { kind: 'message', id: m.id, type: m.type, from: m.sender, to: m.receiver, view: m.view, seq: m.seq, digest: m.digest };
      if (m.twin & 1) item.fromTwin = true;
      if (m.twin & 2) item.toTwin = true;
      out.push(item);
    }
    const timers: Array<PendingItem & { kind: 'timer' }> = [];
    for (const h of this.waitingTimers.values()) if (this.timerLive(h)) timers.push({ kind: 'timer', replica: timerOwner(h), timer: timerName(h), deadline: h.at });
    timers.sort((x, y) => x.deadline - y.deadline || x.replica - y.replica || (x.timer < y.timer ? -1 : x.timer > y.timer ? 1 : 0));
    return [...out, ...timers];
  }

  /** The messages waiting for a hand, in the order they began to wait: the search's cheap view of `pending` (read only, live). */
  waitingMessages(): ReadonlyArray<Readonly<Message>> {
    return this.waiting;
  }

  /** Requests the client has still to issue (it issues the next when one is accepted). */
  get requestsToIssue(): number {
    return this.toIssue;
  }

  /** How many messages wait for a hand. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  /** A message waiting for a hand (its receiver, sender and type), or undefined. */
  waitingMessage(id: number): Readonly<Message> | undefined {
    const k = this.waitingAt(id);
    return k < 0 ? undefined : this.waiting[k];
  }

  /** Where message `id` is in the waiting list, or −1. */
  private waitingAt(id: number): number {
    const list = this.waiting;
    for (let k = 0; k < list.length; k++) if (list[k].id === id) return k;
    return -1;
  }

  /** Takes message `id` out of the waiting list (undefined when it does not wait). */
  private takeWaiting(id: number): WireMessage | undefined {
    const k = this.waitingAt(id);
    if (k < 0) return undefined;
    // Shifted by hand: splice would make a list of the one removed.
    const list = this.waiting;
    const m = list[k];
    for (let j = k + 1; j < list.length; j++) list[j - 1] = list[j];
    list.pop();
    return m;
  }

  /** The live timers waiting for a hand, as fireTimer names them, in the order they were set. */
  waitingTimerNames(): Array<{ replica: NodeId; timer: string; deadline: number }> {
    const out: Array<{ replica: NodeId; timer: string; deadline: number }> = [];
    for (const [key, h] of this.waitingTimers) {
      if (this.timerLive(h)) out.push({ replica: timerOwner(h), timer: timerName(h), deadline: h.at });
      else this.waitingTimers.delete(key);
    }
    return out;
  }

  /**
   * Deliver by hand on or off. On: every message on the wire and every timer on the clock begins to wait (messages at a
   * partition's cut stay there). Off: what waits goes back to the network model in send order — each message drawn a
   * fresh flight from now, as if sent now (the cut and the links apply), each timer due at its deadline (at once if
   * past) — except messages of a held sender.
   */
  setByHand(on: boolean): TraceEvent[] {
    if (on === this.byHand) return [];
    this.byHand = on;
    if (on) {
      const drained = this.scheduler.drain().sort((x, y) => x.order - y.order);
      const wire: WireMessage[] = [];
      for (const h of drained) {
        if (onTheWire(h)) {
          if (!h.caught) wire.push(h);
        } else if (isTimer(h)) this.later(h.at, h);
        else this.scheduler.schedule(h.at, h);
      }
      for (const m of wire.sort((x, y) => x.id - y.id)) this.waitForHand(m);
    } else {
      this.handBack(() => true);
      const timers = [...this.waitingTimers.values()];
      this.waitingTimers.clear();
      for (const h of timers) if (this.timerLive(h)) this.scheduler.schedule(h.at, h);
    }
    return this.flush();
  }

  /**
   * Holds everything `replica` sends (on) — what is on the wire from it too — or lets it go (off: back to the network
   * model, unless deliver by hand is on).
   */
  holdFrom(replica: NodeId, on: boolean): TraceEvent[] {
    if (on) {
      if (this.holding.has(replica)) return [];
      this.holding.add(replica);
      if (!this.byHand) {
        const caught = this.scheduler
          .entries()
          .filter((h): h is WireMessage => onTheWire(h) && !h.caught && h.sender === replica)
          .sort((x, y) => x.id - y.id);
        for (const h of caught) {
          // Its place in the clock's queue is void; a fresh copy waits.
          h.caught = true;
          this.waitForHand(copyOfWire(h));
        }
      }
    } else {
      if (!this.holding.delete(replica)) return [];
      if (!this.byHand) this.handBack((m) => m.sender === replica);
    }
    return this.flush();
  }

  /** Delivers message `id` now, wherever it is in flight (a hand's delivery arrives no sooner than the shortest delay). */
  deliverMessage(id: number): TraceEvent[] {
    let m = this.takeWaiting(id);
    if (m) {
      this.advanceClock(m.sentT + this.network.params.minDelayMs);
    } else {
      const onWire = this.onWire(id);
      if (!onWire) return [];
      onWire.caught = true;
      m = copyOfWire(onWire);
    }
    m.lost = false;
    m.by = null;
    this.process(m);
    return this.flush();
  }

  /** Loses message `id` in flight (waiting for a hand or on the wire). */
  dropMessage(id: number): TraceEvent[] {
    let m = this.takeWaiting(id);
    if (!m) {
      m = this.onWire(id);
      if (!m) return [];
      m.caught = true;
    }
    this.picture?.drop(m.type, m.id);
    if (this.recordTrace) this.record({ kind: 'drop', msg: summarize(m), by: 'hand' });
    else this.eventIndex++;
    return this.flush();
  }

  /** The network copies message `id`: the copy, with an id of its own, travels (or waits) as a message sent now. */
  duplicate(id: number): TraceEvent[] {
    const k = this.waitingAt(id);
    const m = k >= 0 ? this.waiting[k] : this.onWire(id);
    if (!m) return [];
    const copy = wireMessage(this.nextMessageId++, m, m.sender, m.receiver, m.dst, this.now, m.extraMs, m.retransmit, m.twin);
    this.put(copy, m.retransmit, m.id);
    return this.flush();
  }

  /** Fires a timer that waits for a hand (as `pending` names it); the clock moves on to its deadline if that is later. */
  fireTimer(replica: NodeId, timer: string): TraceEvent[] {
    const key = timer.startsWith('client:') ? (replica === CLIENT ? -Number(timer.slice(7)) : NaN) : timerKey(replica, timer);
    const h = this.waitingTimers.get(key);
    if (!h) return [];
    this.waitingTimers.delete(key);
    if (!this.timerLive(h)) return [];
    this.advanceClock(h.at);
    this.firing = { replica, timer };
    this.process(h);
    this.firing = null;
    return this.flush();
  }

  /** Processes the next due happening; false when nothing is scheduled (under deliver by hand: nothing due now). */
  advance(): boolean {
    const next = this.scheduler.popItem();
    if (next === undefined) return false;
    this.process(next);
    return true;
  }

  /** A message still live on the wire (not lost, not caught), by id. */
  private onWire(id: number): WireMessage | undefined {
    for (const h of this.scheduler.entries()) if (onTheWire(h) && h.id === id && !h.caught && !h.lost) return h;
    return undefined;
  }

  /** A message taken off the wire waits for a hand. */
  private waitForHand(m: WireMessage): void {
    m.lost = false;
    m.by = null;
    this.waiting.push(m);
    if (this.recordTrace) this.record({ kind: 'hold', msg: summarize(m), hand: true });
    else this.eventIndex++;
  }

  /** The waiting messages `which` picks (and whose sender is not held) go back to the network model, in send order. */
  private handBack(which: (m: WireMessage) => boolean): void {
    const go: WireMessage[] = [];
    const stay: WireMessage[] = [];
    for (const m of this.waiting) (which(m) && !this.holding.has(m.sender) ? go : stay).push(m);
    this.waiting.length = 0;
    for (const m of stay) this.waiting.push(m);
    go.sort((x, y) => x.id - y.id);
    for (const m of go) {
      const transit = this.network.transit(this.now, m.extraMs, m.sender, m.receiver);
      if (this.recordTrace) this.record({ kind: 'release', msg: summarize(m), arriveAt: transit.at, hand: true });
      else this.eventIndex++;
      m.sentT = this.now;
      this.launch(m, transit);
    }
  }

  private record(draft: TraceDraft): void {
    // Messages are folded at the wire (send, deliver, drop), trace or not; everything else here.
    this.picture?.note(draft, this.now);
    // Events are counted whether or not they are recorded, so a position (an intervention's afterEvent) means the same
    // in a lean run (the attack search) as in a recorded one (its replay).
    const i = this.eventIndex++;
    if (draft.kind === 'violation' || this.recordTrace) {
      const event = { ...draft, i, t: this.now } as TraceEvent;
      if (this.firing && this.recordTrace) {
        event.firedByHand = this.firing;
        this.firing = null;
      }
      this.unflushed.push(event);
    }
  }

  private flush(): TraceEvent[] {
    const out = this.unflushed;
    // A lean world (no trace) has nothing to hand out but violations: no new list per step (the attack search steps
    // millions of times a second). Nobody may add to what a step returns.
    if (out.length === 0 && !this.recordTrace) return NOTHING as TraceEvent[];
    this.unflushed = [];
    if (this.keepTrace) for (const ev of out) this.trace.push(ev);
    return out;
  }

  /** Models the client's signature: true only for a request the client really issued, exactly as issued. */
  private isAuthentic(request: ClientRequest): boolean {
    const issued = this.client.issued.get(request.digest);
    return !!issued && issued.op === request.op && issued.timestamp === request.timestamp && issued.client === request.client;
  }

  /** The adversaries of the lying replicas, whatever behaviour each has at the moment it speaks. */
  private makeLiars(): Liars {
    const { knowledge, adversaries } = runtimeOf(this.scenario.mode);
    // Methods, not arrow functions, and `sim` for the world: every run builds these, and a named arrow function costs a
    // name-keeping call each under tsx (the attack search builds thousands of runs a second).
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const sim = this;
    return new Liars({
      n: this.n,
      rng: this.byzantineRng,
      protocol: knowledge,
      table: adversaries,
      behaviourOf(id) {
        return sim.behaviours[id] ?? null;
      },
      // Whatever a liar puts on the wire goes out under its own signature (it can sign anything in its own name;
      // what it relays inside a proof keeps the signatures it came with).
      transmit(from, to, msg, delayMs) {
        sim.transmit(from, to, sim.signedBy(from, msg), delayMs);
      },
      sign(from, msg) {
        return sim.signedBy(from, msg);
      },
      setTimer(replica, delay, generation) {
        sim.later(sim.now + delay, liarTimer(replica, generation));
      },
      isAuthentic(request) {
        return sim.isAuthentic(request);
      },
    });
  }

  private get liars(): Liars {
    return (this.liarsMade ??= this.makeLiars());
  }

  /**
   * What the replicas live in. An honest replica's messages go straight to the wire; a Byzantine one's pass through
   * the adversary of its behaviour as it is at that moment (behaviours change mid-run).
   */
  private makeHost(): ReplicaHost {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const sim = this;
    return {
      now() {
        return sim.now;
      },
      send(from, to, fields) {
        const signed = sim.stamped(from, fields);
        const behaviour = sim.behaviours[from];
        // A liar's answer to a retransmission is its lie again, told to one replica.
        if (behaviour && signed.retransmit === 'answer') sim.liars.sendAgain(from, behaviour, to, signed);
        else if (behaviour) sim.liars.send(from, behaviour, to, signed);
        else sim.transmit(from, to, signed);
      },
      multicast(from, fields, repeat = false) {
        // One signature per multicast, not per recipient.
        const signed = sim.stamped(from, fields);
        const behaviour = sim.behaviours[from];
        if (behaviour) return sim.liars.multicast(from, behaviour, repeat ? { ...signed, retransmit: 'repeat' } : signed, repeat);
        const retransmit = repeat ? 'repeat' : signed.retransmit;
        for (let to = 0; to < sim.n; to++) if (to !== from) sim.transmit(from, to, signed, 0, retransmit);
        return signed;
      },
      sign(from, content) {
        return sim.signatures.sign(from, content);
      },
      verify(message) {
        return sim.signatures.verify(message);
      },
      proposals(from, pending, room) {
        const behaviour = sim.behaviours[from];
        return behaviour ? sim.liars.proposals(from, behaviour, pending, room) : pending;
      },
      emit(from, event) {
        sim.onReplicaEvent(from, event);
      },
      showTimer(from, action, deadline) {
        sim.showTimer(from, action, deadline);
      },
      showPhase(from, view, seq, digest, phase) {
        sim.showPhase(from, view, seq, digest, phase);
      },
      showView(from, view, primary) {
        sim.showView(from, view, primary);
      },
      setTimer(replica, delay, which = 'main') {
        const generation = ++sim.generations(which)[replica];
        sim.later(sim.now + delay, replicaTimer(replica, which, generation));
      },
      clearTimer(replica, which = 'main') {
        sim.generations(which)[replica]++;
      },
      isAuthentic(request) {
        return sim.isAuthentic(request);
      },
      fetchState(seq, digest) {
        return sim.fetchState(seq, digest);
      },
    };
  }

  /**
   * The host of a twin's second instance (process `p`): the world as the first instance's host gives it, but what it
   * sends leaves from its own part of the network and its timers are its own. It runs honest code: no liar speaks for it.
   */
  private makeTwinHost(base: ReplicaHost, p: number): ReplicaHost {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const sim = this;
    return {
      now: base.now,
      sign: base.sign,
      verify: base.verify,
      emit: base.emit,
      showTimer: base.showTimer,
      showPhase: base.showPhase,
      showView: base.showView,
      isAuthentic: base.isAuthentic,
      fetchState: base.fetchState,
      send(from, to, fields) {
        sim.transmit(from, to, sim.stamped(from, fields), 0, undefined, p);
      },
      multicast(from, fields, repeat = false) {
        const signed = sim.stamped(from, fields);
        const retransmit = repeat ? 'repeat' : signed.retransmit;
        for (let to = 0; to < sim.n; to++) if (to !== from) sim.transmit(from, to, signed, 0, retransmit, p);
        return signed;
      },
      proposals(_from, pending) {
        return pending;
      },
      setTimer(_replica, delay, which = 'main') {
        const generation = ++sim.generations(which)[p];
        sim.later(sim.now + delay, replicaTimer(p, which, generation));
      },
      clearTimer(_replica, which = 'main') {
        sim.generations(which)[p]++;
      },
    };
  }

  /**
   * What a replica says, once per sending however many receive it: in one fixed shape (so every copy put on the wire
   * is read from the same shape) and signed in its name where its protocol signs that type.
   */
  private stamped(from: NodeId, fields: OutgoingMessage): OutgoingMessage {
    const words = unsignedWords(fields);
    // Signed from the copy: its one shape is cheaper to read than whatever shape the replica wrote its fields in.
    if (this.signatures.signs(words.type)) words.sig = this.signatures.sign(from, words);
    return words;
  }

  /**
   * A liar's words signed in its own name, where its protocol signs that type: copied when the signature must change —
   * once for the same object told to everyone.
   */
  private signedBy(from: NodeId, fields: OutgoingMessage): OutgoingMessage {
    if (!this.signatures.signs(fields.type)) return fields;
    const memo = this.lastSigned;
    if (memo && memo.fields === fields && memo.from === from && memo.digest === fields.digest && memo.view === fields.view && memo.seq === fields.seq && memo.payload === fields.payload) {
      return memo.signed;
    }
    const sig = this.signatures.sign(from, fields);
    const signed = fields.sig === sig ? fields : { ...fields, sig };
    this.lastSigned = { from, fields, signed, digest: fields.digest, view: fields.view, seq: fields.seq, payload: fields.payload };
    return signed;
  }

  /** The last liar's message signed (a liar tells everyone the same object: one signature, not one per recipient). */
  private lastSigned: { from: NodeId; fields: OutgoingMessage; signed: OutgoingMessage; digest: string; view: number; seq: number; payload: unknown } | null = null;

  /** A replica's timer event: folded into the picture and counted as `record` would, its object made only for a trace. */
  private showTimer(from: NodeId, action: 'start' | 'stop', deadline: number): void {
    if (this.recordTrace) {
      this.record({ kind: 'timer', replica: from, action, deadline });
      return;
    }
    this.picture?.timer(from, action, deadline, this.now);
    this.eventIndex++;
  }

  /** A replica's new-view event: folded and counted as `record` would, its object made only for a trace. */
  private showView(from: NodeId, view: number, primary: NodeId): void {
    if (this.recordTrace) {
      this.record({ kind: 'new-view', replica: from, view, primary });
      return;
    }
    this.picture?.enteredView(from, view);
    this.eventIndex++;
  }

  /** A replica's phase event: folded and counted as `record` would, its object made only for a trace; then checked. */
  private showPhase(from: NodeId, view: number, seq: number, digest: string, phase: SlotPhase): void {
    if (this.recordTrace) this.record({ kind: 'phase', replica: from, view, seq, digest, phase });
    else {
      this.picture?.phase(from, seq, digest, phase);
      this.eventIndex++;
    }
    this.checkPhase(from, seq, digest, phase);
  }

  private onReplicaEvent(from: NodeId, event: TraceDraft): void {
    this.record(event);
    if (event.kind === 'phase') this.checkPhase(from, event.seq, event.digest, event.phase);
  }

  /** What the safety checker reads of a phase reached: commits and executions (with what the replica computed). */
  private checkPhase(from: NodeId, seq: number, digest: string, phase: SlotPhase): void {
    let found;
    if (phase === 'committed') found = this.checker.onCommitted(from, seq, digest, this.now);
    else if (phase === 'executed') {
      const log = this.replicaList[from]?.executedLog;
      const entry = log?.[log.length - 1];
      const ran = entry?.seq === seq && entry.request !== null;
      found = this.checker.onExecuted(from, seq, digest, ran, this.now, ran ? entry.state : undefined);
      if (!this.everMalicious.has(from)) {
        const count = (this.honestExecutions.get(digest) ?? 0) + 1;
        this.honestExecutions.set(digest, count);
        if (count === this.n - this.everMalicious.size) this.allHonestExecutedAt.set(digest, this.now);
      }
    } else return;
    for (const violation of found) this.record({ kind: 'violation', violation });
  }

  private forgetOldHistory(acceptedDigest: string): void {
    if (!Number.isFinite(this.historyLimit)) return;
    this.acceptedOrder.push(acceptedDigest);
    if (this.acceptedOrder.length <= 2 * this.historyLimit) return;
    const forgotten = this.acceptedOrder.splice(0, this.acceptedOrder.length - this.historyLimit);
    for (const digest of forgotten) {
      this.client.issued.delete(digest);
      this.client.issuedAt.delete(digest);
      this.honestExecutions.delete(digest);
      this.allHonestExecutedAt.delete(digest);
    }
    const oldest = Math.min(...this.replicaList.map((r) => r.lastExecuted)) - this.historyLimit;
    this.checker.forget(forgotten, oldest);
  }

  private fetchState(seq: number, digest: string): ExecutedEntry[] | null {
    for (const r of this.replicaList) {
      const at = r.executedLog.find((e) => e.seq === seq);
      if (at && at.state === digest) return r.executedLog.filter((e) => e.seq <= seq);
    }
    return null;
  }
}
