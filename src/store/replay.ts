/**
 * The page keeps the newest part of the run's trace, so any moment can be drawn without asking the worker: the
 * picture at event k is the run's one fold (src/sim/picture.ts, the simulation's own) over the first k events, started
 * from the nearest snapshot of it (one every `snapshotEvery` events), so a jump folds at most that many (timeline.ts
 * derives what is shown from it, live or past). Memory is bounded: beyond `maxEvents` kept events the
 * oldest are compacted away (in chunks, at a snapshot) and the page says so. The worker re-simulates only when
 * someone plays on or acts from the past (see playbackSlice). Pure functions and plain data, tested without React or a
 * worker.
 */
import { Picture, type PictureOptions, type PictureSnapshot } from '../sim/picture';
import type { LossCause, MessageSummary, Scenario, TimedIntervention, TraceEvent } from '../sim/types';
import type { BatchEvent } from '../worker/protocol';

/** One message from send to arrival or loss: an arrow in the space-time diagram (and a dot in a past picture). */
export interface MessageRecord extends MessageSummary {
  sendT: number;
  /** As its send said: when it arrives (or vanishes, or reaches the cut that holds it). */
  arriveAt: number;
  lost: boolean;
  /** What loses it besides the drop rate (a partition's cut, a lossy link), or null. */
  by: LossCause | null;
  /** Held at a partition's cut from its send on. */
  held: boolean;
  /** Always −1 here: a release is a later moment's, drawn from `releaseIndex` (the picture swaps in its own copy). */
  releasedAt: number;
  /** Trace index of its send, and of its delivery or loss (−1 until the trace reaches it). */
  sendIndex: number;
  endIndex: number;
  /** Trace index at which a new cut caught it on the wire and held it (−1: never). */
  holdIndex: number;
  /** What it waits for from `holdIndex` on is a hand (deliver by hand, or its sender held), not a partition's Heal. */
  forHand: boolean;
  /** Trace index at which Heal released it (−1: not yet), when, and when it then arrives. */
  releaseIndex: number;
  releaseT: number;
  releaseArriveAt: number;
  /** Trace index at which it was lost after being sent as not lost — dropped by a hand, or at a cut — (−1: never). */
  lostIndex: number;
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
  /** Whether the worker had anything scheduled after the last event known (what "nothing more is scheduled" reads). */
  scheduledAtEnd: boolean;
  /** The picture of every event so far (`tip.index === length`). */
  tip: Picture;
  /** The picture at every multiple of `limits.snapshotEvery` from `base` on, ascending; the first is at `base`. */
  snapshots: PictureSnapshot[];
  limits: HistoryLimits;
}

/** How the page folds a run: with the messages in flight (it draws them) and the newest latencies only. */
function pictureOptions(scenario: Scenario | null): PictureOptions {
  return { mode: scenario?.mode, flights: true, latencyLimit: PICTURE_LATENCY_TAIL };
}

