/**
 * The Experiments panel's form: what the user typed (strings, so a half-typed value is never lost), and the one
 * function that turns it into sweep configs or says, field by field, what is wrong.
 */
import { seedExperiment, type SweepConfig } from '../sim/experiment';
import { LIMITS } from '../sim/scenario';
import { BEHAVIOURS, type BehaviourKind, type ProtocolMode } from '../sim/types';

export type ModeChoice = ProtocolMode | 'both';
export type Selection = SweepConfig['selection'];

export interface ExperimentForm {
  n: string;
  /** "0-n", "0,3,5,7", "0-3, 7": lists and ranges; `n` stands for the replica count. */
  m: string;
  trials: string;
  behaviour: BehaviourKind;
  selection: Selection;
  minDelayMs: string;
  maxDelayMs: string;
  /** Percent, as the visualizer's sliders show rates. */
  dropPercent: string;
  reorderPercent: string;
  timeoutMs: string;
  requests: string;
  seed: string;
  mode: ModeChoice;
  workers: string;
}

export type FormField = keyof ExperimentForm;
export type FormErrors = Partial<Record<FormField, string>>;

export interface ExperimentPlan {
  /** One sweep per protocol mode, seed mode first (as the CLI's --mode both), all on the same seeds. */
  sweeps: SweepConfig[];
  workers: number;
}

export const LIMITS_UI = {
  trials: { min: 1, max: 10_000 },
  /** Beyond this the CLI is the better tool (and the page's memory stays modest). */
  totalTrials: 200_000,
  requests: { min: 1, max: 1000 },
  workers: { min: 1, max: 16 },
} as const;

/** One worker per core, within reason; 1 where the browser does not say. */
export function defaultWorkerCount(cores: number | undefined = globalThis.navigator?.hardwareConcurrency): number {
  return Math.max(1, Math.min(8, Math.floor(cores ?? 1) || 1));
}

function fromConfig(c: SweepConfig, mode: ModeChoice, m: string, workers: number): ExperimentForm {
  return {
    n: String(c.n),
    m,
    trials: String(c.trials),
    behaviour: c.behaviour,
    selection: c.selection,
    minDelayMs: String(c.minDelayMs),
    maxDelayMs: String(c.maxDelayMs),
    dropPercent: String(+(c.dropRate * 100).toFixed(6)),
    reorderPercent: String(+(c.reorderRate * 100).toFixed(6)),
    timeoutMs: String(c.timeoutMs),
    requests: String(c.requests),
    seed: String(c.seed),
    mode,
    workers: String(workers),
  };
}

/** The panel's starting point: the seed article's settings, every m from 0 to n, both protocols. */
export function defaultForm(workers = defaultWorkerCount()): ExperimentForm {
  return fromConfig(seedExperiment(), 'both', '0-n', workers);
}

/** Exactly the seed article's experiment (n = 10, m = 0, 3, 5, 7, 6 trials), both protocols. */
export function articleForm(workers = defaultWorkerCount()): ExperimentForm {
  const c = seedExperiment();
  return fromConfig(c, 'both', c.mValues.join(','), workers);
}

interface NumberSpec {
  label: string;
  min: number;
  max: number;
  integer: boolean;
  unit?: string;
}

function readNumber(raw: string, spec: NumberSpec): number | string {
  const text = raw.trim();
  const range = `${spec.min}${spec.unit ?? ''} to ${spec.max.toLocaleString('en')}${spec.unit ?? ''}`;
  const kind = spec.integer ? 'a whole number' : 'a number';
  if (text === '') return `${spec.label} is empty: give ${kind} from ${range}.`;
  const value = Number(text);
  if (!Number.isFinite(value)) return `${spec.label} must be ${kind} from ${range}; “${raw}” is not.`;
  if (spec.integer && !Number.isInteger(value)) return `${spec.label} must be a whole number; ${text} is not.`;
  if (value < spec.min || value > spec.max) return `${spec.label} must be from ${range}; ${text} is out of range.`;
  return value;
}

/**
 * "0-n", "0,3,5,7", "2..4" → sorted distinct m values, or a sentence saying what is wrong. `n` may stand for
 * the replica count anywhere a number may.
 */
