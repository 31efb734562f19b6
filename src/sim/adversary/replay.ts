import type { Message, NodeId, OutgoingMessage } from '../types';
import type { AdversaryContext, AdversaryFactory } from './types';
import { toEveryone } from './wire';

/** How many messages a replayer remembers (the oldest are forgotten first), and how many it replays each time it speaks. */
export const REPLAY_MEMORY = 64;
export const REPLAYS_PER_MULTICAST = 2;

/** A message it has seen, and who it replays it to: a replica's message to every replica, its own reply to the client. */
interface Recording {
  msg: OutgoingMessage;
  to: NodeId | null;
}

function recording(msg: Message | OutgoingMessage): OutgoingMessage {
  const { type, view, seq, digest, timestamp, result, request, payload } = msg;
  return { type, view, seq, digest, timestamp, result, request, payload };
}

/**
 * Says everything its replica says, and each time it multicasts, re-sends two messages it saw earlier — what other
 * replicas told it and what it said itself, old views and old sequence numbers by the time they go out again — chosen
 * at random among the last 64. It replays them word for word, as its own (signatures stop it from passing them off as
 * their senders'): stale votes, proposals, checkpoints, view changes and replies, arriving when they no longer apply.
 */
export const replay: AdversaryFactory = () => {
  const seen: Recording[] = [];
  let next = 0;

  function record(r: Recording): void {
    if (seen.length < REPLAY_MEMORY) seen.push(r);
    else seen[next] = r;
    next = (next + 1) % REPLAY_MEMORY;
  }

  function replaySome(ctx: AdversaryContext): void {
    const count = Math.min(REPLAYS_PER_MULTICAST, seen.length);
    for (let k = 0; k < count; k++) {
      const { msg, to } = seen[ctx.rng.int(seen.length)];
      if (to === null) toEveryone(ctx, msg);
      else ctx.transmit(to, msg);
    }
  }

  return {
    heard(_ctx, msg, from) {
      if (from >= 0) record({ msg: recording(msg), to: null });
    },
    multicast(ctx, msg) {
      replaySome(ctx);
      record({ msg: recording(msg), to: null });
      return toEveryone(ctx, msg);
    },
    send(ctx, to, msg) {
      if (ctx.protocol.roleOf(msg.type) === 'reply') record({ msg: recording(msg), to });
      ctx.transmit(to, msg);
    },
  };
};
