/**
 * The maths of drawing on the graph by hand: which nodes a dragged line or a lasso puts on which side, which wire a
 * click meant, where the cut crosses each wire, the hull that shades a group. Pure: points in the graph's own
 * coordinates (layout.ts) in, numbers out; D3 supplies the polygon maths. The rule for a message across the cut is
 * not here: it is the core's (src/sim/network.ts), and what is drawn asks it (`separates`).
 */
import { polygonContains, polygonHull } from 'd3';
import { CUT_POINT, separates } from '../../sim/network';
import { CLIENT, type NodeId } from '../../sim/types';
import { CLIENT_HALF, wirePoint, type GraphLayout, type NodePosition } from './layout';

export interface Point {
  x: number;
  y: number;
}

/** A drag shorter than this (graph units, about 1 % of the width) is a click or a slip, not a cut. */
export const MIN_STROKE = 40;
/** A stroke whose ends come this close, relative to its length, closes a loop: a lasso rather than a line. */
const LOOP_CLOSURE = 0.35;
/** How far from a wire (graph units) a click still picks it. */
export const WIRE_PICK = 22;

/** What a stroke drawn on the graph is: a straight cut from its first point to its last, or a loop around a group. */
export type StrokeShape = { kind: 'line'; from: Point; to: Point } | { kind: 'loop'; polygon: Point[] };

