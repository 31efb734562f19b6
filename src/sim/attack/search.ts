/**
 * The machine hunts for an attack. Each schedule plays the scenario under deliver by hand and makes every choice the
 * network and the liars could make, drawn from its own seeded stream:
 * - which message arrives next: random priorities in the PCT style (Burckhardt et al., ASPLOS 2010) — every message a
 *   random priority, the highest delivered first, and at d − 1 random steps the one about to go is pushed to the back,
 *   so bugs of depth d are found with a probability that does not vanish as schedules grow;
 * - losses and duplicates, at a rate drawn per schedule (often none);
 * - timer firings: at random moments, and whenever no message is left (time passes);
 * - the liars' choices: their own dice (the byzantine stream) roll differently in each schedule because every schedule
 *   orders the world differently, and with `liars: 'any'` a liar also switches among every behaviour mid-run.
 * Then the network is made calm and the goal judged (./replay.ts). Found schedules are shrunk (./shrink.ts).
 *
 * Written against the protocol plug-in seam only: it reads nothing of PBFT, so it searches every protocol the core has.
 * Schedule k depends only on (seed, k): a search split into shards or threads finds exactly what one search finds.
 */
import { createRng, type Rng } from '../rng';
import { applyIntervention } from '../session';
import { Simulation } from '../simulation';
import { BEHAVIOURS, type Behaviour, type Intervention, type NodeId, type Scenario, type TimedIntervention } from '../types';
import type { Goal, GoalViolation } from './goals';
import { calmAndJudge, calmBoundMs, evaluate, settleNow } from './replay';
import { shrink } from './shrink';

export interface SearchBudget {
  /** Schedules to try (over every shard together). */
  schedules?: number;
  /** Real milliseconds to search for (needs `clock`). */
  ms?: number;
}

export interface SearchProgress {
  schedulesTried: number;
  schedulesPerSec: number;
  found: boolean;
}

/** Which schedules one searcher tries: k = offset, offset + stride, … (a shard, or one thread of one). */
export interface Slice {
  offset: number;
  stride: number;
}

export interface SearchOptions {
  scenario: Scenario;
  goal: Goal;
  budget: SearchBudget;
  /** Seed of the search itself (schedule k draws from the stream "schedule k" of it). */
  seed: number;
  /** Called every PROGRESS_EVERY schedules; return false to cancel. */
  onProgress?: (progress: SearchProgress) => boolean | void;
  /** Real time in ms (performance.now): the core reads no clock of its own, so the caller lends one for rate and budget. */
  clock?: () => number;
  /** 'as-given' (default): each liar keeps its behaviour; 'any': a liar may switch among every behaviour mid-run. */
  liars?: 'as-given' | 'any';
  /** Most hand steps per schedule (default: 60 n). */
  maxSteps?: number;
  /** Virtual ms the calm network gets (default: calmBoundMs). */
  boundMs?: number;
  /** Shrink what is found (default true). */
  shrink?: boolean;
  slice?: Slice;
  /** Schedules beyond this number need not be tried (a searcher beside this one found one below it). */
  stopBeyond?: () => number;
  /** Told the number of the schedule that broke the goal as soon as it is known, before shrinking. */
  onFound?: (k: number) => void;
}

export interface SearchResult {
  found: boolean;
  /** Schedules tried: when found, up to and including the one that broke the goal (counted over every shard). */
  schedulesTried: number;
  schedulesPerSec: number;
  /** The (shrunk) schedule that breaks the goal, to replay from the scenario's seed; null when none was found. */
  schedule: TimedIntervention[] | null;
  violation: GoalViolation | null;
  /** Which schedule broke it (its number k), or null. */
  scheduleIndex: number | null;
}

const PROGRESS_EVERY = 256;

/** The choices that shape one schedule, drawn first from its stream. */
interface Temper {
  dropRate: number;
  duplicateRate: number;
  timerRate: number;
  /** Steps at which the message about to go is pushed to the back (PCT's d − 1 priority change points). */
  changePoints: Set<number>;
  liarSwitchRate: number;
}

function temper(rng: Rng, maxSteps: number, liars: boolean): Temper {
  const changePoints = new Set<number>();
  const depth = 1 + rng.int(3);
  for (let k = 1; k < depth; k++) changePoints.add(rng.int(maxSteps));
  return {
    dropRate: rng.chance(0.5) ? rng.next() * 0.2 : 0,
    duplicateRate: rng.chance(0.3) ? rng.next() * 0.1 : 0,
    timerRate: rng.next() * 0.08,
    changePoints,
    liarSwitchRate: liars ? rng.next() * 0.05 : 0,
  };
}

/**
 * Schedule k: its hand steps, played on a lean world (no trace), each pinned where it was taken. The world is left
 * where the last step left it (settled), ready to be made calm and judged.
 */
