import { useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { describeEvent } from '../store/describe';
import { useLab, useLabActions } from '../store/context';
import type { LabState } from '../store/labStore';
import { eventAt, type RunState } from '../store/replay';
import { LOG_REFRESH_WHILE_PLAYING_MS } from './drawingRules';
import { useCrowdedInterval, useThrottledLab } from './useThrottledLab';

/** Rows drawn beyond the visible ones, so a fast scroll does not show blank lines for a frame. */
const OVERSCAN = 8;
/** Without layout (tests, a collapsed panel) this many rows around the current event are drawn. */
const FALLBACK_ROWS = 40;

interface LogView {
  run: RunState;
  cursor: number;
}

const selectLogView = (s: LabState): LogView => ({ run: s.run, cursor: s.cursor });
const sameLogView = (a: LogView, b: LogView) => a.run === b.run && a.cursor === b.cursor;

/**
 * Every event of the run the page keeps, oldest first: a listbox. Click an event, or focus the log and use the
 * arrow keys, Page Up/Down, Home and End, to see the moment just after it (selection follows focus, like the
 * scrubber). Only the rows in view are rendered (a run has thousands), so the work per frame does not grow with
 * the run.
 */
export function EventLog() {
  const { run, cursor } = useThrottledLab(selectLogView, sameLogView, LOG_REFRESH_WHILE_PLAYING_MS);
  const { seekEvent, seekTime, toLive } = useLabActions();
  const { base, length, generation } = run;
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(0);
  const [rowHeight, setRowHeight] = useState(20);
  const idPrefix = useId();
  const optionId = (i: number) => `${idPrefix}-event-${i}`;
  const current = cursor - 1;

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

  // Keep the current event in view as the run moves (or the person jumps), without fighting a manual scroll: the
  // scroll position is adjusted (during render, from state) only when the current event, the run or the size
  // changed, and written to the element only when it differs from what the element last reported.
  const follow = { current, base, generation, viewport, rowHeight };
  const [followed, setFollowed] = useState(follow);
  if (
    followed.current !== current ||
    followed.base !== base ||
    followed.generation !== generation ||
    followed.viewport !== viewport ||
    followed.rowHeight !== rowHeight
  ) {
    setFollowed(follow);
    if (viewport > 0) {
      const top = Math.max(0, current - base) * rowHeight;
      if (top < scrollTop || top + rowHeight > scrollTop + viewport) setScrollTop(Math.max(0, top - viewport + rowHeight * 2));
    }
  }
  const applied = useRef(0);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || applied.current === scrollTop) return;
    applied.current = scrollTop;
    // Scrolling needs a layout: in the next animation frame it shares the one the frame does anyway.
    const handle = requestAnimationFrame(() => {
      el.scrollTop = scrollTop;
    });
    return () => cancelAnimationFrame(handle);
  }, [scrollTop]);

  const rowsInView = Math.max(1, Math.floor(viewport / rowHeight) - 1);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (length <= base) return;
    const go = (i: number) => {
      if (i < base) seekTime(run.baseTime);
      else seekEvent(Math.min(i, length - 1));
    };
    switch (e.key) {
      case 'ArrowDown':
        go(Math.max(base, current + 1));
        break;
      case 'ArrowUp':
        go(current - 1);
        break;
      case 'PageDown':
        go(Math.max(base, current + rowsInView));
        break;
      case 'PageUp':
        go(Math.max(base, current - rowsInView));
        break;
      case 'Home':
        go(base);
        break;
      case 'End':
        toLive();
        break;
      case ' ':
      case 'Enter':
        // Selection follows focus: the current event is already shown (and Space must not scroll the list).
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  let first: number;
  let last: number;
  if (viewport > 0) {
    first = Math.max(base, base + Math.floor(scrollTop / rowHeight) - OVERSCAN);
    last = Math.min(length, base + Math.ceil((scrollTop + viewport) / rowHeight) + OVERSCAN);
  } else {
    last = Math.min(length, Math.max(cursor, base + FALLBACK_ROWS));
    first = Math.max(base, last - FALLBACK_ROWS);
  }

  const rows = [];
  for (let i = first; i < last; i++) {
    const e = eventAt(run, i);
    if (!e) continue;
    const state = i === current ? 'current' : i >= cursor ? 'future' : 'past';
    rows.push(
      <li
        key={i}
        id={optionId(i)}
        role="option"
        aria-selected={state === 'current'}
        aria-posinset={i - base + 1}
        aria-setsize={length - base}
        className={`log-${e.kind} ${state}`}
        style={{ top: (i - base) * rowHeight }}
        onClick={() => seekEvent(i)}
      >
        {describeEvent(e, run)}
      </li>,
    );
  }
  const activeShown = current >= first && current < last;
  const empty = length <= base;

  return (
    <section className="panel event-log" aria-labelledby="log-heading">
      <h2 id="log-heading">
        Event log <span className="count">{length}</span>
      </h2>
      {base > 0 && <p className="log-compacted">Events before #{base + 1} were compacted to keep memory bounded.</p>}
      {/* Not a live region: dozens of events a second would drown a screen reader; the caption speaks instead.
          One tab stop; the arrow keys move through the events (the page's shortcuts keep quiet while it has focus). */}
      <div
        ref={scroller}
        className="log-scroll"
        // A listbox must hold options: until something happens it is a plain note, and no tab stop.
        role={empty ? undefined : 'listbox'}
        aria-label={empty ? undefined : 'Event log'}
        tabIndex={empty ? undefined : 0}
        aria-activedescendant={!empty && activeShown ? optionId(current) : undefined}
        onKeyDown={onKeyDown}
        onScroll={(e) => {
          applied.current = e.currentTarget.scrollTop;
          setScrollTop(applied.current);
        }}
      >
        {empty ? (
          <p className="empty">Nothing has happened yet.</p>
        ) : (
          <ol role="presentation" style={{ height: viewport > 0 ? (length - base) * rowHeight : undefined }}>
            {rows}
          </ol>
        )}
      </div>
    </section>
  );
}

interface Narration {
  caption: string;
  explanation: string;
}
const selectNarration = (s: LabState): Narration => ({ caption: s.timeline.caption, explanation: s.timeline.explanation });
const sameNarration = (a: Narration, b: Narration) => a.caption === b.caption && a.explanation === b.explanation;

/** In presentation mode the explanation's type shrinks to this share of its size, at the least, before its box grows. */
export const FIT_FLOOR = 0.75;
const FIT_STEP = 0.05;

/**
 * Presentation mode keeps the pictures still from step to step: the narration keeps one height (the headline and two
 * lines of explanation), and a longer explanation is set in smaller type to fit it rather than pushing the pictures
 * down (below FIT_FLOOR it is let grow, so nothing is ever cut off). Refitted when the text or the width changes.
 */
function useFittedExplanation(box: RefObject<HTMLDivElement | null>, explanation: string, on: boolean) {
  useLayoutEffect(() => {
    const el = box.current?.querySelector<HTMLElement>('.explanation');
    if (!el) return;
    const fit = () => {
      el.style.removeProperty('font-size');
      if (!on) return;
      const style = getComputedStyle(el);
      const full = parseFloat(style.fontSize);
      const room = 2 * parseFloat(style.lineHeight) + 1;
      for (let k = 1 - FIT_STEP; el.scrollHeight > room && k >= FIT_FLOOR - 1e-6; k -= FIT_STEP) el.style.fontSize = `${(full * k).toFixed(2)}px`;
    };
    fit();
    if (!on || typeof ResizeObserver === 'undefined') return;
    let width = el.clientWidth;
    const observer = new ResizeObserver(() => {
      // Only a new width changes where lines break; the height changes fitting makes must not refit again.
      if (el.clientWidth === width) return;
      width = el.clientWidth;
      fit();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [box, explanation, on]);
}

/** What the last step did, and why it matters: announced while stepping, quiet while playing. */
export function StepCaption() {
  const { caption, explanation } = useThrottledLab(selectNarration, sameNarration, useCrowdedInterval());
  const playing = useLab((s) => s.playback.playing);
  const replayed = useLab((s) => !s.following);
  const presentation = useLab((s) => s.ui.presentation);
  const box = useRef<HTMLDivElement>(null);
  useFittedExplanation(box, explanation, presentation);
  return (
    <div className="narration" role="status" aria-live={playing ? 'off' : 'polite'} aria-label="Last step" ref={box}>
      <p className="caption">
        {replayed && <span className="replay-tag">Replay · </span>}
        {caption}
      </p>
      {explanation && <p className="explanation">{explanation}</p>}
    </div>
  );
}
