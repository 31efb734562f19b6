/**
 * Everything the UI knows, and the only place that talks to the simulation worker. Components read slices
 * with selectors and change things through the actions below.
 *
 * Time travel: the page keeps the whole trace (`run`). `cursor` is how much of it the picture shows; while
 * `following`, the picture moves with the worker's batches. Scrubbing back only redraws from the trace; the worker
 * is asked to re-simulate (seek) only when someone plays on or acts from the past. Re-simulated events that match
 * the known future keep it; an action in the past replaces it.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { DEFAULT_BEHAVIOUR, defaultScenario, replicaCount } from '../sim/scenario';
import { exportRun, SPEED_LIMITS } from '../sim/share';
import type { StepGrain } from '../sim/stepping';
import type { Behaviour, BehaviourKind, NetworkParams, ReplicaInspection, Scenario, TraceEvent } from '../sim/types';
import type { BatchEvent, SimCommand, SimEvent } from '../worker/protocol';
import type { ConnectSim, SimTransport } from '../worker/transport';
import { lessonById } from './lessons';
import {
  compactRun,
  DEFAULT_HISTORY,
  emptyRun,
  eventAt,
  happeningStart,
  indexAtTime,
  mergeEvents,
  timeAfter,
  truncateRun,
  workerReached,
  type HistoryLimits,
  type RunState,
} from './replay';
import { acceptSeed, clampBehaviourKnobs, clampF, clampSpeed, normaliseNetwork } from './scenarioRules';
import { applyBatch, emptyTimeline, pictureAt, type TimelineState } from './timeline';

/** What the next replica the lecturer clicks becomes, with the knobs of every behaviour kept between switches. */
export interface BehaviourChoice {
  kind: BehaviourKind;
  omitProbability: number;
  extraDelayMs: number;
}

export interface Playback {
  playing: boolean;
  /** Virtual ms per real second. */
  speed: number;
}

export type Theme = 'system' | 'light' | 'dark';

export interface UiState {
  theme: Theme;
  presentation: boolean;
  helpOpen: boolean;
}

export interface Selection {
  replica: number | null;
  /** A message id: its arrow in the space-time diagram and its dot or wire in the graph are highlighted. */
  message: number | null;
}

export interface InspectionState {
  id: number;
  /** Trace index it describes. */
  at: number;
  data: ReplicaInspection;
}

export interface LabState {
  scenario: Scenario;
  /** The lesson the scenario came from (kept in the URL), or null. */
  preset: string | null;
  behaviourChoice: BehaviourChoice;
  playback: Playback;
  /** The whole run as the worker reported it. */
  run: RunState;
  /** The picture the worker's batches keep up to date (the newest moment it reported). */
  live: TimelineState;
  /** What is on screen: `live` while following, otherwise a past moment rebuilt from the trace. */
  timeline: TimelineState;
  following: boolean;
  /** Trace events shown, and the virtual time shown (between events after scrubbing by time). */
  cursor: number;
  viewTime: number;
  /** True when the person scrubbed to a time rather than to an event (a seek then goes by time). */
  scrubbedByTime: boolean;
  selection: Selection;
  inspection: InspectionState | null;
  ui: UiState;
  /** Sentences about things that were ignored or went wrong without stopping anything (bad URL values, imports). */
  notices: string[];
  importError: string | null;
  /** Set when the simulation threw; the UI offers to restart from `scenario`. */
  error: string | null;
  actions: LabActions;
}

export interface LabActions {
  play(): void;
  pause(): void;
  togglePlay(): void;
  step(grain?: StepGrain): void;
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
  /** Changes n = 3f + 1 and restarts from the same seed, keeping the malicious marks that still exist. */
  setF(f: number): void;
  setSeed(seed: number): void;
  /** Applies to messages sent from now on; keeps minDelayMs ≤ maxDelayMs by moving the other bound. */
  setNetwork(p: Partial<NetworkParams>): void;
  chooseBehaviour(p: Partial<BehaviourChoice>): void;
  toggleMalicious(id: number): void;
  selectReplica(id: number | null): void;
  selectMessage(id: number | null): void;
  loadLesson(id: string): void;
  /**
   * Loads a run file (the worker parses, validates and replays it, off this thread). Resolves true once the run is
   * shown; false when the file is refused, which leaves the current run alone and sets `importError`.
   */
  importRunText(text: string): Promise<boolean>;
  /** Refuses a file before reading it (e.g. too large), with the same message and the same kept run. */
  refuseImport(reason: string): void;
  /** The run file of what the page holds; throws when older history was compacted (use exportRunFile). */
  exportRunText(): string;
  /** The run file of the whole run: when the page compacted older history, the worker replays it from the seed. */
  exportRunFile(): Promise<string>;
  dismissNotice(index: number): void;
  dismissImportError(): void;
  setTheme(theme: Theme): void;
  togglePresentation(): void;
  setHelpOpen(open: boolean): void;
  /** After an error: a fresh worker, the same scenario. */
  restart(): void;
  dispose(): void;
}

