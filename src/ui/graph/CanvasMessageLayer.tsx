import { useContext, useEffect, useRef } from 'react';
import { CLIENT, MESSAGE_TYPES, type MessageType } from '../../sim/types';
import { LabStoreContext, useLab } from '../../store/context';
import { DROP_FADE_MS, LOSS_FRACTION, progressAt } from '../../store/timeline';
import { useReducedMotion } from '../useReducedMotion';
import { createAnimationClock } from './animationClock';
import { wirePoint, type GraphLayout } from './layout';
import { nodeAt } from './MessageLayer';

/** CSS custom property holding each type's colour (styles.css), so canvas and SVG share one palette. */
const COLOUR_VAR: Record<MessageType, string> = {
  REQUEST: '--msg-request',
  PRE_PREPARE: '--msg-pre-prepare',
  PREPARE: '--msg-prepare',
  COMMIT: '--msg-commit',
  REPLY: '--msg-reply',
  CHECKPOINT: '--msg-checkpoint',
  VIEW_CHANGE: '--msg-view-change',
  NEW_VIEW: '--msg-new-view',
};

function readColours(el: Element) {
  const style = getComputedStyle(el);
  const fill = Object.fromEntries(MESSAGE_TYPES.map((t) => [t, style.getPropertyValue(COLOUR_VAR[t]).trim() || '#888'])) as Record<MessageType, string>;
  return {
    fill,
    outline: style.getPropertyValue('--msg-outline').trim() || '#000',
    lost: style.getPropertyValue('--bad-stroke').trim() || '#d55e00',
  };
}

/**
 * Thousands of messages (n = 100 sends about 20 000 per request) are painted on one canvas under the SVG
 * nodes, straight from the store in a requestAnimationFrame loop: no React work and no DOM nodes per message.
 * The canvas shares the SVG's viewBox mapping, so dots still leave and enter the nodes drawn above it.
 */
export function CanvasMessageLayer({ layout }: { layout: GraphLayout }) {
  const store = useContext(LabStoreContext);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const count = useLab((s) => s.timeline.inFlight.size);
  const reducedMotion = useReducedMotion();

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!store || !canvas || !ctx) return;
    const clock = createAnimationClock();
    let colours = readColours(canvas);
    let handle = 0;

    const draw = (real: number) => {
      handle = 0;
      const { timeline, playback } = store.getState();
      const dpr = window.devicePixelRatio || 1;
      const w = canvas.clientWidth;
      const h = canvas.clientHeight;
      if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
        canvas.width = Math.round(w * dpr);
        canvas.height = Math.round(h * dpr);
        colours = readColours(canvas);
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
      for (const m of timeline.inFlight.values()) {
        const from = nodeAt(layout, m.from);
        const to = nodeAt(layout, m.to);
        if (!from || !to) continue;
        const { x, y } = wirePoint(layout, from, to, progressAt(m, t) * (m.lost ? LOSS_FRACTION : 1), m.from === CLIENT, m.to === CLIENT);
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
        ctx.stroke(path);
      }

      let fading = false;
      ctx.strokeStyle = colours.lost;
      ctx.lineWidth = Math.max(2, r * 0.5);
      ctx.lineCap = 'round';
      for (const d of timeline.dropped) {
        const age = Math.max(0, real - d.lostAtReal);
        if (age >= DROP_FADE_MS) continue;
        fading = true;
        const from = nodeAt(layout, d.from);
        const to = nodeAt(layout, d.to);
        if (!from || !to) continue;
        const { x, y } = wirePoint(layout, from, to, LOSS_FRACTION, d.from === CLIENT, d.to === CLIENT);
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
    const resize = new ResizeObserver(schedule);
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
  }, [store, layout, reducedMotion]);

  return <canvas ref={canvasRef} className="message-canvas" role="img" aria-label={`${count} messages in flight`} />;
}
