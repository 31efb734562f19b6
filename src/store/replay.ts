/**
 * The page keeps the newest part of the run's trace, so a past moment can be drawn again without the worker: the
 * picture at event k is a fold over the first k events, started from the nearest snapshot of that fold (one every
 * `snapshotEvery` events), so a jump folds at most that many. Memory is bounded: beyond `maxEvents` kept events the
 * oldest are compacted away (in chunks, at a snapshot) and the page says so. The worker re-simulates only when
 * someone plays on or acts from the past (see labStore). Pure functions and plain data, tested without React or a
 * worker.
 */
import type { TimedIntervention } from '../sim/session';
import {
  MESSAGE_TYPES,
  type Behaviour,
  type MessageSummary,
  type MessageType,
  type ReplicaSummary,
  type SafetyViolation,
  type Scenario,
  type SimStats,
  type SlotPhase,
  type TraceEvent,
} from '../sim/types';
import { captionFor } from './describe';
import { explain } from './narrate';
import { emptyTimeline, flightOf, type DroppedMessage, type FlightMessage, type TimelineState } from './timeline';

/** One message from send to arrival or loss: an arrow in the space-time diagram (and a dot in a past picture). */
export interface MessageRecord extends MessageSummary {
  sendT: number;
  arriveAt: number;
  lost: boolean;
  /** Trace index of its send, and of its delivery or loss (−1 until the trace reaches it). */
  sendIndex: number;
  endIndex: number;
}

/** How much of a run the page remembers. */
export interface HistoryLimits {
  /**
   * At most this many events are kept (about 25 MB at n = 100). Beyond it the oldest are compacted away — down to
   * KEEP_AFTER_COMPACTION of it, at a snapshot — so a lecture can run for hours in flat memory.
   */
  maxEvents: number;
  /** A snapshot of the folded picture every this many events: scrubbing to any moment folds at most this many. */
  snapshotEvery: number;
}

export const DEFAULT_HISTORY: HistoryLimits = { maxEvents: 100_000, snapshotEvery: 2_000 };
/** What share of `maxEvents` a compaction keeps, so it happens in chunks rather than on every batch. */
export const KEEP_AFTER_COMPACTION = 0.75;
/** Latencies a picture's stats carry (the page shows the newest; `committed` counts every one). */
export const PICTURE_LATENCY_TAIL = 16;

/**
 * Everything the worker said about one run. `trace`, `starts` and `messages` are append-only buffers shared
 * between states (copying them per batch would cost more than the batch); `length` is what selectors watch.
 * Indices are absolute event numbers: `trace[k]` is event `base + k`.
 */
export interface RunState {
  generation: number;
  n: number;
  f: number;
  /** The scenario the run started from, and every intervention since: with the trace, a run file. */
  scenario: Scenario | null;
  interventions: TimedIntervention[];
  /** The kept events, from `base` to `length`. */
  trace: TraceEvent[];
  /** Events before this index were compacted away (0 while the page still has the whole run). */
  base: number;
  /** Virtual time of the earliest moment still shown (the moment after event base − 1; 0 without compaction). */
  baseTime: number;
  length: number;
  /** Indices where a happening (one Step) begins, ascending (from `base` on). */
  starts: number[];
  /** Messages sent from `base` on, and older ones still on the wire at `base`, in send order. */
  messages: MessageRecord[];
  messageById: Map<number, MessageRecord>;
  /** Longest transit seen, so the diagram can find every arrow crossing a time window without a full scan. */
  maxTransit: number;
  /** How far the worker's world has got (it can be behind the page after a seek back). */
  workerAt: number;
  /** Virtual time at the end of what is known. */
  endTime: number;
  /** The fold of every event so far (`tip.index === length`). */
  tip: Fold;
  /** The fold at every multiple of `limits.snapshotEvery` from `base` on, ascending; the first is at `base`. */
  snapshots: FoldSnapshot[];
  limits: HistoryLimits;
}

export function emptyRun(generation = 0, limits: HistoryLimits = DEFAULT_HISTORY): RunState {
  const tip = new Fold();
  return {
    generation,
    n: 0,
    f: 0,
    scenario: null,
    interventions: [],
    trace: [],
    base: 0,
    baseTime: 0,
    length: 0,
    starts: [],
    messages: [],
    messageById: new Map(),
    maxTransit: 0,
    workerAt: 0,
    endTime: 0,
    tip,
    snapshots: [tip.snapshot()],
    limits: { maxEvents: Math.max(2, limits.maxEvents), snapshotEvery: Math.max(1, Math.floor(limits.snapshotEvery)) },
  };
}

