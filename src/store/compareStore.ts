/**
 * The Compare view: one scenario (n, seed, network, liars) run under two or three protocols at once, on one virtual
 * clock. Each protocol's run is a lab store of its own (its own worker, history and picture, so the graph and the
 * space-time diagram draw it unchanged); this store owns the clock and moves every run to the same moment with the
 * worker's `advance` command. Runs are created when the view opens and disposed when it closes (src/main.tsx hands
 * this store the factory, so it never touches a Worker itself).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { ruleBreaks } from '../sim/params';
import { protocolOf } from '../sim/protocols';
import type { ProtocolMode, Scenario } from '../sim/types';
import type { LabStore } from './labStore';
import { clampSpeed } from './scenarioRules';

/** The protocols the view offers, in its order (the seed article's last: it has no view change). */
export const COMPARE_MODES: readonly ProtocolMode[] = ['pbft', 'hotstuff', 'chained-hotstuff', 'tendermint', 'seed'];
export const MIN_COMPARED = 2;
export const MAX_COMPARED = 3;
/** What the view compares when the address does not say. */
export const DEFAULT_COMPARED: readonly ProtocolMode[] = ['pbft', 'hotstuff'];
/** The address's parameter naming the compared protocols (`cmp=pbft,tendermint`); absent for the default pair. */
export const COMPARE_PARAM = 'cmp';

/** The protocols a query string asks Compare for, in the view's order; a list it cannot use is said and the default kept. */
export function readCompared(query: string): { modes: ProtocolMode[]; notice: string | null } {
  const raw = new URLSearchParams(query).get(COMPARE_PARAM);
  if (raw === null) return { modes: [...DEFAULT_COMPARED], notice: null };
  const names = raw.split(',').map((p) => p.trim());
  const modes = COMPARE_MODES.filter((m) => names.includes(m));
  const unknown = names.filter((p) => !(COMPARE_MODES as readonly string[]).includes(p));
  if (unknown.length === 0 && modes.length >= MIN_COMPARED && modes.length <= MAX_COMPARED) return { modes, notice: null };
  const why = unknown.length > 0 ? `there is no protocol “${unknown[0].slice(0, 40)}”` : `Compare shows ${MIN_COMPARED} or ${MAX_COMPARED} protocols`;
  return { modes: [...DEFAULT_COMPARED], notice: `Ignored ${COMPARE_PARAM}: ${why} (choose from ${COMPARE_MODES.join(', ')}); comparing ${DEFAULT_COMPARED.map((m) => protocolOf(m).name).join(' and ')}.` };
}

/** The query string with the compared protocols in it (none for the default pair), every other parameter kept. */
export function withCompared(query: string, modes: readonly ProtocolMode[]): string {
  const params = new URLSearchParams(query);
  if (modes.length === DEFAULT_COMPARED.length && DEFAULT_COMPARED.every((m) => modes.includes(m))) params.delete(COMPARE_PARAM);
  else params.set(COMPARE_PARAM, modes.join(','));
  return params.toString();
}

export interface ComparePane {
  /** New for every run built, so a view drawing a pane starts afresh when its run is replaced. */
  id: number;
  mode: ProtocolMode;
  store: LabStore;
  /** Liars left honest here because their lie means nothing in this protocol (the core's rule), in words; or null. */
  note: string | null;
}

export interface CompareState {
  open: boolean;
  /** The protocols compared, in the view's order. */
  modes: ProtocolMode[];
  /** The scenario every run starts from (each with its own mode). */
  scenario: Scenario | null;
  panes: ComparePane[];
  playing: boolean;
  /** Virtual ms per real second, for all runs at once. */
  speed: number;
  /** The one clock: the virtual time every run has been asked to reach. */
  time: number;
  /** Why the last choice of protocols was refused, or null. */
  message: string | null;
  actions: CompareActions;
}

export interface CompareActions {
  /** Opens the view on this scenario (the visualizer's), starting one run per chosen protocol. */
  openWith(scenario: Scenario): void;
  close(): void;
  /** Adds or removes a protocol; two to three stay chosen (a refusal says why and changes nothing). */
  toggleMode(mode: ProtocolMode): void;
  play(): void;
  pause(): void;
  togglePlay(): void;
  /** All runs to the next moment anything happens in any of them. */
  step(): void;
  /** Every run back to its start, the clock to 0. */
  reset(): void;
  setSpeed(virtualMsPerSecond: number): void;
}

export interface CompareStoreOptions {
  /** A lab store for one protocol's run (src/main.tsx: with its own worker; tests: in process). */
  createLab(scenario: Scenario, speed: number): LabStore;
  requestFrame?: (cb: () => void) => void;
  clock?: () => number;
  modes?: ProtocolMode[];
  speed?: number;
  /** Told the compared protocols whenever they change (src/main.tsx: into the address). */
  onModes?(modes: ProtocolMode[]): void;
}

export type CompareStore = StoreApi<CompareState>;

/** Real ms of one frame at most: a tab in the background must not make the clock leap when it comes back. */
const MAX_FRAME_MS = 100;

