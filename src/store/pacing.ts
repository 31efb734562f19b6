/**
 * What the page may know of the worker's pacing rule (the rule itself, and why its values: src/worker/pacing.ts).
 * The views reach the worker only through the store, so they read these figures here: the graph quotes the batch
 * limit in its "running slower than chosen" note, and the drawing rules pace crowded repaints in frames.
 */
export { FRAME_MS, MAX_EVENTS_PER_BATCH } from '../worker/pacing';
