/**
 * From sweep results to what the charts draw: one series per protocol mode (and the article's numbers beside them),
 * one point per m, each with the words a screen reader says and the trial a click opens. The success chart also has,
 * per mode, the share of trials in which the client was fooled (it accepted a result no honest replica computed).
 */
import type { SweepConfig, SweepRow, TrialOutcome } from '../../sim/experiment';
import type { ProtocolMode } from '../../sim/types';
import type { SweepOutcome } from '../../store/experimentStore';
import { ARTICLE_LABEL, articleRowsFor } from './articleReference';
import { trialHref } from './openTrial';

export type FooledKey = `${ProtocolMode}-fooled`;
export type SeriesKey = ProtocolMode | 'article' | FooledKey;
export type Metric = 'success' | 'fooled' | 'agreement' | 'latency';

export function fooledKey(mode: ProtocolMode): FooledKey {
  return `${mode}-fooled`;
}

export interface ChartPoint {
  m: number;
  /** Null: nothing to plot (no successful trial for a latency). */
  y: number | null;
  /** 95 % confidence interval of a mean. */
  low?: number;
  high?: number;
  /** The accessible name, e.g. "m = 3: 6 of 6 succeeded (PBFT)". */
  name: string;
  /** What activating it does, e.g. "Opens trial 4 (failed) in the visualizer, in a new tab." */
  description?: string;
  href?: string | null;
}

export interface ChartSeries {
  key: SeriesKey;
  label: string;
  points: ChartPoint[];
}

export const MODE_LABEL: Record<SeriesKey, string> = {
  pbft: 'PBFT',
  seed: 'seed mode',
  article: ARTICLE_LABEL,
  'pbft-fooled': 'PBFT, client fooled',
  'seed-fooled': 'seed mode, client fooled',
  hotstuff: 'HotStuff',
  tendermint: 'Tendermint',
  'hotstuff-fooled': 'HotStuff, client fooled',
  'tendermint-fooled': 'Tendermint, client fooled',
  'chained-hotstuff': 'Chained HotStuff',
  'chained-hotstuff-fooled': 'Chained HotStuff, client fooled',
};

/** Long names for legends and headings. */
export const SERIES_TITLE: Record<SeriesKey, string> = {
  pbft: 'PBFT (full protocol, view change)',
  seed: 'Seed mode (the article’s protocol, no view change)',
  article: 'Seed article, as reported (real time)',
  'pbft-fooled': 'PBFT: client fooled',
  'seed-fooled': 'Seed mode: client fooled',
  hotstuff: 'HotStuff (basic, Algorithm 2)',
  tendermint: 'Tendermint (Algorithm 1)',
  'hotstuff-fooled': 'HotStuff: client fooled',
  'tendermint-fooled': 'Tendermint: client fooled',
  'chained-hotstuff': 'Chained HotStuff (Algorithm 3)',
  'chained-hotstuff-fooled': 'Chained HotStuff: client fooled',
};

/** A sweep's trials grouped by m, each group in trial order. */
export function trialsByM(trials: readonly TrialOutcome[]): Map<number, TrialOutcome[]> {
  const byM = new Map<number, TrialOutcome[]>();
  for (const t of trials) {
    const list = byM.get(t.m);
    if (list) list.push(t);
    else byM.set(t.m, [t]);
  }
  return byM;
}

/** A trial's verdict in words: "failed, client fooled", "succeeded", "failed, agreement broken". */
export function verdict(t: TrialOutcome): string {
  return `${t.success ? 'succeeded' : 'failed'}${t.fooled > 0 ? ', client fooled' : ''}${t.agreement ? '' : ', agreement broken'}`;
}

const WANTED: Record<Metric, (t: TrialOutcome) => boolean> = {
  success: (t) => !t.success,
  fooled: (t) => t.fooled > 0,
  agreement: (t) => !t.agreement,
  latency: (t) => t.success,
};

/**
 * The trial a point opens: the first one that shows what the point is about: a failure on the success chart
 * (where there is one), a fooled client on its fooled series, a broken agreement on the agreement chart, a success
 * on the latency chart.
 */
