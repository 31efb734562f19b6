import { ADVERSARIES, type AdversaryTable } from '../../adversary';
import { keepingWhatItSaid } from '../../adversary/keeping';
import { coinFlipVote, seedLiar } from '../../adversary/seed';
import type { BehaviourKind } from '../../types';

/**
 * The seed article modelled one kind of liar, so in its protocol every lying behaviour acts as that liar (those that
 * replay, flood or lie in a view change, which the seed has not, too): as primary it gives every backup a different
 * digest, and it never sends COMMIT; its PREPARE is the seed's coin flips (heads, the true digest). 'omit' withholds its
 * PREPARE with its own probability instead; 'silent' and 'slow' are what they are everywhere. Its nodes count their own
 * vote as they said it (a silent node, none).
 */
function asTheSeedModelled(): AdversaryTable {
  const liar = seedLiar(coinFlipVote(false));
  const table: AdversaryTable = {
    ...ADVERSARIES,
    omit: seedLiar((ctx, msg) => (ctx.rng.chance(ctx.behaviour.omitProbability ?? 0.5) ? null : msg)),
    equivocate: liar,
    'forge-view-change': liar,
    'forge-new-view': liar,
    'withhold-new-view': liar,
    replay: liar,
    flood: liar,
    collude: liar,
    seed: liar,
  };
  return Object.fromEntries(Object.entries(table).map(([kind, factory]) => [kind, keepingWhatItSaid(factory)])) as Record<BehaviourKind, AdversaryTable[BehaviourKind]>;
}

export const SEED_ADVERSARIES: AdversaryTable = /* @__PURE__ */ asTheSeedModelled();
