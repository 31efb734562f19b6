/**
 * A schedule — interventions pinned to positions in the run — played from the seed, then the network made calm: deliver
 * by hand switched off and every held sender let go, so what waits goes back to the network model. That last step is
 * implicit (no schedule needs to say it, so shrinking cannot remove it) and it is the same everywhere: the search, the
 * shrinker, the CLI's --schedule replay and the schedule the visualizer opens (`withCalm`).
 */
import { applyIntervention } from '../session';
import { Simulation, type SimulationOptions } from '../simulation';
import type { Intervention, Scenario, TimedIntervention } from '../types';
import { violated, type Goal, type GoalViolation } from './goals';

/** How long the calm network gets to finish, as a multiple of the scenario's longest timer (view change or client). */
export const CALM_TIMERS = 20;

/** Virtual ms the calm network runs for, at least: CALM_TIMERS of the scenario's longest timer. */
export function calmBoundMs(scenario: Scenario): number {
  return CALM_TIMERS * Math.max(scenario.viewChangeTimeoutMs, scenario.clientTimeoutMs);
}

/**
 * The bound as it stands at the moment the network is calm: at least `boundMs`, and CALM_TIMERS of the longest view
 * timer an honest replica then has. A schedule may fire timers for ever-later views while it holds the messages back;
 * each protocol backs off as its paper says (PBFT and HotStuff double the timer per fruitless view, Tendermint adds a
 * delta per round), so a replica may come out of the schedule with a timer many times the scenario's. Recovering after
 * calm takes a few of those timers — what partial synchrony promises after GST, counted from the state at GST — and
 * a bound of the scenario's timers alone would call that wait a stall (HotStuff, silent replica 1, seed 5: schedule 62).
 */
export function calmBoundAt(sim: Simulation, boundMs: number): number {
  let longest = 0;
  for (let id = 0; id < sim.n; id++) {
    const timer = sim.everMaliciousIds.has(id) ? null : sim.replicaList[id].timer;
    if (timer && timer.deadline - timer.startedAt > longest) longest = timer.deadline - timer.startedAt;
  }
  return Math.max(boundMs, CALM_TIMERS * longest);
}

/**
 * The worlds a search judges: no trace, and no picture — a verdict reads only the replicas' logs and the client's
 * acceptances, and the search and the shrinker build thousands of these a second.
 */
export const JUDGED: SimulationOptions = Object.freeze({ recordTrace: false, picture: false });

/** Runs what is due at this very instant (under deliver by hand, all the clock ever has: the client's next issue). */
export function settleNow(sim: Simulation): void {
  for (let t = sim.nextEventTime(); t !== null && t <= sim.now; t = sim.nextEventTime()) sim.advance();
}

/** The interventions that make the network calm now: deliver by hand off, every held sender let go. */
export function calmingSteps(sim: Simulation): Intervention[] {
  const out: Intervention[] = [];
  if (sim.deliveringByHand) out.push({ kind: 'setByHand', on: false });
  for (const replica of sim.heldSenders) out.push({ kind: 'holdFrom', replica, on: false });
  return out;
}

/**
 * Plays `steps` on a fresh lean world: each is applied once the run has produced its `afterEvent` events (or nothing is
 * left to run), at its time. Returns the world and the steps stamped where they were really applied — the same list
 * when the steps came from this world's own run; other positions when earlier steps were taken out (shrinking).
 */
export function play(
  scenario: Scenario,
  steps: readonly TimedIntervention[],
  options: SimulationOptions = { recordTrace: false },
): { sim: Simulation; stamped: TimedIntervention[] } {
  const sim = new Simulation(scenario, options);
  const stamped: TimedIntervention[] = [];
  for (const step of steps) {
    while (sim.eventCount < step.afterEvent && sim.advance());
    sim.advanceClock(step.at);
    stamped.push({ afterEvent: sim.eventCount, at: sim.now, intervention: step.intervention });
    applyIntervention(sim, step.intervention);
  }
  settleNow(sim);
  return { sim, stamped };
}

export interface Verdict {
  violation: GoalViolation | null;
  /** The steps as applied (see `play`). */
  stamped: TimedIntervention[];
  sim: Simulation;
}

/** Plays the steps, then makes the network calm and judges the goal (calmAndJudge). */
export function evaluate(scenario: Scenario, steps: readonly TimedIntervention[], goal: Goal, boundMs = calmBoundMs(scenario)): Verdict {
  const { sim, stamped } = play(scenario, steps, JUDGED);
  return { violation: calmAndJudge(sim, goal, boundMs), stamped, sim };
}

/**
 * Makes the network calm, lets it run — until nothing is left to do or the bound passed (stall: until nothing is
 * outstanding or the bound passed; the bound as calmBoundAt says, from `boundMs`) — and judges the goal.
 */
export function calmAndJudge(sim: Simulation, goal: Goal, boundMs: number): GoalViolation | null {
  for (const step of calmingSteps(sim)) applyIntervention(sim, step);
  const calmSince = sim.now;
  const bound = calmBoundAt(sim, boundMs);
  const end = calmSince + bound;
  if (goal === 'stall') {
    // Whatever is outstanding must be accepted by the end; once nothing is, there is nothing to wait for.
    for (let t = calmSince; t < end && sim.client.outstanding.size > 0; ) {
      t = Math.min(end, t + bound / 20);
      sim.runUntil(t);
    }
  } else sim.runToQuiescence(end);
  return violated(goal, sim, { calmSince, stallBoundMs: bound });
}

/** The CLI's replay of a schedule: the steps, then the calm network until nothing is left or `limitMs` of virtual time. */
export function replaySchedule(scenario: Scenario, steps: readonly TimedIntervention[], limitMs: number): Simulation {
  const { sim } = play(scenario, steps);
  for (const step of calmingSteps(sim)) applyIntervention(sim, step);
  sim.runToQuiescence(limitMs);
  return sim;
}

/**
 * The schedule as a session replays it (the visualizer's "Open", a run file): stamped where it applies, with the calming
 * steps spelled out at the moment the implicit calm happens.
 */
export function withCalm(scenario: Scenario, steps: readonly TimedIntervention[]): TimedIntervention[] {
  const { sim, stamped } = play(scenario, steps);
  return [...stamped, ...calmingSteps(sim).map((intervention) => ({ afterEvent: sim.eventCount, at: sim.now, intervention }))];
}
