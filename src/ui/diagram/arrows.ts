import { MESSAGE_TYPES } from '../../sim/types';
import type { MessageRecord } from '../../store/replay';
import { LOSS_FRACTION } from '../../store/timeline';
import { countsFromSlots, stridesFor, typeSlot, type Strides } from '../../store/thinning';

export type ArrowState = 'delivered' | 'lost' | 'flying';

/** One arrow to draw, in data space: the renderer maps times and lanes to pixels. */
export interface DiagramArrow {
  message: MessageRecord;
  state: ArrowState;
  /** How far along from send to arrival the arrow is drawn: 1 delivered, LOSS_FRACTION lost, progress in flight. */
  reach: number;
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
    const endT = ended ? m.arriveAt : Math.min(viewTime, m.arriveAt);
    if (endT < t0 || m.sendT > t1) continue;
    slots[typeSlot(m.type)]++;
    if (!ended) flying++;
    else if (m.lost) lost++;
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
    const endT = ended ? m.arriveAt : Math.min(viewTime, m.arriveAt);
    if (endT < t0 || m.sendT > t1) continue;
    if (ended) {
      arrows.push({ message: m, state: m.lost ? 'lost' : 'delivered', reach: m.lost ? LOSS_FRACTION : 1 });
    } else {
      const p = m.arriveAt > m.sendT ? Math.min(1, Math.max(0, (viewTime - m.sendT) / (m.arriveAt - m.sendT))) : 1;
      arrows.push({ message: m, state: 'flying', reach: m.lost ? p * LOSS_FRACTION : p });
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
