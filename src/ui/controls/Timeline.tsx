import { useMemo, type CSSProperties } from 'react';
import type { Scenario, TimedIntervention } from '../../sim/types';
import { useLabActions } from '../../store/context';
import { formatTime, interventionWords } from '../../store/describe';
import type { LabState } from '../../store/labStore';
import type { RunState } from '../../store/replay';
import { useCrowdedInterval, useThrottledLab } from '../useThrottledLab';

interface Position {
  end: number;
  base: number;
  baseTime: number;
  length: number;
  viewTime: number;
  cursor: number;
  following: boolean;
  /** What the marks under the track say: the choices, and what names their timers and messages. */
  interventions: readonly TimedIntervention[];
  scenario: Scenario | null;
  messageById: RunState['messageById'];
}

const selectPosition = (s: LabState): Position => ({
  end: s.run.endTime,
  base: s.run.base,
  baseTime: s.run.baseTime,
  length: s.run.length,
  viewTime: s.viewTime,
  cursor: s.cursor,
  following: s.following && s.cursor === s.run.length,
  interventions: s.run.interventions,
  scenario: s.run.scenario,
  messageById: s.run.messageById,
});
const samePosition = (a: Position, b: Position) =>
  a.end === b.end &&
  a.base === b.base &&
  a.length === b.length &&
  a.viewTime === b.viewTime &&
  a.cursor === b.cursor &&
  a.following === b.following &&
  a.interventions === b.interventions &&
  a.scenario === b.scenario &&
  a.messageById === b.messageById;

/** The choices a person made at one virtual instant (several can share one: a hand acts while the clock stands still). */
export interface ChoiceMark {
  at: number;
  /** Where on the track, from 0 (its start) to 1 (its end). */
  fraction: number;
  words: string[];
}

/** The run's interventions as marks on the scrubber's track, one per instant, from the oldest moment the page keeps. */
export function choiceMarks(
  interventions: readonly TimedIntervention[],
  from: number,
  to: number,
  scenario?: Scenario | null,
  messageById?: RunState['messageById'],
): ChoiceMark[] {
  const marks: ChoiceMark[] = [];
  const message = messageById && ((id: number) => messageById.get(id));
  for (const { at, intervention } of interventions) {
    if (at < from) continue;
    const words = interventionWords(intervention, scenario ?? undefined, message);
    const last = marks.at(-1);
    if (last && last.at === at) last.words.push(words);
    else marks.push({ at, fraction: to > from ? Math.min(1, (at - from) / (to - from)) : 0, words: [words] });
  }
  return marks;
}

/** "3 choices at t=12.0: deliver …; drop …; fire …". */
export function choiceMarkLabel(m: ChoiceMark): string {
  return `${m.words.length} choice${m.words.length === 1 ? '' : 's'} at ${formatTime(m.at)}: ${m.words.join('; ')}`;
}

/**
 * The scrubber over virtual time (from the oldest moment the page still keeps: see store/replay.ts). Moving it redraws the past from the trace the page holds (no re-simulation);
 * playing or acting from there makes the worker replay from the seed, which gives the identical run.
 */
export function Timeline() {
  const { end, base, baseTime, length, viewTime, cursor, following, interventions, scenario, messageById } = useThrottledLab(selectPosition, samePosition, useCrowdedInterval());
  const { seekTime, toLive } = useLabActions();
  const max = Math.max(end, baseTime + 0.1);
  const marks = useMemo(() => choiceMarks(interventions, baseTime, max, scenario, messageById), [interventions, baseTime, max, scenario, messageById]);
  const compacted = base > 0 ? `history before t = ${baseTime.toFixed(1)} ms compacted` : null;
  const text = `t = ${viewTime.toFixed(1)} of ${end.toFixed(1)} ms, event ${cursor} of ${length}${compacted ? `; ${compacted}` : ''}`;
  return (
    <div className="timeline">
      <label htmlFor="timeline-scrubber">Time</label>
      <div className="timeline-track">
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
        {marks.length > 0 && (
          // Ticks under the track where a person chose something (a hand's Deliver, a cut, a liar switched on); a click
          // shows that moment. Out of the tab order: the scrubber and the event log reach every moment by keyboard.
          <ol className="timeline-marks" aria-label="Your choices on the timeline">
            {marks.map((m) => (
              <li key={m.at} style={{ '--at': m.fraction } as CSSProperties}>
                <button type="button" tabIndex={-1} aria-label={choiceMarkLabel(m)} title={choiceMarkLabel(m)} onClick={() => seekTime(m.at)} />
              </li>
            ))}
          </ol>
        )}
      </div>
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
