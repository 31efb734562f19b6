/**
 * Everything the UI knows, and the only way to the simulation worker: one zustand store composed of slices by concern.
 * Components read it with selectors (useLab) and change it through its actions (useLabActions).
 *
 * - scenarioSlice.ts — the scenario, the lesson it came from, what a click on a replica makes it, and their edits;
 * - playbackSlice.ts — playing and speed, the run the worker reported, stepping and time travel (seek and resume);
 * - runFilesSlice.ts — run files in and out, each matched by request to the worker's answer;
 * - workerSlice.ts — the worker's life (connect, error, restart, dispose) and where each thing it says goes;
 * - pageSlice.ts — theme, presentation, help, selection, the inspector's data, notices;
 * - partitionSlice.ts — partitions and faulty links drawn by hand (the graph's network tools, the dialog).
 * - handSlice.ts — deliver by hand: the Network panel's interventions and what waits for a hand.
 * - predictSlice.ts — Predict mode: the room's answer to the question of the moment, the verdict, the score.
 * What is on screen (the live picture or a past one) is kept consistent after every update by onScreen.ts.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Scenario, TimedIntervention } from '../sim/types';
import type { ConnectSim } from '../worker/transport';
import { keepOnScreen } from './onScreen';
import { handSlice, type HandActions, type HandHooks, type HandState } from './handSlice';
import { pageSlice, type PageActions, type PageHooks, type PageState, type Theme } from './pageSlice';
import { partitionSlice, type PartitionActions, type PartitionState } from './partitionSlice';
import { predictSlice, type PredictActions, type PredictHooks, type PredictState } from './predictSlice';
import { playbackSlice, type PlaybackActions, type PlaybackHooks, type PlaybackState } from './playbackSlice';
import { DEFAULT_HISTORY, type HistoryLimits } from './replay';
import { runFilesSlice, type RunFilesActions, type RunFilesHooks, type RunFilesState } from './runFilesSlice';
import { scenarioSlice, type ScenarioActions, type ScenarioState } from './scenarioSlice';
import { workerSlice, type WorkerActions, type WorkerHooks, type WorkerState } from './workerSlice';

export type { DrawerId, InspectionState, ReplicaClick, Selection, Theme, UiState } from './pageSlice';
export type { Playback } from './playbackSlice';
export type { BehaviourChoice } from './scenarioSlice';

export type LabActions = ScenarioActions & PlaybackActions & RunFilesActions & WorkerActions & PageActions & PartitionActions & PredictActions & HandActions;

export type LabState = ScenarioState & PlaybackState & RunFilesState & WorkerState & PageState & PartitionState & PredictState & HandState & { actions: LabActions };

export type LabStore = StoreApi<LabState>;

export interface LabStoreOptions {
  connect: ConnectSim;
  scenario?: Scenario;
  speed?: number;
  preset?: string | null;
  notices?: string[];
  theme?: Theme;
  /** The page is embedded (`?embed=1`): the stage and the playback bar only. */
  embed?: boolean;
  /** Acks are sent from here, after React has rendered the batch. */
  requestFrame?: (cb: () => void) => void;
  clock?: () => number;
  /** Interventions to replay from the start of the first run (a link that carries a schedule). */
  interventions?: TimedIntervention[];
  /** How much of a run the page keeps (default DEFAULT_HISTORY: 100,000 events, a snapshot every 2,000). */
  history?: HistoryLimits;
}

/** How the slices change the store (every update passes through onScreen). */
export type SetLab = (patch: Partial<LabState> | ((s: LabState) => Partial<LabState>)) => void;

/** What every slice is given: the store, the page's clock and frames, and how much history to keep. */
export interface LabBase {
  set: SetLab;
  get(): LabState;
  clock(): number;
  requestFrame(cb: () => void): void;
  history: HistoryLimits;
}

/** The base and what the slices offer one another besides actions (the worker's answers reach them through these). */
export type Lab = LabBase & WorkerHooks & PlaybackHooks & RunFilesHooks & PageHooks & PredictHooks & HandHooks;

/** A concern's part of the store: its state, its actions, and the hooks the other slices call. */
export interface Slice<S, A, H = object> {
  state: S;
  actions: A;
  hooks: H;
}

export function createLabStore(options: LabStoreOptions): LabStore {
  const clock = options.clock ?? (() => performance.now());
  const requestFrame = options.requestFrame ?? ((cb: () => void) => requestAnimationFrame(() => cb()));
  let start = () => {};
  const store = createStore<LabState>()(
    keepOnScreen(clock, (set, get) => {
      const base: LabBase = { set, get, clock, requestFrame, history: options.history ?? DEFAULT_HISTORY };
      // The slices reach one another through `lab` only from actions and the worker's events, after it is complete.
      const lab = base as Lab;
      const scenario = scenarioSlice(lab, options);
      const playback = playbackSlice(lab, options);
      const files = runFilesSlice(lab);
      const worker = workerSlice(lab, options);
      const page = pageSlice(lab, options);
      const partitions = partitionSlice(lab);
      const predict = predictSlice(lab);
      const hand = handSlice(lab);
      const complete: Lab = Object.assign(base, worker.hooks, playback.hooks, files.hooks, page.hooks, predict.hooks, hand.hooks);
      start = complete.connect;
      return {
        ...scenario.state,
        ...playback.state,
        ...files.state,
        ...worker.state,
        ...page.state,
        ...partitions.state,
        ...predict.state,
        ...hand.state,
        actions: { ...scenario.actions, ...playback.actions, ...files.actions, ...worker.actions, ...page.actions, ...partitions.actions, ...predict.actions, ...hand.actions },
      };
    }),
  );
  start();
  return store;
}