/** A run before any event; `scenario` (when known) says which protocol's events it will fold. */
export function emptyRun(generation = 0, limits: HistoryLimits = DEFAULT_HISTORY, scenario: Scenario | null = null): RunState {
  const tip = new Picture(pictureOptions(scenario));
  return {
    generation,
    n: 0,
    f: 0,
    scenario,
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
    scheduledAtEnd: true,
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
function snapshotIndexAt(snapshots: readonly PictureSnapshot[], index: number): number {
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
function foldForward(run: RunState, fold: Picture, to: number): void {
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
export function foldAt(run: RunState, index: number): Picture {
  const at = Math.max(run.base, Math.min(index, run.length));
  const snap = run.snapshots[snapshotIndexAt(run.snapshots, at)];
  const fold = Picture.restore(snap, pictureOptions(run.scenario), (id) => run.messageById.get(id));
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
  for (const m of run.messages) {
    if (m.endIndex >= cut) m.endIndex = -1;
    if (m.releaseIndex >= cut) m.releaseIndex = -1;
    if (m.lostIndex >= cut) m.lostIndex = -1;
    if (m.holdIndex >= cut && !m.held) m.holdIndex = -1;
  }
  while (run.snapshots.length > 1 && run.snapshots[run.snapshots.length - 1].index > cut) run.snapshots.pop();
  run.tip = foldAt(run, cut);
  run.endTime = timeAfter(run, cut);
  // Something followed this moment (an event the cut removed); the worker says what, from here on.
  run.scheduledAtEnd = true;
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
      // A twin's second instance's message (rare): kept so the Network panel can name it.
      fromTwin: m.fromTwin,
      toTwin: m.toTwin,
      sendT: e.t,
      arriveAt: e.arriveAt,
      lost: e.lost,
      by: e.held ? 'partition' : (e.by ?? null),
      held: e.held === true,
      releasedAt: -1,
      sendIndex: e.i,
      endIndex: -1,
      // Waiting for a hand is drawn as waiting at a cut: part-way along, until a hand (or the network model) takes it.
      holdIndex: e.held || e.hand ? e.i : -1,
      forHand: e.hand === true,
      releaseIndex: -1,
      releaseT: -1,
      releaseArriveAt: -1,
      lostIndex: -1,
    };
    run.messageById.set(e.msg.id, record);
    run.messages.push(record);
    run.maxTransit = Math.max(run.maxTransit, e.arriveAt - e.t);
    return record;
  }
  if (e.kind === 'deliver' || e.kind === 'drop') {
    const record = run.messageById.get(e.msg.id);
    if (!record) return undefined;
    record.endIndex = e.i;
    if (e.kind === 'drop' && !record.lost) record.lostIndex = e.i;
    // Taken off the wire by a hand (delivered or dropped now, not when its flight said): its arrow ends here.
    if (record.releaseIndex < 0 && (record.holdIndex >= 0 || e.t < record.arriveAt)) {
      record.releaseIndex = e.i;
      record.releaseT = e.t;
      record.releaseArriveAt = e.t;
    }
  } else if (e.kind === 'hold') {
    const record = run.messageById.get(e.msg.id);
    if (record) {
      record.holdIndex = e.i;
      record.forHand = e.hand === true;
    }
  } else if (e.kind === 'release') {
    const record = run.messageById.get(e.msg.id);
    if (record) {
      record.releaseIndex = e.i;
      record.releaseT = e.t;
      record.releaseArriveAt = e.arriveAt;
      // Its arrow now spans the wait at the cut: the diagram finds it from further back.
      run.maxTransit = Math.max(run.maxTransit, e.arriveAt - record.sendT);
    }
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

/** Whether anything was due after the first `index` events: yes when an event followed; at the end, as the worker said. */
export function scheduledAfter(run: RunState, index: number): boolean {
  return index < run.length || run.scheduledAtEnd;
}

/** Notes where the worker stands after a batch and, when it reached the end of what the page knows, that end's time and whether more is due. */
export function workerReached(run: RunState, batch: Pick<BatchEvent, 'traceLength' | 'now' | 'nextEventAt'>): void {
  run.workerAt = batch.traceLength;
  if (batch.traceLength !== run.length) return;
  run.endTime = Math.max(run.endTime, batch.now);
  run.scheduledAtEnd = batch.nextEventAt !== null;
}

/**
 * The run takes a batch's events: merged (a replay keeps the known future, a difference replaces it), the oldest
 * compacted away (never at or after `protectFrom`), and where the worker now stands noted.
 */
export function takeBatch(run: RunState, batch: Pick<BatchEvent, 'events' | 'starts' | 'traceLength' | 'now' | 'nextEventAt'>, protectFrom = Number.POSITIVE_INFINITY): void {
  mergeEvents(run, batch.traceLength - batch.events.length, batch.events, batch.starts);
  compactRun(run, protectFrom);
  workerReached(run, batch);
}
