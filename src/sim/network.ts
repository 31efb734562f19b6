import type { Rng } from './rng';
import type { NetworkParams } from './types';

export interface Transit {
  /** Virtual time at which the message arrives — or, when lost, where along the way it vanished. */
  at: number;
  lost: boolean;
}

/**
 * Point-to-point links with no ordering guarantee: each message draws its own delay in [min, max], so later
 * messages can overtake earlier ones; with `reorderRate` some are held back further; with `dropRate` some vanish.
 */
export class Network {
  params: NetworkParams;
  private readonly rng: Rng;

  constructor(params: NetworkParams, rng: Rng) {
    this.params = { ...params };
    this.rng = rng;
  }

  transit(now: number, extraDelayMs: number): Transit {
    const { minDelayMs, maxDelayMs, dropRate, reorderRate } = this.params;
    let delay = this.rng.uniform(minDelayMs, Math.max(minDelayMs, maxDelayMs));
    if (reorderRate > 0 && this.rng.chance(reorderRate)) delay += this.rng.uniform(0, Math.max(maxDelayMs, 1));
    delay += extraDelayMs;
    if (dropRate > 0 && this.rng.chance(dropRate)) {
      // Shown vanishing part-way along its edge rather than at either end.
      return { at: now + delay * this.rng.uniform(0.35, 0.85), lost: true };
    }
    return { at: now + delay, lost: false };
  }
}
