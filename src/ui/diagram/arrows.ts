import { scaleLinear, type ScaleLinear } from 'd3';
import { CLIENT, MESSAGE_TYPES, type NodeId } from '../../sim/types';
import type { MessageRecord } from '../../store/replay';
import { CUT_POINT } from '../../sim/network';
import { lossFraction } from '../../store/timeline';
import { countsFromSlots, stridesFor, typeSlot, type Strides } from '../../store/thinning';

export type ArrowState = 'delivered' | 'lost' | 'flying';

/** One arrow to draw, in data space: the renderer maps times and lanes to pixels. */
export interface DiagramArrow {
  message: MessageRecord;
  state: ArrowState;
  /** How far along from send to arrival the arrow is drawn: 1 delivered, where it vanished if lost, progress in flight. */
  reach: number;
  /** Its arrival as known at the moment drawn: after a partition held it and Heal released it, the release's. */
  arriveAt: number;
  /** Waiting at a partition's cut, or for a hand, at the moment drawn (drawn in flight, up to the cut). */
  held: boolean;
}

/** What an arrow in flight is doing, in words (its accessible name, on the page and in an exported diagram). */
export function flightWords(a: DiagramArrow): string {
  if (!a.held) return 'in flight';
  return a.message.forHand ? 'waiting for a hand' : 'held at the cut';
}

/** A message's arrival and whether it waits at a cut, as known after the first `cursor` events. */
function flightAt(m: MessageRecord, cursor: number): { arriveAt: number; held: boolean } {
  const released = m.releaseIndex >= 0 && m.releaseIndex < cursor;
  if (released) return { arriveAt: m.releaseArriveAt, held: false };
  return { arriveAt: m.arriveAt, held: m.held || (m.holdIndex >= 0 && m.holdIndex < cursor) };
}

/** Whether the message is lost as known after `cursor` events: sent to be lost, or lost later (a hand's drop). */
function lostBy(m: MessageRecord, cursor: number): boolean {
  return m.lost || (m.lostIndex >= 0 && m.lostIndex < cursor);
}

export interface DiagramContent {
  /** Oldest first, so newer arrows are drawn on top. */
  arrows: DiagramArrow[];
  /** Exact counts of the messages in the window (drawn or not). */
  delivered: number;
  lost: number;
  flying: number;
  /** How each type was thinned to its budget. */
  strides: Strides;
}

/** First message whose send is not yet shown at `cursor` (messages are kept in send order). */
export function shownMessages(messages: readonly MessageRecord[], cursor: number): number {
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
 * The arrows crossing the window [t0, t1] at the moment `cursor` / `viewTime`: every message is counted, each type
 * is thinned to `budgetPerType` drawn arrows (see store/thinning.ts); the selected message is always drawn.
 */
export function diagramContent(
  messages: readonly MessageRecord[],
  cursor: number,
  viewTime: number,
  t0: number,
  t1: number,
  maxTransit: number,
  budgetPerType: number,
  selected: number | null = null,
): DiagramContent {
  const last = shownMessages(messages, cursor) - 1;
  const slots = new Int32Array(MESSAGE_TYPES.length);
  let delivered = 0;
  let lost = 0;
  let flying = 0;
  let first = last + 1;
  for (let k = last; k >= 0; k--) {
    const m = messages[k];
    if (m.sendT < t0 - maxTransit) break;
    first = k;
    const ended = m.endIndex >= 0 && m.endIndex < cursor;
    const { arriveAt, held } = flightAt(m, cursor);
    const endT = ended ? arriveAt : held ? viewTime : Math.min(viewTime, arriveAt);
    if (endT < t0 || m.sendT > t1) continue;
    slots[typeSlot(m.type)]++;
    if (!ended) flying++;
    else if (lostBy(m, cursor)) lost++;
    else delivered++;
  }
  const strides = stridesFor(countsFromSlots(slots), budgetPerType);
  const every = Int32Array.from(MESSAGE_TYPES, (type) => strides[type] ?? 1);
  const arrows: DiagramArrow[] = [];
  for (let k = first; k <= last; k++) {
    const m = messages[k];
    // isDrawn, by slot.
    if (m.id % every[typeSlot(m.type)] !== 0 && m.id !== selected) continue;
    const ended = m.endIndex >= 0 && m.endIndex < cursor;
    const { arriveAt, held } = flightAt(m, cursor);
    const endT = ended ? arriveAt : held ? viewTime : Math.min(viewTime, arriveAt);
    if (endT < t0 || m.sendT > t1) continue;
    if (ended) {
      const gone = lostBy(m, cursor);
      arrows.push({ message: m, state: gone ? 'lost' : 'delivered', reach: gone ? lossFraction(m) : 1, arriveAt, held: false });
    } else {
      const p = arriveAt > m.sendT ? Math.min(1, Math.max(0, (viewTime - m.sendT) / (arriveAt - m.sendT))) : 1;
      arrows.push({ message: m, state: 'flying', reach: held ? p * CUT_POINT : m.lost ? p * lossFraction(m) : p, arriveAt, held });
    }
  }
  return { arrows, delivered, lost, flying, strides };
}

/** Distance from point p to the segment a–b (for clicking an arrow painted on a canvas). */
export function distanceToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const length2 = dx * dx + dy * dy;
  const u = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length2));
  return Math.hypot(px - (ax + u * dx), py - (ay + u * dy));
}

// ── Geometry: where lifelines and arrows are drawn, one computation for the SVG, the canvas and the export ────────

/** Room around the lifelines: their headers above, the time axis's labels at the left. */
export const DIAGRAM_MARGIN = { top: 40, right: 10, bottom: 10, left: 46 } as const;

