import { forgedDigest } from '../messages';
import type { OutgoingMessage } from '../types';
import type { AdversaryContext } from './types';

/** Sends `msg` to every replica but the liar itself, in id order (the order an honest multicast uses). */
export function toEveryone(ctx: AdversaryContext, msg: OutgoingMessage, delayMs = 0): OutgoingMessage {
  for (let to = 0; to < ctx.n; to++) if (to !== ctx.id) ctx.transmit(to, msg, delayMs);
  return msg;
}

/** The same message claiming a digest no genuine request has (different for each salt). */
export function withForgedDigest(msg: OutgoingMessage, salt: number): OutgoingMessage {
  return { ...msg, digest: forgedDigest(msg.digest, salt) };
}

/** Sets `key` in a map used as a memory of the `limit` most recent entries: the oldest is forgotten first. */
export function keepRecent<K, V>(memory: Map<K, V>, key: K, value: V, limit: number): void {
  memory.set(key, value);
  if (memory.size > limit) memory.delete(memory.keys().next().value as K);
}
