import { useLab, useLabActions } from '../../store/context';

/**
 * The scrubber over virtual time. Moving it redraws the past from the trace the page holds (no re-simulation);
 * playing or acting from there makes the worker replay from the seed, which gives the identical run.
 */
export function Timeline() {
  const end = useLab((s) => s.run.endTime);
  const length = useLab((s) => s.run.length);
  const viewTime = useLab((s) => s.viewTime);
  const cursor = useLab((s) => s.cursor);
  const following = useLab((s) => s.following && s.cursor === s.run.length);
  const { seekTime, toLive } = useLabActions();
  const max = Math.max(end, 0.1);
  const text = `t = ${viewTime.toFixed(1)} of ${end.toFixed(1)} ms, event ${cursor} of ${length}`;
  return (
    <div className="timeline">
      <label htmlFor="timeline-scrubber">Time</label>
      <input
        id="timeline-scrubber"
        type="range"
        min={0}
        max={max}
        step="any"
        value={Math.min(viewTime, max)}
        aria-valuetext={text}
        onChange={(e) => seekTime(Number(e.currentTarget.value))}
      />
      <output htmlFor="timeline-scrubber" className="timeline-readout">
        {viewTime.toFixed(1)} / {end.toFixed(1)} ms · {cursor}/{length}
      </output>
      <button type="button" className="small" onClick={toLive} disabled={following} title="Jump to the newest moment (End)">
        Latest
      </button>
    </div>
  );
}
