import type { Playback } from '../../store/labStore';
import { extrapolatedTime, type TimelineState } from '../../store/timeline';

/**
 * The virtual time to draw a frame at. While playing (and motion is welcome) it runs on smoothly from the
 * last batch at the current speed, never backwards within a run, never past the next scheduled event.
 * Otherwise it is the last batch's time: with reduced motion, messages jump from batch to batch.
 */
export function createAnimationClock() {
  let lastVirtual = Number.NEGATIVE_INFINITY;
  let lastGeneration = -1;
  return (timeline: TimelineState, playback: Playback, reducedMotion: boolean, real: number): number => {
    if (!playback.playing || reducedMotion) {
      lastGeneration = -1;
      return timeline.now;
    }
    let virtual = extrapolatedTime(timeline, playback.speed, true, real);
    // A batch that lands a little behind the extrapolation must not pull dots back along their wires.
    if (timeline.generation === lastGeneration && lastVirtual <= (timeline.nextEventAt ?? Infinity)) {
      virtual = Math.max(virtual, lastVirtual);
    }
    lastVirtual = virtual;
    lastGeneration = timeline.generation;
    return virtual;
  };
}
