/**
 * How far one press of Step goes, defined once for the worker, the CLI and the tests. It goes happening by happening
 * through the session, so recorded interventions are replayed at their moments (inside a phase too), and it stops at
 * a safety violation, so the room sees the moment agreement broke.
 */
import type { MessageType, TraceEvent } from './types';

/** One happening, every message of the current phase, or a whole request. */
export type StepGrain = 'event' | 'phase' | 'request';

/** A request step gives up after this much virtual time without the client accepting a result. */
export const REQUEST_STEP_LIMIT_MS = 60_000;
/** Happenings a phase step or a request step takes at most (a guard; neither is reached in any real run). */
export const PHASE_STEP_MAX_HAPPENINGS = 100_000;
export const REQUEST_STEP_MAX_HAPPENINGS = 1_000_000;

/** What stepping reads of a world (`Simulation` has it). */
export interface SteppedWorld {
  readonly now: number;
  nextEventTime(): number | null;
  /** The type of the next message due to arrive (or be lost), or null when none is on the wire. */
  nextArrivingType(): MessageType | null;
  /** Messages of this type on the wire now. */
  inFlightOf(type: MessageType): number;
}

/** What stepping needs of a run (`Session` has it; the worker's tests pass fakes). */
export interface Steppable {
  /** One happening forward (recorded interventions due first); [] when nothing is left to happen. */
  step(): TraceEvent[];
  readonly sim: SteppedWorld;
}

/** The events of some happenings, where each happening began (the page steps back by happenings), and whether one broke safety. */
export interface Progress {
  events: TraceEvent[];
  starts: number[];
  violation: boolean;
}

export function progress(): Progress {
  return { events: [], starts: [], violation: false };
}

/** One happening forward, appended to `out`; false when nothing is left to happen. */
export function stepOnce(session: Pick<Steppable, 'step'>, out: Progress): boolean {
  const events = session.step();
  if (events.length === 0) return false;
  out.starts.push(events[0].i);
  for (const e of events) {
    out.events.push(e);
    if (e.kind === 'violation') out.violation = true;
  }
  return true;
}

/**
 * Goes forward by one grain. `event`: one happening. `phase`: until every message of the current phase — the type of
 * the next message to arrive — has arrived or been lost (what a lecturer means by "show me the PREPAREs"); timers and
 * client actions due first are processed too; with nothing on the wire, one happening. `request`: until the client
 * accepts its next result, nothing is left to happen, or REQUEST_STEP_LIMIT_MS of virtual time passed.
 */
export function stepBy(session: Steppable, grain: StepGrain): Progress {
  const out = progress();
  const sim = session.sim;
  if (grain === 'phase') {
    const phase = sim.nextArrivingType();
    if (phase === null) {
      stepOnce(session, out);
      return out;
    }
    for (let k = 0; k < PHASE_STEP_MAX_HAPPENINGS && sim.inFlightOf(phase) > 0; k++) {
      if (!stepOnce(session, out) || out.violation) break;
    }
    return out;
  }
  if (grain === 'request') {
    const until = sim.now + REQUEST_STEP_LIMIT_MS;
    for (let k = 0; k < REQUEST_STEP_MAX_HAPPENINGS; k++) {
      const due = sim.nextEventTime();
      if (due === null || due > until) break;
      const before = out.events.length;
      if (!stepOnce(session, out) || out.violation) break;
      if (accepted(out.events, before)) break;
    }
    return out;
  }
  stepOnce(session, out);
  return out;
}

function accepted(events: readonly TraceEvent[], from: number): boolean {
  for (let i = from; i < events.length; i++) if (events[i].kind === 'accept') return true;
  return false;
}
