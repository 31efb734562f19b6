import { useLab, useLabActions } from '../../store/context';

/**
 * The scrubber over virtual time (from the oldest moment the page still keeps: see store/replay.ts). Moving it redraws the past from the trace the page holds (no re-simulation);
 * playing or acting from there makes the worker replay from the seed, which gives the identical run.
 */
export function Timeline() {
  const end = useLab((s) => s.run.endTime);
  const base = useLab((s) => s.run.base);
  const baseTime = useLab((s) => s.run.baseTime);
  const length = useLab((s) => s.run.length);
  const viewTime = useLab((s) => s.viewTime);
  const cursor = useLab((s) => s.cursor);
  const following = useLab((s) => s.following && s.cursor === s.run.length);
  const { seekTime, toLive } = useLabActions();
  const max = Math.max(end, baseTime + 0.1);
  const compacted = base > 0 ? `history before t = ${baseTime.toFixed(1)} ms compacted` : null;
  const text = `t = ${viewTime.toFixed(1)} of ${end.toFixed(1)} ms, event ${cursor} of ${length}${compacted ? `; ${compacted}` : ''}`;
  return (
    <div className="timeline">
      <label htmlFor="timeline-scrubber">Time</label>
      <input
        id="timeline-scrubber"
        type="range"
        min={baseTime}
        max={max}
        step="any"
        value={Math.max(baseTime, Math.min(viewTime, max))}
        aria-valuetext={text}
        onChange={(e) => seekTime(Number(e.currentTarget.value))}
      />
      <output htmlFor="timeline-scrubber" className="timeline-readout">
        {viewTime.toFixed(1)} / {end.toFixed(1)} ms · {cursor}/{length}
      </output>
      <button type="button" className="small" onClick={toLive} disabled={following} title="Jump to the newest moment (End)">
        Latest
      </button>
      {compacted && (
        <p className="timeline-compacted">
          The scrubber starts at t = {baseTime.toFixed(1)} ms: history before it ({base.toLocaleString('en-US')} events) was compacted to keep
          memory bounded. Counts stay exact.
        </p>
      )}
    </div>
  );
}
