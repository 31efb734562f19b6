/**
 * Playback and time travel. The page keeps the whole trace (`run`, replay.ts); the worker's batches move the live
 * picture (timeline.ts). Scrubbing back only moves the position on screen (onScreen.ts draws it from the trace); the
 * worker is asked to re-simulate (seek) only when someone plays on or acts from the past. Re-simulated events that
 * match the known future keep it; an action in the past replaces it.
 */
import { PARAMS } from '../sim/params';
import type { StepGrain } from '../sim/stepping';
import type { BatchEvent } from '../worker/protocol';
import type { Lab, LabState, LabStoreOptions, Slice } from './labStore';
import { followingLive, type Screen } from './onScreen';
import { batchInspection } from './pageSlice';
import { emptyRun, eventAt, happeningStart, indexAtTime, takeBatch, timeAfter, truncateRun, type HistoryLimits } from './replay';
import { clampSpeed } from './scenarioRules';
import { applyBatch, emptyTimeline } from './timeline';

export interface Playback {
  playing: boolean;
  /** Virtual ms per real second. */
  speed: number;
}

export interface PlaybackState extends Screen {
  playback: Playback;
}

export interface PlaybackActions {
  play(): void;
  pause(): void;
  togglePlay(): void;
  step(grain?: StepGrain): void;
  /** Pauses and runs to virtual time t (the Compare view keeps several runs on one clock with it). */
  advanceTo(t: number): void;
  /** Back one happening, from the trace the page has. */
  back(): void;
  /** Shows the moment at virtual time t (the scrubber). */
  seekTime(t: number): void;
  /** Shows the moment just after trace event i (the event log). */
  seekEvent(i: number): void;
  /** Back to what the worker has reached. */
  toLive(): void;
  reset(): void;
  newRequest(): void;
  setSpeed(virtualMsPerSecond: number): void;
}

export interface PlaybackHooks {
  /** Brings the worker to the moment on screen before it plays on or a person acts there (`acting` cuts the future). */
  resume(acting: boolean): void;
  /** Folds a batch from the worker into the run and the live picture. */
  receive(batch: BatchEvent): void;
}

/** No run yet, the screen following it (the start, and a restart). */
export function noRun(history: HistoryLimits): Pick<LabState, 'run' | 'live' | 'following'> {
  return { run: emptyRun(0, history), live: emptyTimeline(), following: true };
}

