/**
 * What is on screen, live or past, by pure functions (tested without React or a worker). The picture itself —
 * replicas, counters, messages in flight, why the client waits — is the run's one fold (src/sim/picture.ts, kept with
 * the history in replay.ts); this adds what only the screen needs: the fading ✕ of lost messages, the caption and
 * explanation of the last step, the clock.
 */
import { CUT_POINT } from '../sim/network';
import { flightOf, pictureContext, settingsAt, type FlightMessage } from '../sim/picture';
import type { ReplicaSummary, SimStats, TraceEvent } from '../sim/types';
import type { BatchEvent } from '../worker/protocol';
import { captionFor } from './describe';
import { explain } from './narrate';
import { eventAt, foldAt, happeningStart, scheduledAfter, type RunState } from './replay';

export type { FlightMessage } from '../sim/picture';

/** The picture at one moment, as the run's fold derives it. */
export interface Moment {
  /** The fold's own map of messages in flight: copy it to keep it. */
  inFlight: ReadonlyMap<number, FlightMessage>;
  replicas: ReplicaSummary[];
  stats: SimStats | null;
  /** Messages lost in the events that led to this moment, as drawn when they vanished. */
  lost: FlightMessage[];
}

export interface DroppedMessage extends FlightMessage {
  /** Real time (ms, performance.now) the UI learnt of the loss: the ✕ fades by real time, paused or not. */
  lostAtReal: number;
}

export interface TimelineState {
  /** Increments on every new run, so views can forget per-run memory (e.g. the extrapolated clock). */
  generation: number;
  n: number;
  f: number;
  now: number;
  nextEventAt: number | null;
  /** Real time the latest batch arrived: the origin for extrapolating virtual time between batches. */
  receivedAtReal: number;
  inFlight: ReadonlyMap<number, FlightMessage>;
  dropped: readonly DroppedMessage[];
  replicas: readonly ReplicaSummary[];
  stats: SimStats | null;
  /** How many trace events this picture reflects. */
  index: number;
  /** What the last step did, in the paper's words ("t=14.2 Replica 1 received PRE-PREPARE …"). */
  caption: string;
  /** Why it matters, in plain words, for the room. */
  explanation: string;
  /** True when the picture was rebuilt from the trace (the page is showing the past). */
  replayed: boolean;
}

/** How long (real ms) a lost message stays on screen as a fading ✕. */
export const DROP_FADE_MS = 1200;
/** Where along its edge a lost message is drawn to vanish: mid-wire reads as "lost in the network". */
export const LOSS_FRACTION = 0.6;

export function emptyTimeline(): TimelineState {
  return {
    generation: 0,
    n: 0,
    f: 0,
    now: 0,
    nextEventAt: null,
    receivedAtReal: 0,
    inFlight: new Map(),
    dropped: [],
    replicas: [],
    stats: null,
    index: 0,
    caption: 'Press Step to send the first message, or Play to watch the protocol run.',
    explanation: '',
    replayed: false,
  };
}

/** The live picture after a batch from the worker, once `run` has taken its events (playbackSlice has it take them first: replay.ts takeBatch). */
export function applyBatch(prev: TimelineState, batch: BatchEvent, run: RunState, realNow: number): TimelineState {
  const moment = momentAt(run, batch.traceLength, batch.now, batch.nextEventAt !== null, batch.events);
  const generation = batch.reset ? prev.generation + 1 : prev.generation;
  const base = batch.reset ? { ...emptyTimeline(), generation } : prev;
  const fading = base.dropped.filter((d) => realNow - d.lostAtReal < DROP_FADE_MS);
  const lost = moment.lost.map((m): DroppedMessage => ({ ...m, lostAtReal: realNow }));
  return {
    generation,
    n: batch.n,
    f: batch.f,
    now: batch.now,
    nextEventAt: batch.nextEventAt,
    receivedAtReal: realNow,
    // Only events move messages: a batch without any keeps the map, so views that compare it by identity stay put.
    inFlight: batch.events.length > 0 || batch.reset ? new Map(moment.inFlight) : base.inFlight,
    dropped: lost.length > 0 ? [...fading, ...lost] : fading,
    replicas: shareReplicas(base.replicas, moment.replicas),
    stats: moment.stats,
    index: batch.traceLength,
    ...wordsFor(run, lastHappening(batch), batch.n, batch.f, base),
    replayed: false,
  };
}

