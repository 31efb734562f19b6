/**
 * The machine hunts for an attack. Each schedule plays the scenario under deliver by hand and makes every choice the
 * network and the liars could make, drawn from its own seeded stream:
 * - which message arrives next: random priorities in the PCT style (Burckhardt et al., ASPLOS 2010) — every message a
 *   random priority, the highest delivered first, and at d − 1 random steps the one about to go is pushed to the back,
 *   so bugs of depth d are found with a probability that does not vanish as schedules grow;
 * - losses and duplicates, at a rate drawn per schedule (often none);
 * - timer firings: at random moments, and whenever no message is left (time passes);
 * - the liars' choices: their own dice (the byzantine stream) roll differently in each schedule because every schedule
 *   orders the world differently, and with `liars: 'any'` a liar also switches among every behaviour mid-run;
 * - with `twins`, Twins-style duplicated identities (Bano et al., 2020): each of those replicas runs as two instances of
 *   its protocol's honest code with the same keys, and each schedule draws which part of the network each instance talks
 *   to, so equivocation emerges from honest code rather than from a scripted lie (src/sim/types.ts, Twins).
 * Then the network is made calm and the goal judged (./replay.ts). Found schedules are shrunk (./shrink.ts).
 *
 * Written against the protocol plug-in seam only: it reads nothing of PBFT, so it searches every protocol the core has.
 * Schedule k depends only on (seed, k): a search split into shards or threads finds exactly what one search finds.
 */
import { createRng, type Rng } from '../rng';
import { replicaCount } from '../scenario';
import { Simulation } from '../simulation';
import { protocolOf } from '../protocols';
import { type BehaviourKind, type Intervention, type NodeId, type Scenario, type TimedIntervention } from '../types';
import type { Goal, GoalViolation } from './goals';
import { calmAndJudge, calmBoundMs, evaluate, JUDGED, settleNow } from './replay';
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
  /**
   * Replicas to run as twins (none of them a liar of the scenario's): every schedule draws the side of the network their
   * second instances talk to (`scenario.twins.side`). Absent: the scenario's own `twins`, if any, as they stand.
   */
  twins?: NodeId[];
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
  /** The scenario the schedule replays on: the one given, with the twins' sides as the schedule drew them (`twins`). */
  scenario: Scenario;
}

const PROGRESS_EVERY = 256;

/**
 * The choices that shape one schedule, drawn first from its stream: what happens at each step, as bits. Like PCT's
 * priority change points, every fault is a bounded number of events at random steps, not a rate: a bug that needs two
 * losses is found as often at n = 10 as at n = 4, and a schedule costs about one round of the protocol whatever n is.
 */
const CHANGE_POINT = 1; // the message about to go is pushed to the back (PCT's d − 1 priority change points)
const LOSE = 2; // the message about to go is lost instead
const COPY = 4; // … or copied
const EARLY_TIMER = 8; // a timer fires before its turn
const SWITCH_LIAR = 16; // a liar switches behaviour (liars: 'any')

function temper(rng: Rng, horizon: number, liars: boolean): number[] {
  // A plain list of small integers: allocating a typed array costs more than the list's whole use.
  const marks = new Array<number>(horizon).fill(0);
  for (let k = rng.int(3); k > 0; k--) marks[rng.int(horizon)] |= CHANGE_POINT;
  mark(marks, rng, LOSE, 3, 0.4);
  mark(marks, rng, COPY, 2, 0.7);
  mark(marks, rng, EARLY_TIMER, 3, 0.5);
  if (liars) mark(marks, rng, SWITCH_LIAR, 2, 0.3);
  return marks;
}

/** With probability 1 − `none`, sets `bit` at 1 … `most` random steps. (Not a closure in temper: tsx names each one it makes.) */
function mark(marks: number[], rng: Rng, bit: number, most: number, none: number): void {
  if (rng.chance(none)) return;
  for (let k = 1 + rng.int(most); k > 0; k--) marks[rng.int(marks.length)] |= bit;
}

