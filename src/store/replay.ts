/**
 * The page keeps the whole trace of the run, so any past moment can be drawn again without the worker: the picture
 * at event k is a fold over the first k events. The worker re-simulates only when someone plays on or acts from
 * the past (see labStore). Pure functions and plain data, tested without React or a worker.
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
import { emptyTimeline, type DroppedMessage, type FlightMessage, type TimelineState } from './timeline';

/** One message from send to arrival or loss: an arrow in the space-time diagram. */
export interface MessageRecord extends MessageSummary {
  sendT: number;
  arriveAt: number;
  lost: boolean;
  /** Trace index of its send, and of its delivery or loss (−1 until the trace reaches it). */
  sendIndex: number;
  endIndex: number;
}

/**
 * Everything the worker said about one run. `trace`, `starts` and `messages` are append-only buffers shared
 * between states (copying them per batch would cost more than the batch); `length` is what selectors watch.
 */
export interface RunState {
  generation: number;
  n: number;
  f: number;
  /** The scenario the run started from, and every intervention since: with the trace, a run file. */
  scenario: Scenario | null;
  interventions: TimedIntervention[];
  trace: TraceEvent[];
  length: number;
  /** Indices where a happening (one Step) begins, ascending. */
  starts: number[];
  messages: MessageRecord[];
  messageAt: Map<number, number>;
  /** Longest transit seen, so the diagram can find every arrow crossing a time window without a full scan. */
  maxTransit: number;
  /** How far the worker's world has got (it can be behind the page after a seek back). */
  workerAt: number;
  /** Virtual time at the end of what is known. */
  endTime: number;
}

export function emptyRun(generation = 0): RunState {
  return {
    generation,
    n: 0,
    f: 0,
    scenario: null,
    interventions: [],
    trace: [],
    length: 0,
    starts: [],
    messages: [],
    messageAt: new Map(),
    maxTransit: 0,
    workerAt: 0,
    endTime: 0,
  };
}

function sameEvent(a: TraceEvent, b: TraceEvent): boolean {
  if (a.kind !== b.kind || a.t !== b.t || a.i !== b.i) return false;
  if ('msg' in a && 'msg' in b) return a.msg.id === b.msg.id && a.msg.type === b.msg.type && a.msg.to === b.msg.to;
  return true;
}

/** Forgets everything from trace index `at` on (a person acted in the past: the old future is gone). */
export function truncateRun(run: RunState, at: number): void {
  if (at >= run.trace.length) return;
  run.trace.length = at;
  run.length = at;
  while (run.starts.length > 0 && run.starts[run.starts.length - 1] >= at) run.starts.pop();
  while (run.messages.length > 0 && run.messages[run.messages.length - 1].sendIndex >= at) {
    run.messageAt.delete(run.messages.pop()!.id);
  }
  for (const m of run.messages) if (m.endIndex >= at) m.endIndex = -1;
  run.endTime = at > 0 ? run.trace[at - 1].t : 0;
}

function index(run: RunState, e: TraceEvent): void {
  if (e.kind === 'send') {
    run.messageAt.set(e.msg.id, run.messages.length);
    run.messages.push({ ...e.msg, sendT: e.t, arriveAt: e.arriveAt, lost: e.lost, sendIndex: e.i, endIndex: -1 });
    run.maxTransit = Math.max(run.maxTransit, e.arriveAt - e.t);
  } else if (e.kind === 'deliver' || e.kind === 'drop') {
    const at = run.messageAt.get(e.msg.id);
    if (at !== undefined) run.messages[at].endIndex = e.i;
  }
}

/**
 * Merges events that begin at trace index `from` into the run. Events the page already has are compared: the
 * same (a replay from the seed) keeps the known future; a difference replaces it from there on.
 * Returns the index from which the run's content is new (or `run.length` when nothing changed).
 */
