/**
 * What the store does with a value a control sends: sliders may overshoot (clamped into the table's range), typed
 * values may be nonsense (refused). The ranges are the parameter table's (src/sim/params.ts), so the store keeps
 * exactly what a link, a run file or the CLI would accept.
 */
import { clampTo, PARAMS, problemOf, type NumberParam } from '../sim/params';
import type { NetworkParams } from '../sim/types';

export function clampF(f: number): number {
  return clampTo(PARAMS.f, f);
}

export function clampSpeed(v: number): number {
  return clampTo(PARAMS.speed, v);
}

/** A typed seed, or null when it is not one (the run then keeps its seed). */
export function acceptSeed(seed: number): number | null {
  return problemOf(PARAMS.seed, seed) === null ? seed : null;
}

/** A slider's value clamped into range, or the current one when the value is not a number at all. */
function clampOr(param: NumberParam, value: number | undefined, current: number): number {
  return value !== undefined && !Number.isNaN(value) ? clampTo(param, value) : current;
}

/** Merges a network change and keeps min ≤ max by moving whichever bound the user did not touch. */
export function normaliseNetwork(current: NetworkParams, p: Partial<NetworkParams>): NetworkParams {
  const next: NetworkParams = {
    minDelayMs: clampOr(PARAMS.minDelayMs, p.minDelayMs, current.minDelayMs),
    maxDelayMs: clampOr(PARAMS.maxDelayMs, p.maxDelayMs, current.maxDelayMs),
    dropRate: clampOr(PARAMS.dropRate, p.dropRate, current.dropRate),
    reorderRate: clampOr(PARAMS.reorderRate, p.reorderRate, current.reorderRate),
  };
  if (next.minDelayMs > next.maxDelayMs) {
    if (p.minDelayMs !== undefined) next.maxDelayMs = next.minDelayMs;
    else next.minDelayMs = next.maxDelayMs;
  }
  return next;
}

/** The omit and slow knobs of the behaviour a click assigns, clamped like any slider. */
export function clampBehaviourKnobs<T extends { omitProbability?: number; extraDelayMs?: number }>(current: { omitProbability: number; extraDelayMs: number }, p: T): T {
  const out = { ...p };
  if (p.omitProbability !== undefined) out.omitProbability = clampOr(PARAMS.omitProbability, p.omitProbability, current.omitProbability);
  if (p.extraDelayMs !== undefined) out.extraDelayMs = clampOr(PARAMS.extraDelayMs, p.extraDelayMs, current.extraDelayMs);
  return out;
}
