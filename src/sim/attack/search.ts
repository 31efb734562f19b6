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

/** 'as-given': each liar keeps its behaviour; 'any': a liar may switch among every behaviour mid-run. */
export type LiarChoices = 'as-given' | 'any';

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
  /** Default 'as-given'. */
  liars?: LiarChoices;
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

/** The marks of one schedule, in `marks` (a workspace's list, made `horizon` zeros long). */
function temper(marks: number[], rng: Rng, horizon: number, liars: boolean): number[] {
  marks.length = horizon;
  for (let k = 0; k < horizon; k++) marks[k] = 0;
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
 * The steps of a schedule as the search takes them: five numbers a step in one flat list, made into interventions only
 * for a schedule that broke the goal (most never do, and the search makes thousands a second).
 */
class StepLog {
  /**
   * Per step: its kind, `a`, the index of its word in `words` (−1: none), the event count and the time it was taken at —
   * the first `size` numbers (the list keeps its length from schedule to schedule, so it need not grow again).
   */
  private readonly steps: number[] = [];
  private size = 0;
  /** Timer names and behaviours. */
  private readonly words: string[] = [];

  clear(): void {
    this.size = 0;
    this.words.length = 0;
  }

  add(sim: Simulation, kind: number, a = 0, word = ''): void {
    const s = this.steps;
    const k = this.size;
    s[k] = kind;
    s[k + 1] = a;
    s[k + 2] = word === '' ? -1 : this.words.push(word) - 1;
    s[k + 3] = sim.eventCount;
    s[k + 4] = sim.now;
    this.size = k + 5;
  }

  get length(): number {
    return this.size / 5;
  }

  interventions(): TimedIntervention[] {
    const out: TimedIntervention[] = [];
    const s = this.steps;
    for (let k = 0; k < this.size; k += 5) out.push({ afterEvent: s[k + 3], at: s[k + 4], intervention: this.intervention(s[k], s[k + 1], this.words[s[k + 2]] ?? '') });
    return out;
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
 * What one searcher's schedules use one after another: the lists a schedule fills (its marks, its steps, its messages'
 * priorities) keep their room from one schedule to the next instead of growing afresh thousands of times a second.
 */
export class Workspace {
  readonly marks: number[] = [];
  readonly log = new StepLog();
  readonly priority = new Priorities();
}

/**
 * Schedule k: its hand steps, played on a lean world (no trace), each pinned where it was taken. The world is left
 * where the last step left it (settled), ready to be made calm and judged. `steps` reads the workspace: call it before
 * the same workspace makes another schedule.
 */
export function generate(
  given: Scenario,
  seed: number,
  k: number,
  options: { maxSteps?: number; liars?: LiarChoices; twins?: NodeId[] } = {},
  workspace = new Workspace(),
): { sim: Simulation; steps: () => TimedIntervention[]; scenario: Scenario } {
  const rng = createRng(seed, `schedule ${k}`);
  const scenario = options.twins ? withTwins(given, options.twins, rng) : given;
  const sim = new Simulation(scenario, JUDGED);
  const maxSteps = options.maxSteps ?? 60 * sim.n;
  const liarIds = Object.keys(scenario.malicious).map(Number);
  // A liar switches only among the behaviours that mean something in its protocol (the descriptor says which).
  const behaviours = protocolOf(scenario.mode).behaviours;
  // About one round's messages: where the choices that matter fall.
  const t = temper(workspace.marks, rng, 2 * sim.n * (sim.n + 1), options.liars === 'any' && liarIds.length > 0);
  const { log, priority } = workspace;
  log.clear();
  priority.clear();
  if (!sim.deliveringByHand) {
    log.add(sim, HAND_ON);
    sim.setByHand(true);
  }
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
    let best = priority.highest(sim, rng);
    if (marks & CHANGE_POINT) {
      priority.demote(-1 - step);
      best = priority.highest(sim, rng);
    }
    if (marks & LOSE) {
      log.add(sim, DROP, best);
      priority.remove();
      sim.dropMessage(best);
    } else if (marks & COPY) {
      log.add(sim, DUPLICATE, best);
      sim.duplicate(best);
    } else {
      log.add(sim, DELIVER, best);
      priority.remove();
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

/**
 * The waiting messages by priority, PCT's way: each message's priority is drawn when it is first seen (in the order
 * messages began to wait), and the one of highest priority goes next (of equal ones, the first to wait). A binary heap
 * rather than a look at every waiting message at every step (thirty of them at n = 10): messages wait in the order of
 * their ids — each is sent, or copied, with the next id, and deliver by hand is on from the start — and one leaves only
 * when this schedule delivers or drops the one it picked, so the heap follows the waiting list exactly.
 */
class Priorities {
  /**
   * The heap: priorities and message ids, the highest priority (then the lowest id) at the root — the first `size` of
   * each list (the lists keep their length from one schedule to the next, as StepLog's does).
   */
  private readonly p: number[] = [];
  private readonly id: number[] = [];
  private size = 0;
  /** The last id given a priority: the messages above it are new. */
  private lastDrawn = 0;

  clear(): void {
    this.size = 0;
    this.lastDrawn = 0;
  }

  /** The waiting message of highest priority, after drawing one for each message new since the last look. */
  highest(sim: Simulation, rng: Rng): number {
    const waiting = sim.waitingMessages();
    let k = waiting.length;
    while (k > 0 && waiting[k - 1].id > this.lastDrawn) k--;
    for (; k < waiting.length; k++) {
      this.lastDrawn = waiting[k].id;
      this.push(rng.next(), this.lastDrawn);
    }
    if (this.size !== waiting.length) throw new Error('The search lost track of the waiting messages');
    return this.id[0];
  }

  /** The message of highest priority leaves (delivered or dropped). */
  remove(): void {
    const last = --this.size;
    if (last > 0) this.siftDown(this.p[last], this.id[last]);
  }

  /** A change point: the message of highest priority gets priority `p` (below every drawn one). */
  demote(p: number): void {
    const id = this.id[0];
    this.remove();
    this.push(p, id);
  }

  private push(p: number, id: number): void {
    let k = this.size++;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!before(p, id, this.p[parent], this.id[parent])) break;
      this.p[k] = this.p[parent];
      this.id[k] = this.id[parent];
      k = parent;
    }
    this.p[k] = p;
    this.id[k] = id;
  }

  /** Puts (p, id) in the root's place and lets it sink to where it belongs. */
  private siftDown(p: number, id: number): void {
    const size = this.size;
    let k = 0;
    for (;;) {
      const left = 2 * k + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && before(this.p[right], this.id[right], this.p[left], this.id[left]) ? right : left;
      if (!before(this.p[child], this.id[child], p, id)) break;
      this.p[k] = this.p[child];
      this.id[k] = this.id[child];
      k = child;
    }
    this.p[k] = p;
    this.id[k] = id;
  }
}

/** Whether a message of priority p and id goes before one of priority q and id j. */
function before(p: number, id: number, q: number, j: number): boolean {
  return p > q || (p === q && id < j);
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
  const workspace = new Workspace();
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
    const { sim, steps, scenario: played } = generate(scenario, seed, k, options, workspace);
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
