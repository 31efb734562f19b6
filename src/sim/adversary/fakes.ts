/** Test doubles for adversaries: a scripted random stream and a replica's context that records what it put on the wire. */
import type { Rng } from '../rng';
import { PBFT_KNOWLEDGE } from '../protocols/pbft/lies';
import type { Behaviour, ClientRequest, Message, NodeId, OutgoingMessage } from '../types';
import { isClientRequest } from '../messages';
import { Cabal } from './cabal';
import type { AdversaryContext } from './types';

/** A random stream that returns the values it is given (then 0.99), and counts how many were drawn. */
export function scripted(values: number[]): Rng & { drawn: number } {
  const rng = {
    drawn: 0,
    next: () => {
      rng.drawn++;
      return values.shift() ?? 0.99;
    },
    uniform: (min: number, max: number) => min + (max - min) * rng.next(),
    chance: (p: number) => p > 0 && rng.next() < p,
    int: (n: number) => Math.floor(rng.next() * n),
  };
  return rng;
}

export interface Sent {
  to: NodeId;
  msg: OutgoingMessage;
  delayMs: number;
}

export interface FakeContext extends AdversaryContext {
  sent: Sent[];
  /** Every setTimer call's delay, in order. */
  timers: number[];
}

/** Replica `id` of n replicas (4 unless told) speaking PBFT, with what it put on the wire and the timers it set. */
export function fakeContext(
  behaviour: Behaviour,
  { id = 0, n = 4, rng = scripted([]), colluders = [] as NodeId[], cabal = undefined as Cabal | undefined } = {},
): FakeContext {
  const sent: Sent[] = [];
  const timers: number[] = [];
  return {
    id,
    n,
    behaviour,
    rng,
    cabal: cabal ?? new Cabal((r) => colluders.includes(r)),
    protocol: PBFT_KNOWLEDGE,
    transmit: (to, msg, delayMs = 0) => void sent.push({ to, msg, delayMs }),
    sign: (msg) => msg,
    // A fake run has no client to ask: a request of the right shape counts as the client's.
    genuine: (r): r is ClientRequest => isClientRequest(r),
    setTimer: (delayMs) => void timers.push(delayMs),
    sent,
    timers,
  };
}

/** A message as delivered to the liar's replica. */
export function delivered(msg: OutgoingMessage, sender: NodeId, receiver: NodeId, id = 1): Message {
  return { ...msg, id, sender, receiver };
}