export function playbackSlice(lab: Lab, options: Pick<LabStoreOptions, 'speed'>): Slice<PlaybackState, PlaybackActions, PlaybackHooks> {
  const { set, get } = lab;
  const stopped = (s: LabState) => ({ playback: { ...s.playback, playing: false } });

  const resume = (acting: boolean) => {
    const s = get();
    if (!s.following && s.cursor === s.run.workerAt && s.live.index === s.cursor) {
      // Scrubbed away and back to where the worker stands: nothing to re-simulate.
      set({ following: true });
    } else if (!s.following) {
      const byTime = s.scrubbedByTime && s.cursor < s.run.length;
      lab.send({ type: 'seek', index: s.cursor, ...(byTime ? { time: s.viewTime } : {}) });
      // The worker's next batch starts from the moment on screen.
      set({ following: true, live: { ...s.timeline, replayed: false } });
    }
    const { run, cursor } = get();
    if (acting && cursor < run.length) {
      // Acting in the past replaces the future the page knew.
      truncateRun(run, cursor);
      set({ run: { ...run } });
    }
  };

  /** Shows a past (or known-future) moment without the worker: the worker's own when it stands there. */
  const show = (index: number, viewTime: number, byTime: boolean) => {
    const s = get();
    // Never before the oldest moment kept (older history may have been compacted).
    const cursor = Math.max(s.run.base, Math.min(index, s.run.length));
    if (s.playback.playing) lab.send({ type: 'pause' });
    const following = cursor === s.run.workerAt && cursor === s.run.length && !byTime;
    set((st) => ({ following, cursor, viewTime, scrubbedByTime: byTime, ...stopped(st) }));
    lab.queueInspect();
  };

  /** The first batch of a run (a new scenario, a reset, a restart or an imported file). */
  const begin = (batch: BatchEvent, realNow: number) => {
    const s = get();
    const run = emptyRun(s.run.generation + 1, lab.history, batch.scenario ?? s.scenario);
    run.interventions = batch.interventions ?? [];
    run.n = batch.n;
    run.f = batch.f;
    takeBatch(run, batch);
    const live = applyBatch(s.live, batch, run, realNow);
    const { replica } = s.selection;
    set({
      ...lab.fileBegun(batch, run, live),
      run: { ...run },
      live,
      following: true,
      selection: { replica: replica !== null && replica < batch.n ? replica : null, message: null },
      inspection: replica !== null ? batchInspection(batch, replica) : null,
      playback: { ...s.playback, playing: batch.playing && s.playback.playing },
    });
  };

  const receive = (batch: BatchEvent) => {
    const realNow = lab.clock();
    if (batch.reset) return begin(batch, realNow);
    if (lab.takeImportChunk(batch, realNow)) return;
    const s = get();
    const { run } = s;
    // Never compact the moment on screen away from under someone looking at the past.
    takeBatch(run, batch, s.following ? Number.POSITIVE_INFINITY : s.cursor);
    if (batch.interventions) run.interventions = batch.interventions;
    run.n = batch.n;
    run.f = batch.f;
    const patch: Partial<LabState> = { run: { ...run } };
    // Only a batch that continues the live picture may move it (one posted before a seek must not).
    if (batch.traceLength - batch.events.length === s.live.index) {
      patch.live = applyBatch(s.live, batch, run, realNow);
      const inspection = s.following && s.selection.replica !== null ? batchInspection(batch, s.selection.replica) : null;
      if (inspection) patch.inspection = inspection;
    }
    if (batch.pausedBy === 'violation') patch.playback = { ...s.playback, playing: false };
    set(patch);
  };

  const actions: PlaybackActions = {
    play() {
      if (get().error) return;
      resume(false);
      set((s) => ({ playback: { ...s.playback, playing: true } }));
      lab.send({ type: 'play' });
    },
    pause() {
      set(stopped);
      lab.send({ type: 'pause' });
    },
    togglePlay() {
      if (get().playback.playing) actions.pause();
      else actions.play();
    },
    step(grain = 'event') {
      if (get().error) return;
      resume(false);
      set(stopped);
      lab.send({ type: 'step', grain });
    },
    advanceTo(t) {
      if (get().error || !Number.isFinite(t)) return;
      resume(false);
      set(stopped);
      lab.send({ type: 'advance', until: t });
    },
    back() {
      const { cursor, run } = get();
      if (cursor <= 0) return;
      if (cursor <= run.base) return;
      const start = Math.max(run.base, happeningStart(run.starts, cursor));
      show(start, timeAfter(run, start), false);
    },
    seekTime(t) {
      if (!Number.isFinite(t)) return;
      const { run } = get();
      const time = Math.max(run.baseTime, Math.min(t, run.endTime));
      // The very start (or the oldest moment kept) is before anything after it happened, even at the same time.
      if (time <= run.baseTime) show(run.base, run.baseTime, false);
      else show(indexAtTime(run, time), time, true);
    },
    seekEvent(i) {
      const { run } = get();
      const e = eventAt(run, i);
      if (!e) return;
      show(i + 1, e.t, false);
    },
    toLive() {
      const { run } = get();
      show(run.length, run.endTime, false);
    },
    reset() {
      set(stopped);
      lab.send({ type: 'reset' });
    },
    newRequest() {
      if (get().error) return;
      resume(true);
      lab.send({ type: 'newRequest' });
    },
    setSpeed(v) {
      if (!Number.isFinite(v)) return;
      const speed = clampSpeed(v);
      set((s) => ({ playback: { ...s.playback, speed } }));
      lab.send({ type: 'setSpeed', virtualMsPerSecond: speed });
    },
  };

  const start = noRun(lab.history);
  return {
    state: { ...start, ...followingLive(start.live), playback: { playing: false, speed: clampSpeed(options.speed ?? PARAMS.speed.default) } },
    actions,
    hooks: { resume, receive },
  };
}
