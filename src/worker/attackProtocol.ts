/**
 * What the Find an attack panel and its search workers say to each other. Plain, structured-clone-safe data only.
 *
 * Schedules are numbered, and schedule k depends only on (scenario, seed, k) (src/sim/attack/search.ts), so the page
 * hands each worker a block of numbers at a time: which worker tries which block never changes what is found, and the
 * attack at the lowest number wins, as one search alone would have found it.
 */
import type { Goal, GoalViolation } from '../sim/attack/goals';
import type { LiarChoices } from '../sim/attack/search';
import type { NodeId, Scenario, TimedIntervention } from '../sim/types';

export type AttackCommand = {
  type: 'search';
  /** Which block this is (the page's count), echoed in every answer. */
  block: number;
  scenario: Scenario;
  goal: Goal;
  seed: number;
  /** Replicas to run as twins, the side their second instances talk to drawn per schedule (search's `twins`). */
  twins?: NodeId[];
  /** Whether the liars may switch behaviour mid-run (search's `liars`; absent: as given). */
  liars?: LiarChoices;
  /** Schedules from … to − 1. */
  from: number;
  to: number;
  /** Real ms this block may take at most (a time budget), or absent. */
  ms?: number;
};

/** An attack as a worker found and shrank it. */
export interface FoundAttack {
  /** The schedule's number. */
  k: number;
  /**
   * The shrunk schedule, to replay from the scenario's seed (the calm network after it is implicit). A liar's switch of
   * behaviour is one of its steps (setBehaviour): the scenario keeps the liars as given, and the replay switches them.
   */
  schedule: TimedIntervention[];
  violation: GoalViolation | null;
  /** The scenario it replays on: the one searched, with the twins' side as this schedule drew it. */
  scenario: Scenario;
  /** The schedule as the visualizer replays it: stamped where it applies, with the calming steps spelled out. */
  opened: TimedIntervention[];
}

export type AttackEvent =
  /** Schedules of this block tried so far. */
  | { type: 'progress'; block: number; tried: number }
  /** Schedule k broke the goal (said before shrinking, so the page stops handing out blocks beyond it). */
  | { type: 'found-at'; block: number; k: number }
  | { type: 'done'; block: number; tried: number; found: FoundAttack | null }
  | { type: 'error'; block: number; message: string };