/** Event `i` (absolute), or undefined when it was compacted away or is not known yet. */
export function eventAt(run: RunState, i: number): TraceEvent | undefined {
  return i >= run.base ? run.trace[i - run.base] : undefined;
}

/** Virtual time after the first `index` events (the moment a picture at `index` shows). */
export function timeAfter(run: RunState, index: number): number {
  if (index <= run.base) return run.baseTime;
  return eventAt(run, index - 1)?.t ?? run.endTime;
}

function sameEvent(a: TraceEvent, b: TraceEvent): boolean {
  if (a.kind !== b.kind || a.t !== b.t || a.i !== b.i) return false;
  if ('msg' in a && 'msg' in b) return a.msg.id === b.msg.id && a.msg.type === b.msg.type && a.msg.to === b.msg.to;
  return true;
}

/** The last snapshot at or before `index`. */
function snapshotIndexAt(snapshots: readonly FoldSnapshot[], index: number): number {
  let lo = 0;
  let hi = snapshots.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (snapshots[mid].index <= index) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(0, lo - 1);
}

/** Folds the kept events from `fold.index` up to `to`, dots of past pictures being the run's own records. */
function foldForward(run: RunState, fold: Fold, to: number): void {
  for (let i = fold.index; i < to; i++) {
    const e = run.trace[i - run.base];
    if (!e) break;
    fold.apply(e, e.kind === 'send' ? run.messageById.get(e.msg.id) : undefined);
  }
}

/**
 * The fold after the first `index` events (clamped to what is kept): restored from the nearest snapshot, then at
 * most `snapshotEvery` events folded on. A fresh object the caller may keep.
 */
export function foldAt(run: RunState, index: number): Fold {
  const at = Math.max(run.base, Math.min(index, run.length));
  const snap = run.snapshots[snapshotIndexAt(run.snapshots, at)];
  const fold = Fold.restore(snap, (id) => run.messageById.get(id));
  foldForward(run, fold, at);
  return fold;
}

/** Forgets everything from trace index `at` on (a person acted in the past: the old future is gone). */
export function truncateRun(run: RunState, at: number): void {
  const cut = Math.max(at, run.base);
  if (cut >= run.length) return;
  run.trace.length = cut - run.base;
  run.length = cut;
  while (run.starts.length > 0 && run.starts[run.starts.length - 1] >= cut) run.starts.pop();
  while (run.messages.length > 0 && run.messages[run.messages.length - 1].sendIndex >= cut) {
    run.messageById.delete(run.messages.pop()!.id);
  }
  for (const m of run.messages) if (m.endIndex >= cut) m.endIndex = -1;
  while (run.snapshots.length > 1 && run.snapshots[run.snapshots.length - 1].index > cut) run.snapshots.pop();
  run.tip = foldAt(run, cut);
  run.endTime = timeAfter(run, cut);
}

function indexEvent(run: RunState, e: TraceEvent): MessageRecord | undefined {
  if (e.kind === 'send') {
    // One literal with every field (no spread): records then share one compact shape, which the diagram's scans
    // over tens of thousands of them read several times faster.
    const m = e.msg;
    const record: MessageRecord = {
      id: m.id,
      type: m.type,
      from: m.from,
      to: m.to,
      view: m.view,
      seq: m.seq,
      digest: m.digest,
      sendT: e.t,
      arriveAt: e.arriveAt,
      lost: e.lost,
      sendIndex: e.i,
      endIndex: -1,
    };
    run.messageById.set(e.msg.id, record);
    run.messages.push(record);
    run.maxTransit = Math.max(run.maxTransit, e.arriveAt - e.t);
    return record;
  }
  if (e.kind === 'deliver' || e.kind === 'drop') {
    const record = run.messageById.get(e.msg.id);
    if (record) record.endIndex = e.i;
  }
  return undefined;
}

/**
 * Merges events that begin at trace index `from` into the run. Events the page already has are compared: the
 * same (a replay from the seed) keeps the known future; a difference replaces it from there on.
 * Returns the index from which the run's content is new (or `run.length` when nothing changed).
 */