/**
 * The steps of a schedule as the search takes them: flat arrays of numbers, made into interventions only for a schedule
 * that broke the goal (most never do, and the search makes thousands a second).
 */
class StepLog {
  private readonly kind: number[] = [];
  private readonly a: number[] = [];
  private readonly b: number[] = [];
  private readonly event: number[] = [];
  private readonly at: number[] = [];
  /** Timer names and behaviours, by the index `b` holds. */
  private readonly words: string[] = [];

  add(sim: Simulation, kind: number, a = 0, word = ''): void {
    this.kind.push(kind);
    this.a.push(a);
    this.b.push(word === '' ? -1 : this.words.push(word) - 1);
    this.event.push(sim.eventCount);
    this.at.push(sim.now);
  }

  get length(): number {
    return this.kind.length;
  }

  interventions(): TimedIntervention[] {
    return this.kind.map((kind, k) => ({ afterEvent: this.event[k], at: this.at[k], intervention: this.intervention(kind, this.a[k], this.words[this.b[k]] ?? '') }));
  }

  private intervention(kind: number, a: number, word: string): Intervention {
    switch (kind) {
      case HAND_ON:
        return { kind: 'setByHand', on: true };
      case DELIVER:
        return { kind: 'deliver', msg: a };
      case DROP:
        return { kind: 'dropMessage', msg: a };
      case DUPLICATE:
        return { kind: 'duplicate', msg: a };
      case FIRE:
        return { kind: 'fireTimer', replica: a, timer: word };
      default:
        return { kind: 'setBehaviour', id: a, behaviour: { kind: word as BehaviourKind } };
    }
  }
}

const HAND_ON = 0;
const DELIVER = 1;
const DROP = 2;
const DUPLICATE = 3;
const FIRE = 4;
const SWITCH = 5;

/**
 * Schedule k: its hand steps, played on a lean world (no trace), each pinned where it was taken. The world is left
 * where the last step left it (settled), ready to be made calm and judged.
 */
export function generate(
  given: Scenario,
  seed: number,
  k: number,
  options: { maxSteps?: number; liars?: 'as-given' | 'any'; twins?: NodeId[] } = {},
): { sim: Simulation; steps: () => TimedIntervention[]; scenario: Scenario } {
  const rng = createRng(seed, `schedule ${k}`);
  const scenario = options.twins ? withTwins(given, options.twins, rng) : given;
  const sim = new Simulation(scenario, JUDGED);
  const maxSteps = options.maxSteps ?? 60 * sim.n;
  const liarIds = Object.keys(scenario.malicious).map(Number);
  // A liar switches only among the behaviours that mean something in its protocol (the descriptor says which).
  const behaviours = protocolOf(scenario.mode).behaviours;
  // About one round's messages: where the choices that matter fall.
  const t = temper(rng, 2 * sim.n * (sim.n + 1), options.liars === 'any' && liarIds.length > 0);
  const log = new StepLog();
  if (!sim.deliveringByHand) {
    log.add(sim, HAND_ON);
    sim.setByHand(true);
  }
  /** Each message's priority, by id (drawn when first seen). */
  const priority = new Priorities();
  for (let step = 0; step < maxSteps; step++) {
    settleNow(sim);
    const marks = step < t.length ? t[step] : 0;
    if (marks & SWITCH_LIAR) {
      const id: NodeId = liarIds[rng.int(liarIds.length)];
      const kind = behaviours[rng.int(behaviours.length)];
      log.add(sim, SWITCH, id, kind);
      sim.setBehaviour(id, { kind });
      continue;
    }
    const waiting = sim.waitingCount;
    // Nothing in flight and every request answered: what timers are left only say again what was said. The calm
    // network plays them out; a hand spends its steps where choices matter.
    if (waiting === 0 && sim.client.outstanding.size === 0 && sim.requestsToIssue === 0) break;
    if (waiting === 0 || marks & EARLY_TIMER) {
      const timers = sim.waitingTimerNames();
      if (timers.length > 0) {
        // With nothing in flight, time passes: most often the timer due first, sometimes any.
        let pick = rng.int(timers.length);
        if (waiting === 0 && rng.chance(0.7)) for (let j = 0; j < timers.length; j++) if (timers[j].deadline < timers[pick].deadline) pick = j;
        log.add(sim, FIRE, timers[pick].replica, timers[pick].timer);
        sim.fireTimer(timers[pick].replica, timers[pick].timer);
        continue;
      }
      if (waiting === 0) break;
    }
    let best = highest(sim, priority, rng);
    if (marks & CHANGE_POINT) {
      priority.set(best, -1 - step);
      best = highest(sim, priority, rng);
    }
    if (marks & LOSE) {
      log.add(sim, DROP, best);
      sim.dropMessage(best);
    } else if (marks & COPY) {
      log.add(sim, DUPLICATE, best);
      sim.duplicate(best);
    } else {
      log.add(sim, DELIVER, best);
      sim.deliverMessage(best);
    }
  }
  settleNow(sim);
  return {
    sim,
    scenario,
    steps() {
      return log.interventions();
    },
  };
}

