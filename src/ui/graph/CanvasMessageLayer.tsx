import { useContext, useEffect, useRef } from 'react';
import { CLIENT, MESSAGE_TYPES, type MessageType } from '../../sim/types';
import { LabStoreContext, useLab } from '../../store/context';
import { countByType, isDrawn, stridesFor, typeSlot, type Strides } from '../../store/thinning';
import { DROP_FADE_MS, lossFraction, wireFraction, type FlightMessage } from '../../store/timeline';
import { CROWDED_N, CROWDED_PAINT_MS, DOT_OUTLINE_FROM_RADIUS, GRAPH_DOTS_PER_TYPE } from '../drawingRules';
import { useReducedMotion } from '../useReducedMotion';
import { createAnimationClock } from './animationClock';
import { fitCanvas, readColours, type CanvasColours } from './canvasColours';
import { wirePoint, type GraphLayout } from './layout';
import { nodeAt } from './MessageLayer';

const stridesByMap = new WeakMap<ReadonlyMap<number, FlightMessage>, Strides>();

/**
 * How the graph thins the messages in flight: per type, to GRAPH_DOTS_PER_TYPE dots (see store/thinning.ts).
 * Computed once per picture (the canvas and the note under it both ask).
 */
export function graphStrides(inFlight: ReadonlyMap<number, FlightMessage>): Strides {
  let strides = stridesByMap.get(inFlight);
  if (!strides) stridesByMap.set(inFlight, (strides = stridesFor(countByType(inFlight.values()), GRAPH_DOTS_PER_TYPE)));
  return strides;
}

/** Where a message in flight is drawn at virtual time `t`: on the canvas, as an SVG dot, and in an exported picture. */
export function dotAt(layout: GraphLayout, m: FlightMessage, t: number): { x: number; y: number } | null {
  const from = nodeAt(layout, m.from);
  const to = nodeAt(layout, m.to);
  if (!from || !to) return null;
  return wirePoint(layout, from, to, wireFraction(m, t), m.from === CLIENT, m.to === CLIENT);
}

/** How far from a painted dot a click still picks it, in CSS pixels (the dots are a few pixels wide at n ≥ 13). */
export const DOT_HIT_PX = 10;

/**
 * The painted message nearest to a click at (x, y) in the graph's own coordinates at virtual time `t`, within `reach`
 * (layout units) of its centre; null when none is. The canvas has no element per dot, so this is its click.
 */
export function messageAt(layout: GraphLayout, messages: readonly FlightMessage[], t: number, x: number, y: number, reach: number): number | null {
  let best: number | null = null;
  let bestD = reach;
  for (const m of messages) {
    const at = dotAt(layout, m, t);
    if (!at) continue;
    const d = Math.hypot(at.x - x, at.y - y);
    if (d <= bestD) {
      bestD = d;
      best = m.id;
    }
  }
  return best;
}

/**
 * A point on the screen in the graph's own coordinates, for a box of `w` × `h` CSS pixels showing the layout with
 * preserveAspectRatio="xMidYMid meet" (the SVG's and the canvas's mapping); `scale` is CSS pixels per layout unit.
 */
export function toLayout(layout: GraphLayout, box: { left: number; top: number; width: number; height: number }, clientX: number, clientY: number): { x: number; y: number; scale: number } {
  const scale = Math.min(box.width / layout.width, box.height / layout.height) || 1;
  const ox = (box.width - layout.width * scale) / 2;
  const oy = (box.height - layout.height * scale) / 2;
  return { x: (clientX - box.left - ox) / scale, y: (clientY - box.top - oy) / scale, scale };
}

/** The sample of the messages in flight the canvas paints: each type thinned to its budget (graphStrides). */
export function paintedSample(inFlight: ReadonlyMap<number, FlightMessage>): FlightMessage[] {
  const strides = graphStrides(inFlight);
  const every = Int32Array.from(MESSAGE_TYPES, (type) => strides[type] ?? 1);
  const drawn: FlightMessage[] = [];
  // isDrawn, by slot: this loop runs over every message in flight.
  for (const m of inFlight.values()) if (m.id % every[typeSlot(m.type)] === 0) drawn.push(m);
  return drawn;
}

/**
 * Thousands of messages (n = 100 sends about 20 000 per request) are painted on one canvas under the SVG
 * nodes, straight from the store in a requestAnimationFrame loop: no React work and no DOM nodes per message.
 * The canvas shares the SVG's viewBox mapping, so dots still leave and enter the nodes drawn above it. Crowded
 * types are thinned to a sample (the graph says so under it); the counts in Status stay exact.
 */