/**
 * The picture after the first `index` events (clamped to what is kept) with the clock at `viewTime`; `scheduled` says
 * whether anything more was due then. Its `inFlight` is the fold's own map: copy it to keep it.
 */
export function momentAt(run: RunState, index: number, viewTime: number, scheduled: boolean, lost: readonly TraceEvent[] = []): Moment {
  const at = Math.max(run.base, Math.min(index, run.length));
  const fold = at === run.tip.index ? run.tip : foldAt(run, at);
  const derived = run.scenario
    ? fold.derive(pictureContext(run.scenario, run.n, run.f), settingsAt(run.scenario, run.n, run.interventions, at), viewTime, scheduled)
    : { replicas: [], stats: null };
  return { inFlight: fold.flights ?? new Map(), replicas: derived.replicas, stats: derived.stats, lost: lostIn(run, lost) };
}

/** The messages lost among `events`, as drawn at the moment they vanished. */
function lostIn(run: RunState, events: readonly TraceEvent[]): FlightMessage[] {
  const out: FlightMessage[] = [];
  for (const e of events) {
    if (e.kind !== 'drop') continue;
    out.push(flightOf(e.msg, run.messageById.get(e.msg.id)?.sendT ?? e.t, e.t, true, e.by ?? null));
  }
  return out;
}

/**
 * The whole picture at a past moment: `index` events shown (at least `base`: older moments were compacted), the
 * clock at `viewTime` (which may lie between two events when the person scrubbed by time). Messages lost in the
 * last step are shown fading from `realNow`.
 */
export function pictureAt(run: RunState, index: number, viewTime: number, realNow: number, generation: number): TimelineState {
  if (!run.scenario) return { ...emptyTimeline(), generation };
  const at = Math.max(run.base, Math.min(index, run.length));
  const start = Math.max(run.base, happeningStart(run.starts, at));
  const step = run.trace.slice(start - run.base, at - run.base);
  const moment = momentAt(run, at, viewTime, scheduledAfter(run, at), step);
  let nextEventAt: number | null = null;
  if (at < run.length) nextEventAt = eventAt(run, at)?.t ?? null;
  return {
    generation,
    n: run.n,
    f: run.f,
    now: viewTime,
    nextEventAt,
    receivedAtReal: realNow,
    inFlight: new Map(moment.inFlight),
    dropped: moment.lost.map((m): DroppedMessage => ({ ...m, lostAtReal: realNow })),
    replicas: moment.replicas,
    stats: moment.stats,
    index: at,
    ...(at === 0 ? { caption: emptyTimeline().caption, explanation: '' } : wordsFor(run, step, run.n, run.f, { caption: '', explanation: '' })),
    replayed: true,
  };
}

/**
 * The caption and the explanation of one happening (the previous ones when it has no events), told with who lies at
 * that moment: the scenario's liars as changed by every intervention made before the happening began.
 */
function wordsFor(run: RunState, happening: readonly TraceEvent[], n: number, f: number, previous: Pick<TimelineState, 'caption' | 'explanation'>): Pick<TimelineState, 'caption' | 'explanation'> {
  if (happening.length === 0) return { caption: previous.caption, explanation: previous.explanation };
  const behaviours = run.scenario ? settingsAt(run.scenario, n, run.interventions, happening[0].i).behaviours : undefined;
  return {
    caption: captionFor(happening, behaviours && { behaviours, mode: run.scenario?.mode }, run) ?? previous.caption,
    explanation: explain(happening, { n, f, mode: run.scenario?.mode, behaviours }),
  };
}