/** >0 when p is to the left of the directed line a→b (in screen axes, y down: to its right on screen), <0 the other side, 0 on it. */
export function sideOfLine(a: Point, b: Point, p: Point): number {
  return (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
}

export function insideLoop(polygon: readonly Point[], p: Point): boolean {
  return polygon.length >= 3 && polygonContains(
    polygon.map((q) => [q.x, q.y] as [number, number]),
    [p.x, p.y],
  );
}

function pathLength(points: readonly Point[]): number {
  let total = 0;
  for (let k = 1; k < points.length; k++) total += Math.hypot(points[k].x - points[k - 1].x, points[k].y - points[k - 1].y);
  return total;
}

/** A line, a loop, or null for a stroke too short to mean either. */
export function strokeShape(points: readonly Point[]): StrokeShape | null {
  if (points.length < 2) return null;
  const length = pathLength(points);
  if (length < MIN_STROKE) return null;
  const first = points[0];
  const last = points[points.length - 1];
  const gap = Math.hypot(last.x - first.x, last.y - first.y);
  if (points.length >= 3 && gap <= LOOP_CLOSURE * length) return { kind: 'loop', polygon: [...points] };
  return { kind: 'line', from: first, to: last };
}

/** Every node of the graph with where it is drawn: the replicas, then the client. */
export function nodesOf(layout: GraphLayout): Array<{ id: NodeId; at: NodePosition }> {
  return [...layout.replicas.map((at, id) => ({ id, at })), { id: CLIENT, at: layout.client }];
}

/** The nodes a stroke marks: those to the left of a line (as drawn on screen: its right), or inside a loop. */
export function markedBy(shape: StrokeShape, layout: GraphLayout): NodeId[] {
  return nodesOf(layout)
    .filter(({ at }) => (shape.kind === 'line' ? sideOfLine(shape.from, shape.to, at) > 0 : insideLoop(shape.polygon, at)))
    .map(({ id }) => id);
}

export type CutResult = { side: NodeId[]; clientJoins: 'where drawn' | 'the larger group' } | { problem: string };

/**
 * The partition a stroke draws, as the core stores it: one side — the side without the client, so a cut that
 * leaves the primary alone reads "0" — or why it cuts nothing.
 *
 * A loop takes what it encloses, the client too if drawn around it. A line splits the replicas of the ring; the
 * client, drawn outside the ring and facing replica 0, would otherwise always land beside replica 0 and a line
 * could never cut the primary off from the rest: it joins the group with more replicas (the side that can still
 * make progress, as in a data centre whose clients reach the larger half), and on an even split the side it is drawn on.
 */
export function cutFromStroke(points: readonly Point[], layout: GraphLayout): CutResult {
  const shape = strokeShape(points);
  if (!shape) return { problem: 'Too short to cut: drag a line right across the graph, or draw a loop around a group.' };
  const n = layout.replicas.length;
  const marked = new Set(markedBy(shape, layout));
  const all = nodesOf(layout).map((x) => x.id);
  let clientMarked = marked.has(CLIENT);
  let clientJoins: 'where drawn' | 'the larger group' = 'where drawn';
  if (shape.kind === 'line') {
    const replicasMarked = [...marked].filter((id) => id !== CLIENT).length;
    if (replicasMarked === 0 || replicasMarked === n) {
      return { problem: 'That line cuts nothing: every replica is on one side of it. Drag right across the ring, between the replicas.' };
    }
    if (2 * replicasMarked !== n) {
      clientMarked = 2 * replicasMarked > n;
      clientJoins = 'the larger group';
    }
  } else if (marked.size === 0 || marked.size === all.length) {
    return { problem: marked.size === 0 ? 'That loop holds no replica and not the client: nothing is cut off.' : 'That loop holds every replica and the client: nothing is left outside it.' };
  }
  const inGroup = (id: NodeId) => (id === CLIENT ? clientMarked : marked.has(id));
  return { side: all.filter((id) => inGroup(id) !== clientMarked).sort((a, b) => a - b), clientJoins };
}

/** Distance from p to the segment a–b. */
export function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** Every wire drawn between two nodes (each pair of replicas, and the client to each), ends in order. */
export function wiresOf(n: number): Array<{ a: NodeId; b: NodeId }> {
  const out: Array<{ a: NodeId; b: NodeId }> = [];
  for (let a = CLIENT; a < n; a++) for (let b = Math.max(a + 1, 0); b < n; b++) out.push({ a, b });
  return out;
}

export const positionOf = (layout: GraphLayout, id: NodeId): NodePosition => (id === CLIENT ? layout.client : layout.replicas[id]);

function onANode(layout: GraphLayout, p: Point): boolean {
  if (Math.abs(p.x - layout.client.x) <= CLIENT_HALF.x && Math.abs(p.y - layout.client.y) <= CLIENT_HALF.y) return true;
  return layout.replicas.some((r) => Math.hypot(p.x - r.x, p.y - r.y) <= layout.nodeRadius);
}

/**
 * The wire a click at p means: the nearest within WIRE_PICK, unless the click is on a node; null when none. Wires
 * can lie on one another (the client faces replica 0, so its wire to the replica opposite runs along 0's): of wires
 * as near as each other, the shorter — the one whose both ends the eye sees near the click.
 */
export function wireAt(layout: GraphLayout, p: Point): { a: NodeId; b: NodeId } | null {
  if (onANode(layout, p)) return null;
  let best: { wire: { a: NodeId; b: NodeId }; distance: number; length: number } | null = null;
  for (const wire of wiresOf(layout.replicas.length)) {
    const a = positionOf(layout, wire.a);
    const b = positionOf(layout, wire.b);
    const distance = distanceToSegment(p, a, b);
    if (distance > WIRE_PICK) continue;
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    const nearer = !best || distance < best.distance - 1 || (Math.abs(distance - best.distance) <= 1 && length < best.length);
    if (nearer) best = { wire, distance, length };
  }
  return best?.wire ?? null;
}

/** Where a wire meets the cut (the core's CUT_POINT, where held messages wait), and the wire's direction there. */
export function cutMark(layout: GraphLayout, a: NodeId, b: NodeId): { at: Point; angle: number } {
  const from = positionOf(layout, a);
  const to = positionOf(layout, b);
  return { at: wirePoint(layout, from, to, CUT_POINT, a === CLIENT, b === CLIENT), angle: Math.atan2(to.y - from.y, to.x - from.x) };
}

/** The wires a partition cuts: those whose ends it separates, by the core's rule. */
export function cutWires(n: number, side: readonly NodeId[]): Array<{ a: NodeId; b: NodeId }> {
  const partition = { side: [...side] };
  return wiresOf(n).filter((w) => separates(partition, w.a, w.b));
}

/** The two groups of a partition: the nodes on its side, and the rest (the client's group first). */
export function groupsOf(n: number, side: readonly NodeId[]): { withClient: NodeId[]; without: NodeId[] } {
  const all = [CLIENT, ...Array.from({ length: n }, (_, id) => id)];
  const partition = { side: [...side] };
  return { withClient: all.filter((id) => !separates(partition, CLIENT, id)), without: all.filter((id) => separates(partition, CLIENT, id)) };
}

function outlineOf(points: readonly Point[]): Point[] {
  const hull = points.length >= 3 ? polygonHull(points.map((q) => [q.x, q.y] as [number, number])) : null;
  return hull ? hull.map(([x, y]) => ({ x, y })) : points.map(({ x, y }) => ({ x, y }));
}

const edgesOf = (outline: readonly Point[]): Array<[Point, Point]> =>
  outline.length < 2 ? [] : outline.length === 2 ? [[outline[0], outline[1]]] : outline.map((v, k) => [v, outline[(k + 1) % outline.length]]);

/** Whether the segments p–q and r–s cross (touching at an end counts). */
export function segmentsCross(p: Point, q: Point, r: Point, s: Point): boolean {
  const d1 = sideOfLine(r, s, p);
  const d2 = sideOfLine(r, s, q);
  const d3 = sideOfLine(p, q, r);
  const d4 = sideOfLine(p, q, s);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0) || d1 === 0 || d2 === 0) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0) || d3 === 0 || d4 === 0);
}

/**
 * The outline that shades a group's replicas (the client, outside the ring, has its own halo): the convex hull of
 * their centres — a point or a segment for one or two — or null when it would take in, brush or cross the other
 * group's (groups interleaved around the ring), where only each node's own halo can say which side it is on.
 */
export function groupHull(layout: GraphLayout, group: readonly NodeId[], others: readonly NodeId[]): Point[] | null {
  const replicasOnly = (ids: readonly NodeId[]) => ids.filter((id) => id !== CLIENT).map((id) => positionOf(layout, id));
  const points = replicasOnly(group);
  if (points.length === 0) return null;
  const outline = outlineOf(points);
  const theirs = replicasOnly(others);
  const near = layout.nodeRadius * 1.2;
  const mine = edgesOf(outline);
  const brushed = theirs.some((q) => insideLoop(outline, q) || mine.some(([a, b]) => distanceToSegment(q, a, b) < near));
  const crossed = edgesOf(outlineOf(theirs)).some(([r, s]) => mine.some(([p, q]) => segmentsCross(p, q, r, s)));
  return brushed || crossed ? null : outline;
}
