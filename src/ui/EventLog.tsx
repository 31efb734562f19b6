import { useLab } from '../store/context';

/** The last events in words, newest first, so nothing needs scrolling to follow along. */
export function EventLog() {
  const log = useLab((s) => s.timeline.log);
  return (
    <section className="panel event-log" aria-labelledby="log-heading">
      <h2 id="log-heading">Event log</h2>
      {/* aria-live off: dozens of events a second would drown a screen reader; the caption speaks instead.
          Focusable so keyboard users can scroll it. */}
      <div className="log-scroll" role="log" aria-live="off" aria-label="Event log" tabIndex={0}>
        <ol>
          {log.length === 0 && <li className="empty">Nothing has happened yet.</li>}
          {[...log].reverse().map((entry) => (
            <li key={entry.key} className={`log-${entry.kind}`}>
              {entry.text}
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}

/** One line about the latest step: announced while stepping, quiet while playing. */
export function StepCaption() {
  const caption = useLab((s) => s.timeline.caption);
  const playing = useLab((s) => s.playback.playing);
  return (
    <p className="caption" role="status" aria-live={playing ? 'off' : 'polite'} aria-label="Last step">
      {caption}
    </p>
  );
}
