/**
 * The Experiments view's second experiment: protocol × n × m. Each (protocol, n) is one sweep over m with the same
 * seeds, run on the sweep workers like the first experiment. The liars are silent and always include replica 0, and
 * each trial makes n requests one after another, so every protocol's rotating leader passes through replica 0 once:
 * PBFT meets it at once (view change), HotStuff when its view comes round (new view), Tendermint when it proposes
 * (next round). That is "what a faulty leader costs each", on equal terms.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SweepConfig } from '../sim/experiment';
import { PARAMS, readMValues, readNumber } from '../sim/params';
import { protocolOf } from '../sim/protocols';
import type { ProtocolMode } from '../sim/types';
import { collectResults, startSweepPool, type PoolRun, type SweepOutcome } from '../worker/sweepPool';
import type { ConnectSweepWorker } from '../worker/sweepTransport';
import { defaultWorkerCount } from './experimentForm';

export type { SweepOutcome };

/** The protocols this experiment offers (the seed's has no view change, so a faulty leader stalls it for good). */
export const SWEEP_PROTOCOLS: readonly ProtocolMode[] = ['pbft', 'hotstuff', 'chained-hotstuff', 'tendermint'];
/** Those ticked at first: the three whose costs differ in kind (Chained HotStuff's grows as basic HotStuff's, in n). */
export const DEFAULT_SWEPT: readonly ProtocolMode[] = ['pbft', 'hotstuff', 'tendermint'];

export interface ProtocolSweepForm {
  modes: ProtocolMode[];
  /** "4, 7, 10, 13": the replica counts. */
  n: string;
  /** "0-1": the liars (always replica 0, then others at random). */
  m: string;
  trials: string;
  seed: string;
}

export type ProtocolSweepField = Exclude<keyof ProtocolSweepForm, 'modes'>;
export type ProtocolSweepErrors = Partial<Record<keyof ProtocolSweepForm, string>>;

export interface ProtocolSweepRun {
  status: 'running' | 'done' | 'cancelled' | 'error';
  sweeps: SweepConfig[];
  done: number;
  total: number;
  results: SweepOutcome[];
  error: string | null;
}

export interface ProtocolSweepState {
  form: ProtocolSweepForm;
  errors: ProtocolSweepErrors;
  run: ProtocolSweepRun | null;
  actions: {
    setField(field: ProtocolSweepField, value: string): void;
    toggleMode(mode: ProtocolMode): void;
    run(): boolean;
    cancel(): void;
    dispose(): void;
  };
}

export type ProtocolSweepStore = StoreApi<ProtocolSweepState>;

export function defaultProtocolSweepForm(): ProtocolSweepForm {
  return { modes: [...DEFAULT_SWEPT], n: '4, 7, 10, 13', m: '0, 1', trials: '2', seed: '1' };
}

/** At most this many trials from the panel: each makes n requests, so they cost more than the first experiment's. */
export const PROTOCOL_SWEEP_MAX_TRIALS = 5_000;

/**
 * Virtual ms a trial of n requests may take: ample for n decisions and one leader replaced (timeouts back off), and for
 * a client that first sends each request to the silent replica 0 and waits out its own timeout (500 ms) each time.
 */
export function trialTimeoutMs(n: number): number {
  return 2_000 + 800 * n;
}

/** The sweep of one (protocol, n): silent liars, replica 0 always among them, n requests per trial. */
export function protocolSweepConfig(mode: ProtocolMode, n: number, mValues: number[], trials: number, seed: number): SweepConfig {
  return {
    n,
    mValues,
    trials,
    mode,
    behaviour: 'silent',
    selection: 'primary',
    minDelayMs: PARAMS.minDelayMs.default,
    maxDelayMs: PARAMS.maxDelayMs.default,
    dropRate: 0,
    reorderRate: 0,
    timeoutMs: trialTimeoutMs(n),
    requests: n,
    seed,
  };
}

