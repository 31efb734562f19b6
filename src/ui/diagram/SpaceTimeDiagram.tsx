import { memo, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { CLIENT, type MessageType, type ReplicaSummary } from '../../sim/types';
import { nodeName, typeLabel } from '../../store/describe';
import { useLab, useLabActions } from '../../store/context';
import type { LabState } from '../../store/labStore';
import { eventAt, type RunState } from '../../store/replay';
import { thinningNote } from '../../store/thinning';
import { CANVAS_ARROWS_PER_TYPE, CANVAS_DIAGRAM_ABOVE_N, PLAIN_ARROWS_ABOVE, SVG_ARROWS_PER_TYPE } from '../drawingRules';
import { fitCanvas, readColours, type CanvasColours } from '../graph/canvasColours';
import { messageClass } from '../graph/palette';
import { ExportMenu } from '../stage/ExportMenu';
import { useCrowdedInterval, useThrottledLab } from '../useThrottledLab';
import {
  arrowEnds,
  arrowHead,
  diagramContent,
  diagramGeometry,
  diagramWindow,
  distanceToSegment,
  ARROW_HEAD,
  FLYING_FRONT,
  flightWords,
  LOST_CROSS,
  lostCross,
  lifelineLabels,
  type ArrowState,
  type DiagramArrow,
  type DiagramGeometry,
} from './arrows';
import type { PictureFormat } from '../export/diagramExport';

const WINDOWS = [
  { value: 'all', label: 'Whole run' },
  { value: '1000', label: 'Last 1000 ms' },
  { value: '300', label: 'Last 300 ms' },
  { value: '100', label: 'Last 100 ms' },
] as const;

interface Moment {
  run: RunState;
  cursor: number;
  viewTime: number;
  /** Where the time axis ends. */
  busyUntil: number;
}

const selectMoment = (s: LabState): Moment => ({
  run: s.run,
  cursor: s.cursor,
  viewTime: s.viewTime,
  // A quiet clock running on after the last event would squeeze the run into a sliver: end at the last event then.
  busyUntil: s.timeline.inFlight.size > 0 || s.cursor === 0 ? s.viewTime : (eventAt(s.run, s.cursor - 1)?.t ?? s.viewTime),
});
const sameMoment = (a: Moment, b: Moment) => a.run === b.run && a.cursor === b.cursor && a.viewTime === b.viewTime && a.busyUntil === b.busyUntil;

/** How close (px) a click must land to a painted arrow to select it. */
const HIT_PX = 6;

interface ArrowProps {
  unit: number;
  id: number;
  type: MessageType;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  state: ArrowState;
  label: string;
  selected: boolean;
  onSelect(id: number): void;
}

function arrowLabel(a: DiagramArrow): string {
  const m = a.message;
  const route = `${typeLabel(m.type)} ${nodeName(m.from)} → ${nodeName(m.to)}`;
  return a.state === 'delivered'
    ? `${route}, t=${m.sendT.toFixed(1)}–${a.arriveAt.toFixed(1)}`
    : a.state === 'lost'
      ? `${route}, lost at t=${a.arriveAt.toFixed(1)}${m.by === 'partition' ? ': the network is partitioned' : m.by === 'link' ? ' on the lossy link' : ''}`
      : `${route}, sent t=${m.sendT.toFixed(1)}, ${flightWords(a)}`;
}

/** One message: send time on the sender's lifeline to arrival time on the receiver's, cut short with ✕ if lost. */
const Arrow = memo(function Arrow({ unit, id, type, x1, y1, x2, y2, state, label, selected, onSelect }: ArrowProps) {
  const tip = arrowHead({ x1, y1, x2, y2 }, ARROW_HEAD * unit)
    .map(([x, y]) => `${x},${y}`)
    .join(' ');
  const onClick = (e: MouseEvent) => {
    e.stopPropagation();
    onSelect(id);
  };
  return (
    <g className={`${messageClass(type)} arrow arrow-${state}${selected ? ' selected' : ''}`} role="img" aria-label={label} onClick={onClick}>
      <title>{label}</title>
      {/* A wide invisible stroke makes a thin arrow easy to hit on a projector remote or a touchpad. */}
      <line className="arrow-hit" x1={x1} y1={y1} x2={x2} y2={y2} />
      <line className="arrow-line" x1={x1} y1={y1} x2={x2} y2={y2} />
      {state === 'delivered' && <polygon className="arrow-head" points={tip} />}
      {state === 'lost' && <path className="lost-cross" d={lostCross(x2, y2, LOST_CROSS * unit).map(([a, b, c, d]) => `M${a},${b}L${c},${d}`).join('')} />}
      {state === 'flying' && <circle className="arrow-front" cx={x2} cy={y2} r={FLYING_FRONT * unit} />}
    </g>
  );
});

/** Paints arrows on a canvas: a few path fills per type and state, whatever the number of arrows. */
function paintArrows(ctx: CanvasRenderingContext2D, arrows: readonly DiagramArrow[], g: DiagramGeometry, colours: CanvasColours, selected: number | null, thin: boolean): void {
  const lines = new Map<string, Path2D>();
  const heads = new Map<MessageType, Path2D>();
  const crosses = new Path2D();
  const fronts = new Map<MessageType, Path2D>();
  const path = (map: Map<string, Path2D>, key: string) => map.get(key) ?? (map.set(key, new Path2D()), map.get(key)!);
  let chosen: { a: DiagramArrow; x1: number; y1: number; x2: number; y2: number } | null = null;
  for (const a of arrows) {
    const ends = arrowEnds(a, g);
    const { x1, y1, x2, y2 } = ends;
    if (a.message.id === selected) chosen = { a, x1, y1, x2, y2 };
    const line = path(lines, `${a.message.type}|${a.state === 'flying' ? 'dash' : 'solid'}`);
    line.moveTo(x1, y1);
    line.lineTo(x2, y2);
    if (a.state === 'delivered' && !thin) {
      const head = path(heads as Map<string, Path2D>, a.message.type);
      const [tip, left, right] = arrowHead(ends, ARROW_HEAD * g.unit);
      head.moveTo(...tip);
      head.lineTo(...left);
      head.lineTo(...right);
      head.closePath();
    } else if (a.state === 'lost') {
      for (const [ax, ay, bx, by] of lostCross(x2, y2, (LOST_CROSS - 1) * g.unit)) {
        crosses.moveTo(ax, ay);
        crosses.lineTo(bx, by);
      }
    } else if (a.state === 'flying') {
      const front = path(fronts as Map<string, Path2D>, a.message.type);
      const r = (FLYING_FRONT - 1) * g.unit;
      front.moveTo(x2 + r, y2);
      front.arc(x2, y2, r, 0, 2 * Math.PI);
    }
  }
  ctx.lineCap = 'butt';
  ctx.lineWidth = (thin ? 1 : 1.5) * g.unit;
  for (const [key, line] of lines) {
    const [type, dash] = key.split('|') as [MessageType, string];
    ctx.strokeStyle = colours.fill[type];
    // Dashes are costly to rasterise in software: a crowded diagram marks messages in flight by their front dot only.
    ctx.setLineDash(dash === 'dash' && !thin ? [4, 3] : []);
    ctx.stroke(line);
  }
  ctx.setLineDash([]);
  for (const [type, head] of heads) {
    ctx.fillStyle = colours.fill[type];
    ctx.fill(head);
  }
  for (const [type, front] of fronts) {
    ctx.fillStyle = colours.fill[type];
    ctx.fill(front);
  }
  ctx.strokeStyle = colours.lost;
  ctx.lineWidth = 2 * g.unit;
  ctx.stroke(crosses);
  if (chosen) {
    ctx.strokeStyle = colours.select;
    ctx.lineWidth = 7 * g.unit;
    ctx.globalAlpha = 0.5;
    ctx.beginPath();
    ctx.moveTo(chosen.x1, chosen.y1);
    ctx.lineTo(chosen.x2, chosen.y2);
    ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.strokeStyle = colours.fill[chosen.a.message.type];
    ctx.lineWidth = 3 * g.unit;
    ctx.stroke();
  }
}

interface LifelinesProps {
  /** From the geometry, as plain numbers: the lifelines redraw when these change, not when the time axis moves. */
  lanes: number;
  height: number;
  laneWidth: number;
  unit: number;
  marginTop: number;
  marginLeft: number;
  marginBottom: number;
  replicas: readonly ReplicaSummary[];
  selectedReplica: number | null;
  offenders: readonly number[] | undefined;
}

/** The lifelines and their headers: redrawn only when a replica's role or the size changes, not every frame. */
const Lifelines = memo(function Lifelines({ lanes, height, laneWidth, unit, marginTop, marginLeft, marginBottom, replicas, selectedReplica, offenders }: LifelinesProps) {
  const MARGIN = { top: marginTop, left: marginLeft, bottom: marginBottom };
  // With many replicas, name every k-th lifeline only, so the numbers stay legible.
  const { size: headerSize, every: labelEvery } = lifelineLabels(laneWidth, unit);
  return (
    <g className="lifelines" aria-hidden="true">
      {Array.from({ length: lanes }, (_, k) => {
        const id = k === 0 ? CLIENT : k - 1;
        const r = id === CLIENT ? null : replicas[id];
        const classes = ['lifeline', id === selectedReplica ? 'selected' : '', offenders?.includes(id) ? 'offending' : '', r?.behaviour ? 'malicious' : ''].filter(Boolean).join(' ');
        const x = MARGIN.left + (k + 0.5) * laneWidth;
        return (
          <g key={k} className={classes}>
            <line x1={x} x2={x} y1={MARGIN.top - 6 * unit} y2={height - MARGIN.bottom} />
            {k % labelEvery === 0 && (
              <text x={x} y={MARGIN.top - 22 * unit} fontSize={headerSize} className="lane-label">
                {id === CLIENT ? 'C' : id}
              </text>
            )}
            {laneWidth > 14 && r && (r.isPrimary || r.behaviour) && (
              <text x={x} y={MARGIN.top - 8 * unit} fontSize={headerSize * 0.85} className="lane-glyph">
                {r.isPrimary ? '♛' : ''}
                {r.behaviour ? '☠' : ''}
              </text>
            )}
          </g>
        );
      })}
    </g>
  );
});

/**
 * The message sequence chart beside the graph: one lifeline per replica and the client, time flowing down, each
 * message an arrow in its type's colour. It shows the same moment as the graph (the cursor line); clicking an arrow
 * selects that message in both, clicking elsewhere jumps to that time. Above CANVAS_DIAGRAM_ABOVE_N replicas the
 * arrows are painted on a canvas, and every crowded message type is thinned to a budget (the page says so).
 *
 * `until`: the time axis reaches at least this far (the Compare view gives every diagram its one clock, so the same
 * height means the same virtual time in each column).
 */
export function SpaceTimeDiagram({ until = 0 }: { until?: number } = {}) {
  const n = useLab((s) => s.run.n);
  const painted = n > CANVAS_DIAGRAM_ABOVE_N;
  // A crowded run follows at the counters' pace: there every view shares a busy frame. Below it (n = 7) the painted
  // arrows are redrawn at every frame: repainting a few hundred lines costs less than laying out as many SVG arrows.
  const refresh = useCrowdedInterval();
  const { run, cursor, viewTime, busyUntil } = useThrottledLab(selectMoment, sameMoment, refresh);
  const replicas = useLab((s) => s.timeline.replicas);
  const selectedMessage = useLab((s) => s.selection.message);
  const selectedReplica = useLab((s) => s.selection.replica);
  const offenders = useLab((s) => s.timeline.stats?.violations[0]?.replicas);
  const theme = useLab((s) => s.ui.theme);
  const embed = useLab((s) => s.ui.embed);
  const scenario = useLab((s) => s.scenario);
  const f = useLab((s) => s.timeline.f);
  const { pickMessage: selectMessage, seekTime } = useLabActions();
  const frame = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  /** The palette, read once per theme (reading it costs a style recalculation). */
  const colours = useRef<CanvasColours | null>(null);
  const [size, setSize] = useState({ width: 360, height: 320, unit: 1 });
  const [windowChoice, setWindowChoice] = useState<string>('all');
  const selectId = useId();
  // Unique: the Compare view draws one diagram per protocol on the same page.
  const headingId = useId();

  useLayoutEffect(() => {
    const el = frame.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      const { width, height } = el.getBoundingClientRect();
      // The page's type size (it grows with the screen and in presentation mode, and the frame with it).
      const unit = parseFloat(getComputedStyle(document.documentElement).fontSize) / 16 || 1;
      if (width > 0 && height > 0) setSize({ width: Math.round(width), height: Math.round(height), unit: Math.round(unit * 100) / 100 });
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const { width, height, unit } = size;
  // The whole run starts where the kept history does.
  const { t0, t1 } = diagramWindow(run.baseTime, Math.max(busyUntil, until, run.baseTime + 10, 10), windowChoice === 'all' ? null : Number(windowChoice));
  const geometry = useMemo(() => diagramGeometry(n, width, height, t0, t1, unit), [n, width, height, t0, t1, unit]);
  const MARGIN = geometry.margin;

  const content = useMemo(
    () => diagramContent(run.messages, cursor, viewTime, t0, t1, run.maxTransit, painted ? CANVAS_ARROWS_PER_TYPE : SVG_ARROWS_PER_TYPE, selectedMessage),
    // `run` is a new object on every batch; its buffers grow in place, so `run` itself is the dependency.
    [run, cursor, viewTime, t0, t1, painted, selectedMessage],
  );

  useEffect(() => {
    colours.current = null;
    const scheme = window.matchMedia?.('(prefers-color-scheme: dark)');
    const forget = () => (colours.current = null);
    scheme?.addEventListener('change', forget);
    return () => scheme?.removeEventListener('change', forget);
  }, [theme]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!painted || !canvas || !ctx) return;
    const handle = requestAnimationFrame(() => {
      // The canvas fills the frame, whose size the ResizeObserver above keeps in `size`.
      fitCanvas(canvas, size.width, size.height);
      const dpr = window.devicePixelRatio || 1;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      paintArrows(ctx, content.arrows, geometry, colours.current ?? (colours.current = readColours(canvas)), selectedMessage, content.arrows.length > PLAIN_ARROWS_ABOVE);
    });
    return () => cancelAnimationFrame(handle);
  }, [painted, content, geometry, selectedMessage, size, theme]);

  const onBackground = (e: MouseEvent<SVGRectElement>) => {
    const box = e.currentTarget.ownerSVGElement?.getBoundingClientRect();
    if (!box) return;
    const px = e.clientX - box.left;
    const py = e.clientY - box.top;
    if (painted) {
      // Painted arrows have no elements to click: pick the nearest one under the pointer.
      let best: { id: number; d: number } | null = null;
      for (const a of content.arrows) {
        const { x1, y1, x2, y2 } = arrowEnds(a, geometry);
        const d = distanceToSegment(px, py, x1, y1, x2, y2);
        if (d <= HIT_PX && (!best || d < best.d)) best = { id: a.message.id, d };
      }
      if (best) {
        selectMessage(best.id);
        return;
      }
    }
    selectMessage(null);
    seekTime(geometry.y.invert(py));
  };

  const ticks = geometry.y.ticks(Math.max(2, Math.floor(height / 60)));
  const note = thinningNote(content.strides, n);
  let svgArrows: ArrowProps[] = [];
  if (!painted) {
    svgArrows = content.arrows.map((a) => ({
      unit,
      id: a.message.id,
      type: a.message.type,
      ...arrowEnds(a, geometry),
      state: a.state,
      label: arrowLabel(a),
      selected: a.message.id === selectedMessage,
      onSelect: selectMessage,
    }));
    // The selected one last of all, on top.
    svgArrows.sort((a, b) => Number(a.selected) - Number(b.selected));
  }
  const total = content.delivered + content.lost + content.flying;
  // The picture as it stands when the menu is used: the same window and moment, every message (not a sample).
  // (The export's code is loaded when first asked for.)
  const onExport = async (format: PictureFormat) => {
    const { exportDiagram } = await import('../export/diagramExport');
    await exportDiagram(
      { n, f, seed: scenario.seed, mode: scenario.mode, replicas, messages: run.messages, maxTransit: run.maxTransit, cursor, viewTime, t0, t1, width, height, unit },
      format,
    );
  };
  return (
    <section className="view diagram panel" aria-labelledby={headingId}>
      <div className="diagram-head view-head">
        <h2 id={headingId}>Space-time</h2>
        <label htmlFor={selectId} className="visually-hidden">
          Diagram window
        </label>
        <select id={selectId} className="small" value={windowChoice} onChange={(e) => setWindowChoice(e.currentTarget.value)}>
          {WINDOWS.map((w) => (
            <option key={w.value} value={w.value}>
              {w.label}
            </option>
          ))}
        </select>
        {!embed && <ExportMenu what="space-time diagram" onExport={onExport} />}
      </div>
      <div className="diagram-frame" ref={frame}>
        <svg className="space-time" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="group" aria-label="Space-time diagram">
          <rect className="diagram-bg" x={0} y={0} width={width} height={height} onClick={onBackground} />
          <g className="time-axis" aria-hidden="true">
            {ticks.map((t) => (
              <g key={t} transform={`translate(0,${geometry.y(t)})`}>
                <line x1={MARGIN.left - 4} x2={width - MARGIN.right} className="tick-line" />
                <text x={MARGIN.left - 6} dy="0.35em" className="tick-label">
                  {t}
                </text>
              </g>
            ))}
          </g>
          <Lifelines
            lanes={geometry.lanes}
            height={height}
            laneWidth={geometry.laneWidth}
            unit={unit}
            marginTop={MARGIN.top}
            marginLeft={MARGIN.left}
            marginBottom={MARGIN.bottom}
            replicas={replicas}
            selectedReplica={selectedReplica}
            offenders={offenders}
          />
          {!painted && (
            <g className="arrows">
              {svgArrows.map((a) => (
                <Arrow key={a.id} {...a} />
              ))}
            </g>
          )}
          <g className="time-cursor" aria-hidden="true" transform={`translate(0,${Math.min(geometry.y(viewTime), height - MARGIN.bottom)})`}>
            <line x1={MARGIN.left - 4} x2={width - MARGIN.right} />
            <text x={width - MARGIN.right - 2} dy="-0.3em">
              t={viewTime.toFixed(1)}
            </text>
          </g>
        </svg>
        {painted && (
          <canvas
            ref={canvasRef}
            className="diagram-canvas"
            role="img"
            aria-label={`${total} messages as arrows between ${n} replicas and the client (painted; the event log lists every event)`}
          />
        )}
      </div>
      <p className="diagram-summary">
        {content.delivered} delivered · {content.lost} lost · {content.flying} in flight
        {note && <span className="thinning-note"> · {note}</span>}
      </p>
    </section>
  );
}