export function generate(scenario: Scenario, seed: number, k: number, options: { maxSteps?: number; liars?: 'as-given' | 'any' } = {}): { sim: Simulation; steps: TimedIntervention[] } {
  const rng = createRng(seed, `schedule ${k}`);
  const sim = new Simulation(scenario, { recordTrace: false });
  const maxSteps = options.maxSteps ?? 60 * sim.n;
  const liarIds = Object.keys(scenario.malicious).map(Number);
  const t = temper(rng, maxSteps, options.liars === 'any' && liarIds.length > 0);
  const steps: TimedIntervention[] = [];
  const act = (intervention: Intervention) => {
    steps.push({ afterEvent: sim.eventCount, at: sim.now, intervention });
    applyIntervention(sim, intervention);
  };
  if (!sim.deliveringByHand) act({ kind: 'setByHand', on: true });
  const priority = new Map<number, number>();
  for (let step = 0; step < maxSteps; step++) {
    settleNow(sim);
    if (t.liarSwitchRate > 0 && rng.chance(t.liarSwitchRate)) {
      const id: NodeId = liarIds[rng.int(liarIds.length)];
      const behaviour: Behaviour = { kind: BEHAVIOURS[rng.int(BEHAVIOURS.length)] };
      act({ kind: 'setBehaviour', id, behaviour });
      continue;
    }
    const ids = sim.waitingIds();
    if (ids.length === 0 || (t.timerRate > 0 && rng.chance(t.timerRate))) {
      const timers = sim.waitingTimerNames();
      if (timers.length > 0) {
        // With nothing in flight, time passes: most often the timer due first, sometimes any.
        let pick = rng.int(timers.length);
        if (ids.length === 0 && rng.chance(0.7)) for (let j = 0; j < timers.length; j++) if (timers[j].deadline < timers[pick].deadline) pick = j;
        act({ kind: 'fireTimer', replica: timers[pick].replica, timer: timers[pick].timer });
        continue;
      }
      if (ids.length === 0) break;
    }
    let best = highest(ids, priority, rng);
    if (t.changePoints.has(step)) {
      priority.set(best, -1 - step);
      best = highest(ids, priority, rng);
    }
    const roll = rng.next();
    if (roll < t.dropRate) act({ kind: 'dropMessage', msg: best });
    else if (roll < t.dropRate + t.duplicateRate) act({ kind: 'duplicate', msg: best });
    else act({ kind: 'deliver', msg: best });
  }
  settleNow(sim);
  return { sim, steps };
}

/** The waiting message of highest priority (each drawn when first seen). */
function highest(ids: readonly number[], priority: Map<number, number>, rng: Rng): number {
  let best = ids[0];
  let top = -Infinity;
  for (const id of ids) {
    let p = priority.get(id);
    if (p === undefined) priority.set(id, (p = rng.next()));
    if (p > top) {
      top = p;
      best = id;
    }
  }
  return best;
}

/** Searches for a schedule that breaks the goal; stops at the first (the lowest k of its slice) and shrinks it. */
export function search(options: SearchOptions): SearchResult {
  const { scenario, goal, budget, seed } = options;
  const clock = options.clock ?? (() => 0);
  const { offset, stride } = options.slice ?? { offset: 0, stride: 1 };
  const boundMs = options.boundMs ?? calmBoundMs(scenario);
  const total = budget.schedules ?? Infinity;
  const started = clock();
  const deadline = budget.ms === undefined || options.clock === undefined ? Infinity : started + budget.ms;
  let tried = 0;
  const rate = () => {
    const elapsed = clock() - started;
    return elapsed > 0 ? Math.round((tried * 1000) / elapsed) : 0;
  };
  for (let k = offset; k < total; k += stride) {
    if (options.stopBeyond && k > options.stopBeyond()) break;
    if (tried % PROGRESS_EVERY === 0 && tried > 0) {
      if (clock() >= deadline) break;
      if (options.onProgress?.({ schedulesTried: tried, schedulesPerSec: rate(), found: false }) === false) break;
    }
    tried++;
    const { sim, steps } = generate(scenario, seed, k, options);
    const verdict = calmAndJudge(sim, goal, boundMs);
    if (!verdict) continue;
    options.onFound?.(k);
    const schedulesPerSec = rate();
    // Shrinking starts from the steps as taken; its verdict and the one above agree (replay is exact).
    const schedule = options.shrink === false ? steps : shrink(scenario, steps, goal, { boundMs });
    const final = evaluate(scenario, schedule, goal, boundMs);
    options.onProgress?.({ schedulesTried: tried, schedulesPerSec, found: true });
    return { found: true, schedulesTried: k + 1, schedulesPerSec, schedule: final.stamped, violation: final.violation, scheduleIndex: k };
  }
  const schedulesPerSec = rate();
  options.onProgress?.({ schedulesTried: tried, schedulesPerSec, found: false });
  return { found: false, schedulesTried: tried, schedulesPerSec, schedule: null, violation: null, scheduleIndex: null };
}
