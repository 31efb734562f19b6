import { useContext, useEffect, useState } from 'react';
import { LabStoreContext, useLab } from '../../store/context';
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
  const now = useLab((s) => s.timeline.now);
  const playing = useLab((s) => s.playback.playing);
  const reducedMotion = useReducedMotion();
  const [frameTime, setFrameTime] = useState<number | null>(null);
  const timed = replicas.filter((r) => r.timer !== null);
  const animate = playing && !reducedMotion && timed.length > 0;

  useEffect(() => {
    if (!store || !animate) return;
    const clock = createAnimationClock();
    let handle = requestAnimationFrame(function loop(real) {
      const { timeline, playback } = store.getState();
      setFrameTime(clock(timeline, playback, false, real));
      handle = requestAnimationFrame(loop);
    });
    return () => cancelAnimationFrame(handle);
  }, [store, animate]);

  if (timed.length === 0) return null;
  const t = animate && frameTime !== null ? Math.max(now, frameTime) : now;
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
