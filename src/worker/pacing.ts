/**
 * The pacing rule: how often the worker's play loop posts a batch, and how much one batch may carry. Plain
 * constants (no imports), so the page can quote them (the "slower than chosen" note, through src/store/pacing.ts)
 * without bundling the worker's code. Tested in simHost.test.ts. When the page draws less (crowded runs, canvas
 * instead of SVG, thinning) is a drawing rule, not a pacing one: src/ui/drawingRules.ts.
 */

/** One display frame at 60 Hz. */
export const FRAME_MS = 16;

/**
 * The pacing rule, part one: the play loop posts a batch every other frame, whatever n. Each batch costs the page a
 * fixed amount besides its events (every view that shows the run redraws); dots glide at 60 frames a second between
 * batches all the same, since the animation clock, not the batch, places them. Measured with a busy run at n = 4: a
 * batch every frame dropped one frame in ten, every other frame none.
 */
export const BATCH_INTERVAL_MS = 2 * FRAME_MS;
/**
 * Real time one batch may cover. When the UI is slow to ack (or the tab was hidden) virtual time slows down
 * instead of leaping ahead, so a lecturer never comes back to a run that already finished off-screen.
 */
export const MAX_REAL_SLICE_MS = 100;
/**
 * The pacing rule, part two: at most this many events per batch. The page pays a few microseconds per event
 * (reading the message, folding it into the picture), so this bounds one frame's work at about 10 ms whatever n and
 * the speed;
 * when a burst is bigger (at n = 100 a round of PREPAREs or COMMITs is ~10,000 messages at once) virtual time runs
 * slower for a moment instead of the page freezing for a long task.
 */
export const MAX_EVENTS_PER_BATCH = 1_200;
/**
 * The pacing rule, part three: an imported run is parsed, validated and replayed in the worker, then sent to the page
 * in batches of at most this many events. Each is its own short task on the page's thread (folding it in costs about
 * a millisecond), and the page draws the run once, when the last has arrived: loading a long run never freezes the
 * page in one long task the way a single batch of 100,000 events did.
 */
export const IMPORT_CHUNK_EVENTS = 1_500;
