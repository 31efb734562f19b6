import { useLabActions } from '../../store/context';
import type { LabState } from '../../store/labStore';
import { useCrowdedInterval, useThrottledLab } from '../useThrottledLab';

interface Position {
  end: number;
  base: number;
  baseTime: number;
  length: number;
  viewTime: number;
  cursor: number;
  following: boolean;
}

const selectPosition = (s: LabState): Position => ({
  end: s.run.endTime,
  base: s.run.base,
  baseTime: s.run.baseTime,
  length: s.run.length,
  viewTime: s.viewTime,
  cursor: s.cursor,
  following: s.following && s.cursor === s.run.length,
});
const samePosition = (a: Position, b: Position) =>
  a.end === b.end && a.base === b.base && a.length === b.length && a.viewTime === b.viewTime && a.cursor === b.cursor && a.following === b.following;

/**
 * The scrubber over virtual time (from the oldest moment the page still keeps: see store/replay.ts). Moving it redraws the past from the trace the page holds (no re-simulation);
 * playing or acting from there makes the worker replay from the seed, which gives the identical run.
 */
export function Timeline() {
  const { end, base, baseTime, length, viewTime, cursor, following } = useThrottledLab(selectPosition, samePosition, useCrowdedInterval());
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
