import { memo, useContext, useEffect, useState, type ReactElement } from 'react';
import { CLIENT, type NodeId } from '../../sim/types';
import { nodeName, typeLabel } from '../../store/describe';
import { LabStoreContext, useLab, useLabActions } from '../../store/context';
import { DROP_FADE_MS, lossFraction, wireFraction, type DroppedMessage, type FlightMessage } from '../../store/timeline';
import { useReducedMotion } from '../useReducedMotion';
import { createAnimationClock } from './animationClock';
import { type GraphLayout, type NodePosition, wirePoint } from './layout';
import { MESSAGE_ABBREVIATION, messageClass } from './palette';

interface Frame {
  /** Real time of the frame being drawn (performance.now timebase). */
  real: number;
  virtual: number;
}

export function nodeAt(layout: GraphLayout, id: NodeId): NodePosition | undefined {
  return id === CLIENT ? layout.client : layout.replicas[id];
}

/**
 * Messages as SVG, each one an element a screen reader and a test can find. Only this layer re-renders every
 * animation frame, and its work is proportional to the messages on screen, not to n. Crowded runs use
 * CanvasMessageLayer instead.
 */
export function MessageLayer({ layout }: { layout: GraphLayout }) {
  const store = useContext(LabStoreContext);
  const inFlight = useLab((s) => s.timeline.inFlight);
  const dropped = useLab((s) => s.timeline.dropped);
  const now = useLab((s) => s.timeline.now);
  const playing = useLab((s) => s.playback.playing);
  const selectedId = useLab((s) => s.selection.message);
  const { pickMessage } = useLabActions();
  const reducedMotion = useReducedMotion();
  const [frame, setFrame] = useState<Frame | null>(null);

  useEffect(() => {
    if (!store) return;
    const clock = createAnimationClock();
    let handle = 0;
    const loop = (real: number) => {
      const { timeline, playback } = store.getState();
      setFrame({ real, virtual: clock(timeline, playback, reducedMotion, real) });
      const animate = playback.playing && !reducedMotion;
      const fading = timeline.dropped.some((d) => real - d.lostAtReal < DROP_FADE_MS);
      handle = animate || fading ? requestAnimationFrame(loop) : 0;
    };
    handle = requestAnimationFrame(loop);
    return () => cancelAnimationFrame(handle);
  }, [store, playing, reducedMotion, dropped]);

  const t = playing && !reducedMotion && frame ? frame.virtual : now;
  // Before the first frame, a fresh ✕ is drawn at full strength.
  const real = frame?.real ?? Number.NEGATIVE_INFINITY;
  const showAbbreviation = layout.detail === 'full';

  const dots: ReactElement[] = [];
  for (const m of inFlight.values()) {
    const from = nodeAt(layout, m.from);
    const to = nodeAt(layout, m.to);
    if (!from || !to) continue;
    const { x, y } = wirePoint(layout, from, to, wireFraction(m, t), m.from === CLIENT, m.to === CLIENT);
    dots.push(<MessageDot key={m.id} message={m} x={x} y={y} r={layout.dotRadius} abbreviate={showAbbreviation} selected={m.id === selectedId} onPick={pickMessage} />);
  }
  const crosses: ReactElement[] = [];
  for (const d of dropped) {
    const age = Math.max(0, real - d.lostAtReal);
    if (age >= DROP_FADE_MS) continue;
    const from = nodeAt(layout, d.from);
    const to = nodeAt(layout, d.to);
    if (!from || !to) continue;
    const { x, y } = wirePoint(layout, from, to, lossFraction(d), d.from === CLIENT, d.to === CLIENT);
    const opacity = reducedMotion ? 1 : 1 - age / DROP_FADE_MS;
    crosses.push(<LostMessage key={d.id} message={d} x={x} y={y} r={layout.dotRadius} opacity={opacity} />);
  }

  return (
    <g className="messages" role="group" aria-label="Messages in flight">
      {dots}
      {crosses}
    </g>
  );
}

export function messageAccessibleName(m: Pick<FlightMessage, 'type' | 'from' | 'to'>): string {
  return `${typeLabel(m.type)} from ${nodeName(m.from)} to ${nodeName(m.to)}`;
}

const MessageDot = memo(function MessageDot({
  message,
  x,
  y,
  r,
  abbreviate,
  selected,
  onPick,
}: {
  message: FlightMessage;
  x: number;
  y: number;
  r: number;
  abbreviate: boolean;
  selected: boolean;
  onPick: (id: number) => void;
}) {
  // A click picks it (its arrow in the diagram, its row in the Network panel); the keyboard's way is that panel's list.
  return (
    <g
      className={`${messageClass(message.type)}${selected ? ' selected' : ''}${message.hand ? ' by-hand' : ''}`}
      transform={`translate(${x.toFixed(1)},${y.toFixed(1)})`}
      role="img"
      aria-label={`${messageAccessibleName(message)}${message.hand ? ', waiting for a hand' : ''}`}
      data-message={message.id}
      onClick={(e) => {
        e.stopPropagation();
        onPick(message.id);
      }}
    >
      {selected && <circle className="selected-halo" r={r * 1.7} />}
      <circle r={r} />
      {abbreviate && (
        <text dy="0.35em" fontSize={r * 0.95} aria-hidden="true">
          {MESSAGE_ABBREVIATION[message.type]}
        </text>
      )}
    </g>
  );
});

function LostMessage({ message, x, y, r, opacity }: { message: DroppedMessage; x: number; y: number; r: number; opacity: number }) {
  const s = r * 1.1;
  return (
    <g
      className={`${messageClass(message.type)} lost`}
      transform={`translate(${x.toFixed(1)},${y.toFixed(1)})`}
      opacity={opacity}
      role="img"
      aria-label={`${messageAccessibleName(message)} lost`}
    >
      <circle r={r} className="lost-dot" />
      <path className="lost-cross" d={`M${-s},${-s}L${s},${s}M${-s},${s}L${s},${-s}`} />
    </g>
  );
}
