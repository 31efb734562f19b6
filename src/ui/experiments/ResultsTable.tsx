import { useMemo } from 'react';
import type { SweepRow, TrialOutcome } from '../../sim/experiment';
import type { SweepOutcome } from '../../store/experimentStore';
import { articleRowsFor, type ArticleRow } from './articleReference';
import { MODE_LABEL, trialsByM, verdict, type SeriesKey } from './chartData';
import { trialHref } from './openTrial';
import { markerPath } from './SweepChart';

/** Trials listed per row; beyond that, the first failure (if it is not among them) is added. */
export const TRIALS_SHOWN = 12;

const ms = (v: number | null) => (v === null ? '—' : v.toFixed(1));

function SeriesSwatch({ kind }: { kind: SeriesKey }) {
  return (
    <svg className={`swatch series-${kind}`} width="18" height="18" viewBox="-9 -9 18 18" aria-hidden="true">
      <path className={`marker${kind === 'article' ? ' hollow' : ''}`} d={markerPath(kind, 90)} />
    </svg>
  );
}

function trialsToShow(trials: readonly TrialOutcome[]): TrialOutcome[] {
  const shown = trials.slice(0, TRIALS_SHOWN);
  const failure = trials.find((t) => !t.success || !t.agreement);
  if (failure && !shown.includes(failure)) shown.push(failure);
  return shown;
}

interface TrialLinksProps {
  result: SweepOutcome;
  row: SweepRow;
  trials: readonly TrialOutcome[];
  onReplay(text: string, config: SweepOutcome['config'], t: TrialOutcome): void;
}

