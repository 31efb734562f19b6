/**
 * Everything the UI knows, and the only place that talks to the simulation worker. Components read slices
 * with selectors and change things through the actions below.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { DEFAULT_BEHAVIOUR, LIMITS, defaultScenario, replicaCount } from '../sim/scenario';
import type { Behaviour, BehaviourKind, NetworkParams, Scenario } from '../sim/types';
import { SPEED_LIMITS, type SimEvent } from '../worker/protocol';
import type { ConnectSim, SimTransport } from '../worker/transport';
import { applyBatch, emptyTimeline, type TimelineState } from './timeline';

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

export interface LabState {
  scenario: Scenario;
  behaviourChoice: BehaviourChoice;
  playback: Playback;
  timeline: TimelineState;
  /** Set when the simulation threw; the UI offers to restart from `scenario`. */
  error: string | null;
  actions: LabActions;
}

export interface LabActions {
  play(): void;
  pause(): void;
  step(): void;
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
  /** After an error: a fresh worker, the same scenario. */
  restart(): void;
  dispose(): void;
}

export interface LabStoreOptions {
  connect: ConnectSim;
  scenario?: Scenario;
  speed?: number;
  /** Acks are sent from here, after React has rendered the batch. */
  requestFrame?: (cb: () => void) => void;
  clock?: () => number;
}

export type LabStore = StoreApi<LabState>;

export const F_RANGE = { min: 1, max: LIMITS.f.max } as const;
export const DELAY_RANGE = { min: 0, max: 1000 } as const;

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

export function clampSpeed(v: number): number {
  return Math.min(SPEED_LIMITS.max, Math.max(SPEED_LIMITS.min, v));
}

/** Merges a network change and keeps min ≤ max by moving whichever bound the user did not touch. */
export function normaliseNetwork(current: NetworkParams, p: Partial<NetworkParams>): NetworkParams {
  const clampDelay = (v: number) => Math.min(LIMITS.delayMs.max, Math.max(LIMITS.delayMs.min, v));
  const clampRate = (v: number) => Math.min(1, Math.max(0, v));
  const next: NetworkParams = {
    minDelayMs: clampDelay(p.minDelayMs ?? current.minDelayMs),
    maxDelayMs: clampDelay(p.maxDelayMs ?? current.maxDelayMs),
    dropRate: clampRate(p.dropRate ?? current.dropRate),
    reorderRate: clampRate(p.reorderRate ?? current.reorderRate),
  };
  if (next.minDelayMs > next.maxDelayMs) {
    if (p.minDelayMs !== undefined) next.maxDelayMs = next.minDelayMs;
    else next.minDelayMs = next.maxDelayMs;
  }
  return next;
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

  const store = createStore<LabState>()((set, get) => {
    const send: SimTransport['send'] = (cmd) => transport?.send(cmd);

    const configure = (scenario: Scenario) => {
      set({ scenario });
      send({ type: 'configure', scenario });
    };

    const actions: LabActions = {
      play() {
        if (get().error) return;
        set((s) => ({ playback: { ...s.playback, playing: true } }));
        send({ type: 'play' });
      },
      pause() {
        set((s) => ({ playback: { ...s.playback, playing: false } }));
        send({ type: 'pause' });
      },
      step() {
        set((s) => ({ playback: { ...s.playback, playing: false } }));
        send({ type: 'step' });
      },
      reset() {
        set((s) => ({ playback: { ...s.playback, playing: false } }));
        send({ type: 'reset' });
      },
      newRequest() {
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
        const clamped = Math.round(Math.min(F_RANGE.max, Math.max(F_RANGE.min, f)));
        const { scenario } = get();
        if (clamped === scenario.f && scenario.n === undefined) return;
        const next: Scenario = { ...scenario, f: clamped, n: undefined };
        configure({ ...next, malicious: withoutMissingReplicas(scenario.malicious, replicaCount(next)) });
      },
      setSeed(seed) {
        if (!Number.isFinite(seed)) return;
        const s = Math.trunc(seed);
        if (s === get().scenario.seed) return;
        configure({ ...get().scenario, seed: s });
      },
      setNetwork(p) {
        const { scenario } = get();
        const network = normaliseNetwork(scenario, p);
        set({ scenario: { ...scenario, ...network } });
        send({ type: 'setNetwork', network });
      },
      chooseBehaviour(p) {
        const choice = { ...get().behaviourChoice, ...p };
        set({ behaviourChoice: choice });
        // Dragging "Omit probability" or "Extra delay" also retunes the replicas already lying that way.
        if (p.omitProbability !== undefined || p.extraDelayMs !== undefined) {
          const malicious = { ...get().scenario.malicious };
          for (const [id, b] of Object.entries(malicious)) {
            if (b.kind !== choice.kind) continue;
            const retuned = behaviourFrom({ ...choice, kind: b.kind });
            malicious[Number(id)] = retuned;
            send({ type: 'setBehaviour', id: Number(id), behaviour: retuned });
          }
          set((s) => ({ scenario: { ...s.scenario, malicious } }));
        }
      },
      toggleMalicious(id) {
        const { scenario, behaviourChoice } = get();
        if (id < 0 || id >= replicaCount(scenario)) return;
        const malicious = { ...scenario.malicious };
        const behaviour = malicious[id] ? null : behaviourFrom(behaviourChoice);
        if (behaviour) malicious[id] = behaviour;
        else delete malicious[id];
        set({ scenario: { ...scenario, malicious } });
        send({ type: 'setBehaviour', id, behaviour });
      },
      restart() {
        transport?.dispose();
        set((s) => ({ error: null, timeline: emptyTimeline(), playback: { ...s.playback, playing: false } }));
        connect();
      },
      dispose() {
        transport?.dispose();
        transport = null;
      },
    };

    return {
      scenario: options.scenario ?? defaultScenario(),
      behaviourChoice: {
        kind: 'silent',
        omitProbability: DEFAULT_BEHAVIOUR.omit.omitProbability ?? 0.5,
        extraDelayMs: DEFAULT_BEHAVIOUR.slow.extraDelayMs ?? 100,
      },
      playback: { playing: false, speed: clampSpeed(options.speed ?? SPEED_LIMITS.default) },
      timeline: emptyTimeline(),
      error: null,
      actions,
    };
  });

  function onEvent(event: SimEvent) {
    if (event.type === 'error') {
      store.setState((s) => ({ error: event.message, playback: { ...s.playback, playing: false } }));
      return;
    }
    store.setState((s) => ({ timeline: applyBatch(s.timeline, event, clock()) }));
    // Back-pressure: the worker posts its next batch only after this frame has been drawn.
    const sentTo = transport;
    requestFrame(() => sentTo?.send({ type: 'ack' }));
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
