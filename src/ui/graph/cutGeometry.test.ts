import { describe, expect, it } from 'vitest';
import { separates } from '../../sim/network';
import { CLIENT } from '../../sim/types';
import { cutFromStroke, cutMark, cutWires, groupHull, groupsOf, insideLoop, sideOfLine, strokeShape, wireAt, type Point } from './cutGeometry';
import { graphLayout, wirePoint } from './layout';

/** A straight drag sampled as a pointer would report it. */
function drag(from: Point, to: Point, steps = 12): Point[] {
  return Array.from({ length: steps + 1 }, (_, k) => ({ x: from.x + ((to.x - from.x) * k) / steps, y: from.y + ((to.y - from.y) * k) / steps }));
}

/** A hand-drawn loop: a circle around c, not quite closed. */
function loop(c: Point, r: number, gapRadians = 0.3): Point[] {
  return Array.from({ length: 40 }, (_, k) => {
    const a = (k / 39) * (2 * Math.PI - gapRadians);
    return { x: c.x + r * Math.cos(a), y: c.y + r * Math.sin(a) };
  });
}

// n = 4: replica 0 at the ring's left facing the client, 1 at the top, 2 at the right, 3 at the bottom.
const layout = graphLayout(4);
const [r0, r1, r2, r3] = layout.replicas;

describe('which side of a line', () => {
  it('is signed by the turn from the line to the point, and zero on the line', () => {
    const a = { x: 0, y: 0 };
    const b = { x: 10, y: 0 };
    expect(sideOfLine(a, b, { x: 5, y: 3 })).toBeGreaterThan(0);
    expect(sideOfLine(a, b, { x: 5, y: -3 })).toBeLessThan(0);
    expect(sideOfLine(a, b, { x: 50, y: 0 })).toBe(0);
    // Reversing the line swaps the sides.
    expect(sideOfLine(b, a, { x: 5, y: 3 })).toBeLessThan(0);
  });
});

describe('inside a lasso', () => {
  it('holds the points the loop encloses, open end or not', () => {
    const l = loop(r0, 100);
    expect(insideLoop(l, r0)).toBe(true);
    expect(insideLoop(l, r2)).toBe(false);
    expect(insideLoop(l, layout.client)).toBe(false);
  });
  it('a polygon of fewer than three points encloses nothing', () => {
    expect(insideLoop([r0, r1], r0)).toBe(false);
  });
});

describe('what a stroke is', () => {
  it('a straight drag is a line from its first point to its last', () => {
    expect(strokeShape(drag({ x: 600, y: 0 }, { x: 600, y: 720 }))).toEqual({ kind: 'line', from: { x: 600, y: 0 }, to: { x: 600, y: 720 } });
  });
  it('a stroke whose ends nearly meet is a loop', () => {
    expect(strokeShape(loop(r0, 100))?.kind).toBe('loop');
  });
  it('a click, or a slip of a few units, is nothing', () => {
    expect(strokeShape([{ x: 300, y: 300 }])).toBeNull();
    expect(strokeShape(drag({ x: 300, y: 300 }, { x: 310, y: 305 }))).toBeNull();
    // Scribbling back and forth on the spot: long, but it comes back to where it began and encloses nothing.
    const scribble = [...drag({ x: 300, y: 300 }, { x: 330, y: 300 }), ...drag({ x: 330, y: 300 }, { x: 300, y: 300 })];
    const cut = cutFromStroke(scribble, layout);
    expect('problem' in cut && cut.problem).toMatch(/nothing is cut off/);
  });
});