export function mergeEvents(run: RunState, from: number, events: readonly TraceEvent[], starts: readonly number[]): number {
  if (from > run.length) {
    // A gap should never happen; rather than draw a wrong past, keep what is contiguous.
    return run.length;
  }
  // Events before `base` were compacted: a replay of them cannot be compared, and need not be.
  let k = Math.max(0, run.base - from);
  while (k < events.length && from + k < run.length && sameEvent(run.trace[from + k - run.base], events[k])) k++;
  if (k >= events.length) return run.length;
  const changedAt = from + k;
  truncateRun(run, changedAt);
  const every = run.limits.snapshotEvery;
  for (; k < events.length; k++) {
    const e = events[k];
    run.trace.push(e);
    run.tip.apply(e, indexEvent(run, e));
    if (run.tip.index % every === 0) run.snapshots.push(run.tip.snapshot());
  }
  for (const s of starts) if (s >= changedAt && (run.starts.length === 0 || s > run.starts[run.starts.length - 1])) run.starts.push(s);
  run.length = run.base + run.trace.length;
  if (run.length > 0) run.endTime = Math.max(run.endTime, run.trace[run.trace.length - 1].t);
  return changedAt;
}

/**
 * Keeps memory bounded: when more than `limits.maxEvents` events are kept, drops the oldest — down to
 * KEEP_AFTER_COMPACTION of the limit, at a snapshot, and never at or after `protectFrom` (the moment on screen).
 * Returns how many events were dropped (0 when nothing was).
 */
export function compactRun(run: RunState, protectFrom = Number.POSITIVE_INFINITY): number {
  const { maxEvents } = run.limits;
  if (run.length - run.base <= maxEvents) return 0;
  const target = Math.min(run.length - Math.floor(maxEvents * KEEP_AFTER_COMPACTION), protectFrom);
  const k = snapshotIndexAt(run.snapshots, target);
  const snap = run.snapshots[k];
  if (snap.index > target || snap.index <= run.base) return 0;
  const newBase = snap.index;
  const dropped = newBase - run.base;
  run.trace = run.trace.slice(dropped);
  run.snapshots = run.snapshots.slice(k);
  run.starts = run.starts.filter((s) => s >= newBase);
  const kept: MessageRecord[] = [];
  for (const m of run.messages) {
    // A message sent before the new base but still on the wire there is part of the pictures that remain.
    if (m.sendIndex >= newBase || m.endIndex === -1 || m.endIndex >= newBase) kept.push(m);
    else run.messageById.delete(m.id);
  }
  run.messages = kept;
  run.base = newBase;
  run.baseTime = snap.t;
  return dropped;
}

/** First index whose event happened after virtual time t: the number of events a picture at t shows. */
export function eventsUpTo(trace: readonly TraceEvent[], length: number, t: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (trace[mid].t <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** eventsUpTo on a run: the absolute index of the first kept event after t (at least `base`). */
export function indexAtTime(run: RunState, t: number): number {
  return run.base + eventsUpTo(run.trace, run.trace.length, t);
}

/** The start of the happening that ends at `index` (the last step before it). */
export function happeningStart(starts: readonly number[], index: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid] < index) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? starts[lo - 1] : 0;
}

// ───────────────────────────── the fold ─────────────────────────────

/** What a picture needs of one replica. Phases are tracked for the newest request only: that is all it shows. */
interface ReplicaFold {
  view: number;
  viewChanging: boolean;
  /** The latest phase event for the newest request's digest (or pre-prepared from a lying primary's send). */
  newestPhase: SlotPhase | null;
  newestExecuted: boolean;
  lastExecuted: number;
  lowWatermark: number;
  timer: { startedAt: number; deadline: number } | null;
}

function freshReplica(): ReplicaFold {
  return { view: 0, viewChanging: false, newestPhase: null, newestExecuted: false, lastExecuted: 0, lowWatermark: 0, timer: null };
}

function zeroCounts(): Record<MessageType, number> {
  return Object.fromEntries(MESSAGE_TYPES.map((t) => [t, 0])) as Record<MessageType, number>;
}