/** The client's lifeline is the first, replica i's the (i + 1)-th. */
export function laneOf(id: NodeId): number {
  return id === CLIENT ? 0 : id + 1;
}

export interface DiagramGeometry {
  width: number;
  height: number;
  /** The page's type size against 16 px (larger on a big screen and in presentation mode): marks and labels scale by it. */
  unit: number;
  /** DIAGRAM_MARGIN at this unit. */
  margin: { top: number; right: number; bottom: number; left: number };
  /** The client and the n replicas. */
  lanes: number;
  laneWidth: number;
  /** The x of a node's lifeline. */
  xOf(id: NodeId): number;
  /** Virtual time to y (time flows down). */
  y: ScaleLinear<number, number>;
}

/**
 * Lifelines side by side across `width`, the window [t0, t1] (plus a little room below) down `height`; `unit` scales
 * the room for labels (the page's type size against 16 px).
 */
export function diagramGeometry(n: number, width: number, height: number, t0: number, t1: number, unit = 1): DiagramGeometry {
  const lanes = n + 1;
  const m = { top: DIAGRAM_MARGIN.top * unit, right: DIAGRAM_MARGIN.right, bottom: DIAGRAM_MARGIN.bottom, left: DIAGRAM_MARGIN.left * unit };
  const laneWidth = (width - m.left - m.right) / Math.max(1, lanes);
  const y = scaleLinear()
    .domain([t0, t1 + (t1 - t0) * 0.03])
    .range([m.top, height - m.bottom]);
  return { width, height, unit, margin: m, lanes, laneWidth, xOf: (id: NodeId) => m.left + (laneOf(id) + 0.5) * laneWidth, y };
}

/**
 * Spans the time axis may take, per decade: each at most 1.67 times the one before, so the clock's end of the axis is
 * never far up the picture, and a young run's axis moves a dozen times while it grows from 10 ms to 1 s.
 */
const NICE_SPANS = [1, 1.5, 2, 3, 5, 7.5, 10];

/** The smallest "nice" span (1, 1.5, 2, 3, 5, 7.5 × 10^k) that holds `span`. */
export function niceSpan(span: number): number {
  if (!(span > 0)) return 1;
  const decade = 10 ** Math.floor(Math.log10(span));
  // Floating point: 0.3 / 0.1 is 2.9999…; a hair of tolerance keeps an exact fit from jumping a step.
  return Number((decade * NICE_SPANS.find((k) => k * decade >= span * (1 - 1e-12))!).toPrecision(12));
}

/**
 * The time axis of the diagram at a run's end `tEnd`: the whole run from `baseTime` (window null) or the last `window`
 * ms. The axis does not follow the clock frame by frame: it ends at a nice span (whole run) or a quarter-window step
 * (last N ms) ahead of the clock, and moves only when the clock reaches its end. Between moves every arrow that has
 * landed keeps its pixels, so a frame redraws only the messages in flight — redrawing every arrow of a run 60 times a
 * second is what cost a busy classroom run its frame rate.
 */
export function diagramWindow(baseTime: number, tEnd: number, window: number | null): { t0: number; t1: number } {
  if (window === null) return { t0: baseTime, t1: baseTime + niceSpan(tEnd - baseTime) };
  const step = window / 4;
  const t1 = Math.max(baseTime + window, Math.ceil(tEnd / step) * step);
  return { t0: Math.max(baseTime, t1 - window), t1 };
}

export interface ArrowEnds {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Where an arrow starts and where its drawn part ends, in pixels (rounded to a tenth, so equal frames diff equal). */
export function arrowEnds(a: DiagramArrow, g: Pick<DiagramGeometry, 'xOf' | 'y'>): ArrowEnds {
  const m = a.message;
  const xa = g.xOf(m.from);
  const xb = g.xOf(m.to);
  const ya = g.y(m.sendT);
  const yb = g.y(a.arriveAt);
  const round = (v: number) => Math.round(v * 10) / 10;
  return { x1: round(xa), y1: round(ya), x2: round(xa + (xb - xa) * a.reach), y2: round(ya + (yb - ya) * a.reach) };
}

/** Length of an arrowhead's sides, px. */
export const ARROW_HEAD = 7;

/** The arrowhead at (x2, y2), pointing along the arrow: three corners, the tip first. */
export function arrowHead({ x1, y1, x2, y2 }: ArrowEnds, size = ARROW_HEAD): Array<[number, number]> {
  const angle = Math.atan2(y2 - y1, x2 - x1);
  return [
    [x2, y2],
    [x2 - size * Math.cos(angle - 0.45), y2 - size * Math.sin(angle - 0.45)],
    [x2 - size * Math.cos(angle + 0.45), y2 - size * Math.sin(angle + 0.45)],
  ];
}

/** The ✕ that cuts a lost message's arrow: two strokes, each [x1, y1, x2, y2]. */
export function lostCross(x: number, y: number, half: number): Array<[number, number, number, number]> {
  return [
    [x - half, y - half, x + half, y + half],
    [x - half, y + half, x + half, y - half],
  ];
}

/** Half the size of a lost arrow's ✕ in the SVG (the painted one is a little smaller). */
export const LOST_CROSS = 5;
/** Radius of the dot at the front of a message still in flight. */
export const FLYING_FRONT = 4;

/** The lifelines' header size (px) and how often one is named: with many replicas every k-th, so numbers stay legible. */
export function lifelineLabels(laneWidth: number, unit = 1): { size: number; every: number } {
  const size = Math.max(9, Math.min(16 * unit, laneWidth * 0.45));
  return { size, every: Math.max(1, Math.ceil((size * 1.6) / Math.max(1, laneWidth))) };
}