/** The events of the newest happening in a batch: what the caption and the explanation talk about. */
function lastHappening(batch: BatchEvent): readonly TraceEvent[] {
  const first = batch.traceLength - batch.events.length;
  const start = batch.starts.length > 0 ? batch.starts[batch.starts.length - 1] - first : 0;
  return start > 0 && start < batch.events.length ? batch.events.slice(start) : batch.events;
}

/**
 * Keeps the previous object for every replica whose drawn state did not change, so memoised replica views
 * skip rendering: with n = 100, most replicas are unchanged in most frames.
 */
export function shareReplicas(prev: readonly ReplicaSummary[], next: readonly ReplicaSummary[]): readonly ReplicaSummary[] {
  let changed = prev.length !== next.length;
  const out = next.map((r, i) => {
    const old = prev[i];
    if (old && sameDrawnReplica(old, r)) return old;
    changed = true;
    return r;
  });
  return changed ? out : prev;
}

function sameDrawnReplica(a: ReplicaSummary, b: ReplicaSummary): boolean {
  return (
    a.id === b.id &&
    a.view === b.view &&
    a.isPrimary === b.isPrimary &&
    a.viewChanging === b.viewChanging &&
    a.phase === b.phase &&
    a.lastExecuted === b.lastExecuted &&
    a.lowWatermark === b.lowWatermark &&
    a.highWatermark === b.highWatermark &&
    a.timer?.deadline === b.timer?.deadline &&
    a.timer?.startedAt === b.timer?.startedAt &&
    a.behaviour?.kind === b.behaviour?.kind &&
    a.behaviour?.omitProbability === b.behaviour?.omitProbability &&
    a.behaviour?.extraDelayMs === b.behaviour?.extraDelayMs
  );
}

/**
 * The virtual time to draw at real time `realNow`: the batch's time plus speed × real time since it arrived,
 * but never past the next scheduled event (nothing may arrive on screen before the worker says it did) and
 * never more than one slice ahead, so a stalled worker freezes the picture instead of running it on.
 */
export function extrapolatedTime(
  t: Pick<TimelineState, 'now' | 'nextEventAt' | 'receivedAtReal'>,
  speed: number,
  playing: boolean,
  realNow: number,
  maxRealAheadMs = 100,
): number {
  if (!playing) return t.now;
  const ahead = (speed * Math.min(Math.max(0, realNow - t.receivedAtReal), maxRealAheadMs)) / 1000;
  const raw = t.now + ahead;
  return t.nextEventAt === null ? raw : Math.min(raw, Math.max(t.now, t.nextEventAt));
}

/**
 * Where along its wire a message in flight is drawn at virtual time `t` (0 at its sender, 1 at its receiver): one that
 * will be lost stops where it vanishes (at the cut, for a partition's loss), one held waits at the cut, one released
 * travels on from the cut.
 */
export function wireFraction(m: FlightMessage, t: number): number {
  // Waiting for a hand (deliver by hand): it stands part-way along its wire, where a cut would hold it.
  if (m.hand) return CUT_POINT;
  if (m.held) return CUT_POINT * progressAt(m, t);
  if (m.releasedAt >= 0) return CUT_POINT + (1 - CUT_POINT) * progressAt({ sendT: m.releasedAt, arriveAt: m.arriveAt }, t);
  if (m.lost) return progressAt(m, t) * lossFraction(m);
  return progressAt(m, t);
}

/** Where along its wire a lost message vanishes: at the cut when a partition lost it, else part-way. */
export function lossFraction(m: Pick<FlightMessage, 'by'>): number {
  return m.by === 'partition' ? CUT_POINT : LOSS_FRACTION;
}

/** Fraction of its edge a message has covered at virtual time `now` (0 at send, 1 on arrival or loss). */
export function progressAt(m: Pick<FlightMessage, 'sendT' | 'arriveAt'>, now: number): number {
  const span = m.arriveAt - m.sendT;
  if (span <= 0) return 1;
  return Math.min(1, Math.max(0, (now - m.sendT) / span));
}
