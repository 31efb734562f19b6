import { scaleLinear } from 'd3';
import { memo, useId, useLayoutEffect, useRef, useState, type MouseEvent } from 'react';
import { CLIENT, type MessageType, type NodeId } from '../../sim/types';
import { nodeName, typeLabel } from '../../store/describe';
import { useLab, useLabActions } from '../../store/context';
import { LOSS_FRACTION } from '../../store/timeline';
import type { MessageRecord } from '../../store/replay';
import { messageClass } from '../graph/palette';

/** Beyond this many arrows in the window the oldest are left out: the diagram stays a picture, not a smear. */
export const MAX_ARROWS = 600;
const MARGIN = { top: 40, right: 10, bottom: 10, left: 46 };
const WINDOWS = [
  { value: 'all', label: 'Whole run' },
  { value: '1000', label: 'Last 1000 ms' },
  { value: '300', label: 'Last 300 ms' },
  { value: '100', label: 'Last 100 ms' },
] as const;

type ArrowState = 'delivered' | 'lost' | 'flying';

interface ArrowProps {
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

function lane(id: NodeId): number {
  return id === CLIENT ? 0 : id + 1;
}

/** One message: send time on the sender's lifeline to arrival time on the receiver's, cut short with ✕ if lost. */
const Arrow = memo(function Arrow({ id, type, x1, y1, x2, y2, state, label, selected, onSelect }: ArrowProps) {
  const angle = Math.atan2(y2 - y1, x2 - x1);
  const head = 7;
  const tip = `${x2},${y2} ${x2 - head * Math.cos(angle - 0.45)},${y2 - head * Math.sin(angle - 0.45)} ${x2 - head * Math.cos(angle + 0.45)},${y2 - head * Math.sin(angle + 0.45)}`;
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
      {state === 'lost' && <path className="lost-cross" d={`M${x2 - 5},${y2 - 5}L${x2 + 5},${y2 + 5}M${x2 - 5},${y2 + 5}L${x2 + 5},${y2 - 5}`} />}
      {state === 'flying' && <circle className="arrow-front" cx={x2} cy={y2} r={4} />}
    </g>
  );
});

