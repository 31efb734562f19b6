import { protocolOf } from './protocols';
import { fnv1a, createRng } from './rng';
import { defaultScenario, DEFAULT_BEHAVIOUR, toleratedFaults } from './scenario';
import { Simulation } from './simulation';
import type { Behaviour, BehaviourKind, ProtocolMode, Scenario } from './types';

/** A sweep over the number of malicious replicas m, as in the seed article's table. */
export interface SweepConfig {
  n: number;
  mValues: number[];
  trials: number;
  mode: ProtocolMode;
  behaviour: BehaviourKind;
  /** 'random': the liars are a random sample (the primary may or may not be among them); 'primary': replica 0 always lies. */
  selection: 'random' | 'primary';
  minDelayMs: number;
  maxDelayMs: number;
  dropRate: number;
  reorderRate: number;
  /** Virtual ms a trial may take. */
  timeoutMs: number;
  requests: number;
  seed: number;
}

/** The seed article's experiment: n = 10, m ∈ {0, 3, 5, 7}, 6 trials, 2 s timeout, 5–35 ms, reorder 0.05. */
export function seedExperiment(overrides: Partial<SweepConfig> = {}): SweepConfig {
  return {
    n: 10,
    mValues: [0, 3, 5, 7],
    trials: 6,
    mode: 'pbft',
    behaviour: 'seed',
    selection: 'random',
    minDelayMs: 5,
    maxDelayMs: 35,
    dropRate: 0,
    reorderRate: 0.05,
    timeoutMs: 2000,
    requests: 1,
    seed: 1,
    ...overrides,
  };
}

export interface TrialResult {
  m: number;
  trial: number;
  /** The exact scenario, so the trial can be opened in the visualizer. */
  scenario: Scenario;
  /** Every request done before the timeout (see `trialSuccess`), and the client fooled by none. */
  success: boolean;
  agreement: boolean;
  /**
   * Requests the client accepted that no honest replica executed, or with a result no honest replica computed (the
   * checker's verdict at the timeout): possible only with m > f, and never a success.
   */
  fooled: number;
  /**
   * Per completed request, virtual ms (client send → acceptance of a result honest replicas computed; in seed mode →
   * the last honest commit).
   */
  latenciesMs: number[];
  /** Views, or Tendermint's rounds over all heights, entered beyond the first: SimStats.viewChanges at the timeout. */
  viewChanges: number;
  messages: number;
  completedRequests: number;
}

/** A trial without its scenario (`trialScenario(config, m, trial)` rebuilds it): what a large sweep keeps and passes between threads. */
export type TrialOutcome = Omit<TrialResult, 'scenario'>;

export interface SweepRow {
  m: number;
  trials: number;
  successes: number;
  /** Trials in which the client accepted at least one result no honest replica computed (see TrialResult.fooled). */
  fooled: number;
  agreements: number;
  successRate: number;
  /** fooled / trials. */
  fooledRate: number;
  agreementRate: number;
  /** Over the requests of successful trials; null when none succeeded. */
  meanLatencyMs: number | null;
  ci95Ms: number | null;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  viewChangesPerTrial: number;
  messagesPerCommittedRequest: number | null;
}

export interface SweepResult {
  config: SweepConfig;
  f: number;
  rows: SweepRow[];
  trials: TrialResult[];
}

/** The scenario of one trial: its seed and its liars follow from (sweep seed, m, trial) alone. */
export function trialScenario(config: SweepConfig, m: number, trial: number): Scenario {
  const seed = fnv1a(`${config.seed}|${config.n}|${m}|${trial}`);
  const pick = createRng(seed, 'liars');
  const ids = Array.from({ length: config.n }, (_, i) => i);
  const chosen: number[] = [];
  if (config.selection === 'primary' && m > 0) chosen.push(ids.shift()!);
  while (chosen.length < Math.min(m, config.n)) chosen.push(ids.splice(pick.int(ids.length), 1)[0]);
  const behaviour: Behaviour = DEFAULT_BEHAVIOUR[config.behaviour];
  const malicious: Record<number, Behaviour> = {};
  for (const id of chosen.sort((a, b) => a - b)) malicious[id] = { ...behaviour };
  return defaultScenario({
    mode: config.mode,
    n: config.n,
    f: toleratedFaults(config.n),
    seed,
    minDelayMs: config.minDelayMs,
    maxDelayMs: config.maxDelayMs,
    dropRate: config.dropRate,
    reorderRate: config.reorderRate,
    requests: config.requests,
    malicious,
  });
}

export function runTrial(config: SweepConfig, m: number, trial: number): TrialResult {
  const scenario = trialScenario(config, m, trial);
  const sim = new Simulation(scenario, { recordTrace: false });
  sim.runToQuiescence(config.timeoutMs);
  return { m, trial, scenario, ...judgeTrial(sim, config) };
}

