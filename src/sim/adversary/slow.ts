import type { AdversaryContext, AdversaryFactory } from './types';
import { toEveryone } from './wire';

function extraDelay(ctx: AdversaryContext): number {
  return Math.max(0, ctx.behaviour.extraDelayMs ?? 0);
}

/** Honest but late: everything it sends leaves `extraDelayMs` after the network alone would deliver it. */
export const slow: AdversaryFactory = () => ({
  multicast: (ctx, msg) => toEveryone(ctx, msg, extraDelay(ctx)),
  send: (ctx, to, msg) => ctx.transmit(to, msg, extraDelay(ctx)),
});
