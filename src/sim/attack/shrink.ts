/**
 * Delta debugging (Zeller & Hildebrandt, "Simplifying and isolating failure-inducing input", TSE 2002) over a schedule:
 * the fewest interventions that still break the goal. Each candidate is replayed from the seed (./replay.ts: the steps,
 * then the calm network), so what is left is an attack anyone can replay. The result is 1-minimal: it breaks the goal
 * and, without any one of its steps, it does not.
 */
import type { Scenario, TimedIntervention } from '../types';
import type { Goal } from './goals';
import { calmBoundMs, evaluate } from './replay';

export interface ShrinkOptions {
  boundMs?: number;
  /** Most replays to spend (default 20,000); past it, what is left is returned (still breaking the goal, maybe not 1-minimal). */
  maxTests?: number;
}

/** A minimal sub-schedule of `schedule` that still breaks `goal`, stamped where its steps apply; `schedule` itself if it does not. */
export function shrink(scenario: Scenario, schedule: readonly TimedIntervention[], goal: Goal, options: ShrinkOptions = {}): TimedIntervention[] {
  const boundMs = options.boundMs ?? calmBoundMs(scenario);
  let budget = options.maxTests ?? 20_000;
  const seen = new Map<string, boolean>();
  /** Whether the steps at these indices (in order) still break the goal. */
  const breaks = (indices: readonly number[]): boolean => {
    const key = indices.join(',');
    const known = seen.get(key);
    if (known !== undefined) return known;
    if (budget-- <= 0) return false;
    const verdict = evaluate(
      scenario,
      indices.map((k) => schedule[k]),
      goal,
      boundMs,
    ).violation;
    seen.set(key, verdict !== null);
    return verdict !== null;
  };
  const all = schedule.map((_, k) => k);
  if (!breaks(all)) return [...schedule];
  if (breaks([])) return [];
  // Most attacks are over before the schedule is: first the shortest prefix that still breaks it (binary search).
  let lo = 1;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (breaks(all.slice(0, mid))) hi = mid;
    else lo = mid + 1;
  }
  let current = breaks(all.slice(0, hi)) ? all.slice(0, hi) : all;
  current = ddmin(current, breaks);
  // 1-minimal for sure, judged on the stamped steps themselves (what a replay of the result plays): drop any single step
  // that is not needed, until none can go.
  let result = evaluate(
    scenario,
    current.map((k) => schedule[k]),
    goal,
    boundMs,
  ).stamped;
  for (let again = true; again && budget > 0; ) {
    again = false;
    for (let k = 0; k < result.length && budget-- > 0; k++) {
      const verdict = evaluate(scenario, [...result.slice(0, k), ...result.slice(k + 1)], goal, boundMs);
      if (verdict.violation) {
        result = verdict.stamped;
        again = true;
        break;
      }
    }
  }
  return result;
}

/** ddmin: `items` breaks (test true); returns a subsequence that still breaks, trying chunks and their complements. */
export function ddmin<T>(items: readonly T[], test: (subset: readonly T[]) => boolean): T[] {
  let current = [...items];
  let n = 2;
  while (current.length >= 2) {
    const size = Math.ceil(current.length / n);
    const chunks: T[][] = [];
    for (let k = 0; k < current.length; k += size) chunks.push(current.slice(k, k + size));
    let reduced = false;
    for (const chunk of chunks) {
      if (test(chunk)) {
        current = chunk;
        n = 2;
        reduced = true;
        break;
      }
    }
    if (!reduced && chunks.length > 2) {
      for (let k = 0; k < chunks.length; k++) {
        const complement = chunks.flatMap((c, j) => (j === k ? [] : c));
        if (test(complement)) {
          current = complement;
          n = Math.max(n - 1, 2);
          reduced = true;
          break;
        }
      }
    }
    if (!reduced) {
      if (n >= current.length) break;
      n = Math.min(current.length, 2 * n);
    }
  }
  return current;
}