export function representativeTrial(trials: readonly TrialOutcome[], metric: Metric): TrialOutcome | undefined {
  return trials.find(WANTED[metric]) ?? trials[0];
}

function valueOf(row: SweepRow, metric: Metric): Pick<ChartPoint, 'y' | 'low' | 'high'> {
  if (metric === 'success') return { y: row.successRate };
  if (metric === 'fooled') return { y: row.fooledRate };
  if (metric === 'agreement') return { y: row.agreementRate };
  if (row.meanLatencyMs === null) return { y: null };
  const ci = row.ci95Ms ?? 0;
  return { y: row.meanLatencyMs, low: row.meanLatencyMs - ci, high: row.meanLatencyMs + ci };
}

export function pointName(row: SweepRow, metric: Metric, label: string): string {
  const of = (k: number) => `${k} of ${row.trials}`;
  if (metric === 'success') return `m = ${row.m}: ${of(row.successes)} succeeded (${label})`;
  if (metric === 'fooled') return `m = ${row.m}: client fooled in ${of(row.fooled)} (${label})`;
  if (metric === 'agreement') return `m = ${row.m}: agreement in ${of(row.agreements)} (${label})`;
  if (row.meanLatencyMs === null) return `m = ${row.m}: no trial succeeded, no latency (${label})`;
  return `m = ${row.m}: mean latency ${row.meanLatencyMs.toFixed(1)} ms ± ${(row.ci95Ms ?? 0).toFixed(1)} virtual (${label})`;
}

function seriesFor(result: SweepOutcome, metric: Metric): ChartSeries {
  const config: SweepConfig = result.config;
  const key = metric === 'fooled' ? fooledKey(config.mode) : config.mode;
  const label = MODE_LABEL[config.mode];
  const byM = trialsByM(result.trials);
  return {
    key,
    label: MODE_LABEL[key],
    points: result.rows.map((row) => {
      const trial = representativeTrial(byM.get(row.m) ?? [], metric);
      const href = trial ? trialHref(config, trial.m, trial.trial) : null;
      return {
        m: row.m,
        ...valueOf(row, metric),
        name: pointName(row, metric, label),
        href,
        description: trial && href ? `Opens trial ${trial.trial + 1} (${verdict(trial)}) in the visualizer, in a new tab.` : undefined,
      };
    }),
  };
}

function articleSeries(n: number, mValues: readonly number[], metric: Metric): ChartSeries[] {
  const rows = articleRowsFor(n, mValues);
  if (rows.length === 0) return [];
  const label = MODE_LABEL.article;
  const points = rows.map((r): ChartPoint => {
    if (metric === 'success') return { m: r.m, y: r.successes / r.trials, name: `m = ${r.m}: ${r.successes} of ${r.trials} succeeded (${label})` };
    if (metric === 'agreement') return { m: r.m, y: r.agreements / r.trials, name: `m = ${r.m}: agreement in ${r.agreements} of ${r.trials} (${label})` };
    return r.latencySeconds === null
      ? { m: r.m, y: null, name: `m = ${r.m}: timed out, no latency (${label})` }
      : { m: r.m, y: r.latencySeconds * 1000, name: `m = ${r.m}: about ${r.latencySeconds} s of real time (${label})` };
  });
  return [{ key: 'article', label, points }];
}

/**
 * The series of one chart: seed mode, PBFT, then the article (when the experiment is its n). The success chart adds
 * the fooled share of each mode after them (the article did not measure it).
 */
export function chartSeries(results: readonly SweepOutcome[], metric: Metric): ChartSeries[] {
  if (results.length === 0) return [];
  const { n, mValues } = results[0].config;
  const fooled = metric === 'success' ? results.map((r) => seriesFor(r, 'fooled')) : [];
  return [...results.map((r) => seriesFor(r, metric)), ...fooled, ...(metric === 'fooled' ? [] : articleSeries(n, mValues, metric))];
}
