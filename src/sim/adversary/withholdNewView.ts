import { toleratedFaults } from '../scenario';
import type { NodeId } from '../types';
import type { AdversaryContext, AdversaryFactory } from './types';

/**
 * Who never hears its new-view decision: the f replicas after it in id order (at least one) — the primaries of the
 * views that follow, so the next view change starts with its primary stranded.
 */
export function leftOut(ctx: AdversaryContext, to: NodeId): boolean {
  const k = (to - ctx.id + ctx.n) % ctx.n;
  return k >= 1 && k <= Math.max(1, toleratedFaults(ctx.n));
}

/**
 * As a new primary, sends its NEW-VIEW — the first time and every time it repeats it — to only some backups: the f after
 * it never hear that the view started, and stay behind in the view change until f+1 others ask for a later view. The
 * rest of what it says goes out as said, so the view it started can work with the others.
 */
export const withholdNewView: AdversaryFactory = () => ({
  multicast(ctx, msg) {
    const withheld = ctx.protocol.roleOf(msg.type) === 'new-view';
    for (let to = 0; to < ctx.n; to++) if (to !== ctx.id && !(withheld && leftOut(ctx, to))) ctx.transmit(to, msg);
    return msg;
  },
  send(ctx, to, msg) {
    if (!(ctx.protocol.roleOf(msg.type) === 'new-view' && leftOut(ctx, to))) ctx.transmit(to, msg);
  },
});
