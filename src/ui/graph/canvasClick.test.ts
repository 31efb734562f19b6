/**
 * A click on the painted graph (n ≥ 13: dots on a canvas, no element each) picks the dot under the pointer: the screen
 * point is mapped into the graph's coordinates as the canvas draws them, and the nearest dot within reach wins.
 */
import { describe, expect, it } from 'vitest';
import { CLIENT } from '../../sim/types';
import { flightOf } from '../../sim/picture';
import type { FlightMessage } from '../../store/timeline';
import { dotAt, messageAt, toLayout } from './CanvasMessageLayer';
import { graphLayout } from './layout';

const layout = graphLayout(13);
/** A message waiting for a hand: it stands half-way along its wire. */
const waiting = (id: number, from: number, to: number): FlightMessage => ({ ...flightOf({ id, type: 'PRE_PREPARE', from, to, view: 0, seq: 1 }, 0, 0, false), hand: true });
const messages = [waiting(1, CLIENT, 0), ...Array.from({ length: 12 }, (_, k) => waiting(k + 2, 0, k + 1))];

describe('clicking a painted message', () => {
  it('each dot is picked by a click on it, and a click within reach picks the nearest', () => {
    for (const m of messages) {
      const at = dotAt(layout, m, 0)!;
      expect(messageAt(layout, messages, 0, at.x, at.y, 2 * layout.dotRadius), `message ${m.id}`).toBe(m.id);
      expect(messageAt(layout, messages, 0, at.x + layout.dotRadius, at.y, 2 * layout.dotRadius), `next to message ${m.id}`).toBe(m.id);
    }
  });

  it('a click far from every dot picks nothing', () => {
    expect(messageAt(layout, messages, 0, 5, 5, 2 * layout.dotRadius)).toBeNull();
    expect(messageAt(layout, [], 0, layout.center.x, layout.center.y, 2 * layout.dotRadius)).toBeNull();
  });

  it('the screen maps into the graph as "xMidYMid meet" draws it: centred, scaled to fit the box', () => {
    // A box twice as wide as the layout's aspect: scaled by the height, centred across.
    const box = { left: 100, top: 50, width: 2400, height: 720 };
    const mid = toLayout(layout, box, 100 + 1200, 50 + 360);
    expect(mid.scale).toBe(1);
    expect(mid.x).toBeCloseTo(layout.width / 2);
    expect(mid.y).toBeCloseTo(layout.height / 2);
    const half = toLayout(layout, { left: 0, top: 0, width: 600, height: 720 }, 0, 180);
    expect(half.scale).toBe(0.5);
    expect(half.x).toBeCloseTo(0);
    expect(half.y).toBeCloseTo(0);
  });
});