/** The verdict on a world run until a trial's timeout: what a sweep records of it. */
export function judgeTrial(sim: Simulation, config: Pick<SweepConfig, 'mode' | 'requests' | 'timeoutMs'>): Omit<TrialOutcome, 'm' | 'trial'> {
  const stats = sim.stats();
  const agreement = !stats.violations.some((v) => v.rule === 'agreement' || v.rule === 'total-order');
  const fooled = sim.checker.fooledCount();
  let latenciesMs: number[];
  if (protocolOf(config.mode).trialSuccess === 'all-honest-executed') {
    // The seed's own definition: every honest replica committed (each request) before the timeout.
    latenciesMs = [];
    for (const request of sim.client.issued.values()) {
      const done = sim.allHonestExecutedAt.get(request.digest);
      if (done !== undefined && done <= config.timeoutMs) latenciesMs.push(done - (sim.client.issuedAt.get(request.digest) ?? 0));
    }
  } else {
    // The client accepted a result, and it is one honest replicas computed: a fooled acceptance completes nothing.
    latenciesMs = [];
    for (const a of sim.checker.accepted()) {
      if (sim.checker.honestlyComputed(a.digest, a.result)) latenciesMs.push(a.t - (sim.client.issuedAt.get(a.digest) ?? 0));
    }
  }
  return {
    success: latenciesMs.length === config.requests && fooled === 0,
    agreement,
    fooled,
    latenciesMs,
    viewChanges: stats.viewChanges,
    messages: stats.sentTotal,
    completedRequests: latenciesMs.length,
  };
}

export function summarizeTrials(m: number, trials: readonly TrialOutcome[]): SweepRow {
  const successes = trials.filter((t) => t.success);
  const latencies = successes.flatMap((t) => t.latenciesMs).sort((a, b) => a - b);
  const completed = trials.reduce((sum, t) => sum + t.completedRequests, 0);
  const messages = trials.reduce((sum, t) => sum + t.messages, 0);
  const fooled = trials.filter((t) => t.fooled > 0).length;
  const mean = latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : null;
  return {
    m,
    trials: trials.length,
    successes: successes.length,
    fooled,
    agreements: trials.filter((t) => t.agreement).length,
    successRate: trials.length ? successes.length / trials.length : 0,
    fooledRate: trials.length ? fooled / trials.length : 0,
    agreementRate: trials.length ? trials.filter((t) => t.agreement).length / trials.length : 0,
    meanLatencyMs: mean,
    ci95Ms: mean === null ? null : confidenceHalfWidth(latencies, mean),
    p50LatencyMs: quantile(latencies, 0.5),
    p95LatencyMs: quantile(latencies, 0.95),
    viewChangesPerTrial: trials.length ? trials.reduce((s, t) => s + t.viewChanges, 0) / trials.length : 0,
    messagesPerCommittedRequest: completed ? messages / completed : null,
  };
}

/** Runs the whole sweep in this thread; `onProgress` is called after each trial (return false to cancel). */
export function runSweep(config: SweepConfig, onProgress?: (done: number, total: number) => boolean | void): SweepResult {
  validateSweep(config);
  const total = config.mValues.length * config.trials;
  const trials: TrialResult[] = [];
  let done = 0;
  for (const m of config.mValues) {
    for (let t = 0; t < config.trials; t++) {
      trials.push(runTrial(config, m, t));
      done++;
      if (onProgress && onProgress(done, total) === false) return assemble(config, trials);
    }
  }
  return assemble(config, trials);
}

export function assemble<T extends TrialOutcome = TrialResult>(config: SweepConfig, trials: T[]): Omit<SweepResult, 'trials'> & { trials: T[] } {
  const rows = config.mValues.filter((m) => trials.some((t) => t.m === m)).map((m) => summarizeTrials(m, trials.filter((t) => t.m === m)));
  return { config, f: toleratedFaults(config.n), rows, trials };
}

export function validateSweep(config: SweepConfig): void {
  if (!Number.isInteger(config.n) || config.n < 1 || config.n > 100) throw new RangeError(`n must be 1..100, got ${config.n}`);
  for (const m of config.mValues) if (!Number.isInteger(m) || m < 0 || m > config.n) throw new RangeError(`m must be 0..n (${config.n}), got ${m}`);
  if (!Number.isInteger(config.trials) || config.trials < 1 || config.trials > 100_000) throw new RangeError(`trials must be 1..100000, got ${config.trials}`);
  if (!(config.timeoutMs > 0)) throw new RangeError('the trial timeout must be positive');
  if (!Number.isInteger(config.requests) || config.requests < 1) throw new RangeError('each trial needs at least one request');
}

