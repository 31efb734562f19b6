import { line, range, scaleLinear, symbol, symbolCircle, symbolDiamond, symbolSquare, symbolTriangle, type SymbolType } from 'd3';
import { useId, useMemo } from 'react';
import type { ChartSeries, SeriesKey } from './chartData';

/**
 * One experiment chart. React owns every element; D3 only computes scales, ticks, the line and the marker shapes.
 * Drawn in a fixed viewBox and scaled to the column, so text grows with the chart on a projector.
 */
const W = 480;
const H = 300;
const MARGIN = { top: 30, right: 14, bottom: 58, left: 70 };

/** Each series has its own marker and dash as well as its colour (colour is never the only cue). */
export const SERIES_STYLE: Record<SeriesKey, { symbol: SymbolType; dash?: string; hollow?: boolean }> = {
  pbft: { symbol: symbolCircle },
  seed: { symbol: symbolSquare, dash: '9 5' },
  article: { symbol: symbolDiamond, dash: '2 5', hollow: true },
  // The fooled share of a mode: its colour, a triangle and a dotted line.
  'pbft-fooled': { symbol: symbolTriangle, dash: '1 5' },
  'seed-fooled': { symbol: symbolTriangle, dash: '8 4 1 4' },
  // Placeholders until the Compare work styles the new protocols.
  hotstuff: { symbol: symbolCircle, dash: '4 2' },
  tendermint: { symbol: symbolSquare, dash: '6 2 2 2' },
  'hotstuff-fooled': { symbol: symbolTriangle, dash: '1 3' },
  'tendermint-fooled': { symbol: symbolTriangle, dash: '3 3' },
  'chained-hotstuff': { symbol: symbolDiamond, dash: '4 2' },
  'chained-hotstuff-fooled': { symbol: symbolTriangle, dash: '4 1 1 1' },
};

export function markerPath(key: SeriesKey, size = 150): string {
  return symbol(SERIES_STYLE[key].symbol, size)() ?? '';
}

interface SweepChartProps {
  title: string;
  /** Every m of the experiment (the x domain). */
  mValues: readonly number[];
  f: number;
  series: readonly ChartSeries[];
  yDomain: [number, number];
  yLabel: string;
  formatY(v: number): string;
  /** Points are links in the tab order (one chart is enough; the table reaches every trial too). */
  focusable: boolean;
}