export function CanvasMessageLayer({ layout }: { layout: GraphLayout }) {
  const store = useContext(LabStoreContext);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const count = useLab((s) => s.timeline.inFlight.size);
  const theme = useLab((s) => s.ui.theme);
  const reducedMotion = useReducedMotion();

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!store || !canvas || !ctx) return;
    const clock = createAnimationClock();
    // Read in the first frame, after the page has applied the theme.
    let colours: CanvasColours | null = null;
    let handle = 0;
    /** The sample of the messages in flight that is drawn, chosen once per batch rather than every frame. */
    let drawn: FlightMessage[] = [];
    let drawnOf: ReadonlyMap<number, FlightMessage> | null = null;
    /** The canvas's CSS size, kept by the ResizeObserver below (measured once here, outside any frame). */
    let box = { w: canvas.clientWidth, h: canvas.clientHeight };
    let dropStrides: Strides = {};
    let dropStridesOf: readonly FlightMessage[] | null = null;

    let drawnAt = Number.NEGATIVE_INFINITY;
    let drawnVersion: unknown = null;
    const draw = (real: number) => {
      handle = 0;
      const { timeline, playback } = store.getState();
      // A crowded run (tiny dots, thousands in flight) is repainted at most every other frame while it plays: the
      // motion stays smooth to the eye and the software rasteriser does half the work. A new batch or anything
      // else that changed the picture is painted at once.
      if (playback.playing && timeline.n > CROWDED_N && timeline === drawnVersion && real - drawnAt < CROWDED_PAINT_MS) {
        handle = requestAnimationFrame(draw);
        return;
      }
      drawnAt = real;
      drawnVersion = timeline;
      const dpr = window.devicePixelRatio || 1;
      const { w, h } = box;
      if (fitCanvas(canvas, w, h) || !colours) colours = readColours(canvas);
      if (timeline.inFlight !== drawnOf) {
        drawnOf = timeline.inFlight;
        drawn = paintedSample(timeline.inFlight);
      }
      if (timeline.dropped !== dropStridesOf) {
        dropStridesOf = timeline.dropped;
        dropStrides = stridesFor(countByType(timeline.dropped), GRAPH_DOTS_PER_TYPE);
      }
      // preserveAspectRatio="xMidYMid meet", as on the SVG above.
      const scale = Math.min(w / layout.width, h / layout.height);
      const ox = (w - layout.width * scale) / 2;
      const oy = (h - layout.height * scale) / 2;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.setTransform(dpr * scale, 0, 0, dpr * scale, dpr * ox, dpr * oy);

      const t = clock(timeline, playback, reducedMotion, real);
      const r = layout.dotRadius;
      // One path per type: a few fills per frame however many messages fly.
      const paths = new Map<MessageType, Path2D>();
      for (const m of drawn) {
        const at = dotAt(layout, m, t);
        if (!at) continue;
        const { x, y } = at;
        let path = paths.get(m.type);
        if (!path) paths.set(m.type, (path = new Path2D()));
        path.moveTo(x + r, y);
        path.arc(x, y, r, 0, 2 * Math.PI);
      }
      ctx.lineWidth = 1;
      ctx.strokeStyle = colours.outline;
      for (const [type, path] of paths) {
        ctx.fillStyle = colours.fill[type];
        ctx.fill(path);
        // Outlines on tiny dots (n > 40) are invisible at that size but cost as much again to rasterise.
        if (r >= DOT_OUTLINE_FROM_RADIUS) ctx.stroke(path);
      }

      let fading = false;
      ctx.strokeStyle = colours.lost;
      ctx.lineWidth = Math.max(2, r * 0.5);
      ctx.lineCap = 'round';
      for (const d of timeline.dropped) {
        if (!isDrawn(d.id, d.type, dropStrides)) continue;
        const age = Math.max(0, real - d.lostAtReal);
        if (age >= DROP_FADE_MS) continue;
        fading = true;
        const from = nodeAt(layout, d.from);
        const to = nodeAt(layout, d.to);
        if (!from || !to) continue;
        const { x, y } = wirePoint(layout, from, to, lossFraction(d), d.from === CLIENT, d.to === CLIENT);
        const s = r * 1.2;
        ctx.globalAlpha = reducedMotion ? 1 : 1 - age / DROP_FADE_MS;
        ctx.beginPath();
        ctx.moveTo(x - s, y - s);
        ctx.lineTo(x + s, y + s);
        ctx.moveTo(x - s, y + s);
        ctx.lineTo(x + s, y - s);
        ctx.stroke();
      }
      ctx.globalAlpha = 1;

      if ((playback.playing && !reducedMotion) || fading) handle = requestAnimationFrame(draw);
    };
    const schedule = () => {
      if (!handle) handle = requestAnimationFrame(draw);
    };

    schedule();
    // Paused: repaint only when something changes (a step, a new run, a resize, a theme switch).
    const unsubscribe = store.subscribe(schedule);
    const resize = new ResizeObserver((entries) => {
      const rect = entries[entries.length - 1]?.contentRect;
      if (rect) box = { w: rect.width, h: rect.height };
      schedule();
    });
    resize.observe(canvas);
    const scheme = window.matchMedia?.('(prefers-color-scheme: dark)');
    const onScheme = () => {
      colours = readColours(canvas);
      schedule();
    };
    scheme?.addEventListener('change', onScheme);
    return () => {
      cancelAnimationFrame(handle);
      unsubscribe();
      resize.disconnect();
      scheme?.removeEventListener('change', onScheme);
    };
    // The theme changes the palette: `theme` re-runs this effect, which reads the colours afresh.
  }, [store, layout, reducedMotion, theme]);

  return <canvas ref={canvasRef} className="message-canvas" role="img" aria-label={`${count} messages in flight`} />;
}
