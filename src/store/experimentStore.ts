/**
 * The Experiments panel's state: the form, and the one experiment that is running or was run last. Sweeps run in
 * workers (src/worker/sweepPool.ts); this store only hands them the plan and keeps what they report. It is created
 * in src/main.tsx with the real workers (tests: sweepTestkit.ts), and lives as long as the page: a running sweep and
 * its results survive switching tabs.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SweepConfig } from '../sim/experiment';
import { collectResults, startSweepPool, type PoolRun, type SweepOutcome } from '../worker/sweepPool';
import type { ConnectSweepWorker } from '../worker/sweepTransport';
import { articleForm, defaultForm, validateForm, type ExperimentForm, type FormField } from './experimentForm';

/** What the views need of a sweep's results: they reach the worker's modules only through this store. */
export { collectResults, type SweepOutcome };

export type RunStatus = 'running' | 'done' | 'cancelled' | 'error';

export interface ExperimentRun {
  status: RunStatus;
  /** The configs this run was started with (not the form, which may have changed since). */
  sweeps: SweepConfig[];
  done: number;
  total: number;
  workers: number;
  /** One per sweep; refreshed a few times a second while running, exact when the run ends. */
  results: SweepOutcome[];
  /** Set when status is 'error'. */
  error: string | null;
}

export interface ExperimentState {
  form: ExperimentForm;
  /** Fields the user has changed: their messages show while typing; the others once Run is pressed. */
  touched: Partial<Record<FormField, true>>;
  /** Run was pressed: every field's message shows. */
  attempted: boolean;
  run: ExperimentRun | null;
  actions: ExperimentActions;
}

export interface ExperimentActions {
  setField<K extends FormField>(field: K, value: ExperimentForm[K]): void;
  /** The seed article's experiment in one click. */
  loadArticleExperiment(): void;
  /** Starts the experiment if the form is valid; returns false (and shows every message) if it is not. */
  run(): boolean;
  cancel(): void;
  dispose(): void;
}

export interface ExperimentStoreOptions {
  connect: ConnectSweepWorker;
  form?: ExperimentForm;
  /** Real ms; only paces how often the live table and charts are recomputed. */
  clock?: () => number;
}

export type ExperimentStore = StoreApi<ExperimentState>;

/** Recomputing rows costs O(trials), so during a run they refresh at most this often (real ms), less often when slow. */
export const LIVE_REFRESH_MS = 250;

export function createExperimentStore(options: ExperimentStoreOptions): ExperimentStore {
  const clock = options.clock ?? (() => performance.now());
  let pool: PoolRun | null = null;

  return createStore<ExperimentState>()((set, get) => {
    /** Updates the current run, if it is still the one `from` started. */
    const update = (from: PoolRun, patch: Partial<ExperimentRun>) => {
      if (pool !== from) return;
      set((s) => (s.run ? { run: { ...s.run, ...patch } } : {}));
    };

    const actions: ExperimentActions = {
      setField(field, value) {
        set((s) => ({ form: { ...s.form, [field]: value }, touched: { ...s.touched, [field]: true } }));
      },
      loadArticleExperiment() {
        set({ form: articleForm(Number(get().form.workers) || undefined), touched: {} });
      },
      run() {
        const { plan } = validateForm(get().form);
        if (!plan) {
          set({ attempted: true });
          return false;
        }
        pool?.cancel();
        let nextRefresh = clock() + LIVE_REFRESH_MS;
        const current = startSweepPool(plan.sweeps, {
          connect: options.connect,
          workers: plan.workers,
          onProgress: (_fresh, done) => {
            const start = clock();
            if (start < nextRefresh) return update(current, { done });
            update(current, { done, results: collectResults(plan.sweeps, current.outcomes) });
            // With very many trials a refresh (and the render after it) gets costly: space them out so the page
            // spends at most about a tenth of its time on them.
            const now = clock();
            nextRefresh = now + Math.max(LIVE_REFRESH_MS, 10 * (now - start));
          },
        });
        pool = current;
        set({
          attempted: true,
          run: { status: 'running', sweeps: plan.sweeps, done: 0, total: current.total, workers: current.workers, results: collectResults(plan.sweeps, []), error: null },
        });
        void current.finished.then((end) => {
          if (end.status === 'error') update(current, { status: 'error', error: end.message, results: [] });
          else update(current, { status: end.status, done: end.outcomes.length, results: collectResults(plan.sweeps, end.outcomes) });
          if (pool === current) pool = null;
        });
        return true;
      },
      cancel() {
        pool?.cancel();
      },
      dispose() {
        pool?.cancel();
        pool = null;
      },
    };

    return { form: options.form ?? defaultForm(), touched: {}, attempted: false, run: null, actions };
  });
}
