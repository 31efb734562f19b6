import { useContext, useEffect, useState } from 'react';
import { LabStoreContext, useLab } from '../../store/context';
import { CROWDED_TIMER_INTERVAL_MS, CROWDED_TIMERS } from '../drawingRules';
import { useReducedMotion } from '../useReducedMotion';
import { createAnimationClock } from './animationClock';
import type { GraphLayout } from './layout';

/**
 * Each running timer as a ring that fills clockwise towards its deadline: the room sees a backup's patience run out
 * before it suspects the primary. Only replicas with a timer are drawn, so the work per frame follows them, not n.
 */
export function TimerLayer({ layout }: { layout: GraphLayout }) {
  const store = useContext(LabStoreContext);
  const replicas = useLab((s) => s.timeline.replicas);
  const playing = useLab((s) => s.playback.playing);
  const reducedMotion = useReducedMotion();
  // While the rings animate their own clock drives them: they need not redraw on every batch too.
  const smooth = playing && !reducedMotion;
  const now = useLab((s) => (smooth ? -1 : s.timeline.now));
  const [frameTime, setFrameTime] = useState<number | null>(null);
  const timed = replicas.filter((r) => r.timer !== null);
  const animate = smooth && timed.length > 0;

  // Many rings (at n = 100 every backup times the request) fill slowly: redrawing them all 60 times a second costs
  // more than a frame and shows nothing more than ten times a second does.
  const crowd = timed.length > CROWDED_TIMERS;
  useEffect(() => {
    if (!store || !animate) return;
    const clock = createAnimationClock();
    let lastSet = Number.NEGATIVE_INFINITY;
    let handle = requestAnimationFrame(function loop(real) {
      const { timeline, playback } = store.getState();
      const t = clock(timeline, playback, false, real);
      if (!crowd || real - lastSet >= CROWDED_TIMER_INTERVAL_MS) {
        lastSet = real;
        setFrameTime(t);
      }
      handle = requestAnimationFrame(loop);
    });
    return () => cancelAnimationFrame(handle);
  }, [store, animate, crowd]);

  if (timed.length === 0) return null;
  const t = animate ? (frameTime ?? store?.getState().timeline.now ?? 0) : now;
  // Outside the phase rings (up to radius + 13), so both read at once.
  const r = layout.nodeRadius + 21;
  const circumference = 2 * Math.PI * r;
  return (
    <g className="timers" aria-hidden="true">
      {timed.map((replica) => {
        const timer = replica.timer!;
        const position = layout.replicas[replica.id];
        if (!position) return null;
        const span = Math.max(1e-9, timer.deadline - timer.startedAt);
        const done = Math.min(1, Math.max(0, (t - timer.startedAt) / span));
        return (
          <g key={replica.id} transform={`translate(${position.x},${position.y}) rotate(-90)`} className={done > 0.8 ? 'timer-ring urgent' : 'timer-ring'}>
            <circle className="timer-track" r={r} />
            <circle className="timer-fill" r={r} strokeDasharray={`${(done * circumference).toFixed(1)} ${circumference.toFixed(1)}`} />
          </g>
        );
      })}
    </g>
  );
}

/** The current view and its primary, large in a corner of the graph: the first thing asked after a view change. */
export function ViewBadge() {
  const view = useLab((s) => s.timeline.stats?.view ?? 0);
  const primary = useLab((s) => s.timeline.stats?.primary ?? 0);
  const changing = useLab((s) => s.timeline.replicas.filter((r) => r.viewChanging && !r.behaviour).length);
  return (
    <text className="view-badge" x={24} y={48} aria-hidden="true">
      <tspan className="view-badge-main">
        View {view} · primary {primary}
      </tspan>
      {changing > 0 && (
        <tspan x={24} dy={34} className="view-badge-sub">
          {changing} changing view…
        </tspan>
      )}
    </text>
  );
}
