import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { describeEvent } from '../store/describe';
import { useLab, useLabActions } from '../store/context';

/** Rows drawn beyond the visible ones, so a fast scroll does not show blank lines for a frame. */
const OVERSCAN = 8;
/** Without layout (tests, a collapsed panel) this many rows around the current event are drawn. */
const FALLBACK_ROWS = 40;

/**
 * Every event of the run, oldest first; click one to see the moment just after it. Only the rows in view are
 * rendered (a run has thousands), so the work per frame does not grow with the run.
 */
export function EventLog() {
  const trace = useLab((s) => s.run.trace);
  const length = useLab((s) => s.run.length);
  const generation = useLab((s) => s.run.generation);
  const cursor = useLab((s) => s.cursor);
  const { seekEvent } = useLabActions();
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(0);
  const [rowHeight, setRowHeight] = useState(20);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => {
      setViewport(el.clientHeight);
      const row = el.querySelector('li');
      if (row && row.getBoundingClientRect().height > 0) setRowHeight(row.getBoundingClientRect().height);
    };
    measure();
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    observer?.observe(el);
    return () => observer?.disconnect();
  }, []);

  // Keep the current event in view as the run moves (or the person jumps), without fighting a manual scroll.
  useEffect(() => {
    const el = scroller.current;
    if (!el || viewport === 0) return;
    const current = Math.max(0, cursor - 1) * rowHeight;
    if (current < el.scrollTop || current + rowHeight > el.scrollTop + el.clientHeight) {
      el.scrollTop = Math.max(0, current - el.clientHeight + rowHeight * 2);
      setScrollTop(el.scrollTop);
    }
  }, [cursor, generation, viewport, rowHeight]);

  let first: number;
  let last: number;
  if (viewport > 0) {
    first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
    last = Math.min(length, Math.ceil((scrollTop + viewport) / rowHeight) + OVERSCAN);
  } else {
    last = Math.min(length, Math.max(cursor, FALLBACK_ROWS));
    first = Math.max(0, last - FALLBACK_ROWS);
  }

  const rows = [];
  for (let i = first; i < last; i++) {
    const e = trace[i];
    const state = i === cursor - 1 ? 'current' : i >= cursor ? 'future' : 'past';
    rows.push(
      <li key={i} className={`log-${e.kind} ${state}`} style={{ top: i * rowHeight }} aria-current={state === 'current' ? 'step' : undefined}>
        <button type="button" tabIndex={-1} onClick={() => seekEvent(i)}>
          {describeEvent(e)}
        </button>
      </li>,
    );
  }

  return (
    <section className="panel event-log" aria-labelledby="log-heading">
      <h2 id="log-heading">
        Event log <span className="count">{length}</span>
      </h2>
      {/* aria-live off: dozens of events a second would drown a screen reader; the caption speaks instead.
          Focusable so keyboard users can scroll it; the rows are mouse targets (the scrubber and ←/→ reach the same
          moments from the keyboard). */}
      <div
        ref={scroller}
        className="log-scroll"
        role="log"
        aria-live="off"
        aria-label="Event log"
        tabIndex={0}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      >
        {length === 0 ? (
          <p className="empty">Nothing has happened yet.</p>
        ) : (
          <ol style={{ height: viewport > 0 ? length * rowHeight : undefined }}>{rows}</ol>
        )}
      </div>
    </section>
  );
}

/** What the last step did, and why it matters: announced while stepping, quiet while playing. */
export function StepCaption() {
  const caption = useLab((s) => s.timeline.caption);
  const explanation = useLab((s) => s.timeline.explanation);
  const playing = useLab((s) => s.playback.playing);
  const replayed = useLab((s) => !s.following);
  return (
    <div className="narration" role="status" aria-live={playing ? 'off' : 'polite'} aria-label="Last step">
      <p className="caption">
        {replayed && <span className="replay-tag">Replay · </span>}
        {caption}
      </p>
      {explanation && <p className="explanation">{explanation}</p>}
    </div>
  );
}