export function mergeEvents(run: RunState, from: number, events: readonly TraceEvent[], starts: readonly number[]): number {
  let k = 0;
  if (from > run.trace.length) {
    // A gap should never happen; rather than draw a wrong past, keep what is contiguous.
    return run.trace.length;
  }
  while (k < events.length && from + k < run.trace.length && sameEvent(run.trace[from + k], events[k])) k++;
  if (k === events.length) return run.trace.length;
  const changedAt = from + k;
  truncateRun(run, changedAt);
  for (; k < events.length; k++) {
    run.trace.push(events[k]);
    index(run, events[k]);
  }
  for (const s of starts) if (s >= changedAt && (run.starts.length === 0 || s > run.starts[run.starts.length - 1])) run.starts.push(s);
  run.length = run.trace.length;
  if (run.length > 0) run.endTime = Math.max(run.endTime, run.trace[run.length - 1].t);
  return changedAt;
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

interface ReplicaFold {
  view: number;
  viewChanging: boolean;
  phases: Map<string, SlotPhase>;
  executedDigests: Set<string>;
  lastExecuted: number;
  lowWatermark: number;
  timer: { startedAt: number; deadline: number } | null;
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

/**
 * Folds the first `index` trace events into the picture's state. Linear in `index`: a few thousand events take well
 * under a millisecond, so scrubbing rebuilds it on every move.
 */
export function deriveAt(trace: readonly TraceEvent[], index: number, viewTime: number, ctx: PictureContext): DerivedState {
  const { n, f } = ctx;
  const replicas: ReplicaFold[] = Array.from({ length: n }, () => ({
    view: 0,
    viewChanging: false,
    phases: new Map(),
    executedDigests: new Set(),
    lastExecuted: 0,
    lowWatermark: 0,
    timer: null,
  }));
  const inFlight = new Map<number, FlightMessage>();
  const sent = Object.fromEntries(MESSAGE_TYPES.map((t) => [t, 0])) as Record<MessageType, number>;
  let sentTotal = 0;
  let delivered = 0;
  let dropped = 0;
  let issued = 0;
  let newest: string | null = null;
  const latencies: number[] = [];
  const violations: SafetyViolation[] = [];

  for (let i = 0; i < index && i < trace.length; i++) {
    const e = trace[i];
    switch (e.kind) {
      case 'send':
        // A lying primary records what it proposed without saying so in a phase event.
        if (e.msg.type === 'PRE_PREPARE' && replicas[e.msg.from] && !replicas[e.msg.from].phases.has(e.msg.digest)) replicas[e.msg.from].phases.set(e.msg.digest, 'pre-prepared');
        sent[e.msg.type]++;
        sentTotal++;
        inFlight.set(e.msg.id, {
          id: e.msg.id,
          type: e.msg.type,
          from: e.msg.from,
          to: e.msg.to,
          view: e.msg.view,
          seq: e.msg.seq,
          sendT: e.t,
          arriveAt: e.arriveAt,
          lost: e.lost,
        });
        break;
      case 'deliver':
        delivered++;
        inFlight.delete(e.msg.id);
        break;
      case 'drop':
        dropped++;
        inFlight.delete(e.msg.id);
        break;
      case 'request':
        if (!e.retransmit) {
          issued++;
          newest = e.digest;
        }
        break;
      case 'accept':
        latencies.push(e.latencyMs);
        break;
      case 'phase': {
        const r = replicas[e.replica];
        if (!r) break;
        r.phases.set(e.digest, e.phase);
        if (e.phase === 'executed') {
          r.executedDigests.add(e.digest);
          r.lastExecuted = Math.max(r.lastExecuted, e.seq);
        }
        break;
      }
      case 'view-change': {
        const r = replicas[e.replica];
        if (!r) break;
        r.view = e.view;
        r.viewChanging = true;
        break;
      }
      case 'new-view': {
        const r = replicas[e.replica];
        if (!r) break;
        r.view = e.view;
        r.viewChanging = false;
        break;
      }
      case 'timer': {
        const r = replicas[e.replica];
        if (!r) break;
        r.timer = e.action === 'start' ? { startedAt: e.t, deadline: e.deadline } : null;
        break;
      }
      case 'checkpoint': {
        const r = replicas[e.replica];
        if (r && e.stable) r.lowWatermark = Math.max(r.lowWatermark, e.seq);
        break;
      }
      case 'violation':
        violations.push(e.violation);
        break;
    }
  }

  const { behaviours, dropRate } = settingsAt(ctx, index);
  const window = Math.max(1, ctx.scenario.watermarkWindow);
  const summaries: ReplicaSummary[] = replicas.map((r, id) => ({
    id,
    behaviour: behaviours[id],
    view: r.view,
    isPrimary: r.view % n === id && !r.viewChanging,
    viewChanging: r.viewChanging,
    phase: newest === null ? null : r.executedDigests.has(newest) ? 'executed' : (r.phases.get(newest) ?? null),
    lastExecuted: r.lastExecuted,
    lowWatermark: r.lowWatermark,
    highWatermark: r.lowWatermark + window,
    timer: r.timer,
    executed: [],
  }));

  const view = currentView(summaries);
  const accepted = latencies.length;
  const clientOutstanding = issued - accepted;
  const stats: SimStats = {
    now: viewTime,
    view,
    primary: n > 0 ? view % n : 0,
    sent,
    sentTotal,
    delivered,
    dropped,
    committed: accepted,
    outstanding: clientOutstanding + scheduledToIssue(ctx.scenario, accepted),
    latenciesMs: latencies,
    lastLatencyMs: latencies.length ? latencies[latencies.length - 1] : null,
    violations,
    waitingBecause: waitingBecause(clientOutstanding, summaries, f, dropRate, ctx.scenario),
  };
  return { inFlight, replicas: summaries, stats };
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
 * The whole picture at a past moment: `index` events shown, the clock at `viewTime` (which may lie between two
 * events when the person scrubbed by time). Messages lost in the last step are shown fading from `realNow`.
 */
export function pictureAt(run: RunState, index: number, viewTime: number, realNow: number, generation: number): TimelineState {
  const scenario = run.scenario;
  if (!scenario) return { ...emptyTimeline(), generation };
  const at = Math.max(0, Math.min(index, run.length));
  const derived = deriveAt(run.trace, at, viewTime, { n: run.n, f: run.f, scenario, interventions: run.interventions });
  const start = happeningStart(run.starts, at);
  const step = run.trace.slice(start, at);
  const dropped: DroppedMessage[] = [];
  for (const e of step) {
    if (e.kind !== 'drop') continue;
    const record = run.messages[run.messageAt.get(e.msg.id) ?? -1];
    dropped.push({
      id: e.msg.id,
      type: e.msg.type,
      from: e.msg.from,
      to: e.msg.to,
      view: e.msg.view,
      seq: e.msg.seq,
      sendT: record?.sendT ?? e.t,
      arriveAt: e.t,
      lost: true,
      lostAtReal: realNow,
    });
  }
  let nextEventAt: number | null = null;
  if (at < run.length) nextEventAt = run.trace[at].t;
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