/**
 * The scenario with `replicas` as twins and the side their second instances talk to drawn from the schedule's stream:
 * each other replica is on it with probability one half (Twins enumerates such partitions; a random one per schedule
 * finds the same splits without enumerating them).
 */
function withTwins(scenario: Scenario, replicas: readonly NodeId[], rng: Rng): Scenario {
  const twinned = new Set(replicas);
  const side: NodeId[] = [];
  for (let id = 0; id < replicaCount(scenario); id++) if (!twinned.has(id) && rng.chance(0.5)) side.push(id);
  return { ...scenario, twins: { replicas: [...replicas], side } };
}

/** The waiting message of highest priority (each drawn when first seen, in the order they began to wait). */
function highest(sim: Simulation, priority: Priorities, rng: Rng): number {
  let best = -1;
  let top = -Infinity;
  const waiting = sim.waitingMessages();
  for (let k = 0; k < waiting.length; k++) {
    const id = waiting[k].id;
    let p = priority.of(id);
    if (p !== p) priority.set(id, (p = rng.next())); // NaN: not drawn yet
    if (p > top) {
      top = p;
      best = id;
    }
  }
  return best;
}

/**
 * Each message's priority by id, NaN until drawn: a packed list of doubles that grows as ids do — cheaper than a sparse
 * array with holes, and than a typed array (allocating one costs more than a whole step).
 */
class Priorities {
  private readonly values: number[] = [];

  of(id: number): number {
    return id < this.values.length ? this.values[id] : NaN;
  }

  set(id: number, p: number): void {
    while (this.values.length <= id) this.values.push(NaN);
    this.values[id] = p;
  }
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
    const { sim, steps, scenario: played } = generate(scenario, seed, k, options);
    const verdict = calmAndJudge(sim, goal, boundMs);
    if (!verdict) continue;
    options.onFound?.(k);
    const schedulesPerSec = rate();
    // Shrinking starts from the steps as taken; its verdict and the one above agree (replay is exact).
    const schedule = options.shrink === false ? steps() : shrink(played, steps(), goal, { boundMs });
    const final = evaluate(played, schedule, goal, boundMs);
    options.onProgress?.({ schedulesTried: tried, schedulesPerSec, found: true });
    return { found: true, schedulesTried: k + 1, schedulesPerSec, schedule: final.stamped, violation: final.violation, scheduleIndex: k, scenario: played };
  }
  const schedulesPerSec = rate();
  options.onProgress?.({ schedulesTried: tried, schedulesPerSec, found: false });
  return { found: false, schedulesTried: tried, schedulesPerSec, schedule: null, violation: null, scheduleIndex: null, scenario };
}
