/**
 * The Experiments panel's form: what the user typed (strings, so a half-typed value is never lost), and the one
 * function that turns it into sweep configs or says, field by field, what is wrong.
 */
import { seedExperiment, type SweepConfig } from '../sim/experiment';
import { PARAMS, problemOf, readMValues, readNumber, shownRange, sweepModes, toShown, WORKERS_BY_DEFAULT, type NumberParam, type Problem } from '../sim/params';
import type { BehaviourKind, ProtocolMode } from '../sim/types';

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

/** Trials in one experiment, over all m and modes: beyond this the CLI is the better tool (and the page's memory stays modest). */
export const PANEL_MAX_TRIALS = 200_000;

/** One worker per core, within reason; 1 where the browser does not say. */
export function defaultWorkerCount(cores: number | undefined = globalThis.navigator?.hardwareConcurrency): number {
  return Math.max(1, Math.min(WORKERS_BY_DEFAULT, Math.floor(cores ?? 1) || 1));
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
    dropPercent: String(toShown(PARAMS.dropRate, c.dropRate)),
    reorderPercent: String(toShown(PARAMS.reorderRate, c.reorderRate)),
    timeoutMs: String(c.timeoutMs),
    requests: String(c.requests),
    seed: String(c.seed),
    mode,
    workers: String(workers),
  };
}

/** The panel's starting point: the seed article's settings, every m from 0 to n, both protocols. */
export function defaultForm(workers = defaultWorkerCount()): ExperimentForm {
  return fromConfig(seedExperiment(), PARAMS.sweepMode.formDefault as ModeChoice, PARAMS.mValues.formDefault!, workers);
}

/** Exactly the seed article's experiment (n = 10, m = 0, 3, 5, 7, 6 trials), both protocols. */
export function articleForm(workers = defaultWorkerCount()): ExperimentForm {
  const c = seedExperiment();
  return fromConfig(c, 'both', c.mValues.join(','), workers);
}

/** A box's text → its value in the table's stored units (a percent box gives a fraction), or what to fix. */
export function readBox(param: NumberParam, raw: string): number | string {
  const reading = readNumber(param, raw, true);
  return reading.problem ? boxMessage(param, raw, reading.problem) : reading.value;
}

function boxMessage(param: NumberParam, raw: string, problem: Problem): string {
  const text = raw.trim();
  const { min, max } = shownRange(param);
  const unit = param.unit ? ` ${param.unit}` : '';
  const range = `${min}${unit} to ${max.toLocaleString('en')}${unit}`;
  const kind = param.integer ? 'a whole number' : 'a number';
  if (problem === 'empty') return `${param.label} is empty: give ${kind} from ${range}.`;
  if (problem === 'integer') return `${param.label} must be a whole number; ${text} is not.`;
  if (problem === 'range') return `${param.label} must be from ${range}; ${text} is out of range.`;
  return `${param.label} must be ${kind} from ${range}; “${raw}” is not.`;
}

/**
 * "0-n", "0,3,5,7", "2..4" → sorted distinct m values, or a sentence saying what is wrong. `n` may stand for
 * the replica count anywhere a number may.
 */
export function parseMValues(raw: string, n: number | null): number[] | string {
  const reading = readMValues(raw, n);
  switch (reading.problem) {
    case undefined:
      return reading.values;
    case 'none':
      return 'Give at least one m, e.g. 0-n or 0,3,5,7.';
    case 'syntax':
      return `m: cannot read “${reading.part}”; use numbers and ranges, e.g. 0-n or 0,3,5,7.`;
    case 'needs-n':
      return 'm: “n” needs a valid n first.';
    case 'empty-range':
      return `m: the range ${reading.part} is empty (${reading.from} is more than ${reading.to}).`;
    case 'above-n':
      return `m = ${reading.m} is more than n = ${reading.n}: there are only ${reading.n} replicas to corrupt.`;
  }
}

export function describeMValues(values: readonly number[]): string {
  if (values.length > 3 && values.every((v, i) => i === 0 || v === values[i - 1] + 1)) return `m = ${values[0]}, ${values[1]}, …, ${values.at(-1)} (${values.length} values)`;
  return `m = ${values.join(', ')} (${values.length} value${values.length === 1 ? '' : 's'})`;
}

/** Every field checked; `plan` is null while any error remains. */
export function validateForm(form: ExperimentForm): { errors: FormErrors; plan: ExperimentPlan | null } {
  const errors: FormErrors = {};
  const num = (param: NumberParam & { form: FormField }): number => {
    const v = readBox(param, form[param.form]);
    if (typeof v === 'string') {
      errors[param.form] = v;
      return NaN;
    }
    return v;
  };
  const n = num(PARAMS.n);
  const mValues = parseMValues(form.m, Number.isNaN(n) ? null : n);
  if (typeof mValues === 'string') errors.m = mValues;
  const trials = num(PARAMS.trials);
  const minDelayMs = num(PARAMS.minDelayMs);
  const maxDelayMs = num(PARAMS.maxDelayMs);
  if (minDelayMs > maxDelayMs) errors.minDelayMs = `Min delay (${minDelayMs} ms) must not exceed max delay (${maxDelayMs} ms).`;
  const dropRate = num(PARAMS.dropRate);
  const reorderRate = num(PARAMS.reorderRate);
  const timeoutMs = num(PARAMS.timeoutMs);
  const requests = num(PARAMS.trialRequests);
  const seed = num(PARAMS.seed);
  const workers = num(PARAMS.workers);
  if (problemOf(PARAMS.behaviour, form.behaviour)) errors.behaviour = `Unknown behaviour “${form.behaviour}”.`;
  if (problemOf(PARAMS.selection, form.selection)) errors.selection = 'Choose random replicas or the primary among them.';
  if (problemOf(PARAMS.sweepMode, form.mode)) errors.mode = 'Choose seed, PBFT or both.';
  const modes = sweepModes(form.mode);
  if (Array.isArray(mValues) && !errors.trials) {
    const total = mValues.length * trials * modes.length;
    if (total > PANEL_MAX_TRIALS) {
      errors.trials = `That is ${total.toLocaleString('en')} trials in all; the panel runs at most ${PANEL_MAX_TRIALS.toLocaleString('en')} (the CLI, npm run sim -- sweep, runs more).`;
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
    dropRate,
    reorderRate,
    timeoutMs,
    requests,
    seed,
  };
  return { errors, plan: { sweeps: modes.map((mode) => ({ ...base, mode })), workers } };
}
