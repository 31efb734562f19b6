/**
 * What is on screen, decided in one place. While `following`, the screen is the picture the worker's batches keep up
 * to date (`timeline === live`, at its index and its time); otherwise it is the moment at `cursor` and `viewTime`,
 * rebuilt from the trace the page keeps. Every update of the lab store passes through `onScreen`, so actions and
 * batches only say where the person looks (follow the worker, or a position) and never restore the picture by hand.
 */
import type { StateCreator, StoreApi } from 'zustand/vanilla';
import type { LabState } from './labStore';
import type { RunState } from './replay';
import { pictureAt, type TimelineState } from './timeline';

/** The part of the lab's state that says what is on screen. */
export interface Screen {
  /** The whole run as the worker reported it. */
  run: RunState;
  /** The picture the worker's batches keep up to date (the newest moment it reported). */
  live: TimelineState;
  /** What is on screen: `live` while following, otherwise a past moment rebuilt from the trace. */
  timeline: TimelineState;
  following: boolean;
  /** Trace events shown, and the virtual time shown (between events after scrubbing by time). */
  cursor: number;
  viewTime: number;
  /** True when the person scrubbed to a time rather than to an event (a seek then goes by time). */
  scrubbedByTime: boolean;
}

/** The screen while following the worker: its live picture, where and when that picture is. */
export function followingLive(live: TimelineState): Omit<Screen, 'run' | 'live'> {
  return { following: true, timeline: live, cursor: live.index, viewTime: live.now, scrubbedByTime: false };
}

/**
 * `next` with its screen made consistent: following shows `live`; otherwise a past picture, rebuilt (at `realNow`,
 * from which the ✕ of messages lost in that step fade) only when the position changed, so a batch arriving while
 * someone looks at the past leaves the past alone.
 */
export function onScreen<S extends Screen>(prev: S, next: S, realNow: () => number): S {
  if (next.following) {
    const { live } = next;
    if (next.timeline === live && next.cursor === live.index && next.viewTime === live.now && !next.scrubbedByTime) return next;
    return { ...next, ...followingLive(live) };
  }
  const moved = prev.following || next.cursor !== prev.cursor || next.viewTime !== prev.viewTime || next.run.generation !== prev.run.generation;
  if (!moved) return next.timeline === prev.timeline ? next : { ...next, timeline: prev.timeline };
  return { ...next, timeline: pictureAt(next.run, next.cursor, next.viewTime, realNow(), next.live.generation) };
}

/**
 * The zustand middleware that puts every update — the slices' `set` and the store's `setState` alike — through
 * onScreen, the initial state included.
 */
export function keepOnScreen(realNow: () => number, create: StateCreator<LabState>): StateCreator<LabState> {
  return (set, get, api) => {
    const guarded = ((partial: LabState | Partial<LabState> | ((s: LabState) => LabState | Partial<LabState>), replace?: boolean) => {
      const prev = get();
      const patch = typeof partial === 'function' ? partial(prev) : partial;
      set(onScreen(prev, replace ? (patch as LabState) : { ...prev, ...patch }, realNow), true);
    }) as StoreApi<LabState>['setState'];
    api.setState = guarded;
    const initial = create(guarded, get, api);
    return onScreen(initial, initial, realNow);
  };
}