/** The form → one sweep per (protocol, n), protocol-major; or, field by field, what to fix. */
export function planProtocolSweep(form: ProtocolSweepForm): { errors: ProtocolSweepErrors; sweeps: SweepConfig[] | null } {
  const errors: ProtocolSweepErrors = {};
  if (form.modes.length === 0) errors.modes = 'Choose at least one protocol.';
  const ns: number[] = [];
  for (const part of form.n.split(',').map((p) => p.trim())) {
    if (part === '') continue;
    const reading = readNumber(PARAMS.n, part);
    if (reading.problem) {
      errors.n = `n: “${part}” is not a whole number from 4 to ${PARAMS.n.max}.`;
      break;
    }
    if (reading.value < 4) {
      errors.n = `n = ${reading.value} tolerates no fault (f = 0): give n of 4 or more.`;
      break;
    }
    if (!ns.includes(reading.value)) ns.push(reading.value);
  }
  if (!errors.n && ns.length === 0) errors.n = 'Give at least one n, e.g. 4, 7, 10, 13.';
  ns.sort((a, b) => a - b);
  let mValues: number[] = [];
  const m = readMValues(form.m, ns[0] ?? null);
  if (m.problem) errors.m = `m: cannot read “${form.m.trim()}”; give numbers and ranges up to the smallest n, e.g. 0, 1 or 0-2.`;
  else mValues = m.values;
  const trials = readNumber(PARAMS.trials, form.trials);
  if (trials.problem) errors.trials = `Trials must be a whole number from ${PARAMS.trials.min} to ${PARAMS.trials.max.toLocaleString('en')}.`;
  const seed = readNumber(PARAMS.seed, form.seed);
  if (seed.problem) errors.seed = 'The seed must be a whole number.';
  if (!errors.trials && !errors.n && !errors.m && !errors.modes) {
    const total = form.modes.length * ns.length * mValues.length * (trials.problem ? 0 : trials.value);
    if (total > PROTOCOL_SWEEP_MAX_TRIALS) errors.trials = `That is ${total.toLocaleString('en')} trials; the panel runs at most ${PROTOCOL_SWEEP_MAX_TRIALS.toLocaleString('en')} (the CLI runs more).`;
  }
  if (Object.keys(errors).length > 0 || trials.problem || seed.problem) return { errors, sweeps: null };
  const modes = SWEEP_PROTOCOLS.filter((p) => form.modes.includes(p));
  return { errors, sweeps: modes.flatMap((mode) => ns.map((n) => protocolSweepConfig(mode, n, mValues, trials.value, seed.value))) };
}

export function createProtocolSweepStore(options: { connect: ConnectSweepWorker; workers?: number }): ProtocolSweepStore {
  let pool: PoolRun | null = null;
  return createStore<ProtocolSweepState>()((set, get) => {
    const update = (from: PoolRun, patch: Partial<ProtocolSweepRun>) => {
      if (pool !== from) return;
      set((s) => (s.run ? { run: { ...s.run, ...patch } } : {}));
    };
    return {
      form: defaultProtocolSweepForm(),
      errors: {},
      run: null,
      actions: {
        setField(field, value) {
          set((s) => ({ form: { ...s.form, [field]: value }, errors: { ...s.errors, [field]: undefined } }));
        },
        toggleMode(mode) {
          if (!protocolOf(mode)) return;
          set((s) => ({ form: { ...s.form, modes: s.form.modes.includes(mode) ? s.form.modes.filter((m) => m !== mode) : [...s.form.modes, mode] }, errors: { ...s.errors, modes: undefined } }));
        },
        run() {
          const { errors, sweeps } = planProtocolSweep(get().form);
          set({ errors });
          if (!sweeps) return false;
          pool?.cancel();
          const current = startSweepPool(sweeps, {
            connect: options.connect,
            workers: options.workers ?? defaultWorkerCount(),
            onProgress: (_fresh, done) => update(current, { done }),
          });
          pool = current;
          set({ run: { status: 'running', sweeps, done: 0, total: current.total, results: [], error: null } });
          void current.finished.then((end) => {
            if (end.status === 'error') update(current, { status: 'error', error: end.message });
            else update(current, { status: end.status, done: end.outcomes.length, results: collectResults(sweeps, end.outcomes) });
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
      },
    };
  });
}