/** A fold frozen at one index: small (in-flight messages by id only), so one every few thousand events is cheap. */
export interface FoldSnapshot {
  index: number;
  /** Virtual time of the last event folded (0 before any). */
  t: number;
  replicas: ReplicaFold[];
  inFlight: Float64Array;
  sent: Record<MessageType, number>;
  sentTotal: number;
  delivered: number;
  dropped: number;
  issued: number;
  accepted: number;
  newest: string | null;
  latencies: number[];
  violations: SafetyViolation[];
}

/** The running state of a trace prefix: what the worker would have reported after `index` events. */
export class Fold {
  index = 0;
  t = 0;
  replicas: ReplicaFold[] = [];
  inFlight = new Map<number, FlightMessage>();
  sent = zeroCounts();
  sentTotal = 0;
  delivered = 0;
  dropped = 0;
  issued = 0;
  accepted = 0;
  newest: string | null = null;
  latencies: number[] = [];
  violations: SafetyViolation[] = [];

  private replica(id: number): ReplicaFold | undefined {
    if (!Number.isInteger(id) || id < 0) return undefined;
    while (this.replicas.length <= id) this.replicas.push(freshReplica());
    return this.replicas[id];
  }

  /** Folds the next event in; `flight` is the message as pictures draw it (built from the event when absent). */
  apply(e: TraceEvent, flight?: FlightMessage): void {
    this.index++;
    this.t = e.t;
    switch (e.kind) {
      case 'send': {
        // A lying primary records what it proposed without saying so in a phase event.
        if (e.msg.type === 'PRE_PREPARE' && e.msg.digest === this.newest) {
          const r = this.replica(e.msg.from);
          if (r && r.newestPhase === null) r.newestPhase = 'pre-prepared';
        }
        this.sent[e.msg.type]++;
        this.sentTotal++;
        this.inFlight.set(e.msg.id, flight ?? flightOf(e.msg, e.t, e.arriveAt, e.lost));
        break;
      }
      case 'deliver':
        this.delivered++;
        this.inFlight.delete(e.msg.id);
        break;
      case 'drop':
        this.dropped++;
        this.inFlight.delete(e.msg.id);
        break;
      case 'request':
        if (!e.retransmit) {
          this.issued++;
          this.newest = e.digest;
          // Nobody can have seen a request before the client issued it: the new newest starts from nothing.
          for (const r of this.replicas) {
            r.newestPhase = null;
            r.newestExecuted = false;
          }
        }
        break;
      case 'accept':
        this.accepted++;
        this.latencies.push(e.latencyMs);
        if (this.latencies.length >= 2 * PICTURE_LATENCY_TAIL) this.latencies = this.latencies.slice(-PICTURE_LATENCY_TAIL);
        break;
      case 'phase': {
        const r = this.replica(e.replica);
        if (!r) break;
        if (e.digest === this.newest) {
          r.newestPhase = e.phase;
          if (e.phase === 'executed') r.newestExecuted = true;
        }
        if (e.phase === 'executed') r.lastExecuted = Math.max(r.lastExecuted, e.seq);
        break;
      }
      case 'view-change': {
        const r = this.replica(e.replica);
        if (!r) break;
        r.view = e.view;
        r.viewChanging = true;
        break;
      }
      case 'new-view': {
        const r = this.replica(e.replica);
        if (!r) break;
        r.view = e.view;
        r.viewChanging = false;
        break;
      }
      case 'timer': {
        const r = this.replica(e.replica);
        if (!r) break;
        r.timer = e.action === 'start' ? { startedAt: e.t, deadline: e.deadline } : null;
        break;
      }
      case 'checkpoint': {
        const r = this.replica(e.replica);
        if (r && e.stable) r.lowWatermark = Math.max(r.lowWatermark, e.seq);
        break;
      }
      case 'violation':
        this.violations.push(e.violation);
        break;
    }
  }

  private inFlightIds(): Float64Array {
    const ids = new Float64Array(this.inFlight.size);
    let k = 0;
    for (const id of this.inFlight.keys()) ids[k++] = id;
    return ids;
  }

  snapshot(): FoldSnapshot {
    return {
      index: this.index,
      t: this.t,
      replicas: this.replicas.map((r) => ({ ...r })),
      inFlight: this.inFlightIds(),
      sent: { ...this.sent },
      sentTotal: this.sentTotal,
      delivered: this.delivered,
      dropped: this.dropped,
      issued: this.issued,
      accepted: this.accepted,
      newest: this.newest,
      latencies: this.latencies.slice(-PICTURE_LATENCY_TAIL),
      violations: [...this.violations],
    };
  }