/** First message whose send is not yet shown at `cursor` (messages are kept in send order). */
function shownMessages(messages: readonly MessageRecord[], cursor: number): number {
  let lo = 0;
  let hi = messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (messages[mid].sendIndex < cursor) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The message sequence chart beside the graph: one lifeline per replica and the client, time flowing down, each
 * message an arrow in its type's colour. It shows the same moment as the graph (the cursor line); clicking an arrow
 * selects that message in both, clicking elsewhere jumps to that time.
 */
export function SpaceTimeDiagram() {
  const n = useLab((s) => s.run.n);
  const run = useLab((s) => s.run);
  const cursor = useLab((s) => s.cursor);
  const viewTime = useLab((s) => s.viewTime);
  const replicas = useLab((s) => s.timeline.replicas);
  // A quiet clock running on after the last event would squeeze the run into a sliver: end at the last event then.
  const busyUntil = useLab((s) => (s.timeline.inFlight.size > 0 || s.cursor === 0 ? s.viewTime : s.run.trace[s.cursor - 1]?.t ?? s.viewTime));
  const selectedMessage = useLab((s) => s.selection.message);
  const selectedReplica = useLab((s) => s.selection.replica);
  const offenders = useLab((s) => s.timeline.stats?.violations[0]?.replicas);
  const { selectMessage, seekTime } = useLabActions();
  const frame = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 360, height: 320 });
  const [windowChoice, setWindowChoice] = useState<string>('all');
  const selectId = useId();

  useLayoutEffect(() => {
    const el = frame.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      const { width, height } = el.getBoundingClientRect();
      if (width > 0 && height > 0) setSize({ width: Math.round(width), height: Math.round(height) });
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const { width, height } = size;
  const lanes = n + 1;
  const laneWidth = (width - MARGIN.left - MARGIN.right) / Math.max(1, lanes);
  const xOf = (id: NodeId) => MARGIN.left + (lane(id) + 0.5) * laneWidth;
  const t1 = Math.max(busyUntil, 10);
  const span = windowChoice === 'all' ? t1 : Number(windowChoice);
  const t0 = Math.max(0, t1 - span);
  const y = scaleLinear()
    .domain([t0, t1 + (t1 - t0) * 0.03])
    .range([MARGIN.top, height - MARGIN.bottom]);

  const arrows: ArrowProps[] = [];
  let delivered = 0;
  let lost = 0;
  let flying = 0;
  let omitted = 0;
  const messages = run.messages;
  for (let k = shownMessages(messages, cursor) - 1; k >= 0; k--) {
    const m = messages[k];
    if (m.sendT < t0 - run.maxTransit) break;
    const ended = m.endIndex >= 0 && m.endIndex < cursor;
    const endT = ended ? m.arriveAt : Math.min(viewTime, m.arriveAt);
    if (endT < t0 || m.sendT > t1) continue;
    const state: ArrowState = !ended ? 'flying' : m.lost ? 'lost' : 'delivered';
    if (state === 'delivered') delivered++;
    else if (state === 'lost') lost++;
    else flying++;
    if (arrows.length >= MAX_ARROWS) {
      omitted++;
      continue;
    }
    const xa = xOf(m.from);
    const xb = xOf(m.to);
    const ya = y(m.sendT);
    const yb = y(m.arriveAt);
    let x2 = xb;
    let y2 = yb;
    if (state === 'lost') {
      x2 = xa + (xb - xa) * LOSS_FRACTION;
      y2 = ya + (yb - ya) * LOSS_FRACTION;
    } else if (state === 'flying') {
      const p = m.arriveAt > m.sendT ? Math.min(1, Math.max(0, (viewTime - m.sendT) / (m.arriveAt - m.sendT))) : 1;
      const reach = m.lost ? p * LOSS_FRACTION : p;
      x2 = xa + (xb - xa) * reach;
      y2 = ya + (yb - ya) * reach;
    }
    const route = `${typeLabel(m.type)} ${nodeName(m.from)} → ${nodeName(m.to)}`;
    const label =
      state === 'delivered'
        ? `${route}, t=${m.sendT.toFixed(1)}–${m.arriveAt.toFixed(1)}`
        : state === 'lost'
          ? `${route}, lost at t=${m.arriveAt.toFixed(1)}`
          : `${route}, sent t=${m.sendT.toFixed(1)}, in flight`;
    arrows.push({
      id: m.id,
      type: m.type,
      x1: Math.round(xa * 10) / 10,
      y1: Math.round(ya * 10) / 10,
      x2: Math.round(x2 * 10) / 10,
      y2: Math.round(y2 * 10) / 10,
      state,
      label,
      selected: m.id === selectedMessage,
      onSelect: selectMessage,
    });
  }
  // Oldest first, so newer arrows are drawn on top; the selected one last of all.
  arrows.reverse();
  arrows.sort((a, b) => Number(a.selected) - Number(b.selected));

  const onBackground = (e: MouseEvent<SVGRectElement>) => {
    const box = e.currentTarget.ownerSVGElement?.getBoundingClientRect();
    if (!box) return;
    selectMessage(null);
    seekTime(y.invert(e.clientY - box.top));
  };

  const headerSize = Math.max(9, Math.min(16, laneWidth * 0.45));
  // With many replicas, name every k-th lifeline only, so the numbers stay legible.
  const labelEvery = Math.max(1, Math.ceil((headerSize * 1.6) / Math.max(1, laneWidth)));
  const ticks = y.ticks(Math.max(2, Math.floor(height / 60)));
  return (
    <section className="diagram panel" aria-labelledby="diagram-heading">
      <div className="diagram-head">
        <h2 id="diagram-heading">Space-time</h2>
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
      </div>
      <div className="diagram-frame" ref={frame}>
        <svg className="space-time" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="group" aria-label="Space-time diagram">
          <rect className="diagram-bg" x={0} y={0} width={width} height={height} onClick={onBackground} />
          <g className="time-axis" aria-hidden="true">
            {ticks.map((t) => (
              <g key={t} transform={`translate(0,${y(t)})`}>
                <line x1={MARGIN.left - 4} x2={width - MARGIN.right} className="tick-line" />
                <text x={MARGIN.left - 6} dy="0.35em" className="tick-label">
                  {t}
                </text>
              </g>
            ))}
          </g>
          <g className="lifelines" aria-hidden="true">
            {Array.from({ length: lanes }, (_, k) => {
              const id = k === 0 ? CLIENT : k - 1;
              const r = id === CLIENT ? null : replicas[id];
              const classes = ['lifeline', id === selectedReplica ? 'selected' : '', offenders?.includes(id) ? 'offending' : '', r?.behaviour ? 'malicious' : ''].filter(Boolean).join(' ');
              const x = xOf(id);
              return (
                <g key={k} className={classes}>
                  <line x1={x} x2={x} y1={MARGIN.top - 6} y2={height - MARGIN.bottom} />
                  {k % labelEvery === 0 && (
                    <text x={x} y={MARGIN.top - 22} fontSize={headerSize} className="lane-label">
                      {id === CLIENT ? 'C' : id}
                    </text>
                  )}
                  {laneWidth > 14 && r && (r.isPrimary || r.behaviour) && (
                    <text x={x} y={MARGIN.top - 8} fontSize={headerSize * 0.85} className="lane-glyph">
                      {r.isPrimary ? '♛' : ''}
                      {r.behaviour ? '☠' : ''}
                    </text>
                  )}
                </g>
              );
            })}
          </g>
          <g className="arrows">
            {arrows.map((a) => (
              <Arrow key={a.id} {...a} />
            ))}
          </g>
          <g className="time-cursor" aria-hidden="true" transform={`translate(0,${Math.min(y(viewTime), height - MARGIN.bottom)})`}>
            <line x1={MARGIN.left - 4} x2={width - MARGIN.right} />
            <text x={width - MARGIN.right - 2} dy="-0.3em">
              t={viewTime.toFixed(1)}
            </text>
          </g>
        </svg>
      </div>
      <p className="diagram-summary">
        {delivered} delivered · {lost} lost · {flying} in flight{omitted > 0 ? ` · ${omitted} older not drawn` : ''}
      </p>
    </section>
  );
}
