/**
 * Where things sit in the graph's own coordinates (the SVG viewBox scales them to the screen).
 * D3 does the angle and size scales; nothing here touches the DOM.
 */
import { scaleLinear, scaleThreshold } from 'd3';
import { COMPACT_FROM_N, EDGES_UP_TO_N, MINIMAL_FROM_N } from '../drawingRules';

export interface NodePosition {
  x: number;
  y: number;
  /** Radians, 0 = pointing right; labels are pushed outward along it. */
  angle: number;
}

/** How much each replica can say at this n and still be readable from the back of the room. */
export type Detail = 'full' | 'compact' | 'minimal';

export interface GraphLayout {
  width: number;
  height: number;
  center: { x: number; y: number };
  ringRadius: number;
  replicas: NodePosition[];
  client: NodePosition;
  nodeRadius: number;
  dotRadius: number;
  detail: Detail;
  /** Draw the faint wires between every pair only while they stay sparse enough to read. */
  showEdges: boolean;
}

export const VIEW_WIDTH = 1200;
export const VIEW_HEIGHT = 720;

const detailFor = scaleThreshold<number, Detail>().domain([COMPACT_FROM_N, MINIMAL_FROM_N]).range(['full', 'compact', 'minimal']);

/**
 * At the sizes a lecture shows (n = 4, 7) the replicas are drawn large and the ring drawn tighter, so a projected
 * replica reads from the back of the room (at 1280×720 in presentation mode one is more than 80 px across at n = 4);
 * by n = 10 they reach the size the ring's spacing allows.
 */
const fullNodeRadius = scaleLinear().domain([4, 10]).range([72, 46]).clamp(true);
const fullRingRadius = scaleLinear().domain([4, 10]).range([200, 245]).clamp(true);

export function graphLayout(n: number): GraphLayout {
  const center = { x: 690, y: 362 };
  const detail = detailFor(n);
  // Without captions beside the nodes the ring can use the room they took.
  const ringRadius = detail === 'full' ? fullRingRadius(n) : 318;
  // Replica 0, the first primary, faces the client on the left so the first REQUEST has a short, clear path.
  const angle = scaleLinear().domain([0, Math.max(1, n)]).range([Math.PI, 3 * Math.PI]);
  const replicas = Array.from({ length: n }, (_, i) => {
    const a = angle(i);
    return { x: center.x + ringRadius * Math.cos(a), y: center.y + ringRadius * Math.sin(a), angle: a };
  });
  const spacing = (2 * Math.PI * ringRadius) / Math.max(1, n);
  const nodeRadius = Math.max(7, Math.min(detail === 'full' ? fullNodeRadius(n) : 46, spacing * 0.32));
  return {
    width: VIEW_WIDTH,
    height: VIEW_HEIGHT,
    center,
    ringRadius,
    replicas,
    client: { x: 95, y: center.y, angle: Math.PI },
    nodeRadius,
    dotRadius: detail === 'full' ? 14 : detail === 'compact' ? 6 : 4,
    detail,
    showEdges: n <= EDGES_UP_TO_N,
  };
}

/**
 * The point a fraction `p` of the way along the wire between two nodes, measured from rim to rim rather than
 * centre to centre: a message just sent (p = 0) sits visibly outside its sender, which matters when stepping.
 */
export function wirePoint(layout: GraphLayout, a: NodePosition, b: NodePosition, p: number, clientA: boolean, clientB: boolean): { x: number; y: number } {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length = Math.hypot(dx, dy) || 1;
  const rim = (isClient: boolean) => (isClient ? CLIENT_RIM : layout.nodeRadius) + layout.dotRadius * 0.6;
  const start = Math.min(rim(clientA), length / 2) / length;
  const end = 1 - Math.min(rim(clientB), length / 2) / length;
  return pointAlong(a, b, start + (end - start) * p);
}

/** Half the client's box, drawn centred on its position (a click within it is on the client, not on a wire). */
export const CLIENT_HALF = { x: 62, y: 36 } as const;

/** Roughly where a wire leaves the client's box. */
const CLIENT_RIM = 50;

/** The point a fraction `p` of the way along the straight line from `a` to `b`. */
export function pointAlong(a: { x: number; y: number }, b: { x: number; y: number }, p: number): { x: number; y: number } {
  return { x: a.x + (b.x - a.x) * p, y: a.y + (b.y - a.y) * p };
}