/** One link per trial: the exact run opens in the visualizer in a new tab (or, for n ≠ 3f + 1, its CLI command). */
function TrialLinks({ result, row, trials, onReplay }: TrialLinksProps) {
  const shown = trialsToShow(trials);
  const label = MODE_LABEL[result.config.mode];
  return (
    <>
      <ul className="trial-list" aria-label={`Trials at m = ${row.m} (${label})`}>
        {shown.map((t) => {
          const words = verdict(t);
          const text = (
            <>
              {t.trial + 1}
              <span aria-hidden="true">{t.success ? '✓' : '✗'}</span>
              {t.fooled > 0 && <span aria-hidden="true">⚠</span>}
              {!t.agreement && <span aria-hidden="true">≠</span>}
            </>
          );
          const href = trialHref(result.config, t.m, t.trial);
          const name = `Trial ${t.trial + 1} at m = ${t.m} (${label}): ${words}`;
          return (
            <li key={t.trial} className={`${t.success ? 'ok' : 'failed'}${t.fooled > 0 ? ' fooled' : ''}`}>
              {href ? (
                <a href={href} target="_blank" rel="noopener" aria-label={`${name}. Open in the visualizer (new tab)`}>
                  {text}
                </a>
              ) : (
                <button type="button" className="trial-chip" aria-label={`${name}. Show its command line`} onClick={() => onReplay(name, result.config, t)}>
                  {text}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {trials.length > shown.length && <span className="more">of {trials.length.toLocaleString('en')}</span>}
    </>
  );
}

function ArticleCells({ r }: { r: ArticleRow }) {
  return (
    <>
      <td>
        {r.successes} / {r.trials}
      </td>
      <td>not measured</td>
      <td>{r.latencySeconds === null ? 'NA (time out)' : `~${r.latencySeconds.toFixed(2)} s real`}</td>
      <td>
        {r.agreements} / {r.trials}
      </td>
      <td>—</td>
      <td>—</td>
      <td className="trials-cell">—</td>
    </>
  );
}

interface ResultsTableProps {
  results: readonly SweepOutcome[];
  f: number;
  caption: string;
  onReplay: TrialLinksProps['onReplay'];
}

/**
 * The seed's columns (m, successes / trials, mean latency when successful, agreement) and ours (among them the trials
 * in which the client was fooled). One row per m and protocol, with the article's reported row beside ours where it
 * has one.
 */
export function ResultsTable({ results, f, caption, onReplay }: ResultsTableProps) {
  const config = results[0].config;
  const article = articleRowsFor(config.n, config.mValues);
  const byMode = useMemo(() => results.map((r) => ({ result: r, rows: new Map(r.rows.map((row) => [row.m, row])), trials: trialsByM(r.trials) })), [results]);
  const shownM = config.mValues.filter((m) => byMode.some((x) => x.rows.has(m)));
  const partial = results.some((r) => r.rows.some((row) => row.trials < r.config.trials));
  return (
    // Focusable so a keyboard can scroll it sideways on a narrow screen.
    <div className="exp-table-scroll" tabIndex={0} role="region" aria-label="Results table">
      <table className="exp-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">m</th>
            <th scope="col">Protocol</th>
            <th scope="col">Successes{partial ? ' / ran' : ''}</th>
            <th scope="col">
              Client fooled <span className="unit">trials</span>
            </th>
            <th scope="col">
              Mean latency <span className="unit">± 95 % CI; p50 / p95 (ms)</span>
            </th>
            <th scope="col">Agreement</th>
            <th scope="col">View changes / trial</th>
            <th scope="col">Messages / request</th>
            <th scope="col">Trials</th>
          </tr>
        </thead>
        <tbody>
          {shownM.map((m) => (
            <MRows key={m} m={m} f={f} byMode={byMode} article={article.find((a) => a.m === m)} onReplay={onReplay} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface MRowsProps {
  m: number;
  f: number;
  byMode: Array<{ result: SweepOutcome; rows: Map<number, SweepRow>; trials: Map<number, TrialOutcome[]> }>;
  article: ArticleRow | undefined;
  onReplay: TrialLinksProps['onReplay'];
}

function MRows({ m, f, byMode, article, onReplay }: MRowsProps) {
  const bound = m <= f ? '≤ f' : '> f';
  const mCell = (
    <th scope="row" className={m > f ? 'beyond' : undefined}>
      {m} <span className="bound">({bound})</span>
    </th>
  );
  return (
    <>
      {byMode.map(({ result, rows, trials }) => {
        const row = rows.get(m);
        if (!row) return null;
        const mode = result.config.mode;
        return (
          <tr key={mode} className={`mode-${mode}`}>
            {mCell}
            <td className="protocol">
              <SeriesSwatch kind={mode} /> {MODE_LABEL[mode]}
            </td>
            <td>
              {row.successes} / {row.trials}
              {row.trials < result.config.trials && <span className="partial"> (of {result.config.trials} planned)</span>}
            </td>
            <td className={row.fooled > 0 ? 'fooled' : undefined}>
              {row.fooled} / {row.trials}
            </td>
            <td>
              {row.meanLatencyMs === null ? 'NA (time out)' : `${ms(row.meanLatencyMs)} ± ${ms(row.ci95Ms ?? 0)}`}
              {row.p50LatencyMs !== null && (
                // A second line in the same cell keeps the table narrow enough for the trials column.
                <span className="quantiles">
                  p50 {ms(row.p50LatencyMs)} / p95 {ms(row.p95LatencyMs)}
                </span>
              )}
            </td>
            <td>
              {row.agreements} / {row.trials}
            </td>
            <td>{row.viewChangesPerTrial.toFixed(2)}</td>
            <td>{row.messagesPerCommittedRequest === null ? '—' : row.messagesPerCommittedRequest.toFixed(0)}</td>
            <td className="trials-cell">
              <TrialLinks result={result} row={row} trials={trials.get(m) ?? []} onReplay={onReplay} />
            </td>
          </tr>
        );
      })}
      {article && (
        <tr className="mode-article">
          {mCell}
          <td className="protocol">
            <SeriesSwatch kind="article" /> seed article
          </td>
          <ArticleCells r={article} />
        </tr>
      )}
    </>
  );
}