export interface LabStoreOptions {
  connect: ConnectSim;
  scenario?: Scenario;
  speed?: number;
  preset?: string | null;
  notices?: string[];
  theme?: Theme;
  /** Acks are sent from here, after React has rendered the batch. */
  requestFrame?: (cb: () => void) => void;
  clock?: () => number;
  /** How much of a run the page keeps (default DEFAULT_HISTORY: 100,000 events, a snapshot every 2,000). */
  history?: HistoryLimits;
}

export type LabStore = StoreApi<LabState>;

export function behaviourFrom(choice: BehaviourChoice): Behaviour {
  switch (choice.kind) {
    case 'omit':
      return { kind: 'omit', omitProbability: choice.omitProbability };
    case 'slow':
      return { kind: 'slow', extraDelayMs: choice.extraDelayMs };
    default:
      return { ...DEFAULT_BEHAVIOUR[choice.kind] };
  }
}

function withoutMissingReplicas(malicious: Scenario['malicious'], n: number): Scenario['malicious'] {
  const kept: Scenario['malicious'] = {};
  for (const [id, b] of Object.entries(malicious)) if (Number(id) < n) kept[Number(id)] = b;
  return kept;
}

export function createLabStore(options: LabStoreOptions): LabStore {
  const requestFrame = options.requestFrame ?? ((cb: () => void) => requestAnimationFrame(() => cb()));
  const clock = options.clock ?? (() => performance.now());
  let transport: SimTransport | null = null;
  /** Run files being loaded, by request: each is answered by an `importFailed` or by the reset batch of its run. */
  let importRequests = 0;
  const pendingImports = new Map<number, (loaded: boolean) => void>();
  /**
   * An imported run arriving in chunks: the first (the reset batch) shows the new run at once; the rest are folded in as
   * they come but shown together, with the last, so loading a long run costs two renders instead of one per chunk.
   */
  let importing: { request: number; length: number; live: TimelineState } | null = null;
  let inspectQueued = false;
  const history = options.history ?? DEFAULT_HISTORY;
  /** Run-file requests waiting for the worker's replay of the whole trace. */
  let exportRequests = 0;
  const pendingExports = new Map<number, { resolve(events: TraceEvent[]): void; reject(err: Error): void }>();

  const store = createStore<LabState>()((set, get) => {
    const send = (cmd: SimCommand) => transport?.send(cmd);

    const newRun = (scenario: Scenario) => {
      set({ scenario });
      send({ type: 'configure', scenario });
    };

    /** The worker must stand where the picture does before it plays on or a person acts. */
    const resume = (acting: boolean) => {
      const s = get();
      if (!s.following && s.cursor === s.run.workerAt && s.live.index === s.cursor) {
        // Scrubbed away and back to where the worker stands: nothing to re-simulate.
        set({ following: true, timeline: s.live, viewTime: s.live.now, scrubbedByTime: false });
      } else if (!s.following) {
        const byTime = s.scrubbedByTime && s.cursor < s.run.length;
        send({ type: 'seek', index: s.cursor, ...(byTime ? { time: s.viewTime } : {}) });
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

    /** Shows a past (or known-future) moment without the worker. */
    const show = (index: number, viewTime: number, byTime: boolean) => {
      const s = get();
      // Never before the oldest moment kept (older history may have been compacted).
      const at = Math.max(s.run.base, Math.min(index, s.run.length));
      if (s.playback.playing) {
        send({ type: 'pause' });
      }
      if (at === s.run.workerAt && at === s.run.length && !byTime) {
        set((st) => ({ following: true, cursor: at, viewTime: st.live.now, timeline: st.live, scrubbedByTime: false, playback: { ...st.playback, playing: false } }));
      } else {
        const timeline = pictureAt(s.run, at, viewTime, clock(), s.live.generation);
        set((st) => ({ following: false, cursor: at, viewTime, timeline, scrubbedByTime: byTime, playback: { ...st.playback, playing: false } }));
      }
      queueInspect();
    };

    const actions: LabActions = {
      play() {
        if (get().error) return;
        resume(false);
        set((s) => ({ playback: { ...s.playback, playing: true } }));
        send({ type: 'play' });
      },
      pause() {
        set((s) => ({ playback: { ...s.playback, playing: false } }));
        send({ type: 'pause' });
      },
      togglePlay() {
        if (get().playback.playing) actions.pause();
        else actions.play();
      },
      step(grain = 'event') {
        if (get().error) return;
        resume(false);
        set((s) => ({ playback: { ...s.playback, playing: false } }));
        send({ type: 'step', grain });
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
        set((s) => ({ playback: { ...s.playback, playing: false } }));
        send({ type: 'reset' });
      },
      newRequest() {
        if (get().error) return;
        resume(true);
        send({ type: 'newRequest' });
      },
      setSpeed(v) {
        if (!Number.isFinite(v)) return;
        const speed = clampSpeed(v);
        set((s) => ({ playback: { ...s.playback, speed } }));
        send({ type: 'setSpeed', virtualMsPerSecond: speed });
      },
      setF(f) {
        if (!Number.isFinite(f)) return;
        const clamped = clampF(f);
        const { scenario } = get();
        if (clamped === scenario.f && scenario.n === undefined) return;
        const next: Scenario = { ...scenario, f: clamped, n: undefined };
        newRun({ ...next, malicious: withoutMissingReplicas(scenario.malicious, replicaCount(next)) });
      },
      setSeed(seed) {
        const s = acceptSeed(seed);
        if (s === null || s === get().scenario.seed) return;
        newRun({ ...get().scenario, seed: s });
      },
      setNetwork(p) {
        const { scenario } = get();
        const network = normaliseNetwork(scenario, p);
        resume(true);
        set({ scenario: { ...scenario, ...network } });
        send({ type: 'setNetwork', network });
      },
      chooseBehaviour(p) {
        const choice = { ...get().behaviourChoice, ...clampBehaviourKnobs(get().behaviourChoice, p) };
        set({ behaviourChoice: choice });
        // Dragging "Omit probability" or "Extra delay" also retunes the replicas already lying that way.
        if (p.omitProbability !== undefined || p.extraDelayMs !== undefined) {
          const malicious = { ...get().scenario.malicious };
          const retune = Object.entries(malicious).filter(([, b]) => b.kind === choice.kind);
          if (retune.length === 0) return;
          resume(true);
          for (const [id] of retune) {
            const retuned = behaviourFrom(choice);
            malicious[Number(id)] = retuned;
            send({ type: 'setBehaviour', id: Number(id), behaviour: retuned });
          }
          set((s) => ({ scenario: { ...s.scenario, malicious } }));
        }
      },
      toggleMalicious(id) {
        const { scenario, behaviourChoice } = get();
        if (id < 0 || id >= replicaCount(scenario)) return;
        resume(true);
        const malicious = { ...scenario.malicious };
        const behaviour = malicious[id] ? null : behaviourFrom(behaviourChoice);
        if (behaviour) malicious[id] = behaviour;
        else delete malicious[id];
        set({ scenario: { ...scenario, malicious } });
        send({ type: 'setBehaviour', id, behaviour });
      },
      selectReplica(id) {
        const n = get().run.n || replicaCount(get().scenario);
        const replica = id !== null && id >= 0 && id < n ? id : null;
        set((s) => ({ selection: { ...s.selection, replica }, inspection: replica === null ? null : s.inspection }));
        if (replica === null) send({ type: 'inspect', id: null });
        else queueInspect(true);
      },
      selectMessage(id) {
        set((s) => ({ selection: { ...s.selection, message: id } }));
      },
      loadLesson(id) {
        const lesson = lessonById(id);
        if (!lesson) return;
        set((s) => ({ preset: lesson.id, playback: { ...s.playback, playing: false }, selection: { replica: null, message: null }, inspection: null }));
        actions.setSpeed(lesson.speed);
        send({ type: 'pause' });
        newRun(structuredClone(lesson.scenario));
      },
      importRunText(text) {
        if (!transport) {
          actions.refuseImport('The simulation is stopped (see the message above); restart it, then import again.');
          return Promise.resolve(false);
        }
        const request = ++importRequests;
        return new Promise<boolean>((resolve) => {
          pendingImports.set(request, resolve);
          send({ type: 'import', text, request });
        });
      },
      refuseImport(reason) {
        set({ importError: `Import failed: ${reason} The current run is unchanged.` });
      },
      exportRunText() {
        const { run, scenario } = get();
        if (run.base > 0) throw new Error('Older history was compacted; export the run with exportRunFile.');
        return exportRun(run.scenario ?? scenario, run.interventions, run.trace.slice(0, run.length - run.base));
      },
      async exportRunFile() {
        const { run, scenario } = get();
        if (run.base === 0) return actions.exportRunText();
        const request = ++exportRequests;
        const events = await new Promise<TraceEvent[]>((resolve, reject) => {
          pendingExports.set(request, { resolve, reject });
          if (!transport) {
            pendingExports.delete(request);
            reject(new Error('The simulation is not running.'));
            return;
          }
          transport.send({ type: 'exportTrace', upTo: run.length, request });
        });
        return exportRun(run.scenario ?? scenario, run.interventions, events);
      },
      dismissNotice(index) {
        set((s) => ({ notices: s.notices.filter((_, i) => i !== index) }));
      },
      dismissImportError() {
        set({ importError: null });
      },
      setTheme(theme) {
        set((s) => ({ ui: { ...s.ui, theme } }));
      },
      togglePresentation() {
        set((s) => ({ ui: { ...s.ui, presentation: !s.ui.presentation } }));
      },
      setHelpOpen(open) {
        set((s) => ({ ui: { ...s.ui, helpOpen: open } }));
      },
      restart() {
        transport?.dispose();
        set((s) => ({
          error: null,
          live: emptyTimeline(),
          timeline: emptyTimeline(),
          run: emptyRun(0, history),
          following: true,
          cursor: 0,
          viewTime: 0,
          scrubbedByTime: false,
          inspection: null,
          playback: { ...s.playback, playing: false },
        }));
        connect();
      },
      dispose() {
        transport?.dispose();
        transport = null;
        failExports('The lab was closed.');
      },
    };

    const timeline = emptyTimeline();
    return {
      scenario: options.scenario ?? defaultScenario(),
      preset: options.preset ?? null,
      behaviourChoice: {
        kind: 'silent',
        omitProbability: DEFAULT_BEHAVIOUR.omit.omitProbability ?? 0.5,
        extraDelayMs: DEFAULT_BEHAVIOUR.slow.extraDelayMs ?? 100,
      },
      playback: { playing: false, speed: clampSpeed(options.speed ?? SPEED_LIMITS.default) },
      run: emptyRun(0, history),
      live: timeline,
      timeline,
      following: true,
      cursor: 0,
      viewTime: 0,
      scrubbedByTime: false,
      selection: { replica: null, message: null },
      inspection: null,
      ui: { theme: options.theme ?? 'system', presentation: false, helpOpen: false },
      notices: options.notices ?? [],
      importError: null,
      error: null,
      actions,
    };
  });

  /** Asks the worker for the selected replica's inspection at the moment on screen, at most once a frame. */
  function queueInspect(now = false) {
    const ask = () => {
      inspectQueued = false;
      const { selection, following, cursor } = store.getState();
      if (selection.replica === null) return;
      transport?.send({ type: 'inspect', id: selection.replica, ...(following ? {} : { at: cursor }) });
    };
    if (now) return ask();
    if (store.getState().selection.replica === null || inspectQueued) return;
    inspectQueued = true;
    requestFrame(ask);
  }

  function onBatch(batch: BatchEvent) {
    const realNow = clock();
    const s = store.getState();
    const from = batch.traceLength - batch.events.length;
    let run = s.run;
    let live = s.live;
    if (batch.reset) {
      run = emptyRun(s.run.generation + 1, history, batch.scenario ?? s.scenario);
      run.interventions = batch.interventions ?? [];
      run.n = batch.n;
      run.f = batch.f;
      mergeEvents(run, 0, batch.events, batch.starts);
      compactRun(run);
      workerReached(run, batch);
      live = applyBatch(live, batch, run, realNow);
      const notices = [...s.notices];
      if (batch.imported?.differs) {
        notices.push('The imported trace differs from what this version of PBFT Lab simulates for its scenario; the re-simulated run is shown.');
      }
      const imported: Partial<LabState> = batch.imported && run.scenario ? { importError: null, preset: null, scenario: run.scenario } : {};
      store.setState({
        ...imported,
        run: { ...run },
        live,
        timeline: live,
        following: true,
        cursor: run.length,
        viewTime: batch.now,
        scrubbedByTime: false,
        notices,
        selection: { replica: s.selection.replica !== null && s.selection.replica < batch.n ? s.selection.replica : null, message: null },
        inspection: batch.inspection && s.selection.replica !== null ? { id: s.selection.replica, at: batch.traceLength, data: batch.inspection } : null,
        playback: { ...s.playback, playing: batch.playing && s.playback.playing },
      });
      importing = null;
      if (batch.imported && batch.traceLength < batch.imported.length) importing = { request: batch.imported.request, length: batch.imported.length, live };
      else if (batch.imported) settleImport(batch.imported.request, true);
      return;
    }
    if (importing) {
      mergeEvents(run, from, batch.events, batch.starts);
      compactRun(run);
      workerReached(run, batch);
      importing.live = applyBatch(importing.live, batch, run, realNow);
      if (batch.traceLength < importing.length) return;
      const loaded = importing;
      importing = null;
      store.setState({ run: { ...run }, live: loaded.live, timeline: loaded.live, following: true, cursor: run.length, viewTime: batch.now, scrubbedByTime: false });
      settleImport(loaded.request, true);
      return;
    }
    mergeEvents(run, from, batch.events, batch.starts);
    // Never compact the moment on screen away from under someone looking at the past.
    compactRun(run, s.following ? Number.POSITIVE_INFINITY : s.cursor);
    workerReached(run, batch);
    if (batch.interventions) run.interventions = batch.interventions;
    run.n = batch.n;
    run.f = batch.f;
    // Only a batch that continues the live picture may move it (one posted before a seek must not).
    if (from === live.index) live = applyBatch(live, batch, run, realNow);
    const following = s.following && from === s.live.index;
    const patch: Partial<LabState> = { run: { ...run }, live };
    if (following) {
      patch.timeline = live;
      patch.cursor = live.index;
      patch.viewTime = live.now;
      if (batch.inspection !== undefined && s.selection.replica !== null && batch.inspection) {
        patch.inspection = { id: s.selection.replica, at: batch.traceLength, data: batch.inspection };
      }
    }
    if (batch.pausedBy === 'violation') patch.playback = { ...s.playback, playing: false };
    store.setState(patch);
  }

  function onEvent(event: SimEvent) {
    if (event.type === 'error') {
      // A worker that threw outside its guard may still be running: stop it, so nothing moves under the message.
      transport?.dispose();
      transport = null;
      failExports(event.message);
      store.setState((s) => ({ error: event.message, playback: { ...s.playback, playing: false } }));
      return;
    }
    if (event.type === 'trace') {
      const pending = pendingExports.get(event.request);
      pendingExports.delete(event.request);
      pending?.resolve(event.events);
      return;
    }
    if (event.type === 'importFailed') {
      store.getState().actions.refuseImport(event.message);
      settleImport(event.request, false);
      return;
    }
    if (event.type === 'inspection') {
      const { selection } = store.getState();
      if (selection.replica === event.id) store.setState({ inspection: { id: event.id, at: event.at, data: event.inspection } });
      return;
    }
    onBatch(event);
    // Back-pressure: the worker posts its next batch only after this frame has been drawn.
    const sentTo = transport;
    requestFrame(() => sentTo?.send({ type: 'ack' }));
  }

  function settleImport(request: number, loaded: boolean) {
    pendingImports.get(request)?.(loaded);
    pendingImports.delete(request);
  }

  function failExports(reason: string) {
    importing = null;
    // An import cut short by the same failure loads nothing.
    for (const settle of pendingImports.values()) settle(false);
    pendingImports.clear();
    for (const pending of pendingExports.values()) pending.reject(new Error(reason));
    pendingExports.clear();
  }

  function connect() {
    let current: SimTransport;
    try {
      current = options.connect((event) => {
        if (transport === current) onEvent(event);
      });
    } catch (err) {
      // E.g. a browser that cannot start module workers: say so on the page rather than leave it blank.
      transport = null;
      store.setState({ error: `The simulation could not start: ${err instanceof Error ? err.message : String(err)}` });
      return;
    }
    transport = current;
    const { scenario, playback } = store.getState();
    current.send({ type: 'setSpeed', virtualMsPerSecond: playback.speed });
    current.send({ type: 'configure', scenario });
  }

  connect();
  return store;
}
