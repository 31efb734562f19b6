/**
 * The drawing thresholds: above which n, how many messages or how many timers the page draws less, paints on a
 * canvas instead of SVG, or redraws less often, so that a busy run keeps its frames. Every view reads them here.
 *
 * The figures quoted come from `npm run bench` (a production build in headless Chromium, software rendering,
 * 1280×720, a run kept busy with a new request every half second); README "At scale" and "Benchmarks" sum them up.
 * Only the drawing changes at a threshold: every count the page prints stays exact. How often the worker sends a
 * batch and how much one carries is the pacing rule (src/worker/pacing.ts), not a drawing rule.
 */
import { FRAME_MS } from '../store/pacing';

// ── A crowded run: fewer redraws while playing ──────────────────────────────────────────────────────────────────

/**
 * Above this many replicas (n = 10 and up: f ≥ 3) a run is crowded: the counters, the caption and the scrubber redraw
 * every CROWDED_REFRESH_MS while playing (useThrottledLab.ts), the space-time diagram at the same pace, painted dots
 * every CROWDED_PAINT_MS. Measured with a busy run: at n = 10 and 13 redrawing all of them on every batch held the
 * page to 20 frames a second on software rendering. Up to n = 7 nothing is throttled.
 */
export const CROWDED_N = 7;

/**
 * How often a crowded run's counters, caption, scrubber and space-time diagram are redrawn while playing: each redraw
 * costs layout and paint, and ten updates a second is already more than anyone reads. Paused, every change shows at
 * once.
 */
export const CROWDED_REFRESH_MS = 100;

/**
 * A crowded run's dots (tiny, thousands in flight) are repainted at most every other frame while it plays: the motion
 * stays smooth to the eye and the software rasteriser does half the work. A new batch, or anything else that changed
 * the picture, is painted at once.
 */
export const CROWDED_PAINT_MS = 2 * FRAME_MS;

/**
 * Above this many running timers the rings are redrawn at most every CROWDED_TIMER_INTERVAL_MS while playing: at
 * n = 100 every backup times the request, and redrawing all those rings 60 times a second costs more than a frame and
 * shows nothing more than ten times a second does (the rings fill slowly).
 */
export const CROWDED_TIMERS = 12;
export const CROWDED_TIMER_INTERVAL_MS = 100;

/**
 * While playing, the event log is redrawn at most this often, whatever n: dozens of events a second cannot be read
 * anyway, and each redraw scrolls (a layout) — at n = 100 that was a good part of every frame.
 */
export const LOG_REFRESH_WHILE_PLAYING_MS = 250;

// ── SVG or canvas ───────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Above this many messages in flight the graph paints them on a canvas: SVG elements per message cost more than a
 * frame. (From n = 13 the graph paints them anyway, see COMPACT_FROM_N.) Up to it each message is an element with a
 * name, reachable by keyboard.
 */
export const SVG_MESSAGE_LIMIT = 300;

/**
 * Above this many replicas the space-time diagram's arrows are painted on a canvas: named SVG arrows cost whole frames.
 * Measured with a busy run (a new request every half second, software rendering): SVG arrows held n = 10 to 30–40
 * frames a second and n = 13 and 16 to 40–45, painted ones 50–60; at n = 7 the SVG diagram's layout and paint were most
 * of a frame (frame p95 33–50 ms, 16.8 ms without the diagram), painted arrows redrawn at every frame hold 60. Only
 * n = 4, the paper's Figure 1, keeps an element per arrow with its name; at every n the event log is the keyboard's
 * route to every message, and a click on a painted arrow selects it as a click on an SVG one does.
 */
export const CANVAS_DIAGRAM_ABOVE_N = 4;

/**
 * Above this many arrows drawn, the painted diagram draws plain thin lines: no arrowheads, no dashes for messages in
 * flight (their front dot marks them). Heads and dashes are costly to rasterise in software, and at that density
 * they blur into the lines anyway.
 */
export const PLAIN_ARROWS_ABOVE = 300;

// ── How much each replica says on the ring ──────────────────────────────────────────────────────────────────────

/**
 * From this n the ring is compact: no caption beside each replica, the ring grows into the captions' room, messages
 * are unlabelled dots painted on the canvas. From MINIMAL_FROM_N the dots shrink further. Both fall between the sizes
 * the visualizer draws (n = 3f + 1): full detail up to n = 10, compact for n = 13 to 40, minimal from n = 43 — a
 * caption per replica stays readable from the back of the room only up to n = 10.
 */
export const COMPACT_FROM_N = 11;
export const MINIMAL_FROM_N = 41;

/**
 * The faint wires between every pair of nodes are drawn up to this n, while they stay sparse enough to read: n = 16
 * has 120 of them, the next size the visualizer draws (n = 19) 171.
 */
export const EDGES_UP_TO_N = 16;

/**
 * Dots at least this radius (viewBox units) get an outline. The minimal ring's dots (n > 40) are smaller: an outline is
 * invisible at that size but costs as much again to rasterise.
 */
export const DOT_OUTLINE_FROM_RADIUS = 6;

// ── Thinning budgets (the rule: src/store/thinning.ts) ──────────────────────────────────────────────────────────

/**
 * Dots in the graph per message type: a few thousand dots in all at most, a few hundred in practice. At n = 100 one
 * request sends about 20,000 messages; nobody can follow ten thousand dots on one ring.
 */
export const GRAPH_DOTS_PER_TYPE = 400;
/** Arrows per message type in the space-time diagram when it is painted on a canvas (large n). */
export const CANVAS_ARROWS_PER_TYPE = 250;
/** Arrows per message type when the diagram is SVG (small n): each arrow is a few DOM nodes with a name. */
export const SVG_ARROWS_PER_TYPE = 150;

// ── Exported pictures ───────────────────────────────────────────────────────────────────────────────────────────

/**
 * Arrows per message type in an exported space-time diagram: a slide shows every message of a lecture's run (the
 * normal case at n = 4 sends 29), and only a long run at large n is thinned (the file then says so), so an SVG stays
 * a file a slide program opens.
 */
export const EXPORT_ARROWS_PER_TYPE = 5000;