/** Linear-interpolated quantile of sorted values. */
export function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Student's t quantile t(0.975, df) for the 95 % confidence interval of a mean. */
const T975 = [NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export function tQuantile975(df: number): number {
  if (df < 1) return NaN;
  if (df < T975.length) return T975[df];
  if (df <= 60) return 2.042 - ((df - 30) * (2.042 - 2.0)) / 30;
  if (df <= 120) return 2.0 - ((df - 60) * (2.0 - 1.98)) / 60;
  return 1.96;
}

/** Half-width of the 95 % confidence interval of the mean (0 with a single sample: no spread is known). */
export function confidenceHalfWidth(values: number[], mean: number): number {
  if (values.length < 2) return 0;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
  return tQuantile975(values.length - 1) * Math.sqrt(variance / values.length);
}

// ───────────────────────────── exports ─────────────────────────────

export const CSV_COLUMNS = [
  'm',
  'trials',
  'successes',
  'fooled',
  'success_rate',
  'fooled_rate',
  'agreement_rate',
  'mean_latency_ms',
  'ci95_ms',
  'p50_latency_ms',
  'p95_latency_ms',
  'view_changes_per_trial',
  'messages_per_committed_request',
] as const;

/** One row's cells in CSV_COLUMNS order, a missing value blank: the one rule for a sweep row in CSV. */
function csvCells(r: SweepRow): string {
  const cell = (v: number | null) => (v === null ? '' : String(v));
  return [r.m, r.trials, r.successes, r.fooled, r.successRate, r.fooledRate, r.agreementRate, r.meanLatencyMs, r.ci95Ms, r.p50LatencyMs, r.p95LatencyMs, r.viewChangesPerTrial, r.messagesPerCommittedRequest]
    .map(cell)
    .join(',');
}

export function toCsv(rows: SweepRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) lines.push(csvCells(r));
  return lines.join('\n') + '\n';
}

/**
 * Several sweeps in one CSV — the protocol × n × m experiment's file: the protocol and n before the columns of
 * `toCsv`, a line per (protocol, n, m) point, in the sweeps' order.
 */
export function toProtocolCsv(results: ReadonlyArray<Pick<SweepResult, 'config' | 'rows'>>): string {
  const lines = [['protocol', 'n', ...CSV_COLUMNS].join(',')];
  for (const { config, rows } of results) for (const r of rows) lines.push(`${config.mode},${config.n},${csvCells(r)}`);
  return lines.join('\n') + '\n';
}

export function fromCsv(text: string): SweepRow[] {
  const [header, ...lines] = text.trim().split(/\r?\n/);
  if (header !== CSV_COLUMNS.join(',')) throw new Error('not a PBFT Lab sweep CSV (unexpected header)');
  return lines.map((line) => {
    const v = line.split(',').map((c) => (c === '' ? null : Number(c)));
    return {
      m: v[0]!,
      trials: v[1]!,
      successes: v[2]!,
      fooled: v[3]!,
      successRate: v[4]!,
      fooledRate: v[5]!,
      agreementRate: v[6]!,
      agreements: Math.round(v[6]! * v[1]!),
      meanLatencyMs: v[7],
      ci95Ms: v[8],
      p50LatencyMs: v[9],
      p95LatencyMs: v[10],
      viewChangesPerTrial: v[11]!,
      messagesPerCommittedRequest: v[12],
    };
  });
}

/** Markdown in the seed's columns plus ours. */
export function toMarkdown(result: SweepResult): string {
  const ms = (v: number | null) => (v === null ? 'NA (time out)' : `${v.toFixed(1)}`);
  const lines = [
    `n = ${result.config.n}, f = ${result.f}, mode = ${result.config.mode}, ${result.config.trials} trials per m, timeout ${result.config.timeoutMs} ms (virtual), seed ${result.config.seed}`,
    '',
    '| m | successes | client fooled | mean latency (ms, ±95 % CI) | agreement | p50 / p95 (ms) | view changes / trial | messages / committed request |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of result.rows) {
    const mean = r.meanLatencyMs === null ? 'NA (time out)' : `${ms(r.meanLatencyMs)} ± ${(r.ci95Ms ?? 0).toFixed(1)}`;
    const pct = r.p50LatencyMs === null ? '—' : `${ms(r.p50LatencyMs)} / ${ms(r.p95LatencyMs)}`;
    const bound = r.m <= result.f ? ' (≤ f)' : ' (> f)';
    lines.push(
      `| ${r.m}${bound} | ${r.successes} / ${r.trials} | ${r.fooled} / ${r.trials} | ${mean} | ${r.agreements} / ${r.trials} | ${pct} | ${r.viewChangesPerTrial.toFixed(2)} | ${r.messagesPerCommittedRequest === null ? '—' : r.messagesPerCommittedRequest.toFixed(0)} |`,
    );
  }
  return lines.join('\n');
}
