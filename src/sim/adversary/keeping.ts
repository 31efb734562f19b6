import type { ClientRequest, OutgoingMessage } from '../types';
import type { AdversaryContext, AdversaryFactory } from './types';

/**
 * The same adversary, but its replica keeps as its own copy what it actually said — the last message that left it
 * (for a vote, what everyone was told) — or nothing if nothing left: a liar counts its lie, a silent node nothing.
 */
export function keepingWhatItSaid(factory: AdversaryFactory): AdversaryFactory {
  return () => {
    const inner = factory();
    return {
      multicast(ctx, msg, repeat) {
        let said: OutgoingMessage | null = null;
        const watched: AdversaryContext = {
          id: ctx.id,
          n: ctx.n,
          behaviour: ctx.behaviour,
          rng: ctx.rng,
          cabal: ctx.cabal,
          protocol: ctx.protocol,
          transmit: (to, m, delayMs) => {
            said = m;
            ctx.transmit(to, m, delayMs);
          },
          sign: (m) => ctx.sign(m),
          genuine: (r): r is ClientRequest => ctx.genuine(r),
          setTimer: (delayMs) => ctx.setTimer(delayMs),
        };
        inner.multicast(watched, msg, repeat);
        return said;
      },
      send: (ctx, to, msg) => inner.send(ctx, to, msg),
      ...(inner.proposals ? { proposals: (ctx, pending, room) => inner.proposals!(ctx, pending, room) } : {}),
      ...(inner.heard ? { heard: (ctx, msg, from) => inner.heard!(ctx, msg, from) } : {}),
      ...(inner.onTimer ? { onTimer: (ctx) => inner.onTimer!(ctx) } : {}),
    };
  };
}
