import { ADVERSARIES, type AdversaryTable } from '../../adversary';
import { keepingWhatItSaid } from '../../adversary/keeping';
import { coinFlipVote, seedLiar } from '../../adversary/seed';
import type { BehaviourKind } from '../../types';

/** The seed's liar, with the seed's coin: heads, it votes the true digest. */
const liar = seedLiar(coinFlipVote(false));

/**
 * The seed article modelled one kind of liar, so in its protocol every lying behaviour acts as that liar: as primary it
 * gives every backup a different digest, and it never sends COMMIT. 'omit' withholds its PREPARE with its own
 * probability instead of the coin flips; 'silent' and 'slow' are what they are everywhere. Its nodes count their own
 * vote as they said it (a silent node, none).
 */
const AS_THE_SEED_MODELLED: AdversaryTable = {
  ...ADVERSARIES,
  omit: seedLiar((ctx, msg) => (ctx.rng.chance(ctx.behaviour.omitProbability ?? 0.5) ? null : msg)),
  equivocate: liar,
  collude: liar,
  seed: liar,
};

export const SEED_ADVERSARIES = Object.fromEntries(
  Object.entries(AS_THE_SEED_MODELLED).map(([kind, factory]) => [kind, keepingWhatItSaid(factory)]),
) as Record<BehaviourKind, AdversaryTable[BehaviourKind]>;
