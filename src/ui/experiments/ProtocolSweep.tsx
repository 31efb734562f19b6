import { format, line, scaleLinear, scaleLog, type ScaleContinuousNumeric } from 'd3';
import { useId, useMemo, useState } from 'react';
import { protocolOf } from '../../sim/protocols';
import type { ProtocolMode } from '../../sim/types';
import { useProtocolSweep } from '../../store/protocolSweepContext';
import { SWEEP_PROTOCOLS, type ProtocolSweepField, type SweepOutcome } from '../../store/protocolSweepStore';
import { describedBy, FormField } from './ExperimentForm';
import { download, protocolCsvExport } from './exports';
import { latencyByM, leaderCosts, logLogSlope, messagesByN, type ProtocolSeries } from './protocolChartData';
import { ChartAxes, markerPath, SERIES_STYLE } from './SweepChart';

const W = 480;
const H = 300;
const MARGIN = { top: 24, right: 70, bottom: 58, left: 76 };
const nameOf = (m: ProtocolMode) => protocolOf(m).name;

function Box({ field, label, hint }: { field: ProtocolSweepField; label: string; hint?: string }) {
  const id = useId();
  const value = useProtocolSweep((s) => s.form[field]) ?? '';
  const error = useProtocolSweep((s) => s.errors[field]);
  const setField = useProtocolSweep((s) => s.actions.setField);
  return (
    <FormField id={id} label={label} hint={hint} error={error}>
      <input id={id} type="text" spellCheck={false} autoComplete="off" value={value} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, error, hint)} onChange={(e) => setField?.(field, e.currentTarget.value)} />
    </FormField>
  );
}

function Form() {
  const modes = useProtocolSweep((s) => s.form.modes) ?? [];
  const modesError = useProtocolSweep((s) => s.errors.modes);
  const status = useProtocolSweep((s) => s.run?.status);
  const done = useProtocolSweep((s) => s.run?.done) ?? 0;
  const total = useProtocolSweep((s) => s.run?.total) ?? 0;
  const error = useProtocolSweep((s) => s.run?.error);
  const actions = useProtocolSweep((s) => s.actions);
  return (
    <form
      className="exp-form protocol-sweep-form"
      onSubmit={(e) => {
        e.preventDefault();
        actions?.run();
      }}
    >
      <fieldset>
        <legend>Protocols</legend>
        {SWEEP_PROTOCOLS.map((m) => (
          <label key={m} className="exp-radio">
            <input type="checkbox" checked={modes.includes(m)} onChange={() => actions?.toggleMode(m)} />
            {nameOf(m)}
          </label>
        ))}
        {modesError && (
          <p className="field-error" role="alert">
            {modesError}
          </p>
        )}
      </fieldset>
      <Box field="n" label="n values" hint="Replica counts, e.g. 4, 7, 10, 13 (n = 3f + 1 keeps every quorum tight)." />
      <Box field="m" label="m values" hint="Silent liars: replica 0, then others at random. Keep 0 and 1 to see what a faulty leader costs." />
      <Box field="trials" label="Trials" hint="Per protocol, n and m; each trial makes n requests, one at a time." />
      <Box field="seed" label="Sweep seed" />
      <div className="protocol-sweep-run">
        <button type="submit" className="primary-action" disabled={status === 'running'}>
          Run protocol sweep
        </button>
        {status === 'running' && (
          <button type="button" onClick={() => actions?.cancel()}>
            Cancel
          </button>
        )}
        {status && (
          <progress max={Math.max(1, total)} value={done} aria-label="Protocol sweep progress">
            {done} of {total}
          </progress>
        )}
        {status && (
          <span className="exp-hint" role="status">
            {status === 'running' ? `${done} of ${total} trials` : status === 'done' ? `Done: ${total} trials` : status === 'cancelled' ? 'Cancelled' : ''}
          </span>
        )}
      </div>
      {error && (
        <p className="exp-error" role="alert">
          The sweep stopped: {error}
        </p>
      )}
    </form>
  );
}