/** The scenario under `mode`, with the liars whose lie means nothing there made honest (and a note saying so). */
export function scenarioFor(base: Scenario, mode: ProtocolMode): { scenario: Scenario; note: string | null } {
  const scenario: Scenario = structuredClone({ ...base, mode });
  const dropped = ruleBreaks(scenario).flatMap((b) => (b.rule === 'behaviour-protocol' ? [b] : []));
  for (const b of dropped) delete scenario.malicious[Number(b.id)];
  const note = dropped.length
    ? `${dropped.map((b) => `replica ${b.id} (${b.kind})`).join(', ')} ${dropped.length === 1 ? 'is' : 'are'} honest here: ${protocolOf(mode).name} has no such lie.`
    : null;
  return { scenario, note };
}

export function createCompareStore(options: CompareStoreOptions): CompareStore {
  const clock = options.clock ?? (() => performance.now());
  const requestFrame = options.requestFrame ?? ((cb: () => void) => requestAnimationFrame(() => cb()));
  /** Panes asked to advance whose answer has not come yet: the clock waits for them. */
  const waiting = new Set<LabStore>();
  const unsubscribe = new Map<LabStore, () => void>();
  let lastReal = 0;
  let ticking = false;
  let built = 0;

  return createStore<CompareState>()((set, get) => {
    const dispose = (panes: readonly ComparePane[]) => {
      for (const p of panes) {
        unsubscribe.get(p.store)?.();
        unsubscribe.delete(p.store);
        waiting.delete(p.store);
        p.store.getState().actions.dispose();
      }
    };

    const build = (scenario: Scenario, modes: readonly ProtocolMode[]): ComparePane[] =>
      modes.map((mode) => {
        const { scenario: own, note } = scenarioFor(scenario, mode);
        const store = options.createLab(own, get().speed);
        // A click on a replica inspects it: toggling a liar in one run would make the runs differ.
        store.getState().actions.setReplicaClick('inspect');
        // Any new picture from the worker answers the advance it was waiting for.
        unsubscribe.set(
          store,
          store.subscribe((s, prev) => {
            if (s.live !== prev.live || s.error !== prev.error) waiting.delete(store);
          }),
        );
        return { id: ++built, mode, store, note };
      });

    /** A run has reached the clock: it stands at `time`, or nothing more happens in it before then, or it broke. */
    const reached = (store: LabStore, time: number) => {
      const s = store.getState();
      if (s.error) return true;
      return s.live.now >= time - 1e-9 || s.live.nextEventAt === null || s.live.nextEventAt > time;
    };

    const advance = (time: number) => {
      for (const p of get().panes) {
        if (reached(p.store, time) && p.store.getState().live.now >= time - 1e-9) continue;
        waiting.add(p.store);
        p.store.getState().actions.advanceTo(time);
      }
    };

    const tick = () => {
      const s = get();
      if (!s.playing || !s.open) {
        ticking = false;
        return;
      }
      const real = clock();
      const elapsed = Math.min(MAX_FRAME_MS, Math.max(0, real - lastReal));
      lastReal = real;
      // One clock: it moves on only once every run has reached it (a slow worker holds all of them back).
      if (waiting.size === 0) {
        const behind = s.panes.filter((p) => !reached(p.store, s.time));
        if (behind.length > 0) advance(s.time);
        else {
          const time = s.time + (s.speed * elapsed) / 1000;
          set({ time });
          advance(time);
        }
      }
      requestFrame(tick);
    };

    const actions: CompareActions = {
      openWith(scenario) {
        dispose(get().panes);
        set({ open: true, scenario: structuredClone(scenario), panes: [], time: 0, playing: false, message: null });
        set({ panes: build(scenario, get().modes) });
      },
      close() {
        dispose(get().panes);
        set({ open: false, panes: [], playing: false, time: 0 });
      },
      toggleMode(mode) {
        const { modes, scenario, open } = get();
        const chosen = modes.includes(mode) ? modes.filter((m) => m !== mode) : [...modes, mode];
        if (chosen.length < MIN_COMPARED) return set({ message: `Compare needs at least ${MIN_COMPARED} protocols; choose another before leaving out ${protocolOf(mode).name}.` });
        if (chosen.length > MAX_COMPARED) return set({ message: `Compare shows at most ${MAX_COMPARED} protocols side by side; leave one out before adding ${protocolOf(mode).name}.` });
        const ordered = COMPARE_MODES.filter((m) => chosen.includes(m));
        set({ modes: ordered, message: null });
        options.onModes?.(ordered);
        if (open && scenario) actions.openWith(scenario);
      },
      play() {
        if (get().panes.length === 0) return;
        set({ playing: true });
        lastReal = clock();
        if (!ticking) {
          ticking = true;
          requestFrame(tick);
        }
      },
      pause() {
        set({ playing: false });
      },
      togglePlay() {
        if (get().playing) actions.pause();
        else actions.play();
      },
      step() {
        const { panes } = get();
        set({ playing: false });
        const next = panes.map((p) => p.store.getState().live.nextEventAt).filter((t): t is number => t !== null);
        if (next.length === 0) return;
        const time = Math.max(get().time, Math.min(...next));
        set({ time });
        advance(time);
      },
      reset() {
        set({ playing: false, time: 0 });
        waiting.clear();
        for (const p of get().panes) p.store.getState().actions.reset();
      },
      setSpeed(v) {
        if (!Number.isFinite(v)) return;
        set({ speed: clampSpeed(v) });
      },
    };

    return {
      open: false,
      modes: options.modes ?? [...DEFAULT_COMPARED],
      scenario: null,
      panes: [],
      playing: false,
      speed: clampSpeed(options.speed ?? 100),
      time: 0,
      message: null,
      actions,
    };
  });
}