  /** The fold a snapshot froze; its in-flight messages are looked up by id (a run keeps their records). */
  static restore(snap: FoldSnapshot, message: (id: number) => FlightMessage | undefined): Fold {
    const fold = new Fold();
    fold.index = snap.index;
    fold.t = snap.t;
    fold.replicas = snap.replicas.map((r) => ({ ...r }));
    for (const id of snap.inFlight) {
      const m = message(id);
      if (m) fold.inFlight.set(id, m);
    }
    fold.sent = { ...snap.sent };
    fold.sentTotal = snap.sentTotal;
    fold.delivered = snap.delivered;
    fold.dropped = snap.dropped;
    fold.issued = snap.issued;
    fold.accepted = snap.accepted;
    fold.newest = snap.newest;
    fold.latencies = [...snap.latencies];
    fold.violations = [...snap.violations];
    return fold;
  }

  /** The picture's state with the clock at `viewTime` (the scenario and interventions say who lies and how). */
  derive(viewTime: number, ctx: PictureContext): DerivedState {
    const { n, f } = ctx;
    const { behaviours, dropRate } = settingsAt(ctx, this.index);
    const window = Math.max(1, ctx.scenario.watermarkWindow);
    const summaries: ReplicaSummary[] = Array.from({ length: n }, (_, id) => {
      const r = this.replicas[id] ?? freshReplica();
      return {
        id,
        behaviour: behaviours[id],
        view: r.view,
        isPrimary: r.view % n === id && !r.viewChanging,
        viewChanging: r.viewChanging,
        phase: this.newest === null ? null : r.newestExecuted ? 'executed' : r.newestPhase,
        lastExecuted: r.lastExecuted,
        lowWatermark: r.lowWatermark,
        highWatermark: r.lowWatermark + window,
        timer: r.timer ? { ...r.timer } : null,
        executed: [],
      };
    });
    const view = currentView(summaries);
    const clientOutstanding = this.issued - this.accepted;
    const latencies = this.latencies.slice(-PICTURE_LATENCY_TAIL);
    const stats: SimStats = {
      now: viewTime,
      view,
      primary: n > 0 ? view % n : 0,
      sent: { ...this.sent },
      sentTotal: this.sentTotal,
      delivered: this.delivered,
      dropped: this.dropped,
      committed: this.accepted,
      outstanding: clientOutstanding + scheduledToIssue(ctx.scenario, this.accepted),
      latenciesMs: latencies,
      lastLatencyMs: latencies.length ? latencies[latencies.length - 1] : null,
      violations: [...this.violations],
      waitingBecause: waitingBecause(clientOutstanding, summaries, f, dropRate, ctx.scenario),
    };
    return { inFlight: new Map(this.inFlight), replicas: summaries, stats };
  }
}

export interface PictureContext {
  n: number;
  f: number;
  scenario: Scenario;
  interventions: readonly TimedIntervention[];
}

/** The state the page can derive from a trace prefix: what the worker would have reported at that moment. */
export interface DerivedState {
  inFlight: Map<number, FlightMessage>;
  replicas: ReplicaSummary[];
  stats: SimStats;
}

/** Behaviours and network as they were after `index` events: the scenario plus the interventions made by then. */
export function settingsAt(ctx: PictureContext, index: number): { behaviours: Array<Behaviour | null>; dropRate: number; submitted: number } {
  const behaviours: Array<Behaviour | null> = Array.from({ length: ctx.n }, (_, id) => ctx.scenario.malicious[id] ?? null);
  let dropRate = ctx.scenario.dropRate;
  let submitted = 0;
  for (const h of ctx.interventions) {
    if (h.afterEvent > index) break;
    const i = h.intervention;
    if (i.kind === 'setBehaviour' && i.id < ctx.n) behaviours[i.id] = i.behaviour;
    else if (i.kind === 'setNetwork' && i.params.dropRate !== undefined) dropRate = i.params.dropRate;
    else if (i.kind === 'submitRequest') submitted++;
  }
  return { behaviours, dropRate, submitted };
}