describe('the partition a stroke draws', () => {
  it('a line between the primary and the rest leaves the primary alone; the client joins the larger group', () => {
    // A vertical line between replica 0 (x = 490) and replicas 1 and 3 (x = 690), drawn top to bottom and bottom to top.
    for (const [from, to] of [
      [{ x: 590, y: 20 }, { x: 590, y: 700 }],
      [{ x: 590, y: 700 }, { x: 590, y: 20 }],
    ]) {
      const cut = cutFromStroke(drag(from, to), layout);
      expect(cut).toEqual({ side: [0], clientJoins: 'the larger group' });
    }
  });
  it('a diagonal line that splits the ring two and two leaves the client where it is drawn', () => {
    // From top-left to bottom-right through the centre: replicas 0 and 3 below-left, 1 and 2 above-right; the client left.
    const cut = cutFromStroke(drag({ x: 390, y: 62 }, { x: 990, y: 662 }), layout);
    expect(cut).toEqual({ side: [1, 2], clientJoins: 'where drawn' });
  });
  it('a loop around the primary cuts it off alone', () => {
    expect(cutFromStroke(loop(r0, layout.nodeRadius + 30), layout)).toEqual({ side: [0], clientJoins: 'where drawn' });
  });
  it('a loop around the client and replica 0 puts both on one side; the side stored is the one without the client', () => {
    const around = [...drag({ x: 20, y: 250 }, { x: 580, y: 250 }), ...drag({ x: 580, y: 250 }, { x: 580, y: 470 }), ...drag({ x: 580, y: 470 }, { x: 20, y: 470 }), ...drag({ x: 20, y: 470 }, { x: 20, y: 270 })];
    expect(cutFromStroke(around, layout)).toEqual({ side: [1, 2, 3], clientJoins: 'where drawn' });
  });
  it('a loop around the client alone cuts the client off', () => {
    expect(cutFromStroke(loop(layout.client, 90), layout)).toEqual({ side: [0, 1, 2, 3], clientJoins: 'where drawn' });
  });

  it('a line beside the ring, or a loop around nothing or everything, cuts nothing and says why', () => {
    const beside = cutFromStroke(drag({ x: 1100, y: 0 }, { x: 1100, y: 720 }), layout);
    expect(beside).toEqual({ problem: expect.stringMatching(/cuts nothing/) });
    // Between the client and the ring: the replicas are all on one side; a line alone never cuts the client off.
    expect(cutFromStroke(drag({ x: 300, y: 0 }, { x: 300, y: 720 }), layout)).toEqual({ problem: expect.stringMatching(/every replica is on one side/) });
    expect(cutFromStroke(loop({ x: 1100, y: 100 }, 60), layout)).toEqual({ problem: expect.stringMatching(/holds no replica/) });
    expect(cutFromStroke(loop({ x: 600, y: 360 }, 560), layout)).toEqual({ problem: expect.stringMatching(/holds every replica and the client/) });
    expect(cutFromStroke(drag({ x: 600, y: 360 }, { x: 605, y: 362 }), layout)).toEqual({ problem: expect.stringMatching(/Too short/) });
  });

  it('at n = 7 a line across the ring splits it as drawn', () => {
    const seven = graphLayout(7);
    // A horizontal line through the centre, drawn right to left: the replicas above it on one side.
    const cut = cutFromStroke(drag({ x: 1150, y: seven.center.y - 1 }, { x: 200, y: seven.center.y - 1 }), seven);
    if (!('side' in cut)) throw new Error(cut.problem);
    const above = seven.replicas.flatMap((p, id) => (p.y < seven.center.y - 1 ? [id] : []));
    const below = seven.replicas.flatMap((p, id) => (p.y >= seven.center.y - 1 ? [id] : []));
    // The client joins the larger group; the side stored is the other.
    expect(cut.side).toEqual(above.length > below.length ? below : above);
  });
});

describe('which wire a click means', () => {
  it('the wire under the click, the nearest where two run close, none on a node or far from any', () => {
    const mid02 = { x: (r0.x + r2.x) / 2 + 60, y: r0.y + 5 };
    expect(wireAt(layout, mid02)).toEqual({ a: 0, b: 2 });
    const on13 = { x: r1.x + 3, y: r1.y + 150 };
    expect(wireAt(layout, on13)).toEqual({ a: 1, b: 3 });
    const on01 = { x: (r0.x + r1.x) / 2, y: (r0.y + r1.y) / 2 };
    expect(wireAt(layout, on01)).toEqual({ a: 0, b: 1 });
    const onClientWire = { x: (layout.client.x + r1.x) / 2, y: (layout.client.y + r1.y) / 2 };
    expect(wireAt(layout, onClientWire)).toEqual({ a: CLIENT, b: 1 });
    // The client's wire to replica 2 runs under replica 0's: a click there means the shorter, 0–2, wherever it falls.
    for (const dy of [-0.4, 0, 0.4]) expect(wireAt(layout, { x: r0.x + 120, y: r0.y + dy })).toEqual({ a: 0, b: 2 });
    expect(wireAt(layout, { x: (layout.client.x + r0.x) / 2, y: r0.y })).toEqual({ a: CLIENT, b: 0 });
    expect(wireAt(layout, r2)).toBeNull();
    expect(wireAt(layout, layout.client)).toBeNull();
    expect(wireAt(layout, { x: 1150, y: 40 })).toBeNull();
  });
});

describe('drawing a partition', () => {
  it('marks exactly the wires whose ends the core separates, where held messages wait', () => {
    const side = [0];
    const wires = cutWires(4, side);
    expect(wires).toEqual([
      { a: CLIENT, b: 0 },
      { a: 0, b: 1 },
      { a: 0, b: 2 },
      { a: 0, b: 3 },
    ]);
    for (const w of wires) expect(separates({ side }, w.a, w.b)).toBe(true);
    const mark = cutMark(layout, 0, 2);
    expect(mark.at).toEqual(wirePoint(layout, r0, r2, 0.5, false, false));
    expect(mark.angle).toBeCloseTo(0, 9);
  });
  it('groups the nodes by the side of the client', () => {
    expect(groupsOf(4, [0])).toEqual({ withClient: [CLIENT, 1, 2, 3], without: [0] });
    expect(groupsOf(4, [CLIENT, 3])).toEqual({ withClient: [CLIENT, 3], without: [0, 1, 2] });
  });
  it('shades a group by its hull, unless the hull would take in the other group', () => {
    expect(groupHull(layout, [CLIENT, 1, 2, 3], [0])).toHaveLength(3);
    expect(groupHull(layout, [0], [CLIENT, 1, 2, 3])).toEqual([{ x: r0.x, y: r0.y }]);
    // Interleaved: 0 and 2 against 1 and 3 — each pair's segment crosses the other's.
    expect(groupHull(layout, [0, 2], [1, 3])).toBeNull();
    expect(groupHull(graphLayout(7), [0, 1, 2], [3, 4, 5, 6])).not.toBeNull();
    expect(r3.y).toBeGreaterThan(r1.y);
  });
});
