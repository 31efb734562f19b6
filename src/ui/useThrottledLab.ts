import { useContext, useEffect, useState } from 'react';
import { LabStoreContext, useLab } from '../store/context';
import type { LabState } from '../store/labStore';
import { CROWDED_N, CROWDED_REFRESH_MS } from './drawingRules';

const selectCrowded = (s: LabState) => s.timeline.n > CROWDED_N;

/**
 * CROWDED_REFRESH_MS when the run is crowded (more than CROWDED_N replicas), else 0 (never throttled): what the
 * counters, the caption, the scrubber and the space-time diagram pass to useThrottledLab.
 */
export function useCrowdedInterval(): number {
  return useLab(selectCrowded) ? CROWDED_REFRESH_MS : 0;
}

/**
 * A slice of the lab that follows the store at once while paused (a step, a jump, a click must show immediately)
 * but at most every `intervalWhilePlaying` ms while playing — for views whose every-frame redraw costs more than it
 * shows (the event log; the painted space-time diagram at large n). 0 means never throttled.
 * `select` must be a stable function (module level); `same` tells when two slices draw the same.
 */
export function useThrottledLab<T>(select: (s: LabState) => T, same: (a: T, b: T) => boolean, intervalWhilePlaying: number): T {
  const store = useContext(LabStoreContext);
  if (!store) throw new Error('useThrottledLab needs a <LabStoreContext.Provider> above it.');
  const [value, setValue] = useState<T>(() => select(store.getState()));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let shown = select(store.getState());
    let last = Number.NEGATIVE_INFINITY;
    const update = () => {
      timer = null;
      last = performance.now();
      const next = select(store.getState());
      if (same(next, shown)) return;
      shown = next;
      setValue(next);
    };
    update();
    const unsubscribe = store.subscribe((state) => {
      if (same(select(state), shown)) return;
      if (intervalWhilePlaying <= 0 || !state.playback.playing) {
        if (timer) clearTimeout(timer);
        update();
      } else if (!timer) {
        timer = setTimeout(update, Math.max(0, intervalWhilePlaying - (performance.now() - last)));
      }
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [store, select, same, intervalWhilePlaying]);
  return value;
}
