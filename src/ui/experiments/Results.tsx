import { format } from 'd3';
import { useMemo, useState } from 'react';
import { quorumSize } from '../../sim/scenario';
import { useExperiment } from '../../store/experimentContext';
import type { SweepOutcome } from '../../store/experimentStore';
import { ARTICLE_N, articleRowsFor } from './articleReference';
import { chartSeries, MODE_LABEL, SERIES_TITLE, type SeriesKey } from './chartData';
import { csvExport, download, jsonExport } from './exports';
import { trialCommand, visualizerCanShow } from './openTrial';
import { ResultsTable } from './ResultsTable';
import { markerPath, SERIES_STYLE, SweepChart } from './SweepChart';

const pct = format('.0%');

function Legend({ keys }: { keys: SeriesKey[] }) {
  return (
    <ul className="exp-legend" aria-label="Chart legend">
      {keys.map((k) => (
        <li key={k} className={`series-${k}`}>
          <svg width="46" height="20" viewBox="-23 -10 46 20" aria-hidden="true">
            <line className="series-line" x1="-21" x2="21" strokeDasharray={SERIES_STYLE[k].dash} />
            <path className={`marker${SERIES_STYLE[k].hollow ? ' hollow' : ''}`} d={markerPath(k, 100)} />
          </svg>
          {SERIES_TITLE[k]}
        </li>
      ))}
      <li className="legend-f">
        <svg width="46" height="20" viewBox="-23 -10 46 20" aria-hidden="true">
          <line x1="0" x2="0" y1="-9" y2="9" />
        </svg>
        m = f: the most liars PBFT tolerates (shaded: beyond)
      </li>
    </ul>
  );
}

function summary(results: readonly SweepOutcome[], f: number): string {
  const c = results[0].config;
  const modes = results.map((r) => MODE_LABEL[r.config.mode]).join(' and ');
  return `n = ${c.n}, f = ${f}, quorum ${quorumSize(c.n, f)} · ${modes} · ${c.trials} trial${c.trials === 1 ? '' : 's'} per m, ${c.requests} request${c.requests === 1 ? '' : 's'} each · ${c.behaviour} liars${c.selection === 'primary' ? ' (always the primary)' : ''} · delay ${c.minDelayMs}–${c.maxDelayMs} ms, drop ${pct(c.dropRate)}, reorder ${pct(c.reorderRate)} · timeout ${c.timeoutMs} ms virtual · seed ${c.seed}`;
}

/** The charts, the table, the exports and the notices that explain them. */
export function Results() {
  // Not the whole run: its progress count changes many times a second, the results only a few times.
  const status = useExperiment((s) => s.run?.status);
  const results = useExperiment((s) => (s.run?.status === 'error' ? undefined : s.run?.results));
  const [replay, setReplay] = useState<{ name: string; command: string } | null>(null);
  const charts = useMemo(() => {
    if (!results || results.length === 0) return null;
    const latencies = results.flatMap((r) => r.rows.flatMap((row) => (row.meanLatencyMs === null ? [] : [row.meanLatencyMs + (row.ci95Ms ?? 0)])));
    const articleMs = articleRowsFor(results[0].config.n, results[0].config.mValues).flatMap((a) => (a.latencySeconds === null ? [] : [a.latencySeconds * 1000]));
    return {
      success: chartSeries(results, 'success'),
      agreement: chartSeries(results, 'agreement'),
      latency: chartSeries(results, 'latency'),
      latencyMax: Math.max(10, ...latencies, ...articleMs),
    };
  }, [results]);

  if (!status || !results || !charts || results[0].rows.length === 0) return null;
  const { config } = results[0];
  const f = results[0].f;
  const partial = status !== 'done';
  const keys = charts.success.map((s) => s.key);
  return (
    <section className="exp-results" aria-labelledby="exp-results-heading">
      <h2 id="exp-results-heading">Results{status === 'running' ? ' so far' : status === 'cancelled' ? ' (cancelled: partial)' : ''}</h2>
      <p className="exp-summary">{summary(results, f)}</p>
      {!visualizerCanShow(config.n) && (
        <p className="exp-notice" role="note">
          The visualizer draws n = 3f + 1 replicas only (4, 7, 10, …), so trials with n = {config.n} cannot be opened there: a trial’s
          button shows the command that replays it exactly instead.
        </p>
      )}
      {config.n === ARTICLE_N && (
        <p className="exp-notice" role="note">
          Beside ours: the seed article’s own table (n = 10, 6 trials per m). Its latencies are <strong>real seconds</strong> of an
          asyncio program; ours are <strong>virtual milliseconds</strong> of the simulation.
        </p>
      )}
      <Legend keys={keys} />
      <div className="exp-charts">
        <SweepChart title="Success rate against m" mValues={config.mValues} f={f} series={charts.success} yDomain={[0, 1]} yLabel="share of trials" formatY={pct} focusable />
        <SweepChart title="Agreement rate against m" mValues={config.mValues} f={f} series={charts.agreement} yDomain={[0, 1]} yLabel="trials with agreement" formatY={pct} focusable={false} />
        <SweepChart
          title="Mean latency of successful trials (95 % CI)"
          mValues={config.mValues}
          f={f}
          series={charts.latency}
          yDomain={[0, charts.latencyMax]}
          yLabel="latency (ms)"
          formatY={format(',')}
          focusable={false}
        />
        <div className="exp-chart-note">
          <p>
            <strong>Click a point</strong> (or a trial in the table) to watch that exact run in the visualizer, in a new tab. A point opens a
            trial that shows what it is about: a failure on the success chart where there is one, a broken agreement on the agreement chart, a
            success on the latency chart.
          </p>
          <p>
            Success rate: the triangles are the trials in which the client was <strong>fooled</strong> — it accepted a result no honest replica
            computed (more than f liars answered alike). Those trials never count as successes.
          </p>
          <p>Latency: virtual ms over the successful trials; the bars are 95 % confidence intervals; ✕ on the axis: no trial succeeded.</p>
          <p>The visualizer keeps going past the trial’s {config.timeoutMs} ms timeout.</p>
        </div>
      </div>
      {replay && (
        <div className="exp-replay" role="region" aria-label="Replay from the command line">
          <p>
            {replay.name}. Replay it exactly with:
          </p>
          <code>{replay.command}</code>
          <button type="button" onClick={() => setReplay(null)}>
            Close
          </button>
        </div>
      )}
      <ResultsTable
        results={results}
        f={f}
        caption={`Per m and protocol${partial ? ', counting only the trials that ran' : ''}. Latencies in virtual ms, over successful trials. Trials: ✓ succeeded, ✗ failed, ⚠ client fooled, ≠ agreement broken; click one to open it.`}
        onReplay={(name, c, t) => setReplay({ name, command: trialCommand(c, t.m, t.trial) })}
      />
      <div className="exp-exports" role="group" aria-label="Export">
        {results.map((r) => (
          <button key={r.config.mode} type="button" disabled={status === 'running'} onClick={() => download(csvExport(r, partial))}>
            Download CSV ({MODE_LABEL[r.config.mode]})
          </button>
        ))}
        <button type="button" disabled={status === 'running'} onClick={() => download(jsonExport(results, partial))}>
          Download JSON (everything)
        </button>
      </div>
    </section>
  );
}
