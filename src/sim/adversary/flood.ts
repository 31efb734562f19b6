import { forgedDigest } from '../messages';
import { CLIENT, MESSAGE_TYPES, type ClientRequest, type Message, type OutgoingMessage } from '../types';
import type { AdversaryContext, AdversaryFactory } from './types';
import { keepRecent, toEveryone } from './wire';

/** Every FLOOD_PERIOD_MS of virtual time it sends FLOOD_BURST messages to each other replica, and one to the client. */
export const FLOOD_PERIOD_MS = 5;
export const FLOOD_BURST = 2;
/** How many bursts it goes on sending after its replica last said something (40 × 5 ms = 200 ms). */
export const FLOOD_LINGER_BURSTS = 40;

/** Views and numbers above this are someone's garbage, not where the run is. */
const PLAUSIBLE = 1_000_000;

function pick<T>(ctx: AdversaryContext, choices: readonly T[]): T {
  return choices[ctx.rng.int(choices.length)];
}

/**
 * Says what its replica says, and floods everyone else: every 5 ms of virtual time, two messages to each other replica
 * (and one to the client) of any type, for views and sequence numbers far in the future (or negative, or fractional),
 * with digests and requests that are wrong, fake or real, and payloads that are garbage or malformed in the protocol's
 * own shape. It floods only while its own replica takes part in the run — until 200 ms after its replica last said
 * something (another flooder's garbage does not count) — so it wakes with the run and falls quiet with it, and a run
 * with flooders still ends.
 */
export const flood: AdversaryFactory = () => {
  let armed = false;
  let spokeSince = false;
  /** Bursts since its replica last said something. */
  let quietBursts = 0;
  let topView = 0;
  let topSeq = 0;
  /** Genuine requests it has seen (a flood may carry a real one where it does not belong). */
  const requests = new Map<string, ClientRequest>();

  function garbage(ctx: AdversaryContext, k: number): OutgoingMessage {
    const fake = { op: 'flood', timestamp: ctx.rng.int(1000), client: CLIENT, digest: forgedDigest('request', k) };
    const real = [...requests.values()];
    const request = pick<unknown>(ctx, [undefined, fake, {}, 'request', ...real]);
    const digests = ['', 'null', forgedDigest('flood', k), 'x'.repeat(64), ...real.map((r) => r.digest)];
    const payloads = [undefined, null, {}, [], 'payload', 42, ...(ctx.protocol.malformedPayloads ?? [])];
    return {
      type: pick(ctx, MESSAGE_TYPES),
      view: pick(ctx, [topView + 1 + ctx.rng.int(1000), topView + PLAUSIBLE + ctx.rng.int(PLAUSIBLE), 2 ** 31 - 1, -1, topView, 0.5]),
      seq: pick(ctx, [topSeq + 1 + ctx.rng.int(1000), 1e9 + ctx.rng.int(PLAUSIBLE), -1, 0, topSeq, 2.5]),
      digest: pick(ctx, digests),
      timestamp: pick(ctx, [undefined, -1, ctx.rng.int(100), ...real.map((r) => r.timestamp)]),
      result: pick(ctx, [undefined, '', forgedDigest('result', k)]),
      request: request as ClientRequest | undefined,
      payload: pick(ctx, payloads),
    };
  }

  function burst(ctx: AdversaryContext): void {
    let k = 0;
    for (let to = 0; to < ctx.n; to++) {
      if (to === ctx.id) continue;
      for (let b = 0; b < FLOOD_BURST; b++) ctx.transmit(to, garbage(ctx, k++));
    }
    const reply = garbage(ctx, k);
    ctx.transmit(CLIENT, { ...reply, type: 'REPLY' });
  }

  /** Its replica said something: the run is alive, so the flood goes on (or starts again). */
  function active(ctx: AdversaryContext): void {
    spokeSince = true;
    if (!armed) {
      armed = true;
      ctx.setTimer(FLOOD_PERIOD_MS);
    }
  }

  return {
    heard(_ctx, msg: Message) {
      if (Number.isInteger(msg.view) && msg.view > topView && msg.view < PLAUSIBLE) topView = msg.view;
      if (Number.isInteger(msg.seq) && msg.seq > topSeq && msg.seq < PLAUSIBLE) topSeq = msg.seq;
      if (msg.request && typeof msg.request.digest === 'string') keepRecent(requests, msg.request.digest, msg.request, 8);
    },
    onTimer(ctx) {
      armed = false;
      quietBursts = spokeSince ? 0 : quietBursts + 1;
      spokeSince = false;
      if (quietBursts > FLOOD_LINGER_BURSTS) return;
      burst(ctx);
      armed = true;
      ctx.setTimer(FLOOD_PERIOD_MS);
    },
    multicast(ctx, msg) {
      active(ctx);
      return toEveryone(ctx, msg);
    },
    send(ctx, to, msg) {
      active(ctx);
      ctx.transmit(to, msg);
    },
  };
};