export function SweepChart({ title, mValues, f, series, yDomain, yLabel, formatY, focusable }: SweepChartProps) {
  const titleId = useId();
  const { x, y, xTicks, yTicks, dodge } = useMemo(() => {
    const lo = Math.min(...mValues, f);
    const hi = Math.max(...mValues, f);
    const x = scaleLinear().domain([lo - 0.6, hi + 0.6]).range([MARGIN.left, W - MARGIN.right]);
    const y = scaleLinear().domain(yDomain).nice().range([H - MARGIN.bottom, MARGIN.top]);
    const xTicks = hi - lo <= 16 ? range(lo, hi + 1) : x.ticks(10).filter(Number.isInteger);
    // Side by side rather than on top of each other: the modes share every m.
    const step = Math.min(0.14, 0.6 / Math.max(1, series.length));
    const dodge = (k: number) => (k - (series.length - 1) / 2) * step;
    return { x, y, xTicks, yTicks: y.ticks(5), dodge };
  }, [mValues, f, yDomain, series.length]);

  const [y0, y1] = y.range();
  const fX = x(f);
  const baseline = y(y.domain()[0]);

  return (
    <figure className="sweep-chart">
      <figcaption id={titleId}>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="group" aria-labelledby={titleId}>
        {/* m > f: beyond what PBFT promises to tolerate. */}
        <rect className="beyond-f" x={x(f + 0.5)} y={y1} width={Math.max(0, W - MARGIN.right - x(f + 0.5))} height={y0 - y1} aria-hidden="true" />
        <text className="beyond-f-label" x={W - MARGIN.right - 6} y={y1 + 20} textAnchor="end" aria-hidden="true">
          m &gt; f
        </text>
        <ChartAxes width={W} height={H} margin={MARGIN} x={x} y={y} xTicks={xTicks} yTicks={yTicks} formatY={formatY} xLabel="m (malicious replicas)" yLabel={yLabel} />
        <g className="f-line" aria-hidden="true">
          <line x1={fX} x2={fX} y1={y1 - 6} y2={y0} />
          <text x={fX} y={y1 - 10} textAnchor="middle">
            f = {f}
          </text>
        </g>
        {series.map((s, k) => {
          const style = SERIES_STYLE[s.key];
          const px = (m: number) => x(m + dodge(k));
          const path = line<(typeof s.points)[number]>()
            .defined((p) => p.y !== null)
            .x((p) => px(p.m))
            .y((p) => y(p.y ?? 0))(s.points);
          return (
            <g key={s.key} className={`series series-${s.key}`}>
              {path && <path className="series-line" d={path} strokeDasharray={style.dash} aria-hidden="true" />}
              {s.points.map((p) => {
                const cx = px(p.m);
                const marker =
                  p.y === null ? (
                    // Nothing to plot (no trial succeeded): a cross on the axis says so rather than a gap.
                    <path className="no-value" d="M-6,-6L6,6M-6,6L6,-6" transform={`translate(${cx},${baseline - 8})`} />
                  ) : (
                    <>
                      {p.low !== undefined && p.high !== undefined && p.high > p.low && (
                        <path className="error-bar" d={`M${cx - 6},${y(p.high)}H${cx + 6}M${cx},${y(p.high)}V${y(Math.max(p.low, y.domain()[0]))}M${cx - 6},${y(Math.max(p.low, y.domain()[0]))}H${cx + 6}`} />
                      )}
                      <path className={`marker${style.hollow ? ' hollow' : ''}`} d={markerPath(s.key)} transform={`translate(${cx},${y(p.y)})`} />
                    </>
                  );
                return p.href ? (
                  <a
                    key={p.m}
                    className="point"
                    href={p.href}
                    target="_blank"
                    rel="noopener"
                    aria-label={p.name}
                    aria-description={p.description}
                    tabIndex={focusable ? 0 : -1}
                  >
                    <title>{`${p.name}. ${p.description ?? ''}`}</title>
                    {/* A generous invisible target: markers are small for a mouse and for a finger. */}
                    <circle className="hit" cx={cx} cy={p.y === null ? baseline - 8 : y(p.y)} r={14} />
                    {marker}
                  </a>
                ) : (
                  <g key={p.m} className="point" role="img" aria-label={p.name}>
                    <title>{p.name}</title>
                    {marker}
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/**
 * A chart's axes, in one drawing for every sweep chart: the y grid with its labels, the x axis line with its ticks, and
 * both titles.
 */
export function ChartAxes({
  width,
  height,
  margin,
  x,
  y,
  xTicks,
  yTicks,
  formatY,
  xLabel,
  yLabel,
}: {
  width: number;
  height: number;
  margin: { left: number; right: number };
  x(v: number): number;
  y: { (v: number): number; range(): number[] };
  xTicks: number[];
  yTicks: number[];
  formatY(v: number): string;
  xLabel: string;
  yLabel: string;
}) {
  const [y0, y1] = y.range();
  return (
    <g className="axis" aria-hidden="true">
      {yTicks.map((t) => (
        <g key={t} transform={`translate(0,${y(t)})`}>
          <line className="grid" x1={margin.left} x2={width - margin.right} />
          <text x={margin.left - 8} dy="0.35em" textAnchor="end">
            {formatY(t)}
          </text>
        </g>
      ))}
      <line className="axis-line" x1={margin.left} x2={width - margin.right} y1={y0} y2={y0} />
      {xTicks.map((t) => (
        <text key={t} x={x(t)} y={y0 + 22} textAnchor="middle">
          {t}
        </text>
      ))}
      <text className="axis-title" x={(margin.left + width - margin.right) / 2} y={height - 8} textAnchor="middle">
        {xLabel}
      </text>
      <text className="axis-title" transform={`translate(18,${(y0 + y1) / 2}) rotate(-90)`} textAnchor="middle">
        {yLabel}
      </text>
    </g>
  );
}