export function parseMValues(raw: string, n: number | null): number[] | string {
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.every((p) => p === '')) return 'Give at least one m, e.g. 0-n or 0,3,5,7.';
  const values = new Set<number>();
  const bound = (token: string): number | null => (token === 'n' ? n : /^\d+$/.test(token) ? Number(token) : null);
  for (const part of parts) {
    if (part === '') continue;
    const range = /^(\w+)\s*(?:-|–|\.\.)\s*(\w+)$/.exec(part);
    const tokens = range ? [range[1], range[2]] : [part];
    if (tokens.some((t) => !/^(\d+|n)$/.test(t))) return `m: cannot read “${part}”; use numbers and ranges, e.g. 0-n or 0,3,5,7.`;
    const [a, b] = tokens.map(bound);
    if (a === null || b === null) return 'm: “n” needs a valid n first.';
    const hi = range ? b : a;
    if (range && a > hi) return `m: the range ${part} is empty (${a} is more than ${hi}).`;
    for (let m = a; m <= hi; m++) {
      if (n !== null && m > n) return `m = ${m} is more than n = ${n}: there are only ${n} replicas to corrupt.`;
      values.add(m);
      if (values.size > LIMITS.n.max + 1) break;
    }
  }
  return [...values].sort((x, y) => x - y);
}

export function describeMValues(values: readonly number[]): string {
  if (values.length > 3 && values.every((v, i) => i === 0 || v === values[i - 1] + 1)) return `m = ${values[0]}, ${values[1]}, …, ${values.at(-1)} (${values.length} values)`;
  return `m = ${values.join(', ')} (${values.length} value${values.length === 1 ? '' : 's'})`;
}

export function modesOf(choice: ModeChoice): ProtocolMode[] {
  return choice === 'both' ? ['seed', 'pbft'] : [choice];
}

/** Every field checked; `plan` is null while any error remains. */
export function validateForm(form: ExperimentForm): { errors: FormErrors; plan: ExperimentPlan | null } {
  const errors: FormErrors = {};
  const num = (field: FormField, spec: NumberSpec): number => {
    const v = readNumber(form[field], spec);
    if (typeof v === 'string') {
      errors[field] = v;
      return NaN;
    }
    return v;
  };
  const n = num('n', { label: 'n', ...LIMITS.n, integer: true });
  const mValues = parseMValues(form.m, Number.isNaN(n) ? null : n);
  if (typeof mValues === 'string') errors.m = mValues;
  const trials = num('trials', { label: 'Trials per m', ...LIMITS_UI.trials, integer: true });
  const minDelayMs = num('minDelayMs', { label: 'Min delay', ...LIMITS.delayMs, integer: false, unit: ' ms' });
  const maxDelayMs = num('maxDelayMs', { label: 'Max delay', ...LIMITS.delayMs, integer: false, unit: ' ms' });
  if (minDelayMs > maxDelayMs) errors.minDelayMs = `Min delay (${minDelayMs} ms) must not exceed max delay (${maxDelayMs} ms).`;
  const drop = num('dropPercent', { label: 'Drop rate', min: 0, max: 100, integer: false, unit: ' %' });
  const reorder = num('reorderPercent', { label: 'Reorder rate', min: 0, max: 100, integer: false, unit: ' %' });
  const timeoutMs = num('timeoutMs', { label: 'Trial timeout', ...LIMITS.timeoutMs, integer: false, unit: ' ms' });
  const requests = num('requests', { label: 'Requests per trial', ...LIMITS_UI.requests, integer: true });
  const seed = num('seed', { label: 'Seed', min: 0, max: 2 ** 32 - 1, integer: true });
  const workers = num('workers', { label: 'Worker threads', ...LIMITS_UI.workers, integer: true });
  if (!BEHAVIOURS.includes(form.behaviour)) errors.behaviour = `Unknown behaviour “${form.behaviour}”.`;
  if (form.selection !== 'random' && form.selection !== 'primary') errors.selection = 'Choose random replicas or the primary among them.';
  if (!['seed', 'pbft', 'both'].includes(form.mode)) errors.mode = 'Choose seed, PBFT or both.';
  const modes = modesOf(form.mode);
  if (Array.isArray(mValues) && !errors.trials) {
    const total = mValues.length * trials * modes.length;
    if (total > LIMITS_UI.totalTrials) {
      errors.trials = `That is ${total.toLocaleString('en')} trials in all; the panel runs at most ${LIMITS_UI.totalTrials.toLocaleString('en')} (the CLI, npm run sim -- sweep, runs more).`;
    }
  }
  if (Object.keys(errors).length > 0 || typeof mValues === 'string') return { errors, plan: null };
  const base: Omit<SweepConfig, 'mode'> = {
    n,
    mValues,
    trials,
    behaviour: form.behaviour,
    selection: form.selection,
    minDelayMs,
    maxDelayMs,
    dropRate: drop / 100,
    reorderRate: reorder / 100,
    timeoutMs,
    requests,
    seed,
  };
  return { errors, plan: { sweeps: modes.map((mode) => ({ ...base, mode })), workers } };
}