/** Folds the first `index` events of a whole trace (from event 0) into the picture's state. */
export function deriveAt(trace: readonly TraceEvent[], index: number, viewTime: number, ctx: PictureContext): DerivedState {
  const fold = new Fold();
  for (let i = 0; i < index && i < trace.length; i++) fold.apply(trace[i]);
  return fold.derive(viewTime, ctx);
}

/** Requests the client has yet to issue on its own: it issues the next one each time it accepts a result. */
function scheduledToIssue(scenario: Scenario, accepted: number): number {
  const requests = Math.max(0, scenario.requests);
  const first = Math.min(requests, Math.max(1, scenario.concurrency));
  return Math.max(0, requests - first - accepted);
}

/** The view most honest replicas have installed, as Simulation.currentView decides it. */
function currentView(replicas: readonly ReplicaSummary[]): number {
  const counts = new Map<number, number>();
  for (const r of replicas) {
    if (r.behaviour || r.viewChanging) continue;
    counts.set(r.view, (counts.get(r.view) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = -1;
  for (const [view, count] of counts) if (count > bestCount || (count === bestCount && view > best)) [best, bestCount] = [view, count];
  return bestCount < 0 ? Math.max(0, ...replicas.map((r) => r.view)) : best;
}

/** Simulation.waitingBecause, from what the trace shows. */
function waitingBecause(outstanding: number, replicas: readonly ReplicaSummary[], f: number, dropRate: number, scenario: Scenario): string | null {
  if (outstanding <= 0) return null;
  const m = replicas.filter((r) => r.behaviour).length;
  const plural = outstanding === 1 ? 'request is' : 'requests are';
  if (dropRate >= 1) return `${outstanding} ${plural} waiting: every message is lost (drop rate 100 %).`;
  if (m > f) return `${outstanding} ${plural} waiting: ${m} malicious replicas exceed f = ${f}, so PBFT cannot promise progress.`;
  if (scenario.mode === 'seed' && replicas[0]?.behaviour) {
    return `${outstanding} ${plural} waiting: the seed's protocol has no view change, so a lying primary (replica 0) stalls it for good.`;
  }
  const changing = replicas.filter((r) => r.viewChanging && !r.behaviour);
  if (changing.length > 0) {
    const target = Math.max(...changing.map((r) => r.view));
    return `${outstanding} ${plural} waiting: ${changing.length} honest replica${changing.length === 1 ? ' is' : 's are'} changing view (to view ${target}).`;
  }
  if (dropRate > 0) return `${outstanding} ${plural} waiting: messages are being lost (${Math.round(dropRate * 100)} %); the client retransmits every ${scenario.clientTimeoutMs} ms.`;
  return `${outstanding} ${plural} in progress.`;
}

/**
 * The whole picture at a past moment: `index` events shown (at least `base`: older moments were compacted), the
 * clock at `viewTime` (which may lie between two events when the person scrubbed by time). Messages lost in the
 * last step are shown fading from `realNow`.
 */
export function pictureAt(run: RunState, index: number, viewTime: number, realNow: number, generation: number): TimelineState {
  const scenario = run.scenario;
  if (!scenario) return { ...emptyTimeline(), generation };
  const at = Math.max(run.base, Math.min(index, run.length));
  const derived = foldAt(run, at).derive(viewTime, { n: run.n, f: run.f, scenario, interventions: run.interventions });
  const start = Math.max(run.base, happeningStart(run.starts, at));
  const step = run.trace.slice(start - run.base, at - run.base);
  const dropped: DroppedMessage[] = [];
  for (const e of step) {
    if (e.kind !== 'drop') continue;
    const record = run.messageById.get(e.msg.id);
    dropped.push({ ...flightOf(e.msg, record?.sendT ?? e.t, e.t, true), lostAtReal: realNow });
  }
  let nextEventAt: number | null = null;
  if (at < run.length) nextEventAt = eventAt(run, at)?.t ?? null;
  return {
    generation,
    n: run.n,
    f: run.f,
    now: viewTime,
    nextEventAt,
    receivedAtReal: realNow,
    inFlight: derived.inFlight,
    dropped,
    replicas: derived.replicas,
    stats: derived.stats,
    index: at,
    caption: at === 0 ? emptyTimeline().caption : (captionFor(step) ?? ''),
    explanation: explain(step, { n: run.n, f: run.f }),
    replayed: true,
  };
}