/** One chart of protocol series: React draws it, D3 gives the scales and the line. */
function ProtocolChart({
  title,
  series,
  x,
  y,
  xLabel,
  yLabel,
  guides = [],
  label,
  xTicks = x.ticks(6).filter((t) => Number.isInteger(t)),
  yTicks = y.ticks(5),
}: {
  title: string;
  series: ProtocolSeries[];
  x: ScaleContinuousNumeric<number, number>;
  y: ScaleContinuousNumeric<number, number>;
  xLabel: string;
  yLabel: string;
  guides?: Array<{ label: string; d: string }>;
  label(s: ProtocolSeries): string;
  xTicks?: number[];
  yTicks?: number[];
}) {
  const titleId = useId();
  const fmt = format('~s');
  // Each series is named at its last point; names closer than a line apart are pushed apart.
  const ends = new Map<ProtocolMode, number>();
  const byHeight = series.flatMap((s) => (s.points.length ? [{ mode: s.mode, at: y(s.points.at(-1)!.y) }] : [])).sort((a, b) => a.at - b.at);
  byHeight.forEach((e, i) => ends.set(e.mode, i > 0 ? Math.max(e.at, ends.get(byHeight[i - 1].mode)! + 16) : e.at));
  return (
    <figure className="sweep-chart">
      <figcaption id={titleId}>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="group" aria-labelledby={titleId}>
        <ChartAxes width={W} height={H} margin={MARGIN} x={x} y={y} xTicks={xTicks} yTicks={yTicks} formatY={fmt} xLabel={xLabel} yLabel={yLabel} />
        {guides.map((g) => (
          <g key={g.label} className="guide" aria-hidden="true">
            <path d={g.d} />
          </g>
        ))}
        {series.map((s) => {
          const path = line<{ x: number; y: number }>()
            .x((p) => x(p.x))
            .y((p) => y(p.y))(s.points);
          const last = s.points.at(-1);
          return (
            <g key={s.mode} className={`series series-${s.mode}`} role="img" aria-label={label(s)}>
              {path && <path className="series-line" d={path} strokeDasharray={SERIES_STYLE[s.mode].dash} />}
              {s.points.map((p) => (
                <path key={p.x} className="marker" d={markerPath(s.mode)} transform={`translate(${x(p.x)},${y(p.y)})`} />
              ))}
              {last && (
                <text className="series-end" x={x(last.x) + 8} y={ends.get(s.mode)} dy="0.35em">
                  {nameOf(s.mode)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

const words = (slope: number | null) => (slope === null ? '' : slope > 1.6 ? ' — bends as n²' : slope < 1.4 ? ' — grows as n' : '');

/** Messages per decision against n on log–log axes: a straight line of slope 1 is linear, of slope 2 quadratic. */
function MessagesChart({ results }: { results: SweepOutcome[] }) {
  const series = useMemo(() => messagesByN(results).filter((s) => s.points.length > 0), [results]);
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return <p className="exp-hint">No decision with m = 0 yet: messages per decision need m = 0 in the m values.</p>;
  const [nLo, nHi] = [Math.min(...all.map((p) => p.x)), Math.max(...all.map((p) => p.x))];
  const [mLo, mHi] = [Math.min(...all.map((p) => p.y)), Math.max(...all.map((p) => p.y))];
  const x = scaleLog()
    .domain([nLo * 0.85, nHi * 1.15])
    .range([MARGIN.left, W - MARGIN.right]);
  const y = scaleLog()
    .domain([mLo * 0.7, mHi * 1.4])
    .range([H - MARGIN.bottom, MARGIN.top]);
  // Guides through the smallest point: what n and n² growth would look like from there.
  const guide = (power: number) => `M${x(nLo)},${y(mLo)}L${x(nHi)},${y(Math.min(mHi * 1.4, mLo * (nHi / nLo) ** power))}`;
  const slopes = new Map(series.map((s) => [s.mode, logLogSlope(s.points)]));
  return (
    <div>
      <ProtocolChart
        title="Messages per decision against n (log–log; no liar)"
        series={series}
        x={x}
        y={y}
        xLabel="n (replicas, log scale)"
        yLabel="messages per decision (log)"
        guides={[
          { label: 'n', d: guide(1) },
          { label: 'n²', d: guide(2) },
        ]}
        label={(s) => `${nameOf(s.mode)}: ${s.points.map((p) => `n = ${p.x}: ${Math.round(p.y)} messages per decision`).join('; ')}; slope ${slopes.get(s.mode)?.toFixed(2) ?? '—'}`}
        xTicks={[...new Set(all.map((p) => p.x))]}
        // 1, 2 and 5 of each decade: a log axis with every tick labelled is unreadable.
        yTicks={y.ticks(10).filter((t) => [1, 2, 5].includes(Number(t.toPrecision(1)[0])))}
      />
      <ul className="slopes" aria-label="Slopes on log–log axes">
        {series.map((s) => (
          <li key={s.mode} className={`series-${s.mode}`}>
            <strong>{nameOf(s.mode)}</strong>: slope {slopes.get(s.mode)?.toFixed(2) ?? '—'}
            {words(slopes.get(s.mode) ?? null)}
          </li>
        ))}
        <li className="guide-note">Dotted guides from the smallest point: growth as n and as n².</li>
      </ul>
    </div>
  );
}

function LatencyChart({ results }: { results: SweepOutcome[] }) {
  const ns = [...new Set(results.map((r) => r.config.n))].sort((a, b) => a - b);
  const [chosen, setChosen] = useState<number | null>(null);
  const n = chosen !== null && ns.includes(chosen) ? chosen : ns.at(-1)!;
  const id = useId();
  const series = latencyByM(results, n).filter((s) => s.points.length > 0);
  const all = series.flatMap((s) => s.points);
  const ms = [...new Set(results.flatMap((r) => r.config.mValues))];
  const x = scaleLinear()
    .domain([Math.min(...ms) - 0.3, Math.max(...ms) + 0.3])
    .range([MARGIN.left, W - MARGIN.right]);
  const y = scaleLinear()
    .domain([0, Math.max(10, ...all.map((p) => p.y)) * 1.1])
    .nice()
    .range([H - MARGIN.bottom, MARGIN.top]);
  return (
    <div>
      <div className="exp-field">
        <label htmlFor={id}>Latency at n</label>
        <select id={id} value={n} onChange={(e) => setChosen(Number(e.currentTarget.value))}>
          {ns.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      </div>
      <ProtocolChart
        title={`Mean latency against m (n = ${n})`}
        series={series}
        x={x}
        y={y}
        xLabel="m (silent liars, replica 0 first)"
        yLabel="latency (virtual ms)"
        label={(s) => `${nameOf(s.mode)}: ${s.points.map((p) => `m = ${p.x}: ${p.y.toFixed(1)} ms`).join('; ')}`}
        xTicks={ms}
      />
    </div>
  );
}

function CostTable({ results }: { results: SweepOutcome[] }) {
  const costs = leaderCosts(results);
  const signed = (v: number | null, digits: number, unit = '') => (v === null ? '—' : `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(digits)}${unit}`);
  return (
    <table className="exp-table cost-table">
      <caption>
        What a faulty leader costs: replica 0 silent (m = 1) against no liar (m = 0), per request. Each trial makes n requests, so every
        protocol’s rotating leader comes to replica 0 once. “—”: m = 0 or 1 not run, or no trial finished.
      </caption>
      <thead>
        <tr>
          <th scope="col">Protocol</th>
          <th scope="col">n</th>
          <th scope="col">Extra latency</th>
          <th scope="col">Extra messages / decision</th>
          <th scope="col">Extra views or rounds / trial</th>
        </tr>
      </thead>
      <tbody>
        {costs.map((c) => (
          <tr key={`${c.mode}-${c.n}`}>
            <th scope="row">{nameOf(c.mode)}</th>
            <td>{c.n}</td>
            <td>{signed(c.latencyMs, 1, ' ms')}</td>
            <td>{signed(c.messages, 1)}</td>
            <td>{signed(c.viewChanges, 2)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The second experiment of the Experiments view: protocols × n × m. Shown only where its store is provided (the page,
 * src/main.tsx).
 */
export function ProtocolSweepPanel() {
  const present = useProtocolSweep(() => true);
  const results = useProtocolSweep((s) => (s.run?.status === 'done' || s.run?.status === 'cancelled' ? s.run.results : null));
  const partial = useProtocolSweep((s) => s.run?.status === 'cancelled') === true;
  if (!present) return null;
  return (
    <section className="protocol-sweep" aria-labelledby="protocol-sweep-heading">
      <div className="exp-side">
        <h2 id="protocol-sweep-heading" className="exp-title">
          Protocols × n × m
        </h2>
        <p className="exp-intro">PBFT, HotStuff and Tendermint on the same trials: how their messages grow with n, their latency with m, and what one faulty leader costs each.</p>
        <Form />
      </div>
      <div className="exp-main">
        {results && results.length > 0 && (
          <>
            <div className="exp-charts protocol-charts">
              <MessagesChart results={results} />
              <LatencyChart results={results} />
            </div>
            <CostTable results={results} />
            <div className="exp-exports" role="group" aria-label="Export the protocol sweep">
              <button type="button" onClick={() => download(protocolCsvExport(results, partial))}>
                Download CSV (every protocol, n and m)
              </button>
            </div>
          </>
        )}
      </div>
    </section>
  );
}
