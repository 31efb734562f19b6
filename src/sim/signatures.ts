/**
 * Unforgeable signatures, modelled (Castro & Liskov §4 with signatures: a message's sender is undeniable).
 *
 * Every replica holds a secret drawn from the run's seeded 'signatures' stream. A signature is a keyed 52-bit hash of
 * a canonical encoding of what is signed — type, view, sequence number, digest, sender and a digest of any payload —
 * and checking one means computing it again. Only the simulation holds the secrets: it signs what a replica sends in
 * that replica's own name (a liar's adversary can ask for its own signature, never another's), so a liar may replay
 * any message it has seen but can never make one in another's name. The model costs no memory per message (nothing
 * is remembered of what was sent) and one hash per multicast, not per recipient.
 *
 * Which messages are signed, and how a payload is digested, is the protocol's business (its runtime says so).
 */
import { createRng } from './rng';
import type { NodeId } from './types';

/** What a signature covers: the header every message has, and its payload (digested by the protocol). */
export interface Signable {
  type: string;
  view: number;
  seq: number;
  digest: string;
  sender: NodeId;
  payload?: unknown;
}

/** How a protocol signs: which message types, and the digest of a payload (anything, never throws). */
export interface SigningRules {
  signs(type: string): boolean;
  payloadDigest(type: string, payload: unknown): string;
}

/** A signature: a 52-bit keyed hash, as a number (signing allocates nothing). */
export type Signature = number;
/** What an unsigned message carries: no key hashes to it. */
export const NO_SIGNATURE: Signature = -1;

const PRIME = 0x01000193;

function mixString(h: number, text: string): number {
  for (let k = 0; k < text.length; k++) {
    h ^= text.charCodeAt(k);
    h = Math.imul(h, PRIME);
  }
  return Math.imul(h ^ 0x7c, PRIME); // a separator, so "ab"+"c" and "a"+"bc" differ
}

function mixNumber(h: number, x: number): number {
  if (x !== (x | 0)) return mixString(h, String(x));
  h ^= x & 0xffff;
  h = Math.imul(h, PRIME);
  h ^= x >>> 16;
  return Math.imul(h ^ 0x7c, PRIME);
}

/**
 * FNV-1a over the signed content, keyed by `key` (the secret is the offset basis), with a final avalanche. `typed` is
 * the hash after the key and the type (see Signatures.typed): the same for every message of one type and signer.
 */
export function keyedHash(typed: number, view: number, seq: number, digest: string, signer: number, payload: string): number {
  let h = typed;
  h = mixNumber(h, view);
  h = mixNumber(h, seq);
  h = mixString(h, digest);
  h = mixNumber(h, signer);
  h = mixString(h, payload);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The two keyed hashes of a signature in one pass (exactly keyedHash(high, …) and keyedHash(low, …)): HotStuff signs
 * every vote, so the pass over the content is half of a vote's signing. Numbers that are not 32-bit integers take the
 * general way.
 */
export function keyedPair(high: number, low: number, view: number, seq: number, digest: string, signer: number, payload: string): number {
  if (view !== (view | 0) || seq !== (seq | 0) || signer !== (signer | 0)) {
    return keyedHash(high, view, seq, digest, signer, payload) * 0x100000 + (keyedHash(low, view, seq, digest, signer, payload) >>> 12);
  }
  let a = high;
  let b = low;
  // mixNumber(view), mixNumber(seq), mixString(digest), mixNumber(signer), mixString(payload), for both at once.
  a = Math.imul(a ^ (view & 0xffff), PRIME);
  b = Math.imul(b ^ (view & 0xffff), PRIME);
  a = Math.imul(a ^ (view >>> 16) ^ 0x7c, PRIME);
  b = Math.imul(b ^ (view >>> 16) ^ 0x7c, PRIME);
  a = Math.imul(a ^ (seq & 0xffff), PRIME);
  b = Math.imul(b ^ (seq & 0xffff), PRIME);
  a = Math.imul(a ^ (seq >>> 16) ^ 0x7c, PRIME);
  b = Math.imul(b ^ (seq >>> 16) ^ 0x7c, PRIME);
  for (let k = 0; k < digest.length; k++) {
    const c = digest.charCodeAt(k);
    a = Math.imul(a ^ c, PRIME);
    b = Math.imul(b ^ c, PRIME);
  }
  a = Math.imul(a ^ 0x7c, PRIME);
  b = Math.imul(b ^ 0x7c, PRIME);
  a = Math.imul(a ^ (signer & 0xffff), PRIME);
  b = Math.imul(b ^ (signer & 0xffff), PRIME);
  a = Math.imul(a ^ (signer >>> 16) ^ 0x7c, PRIME);
  b = Math.imul(b ^ (signer >>> 16) ^ 0x7c, PRIME);
  for (let k = 0; k < payload.length; k++) {
    const c = payload.charCodeAt(k);
    a = Math.imul(a ^ c, PRIME);
    b = Math.imul(b ^ c, PRIME);
  }
  a = Math.imul(a ^ 0x7c, PRIME);
  b = Math.imul(b ^ 0x7c, PRIME);
  a ^= a >>> 16;
  b ^= b >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  b = Math.imul(b, 0x85ebca6b);
  a ^= a >>> 13;
  b ^= b >>> 13;
  a = Math.imul(a, 0xc2b2ae35);
  b = Math.imul(b, 0xc2b2ae35);
  a ^= a >>> 16;
  b ^= b >>> 16;
  return (a >>> 0) * 0x100000 + ((b >>> 0) >>> 12);
}

/** Every node's two secrets, and per message type each of them with the type mixed in (see Signatures.typed). */
interface Keys {
  seed: number;
  nodes: number;
  keys: Uint32Array;
  byType: Map<string, Int32Array>;
}

/**
 * The last keys made, by seed and node count: every world of one seed has the same, and so the same typed keys (the
 * search makes thousands of worlds a second). Read only, but for `byType`, which only ever gains what it would compute.
 */
let lastKeys: Keys | null = null;

/** Every node's two secrets, drawn from the seed's 'signatures' stream. */
function keysOf(seed: number, nodes: number): Keys {
  if (lastKeys && lastKeys.seed === seed && lastKeys.nodes === nodes) return lastKeys;
  const rng = createRng(seed, 'signatures');
  const keys = new Uint32Array(2 * nodes);
  for (let k = 0; k < keys.length; k++) keys[k] = Math.floor(rng.next() * 4294967296) >>> 0;
  lastKeys = { seed, nodes, keys, byType: new Map() };
  return lastKeys;
}

export class Signatures {
  /** Two 32-bit secrets per node. */
  private readonly keys: Uint32Array;
  /** Per type, the keys with the type mixed in: shared by every world of the same seed and size. */
  private readonly byType: Map<string, Int32Array>;
  /** Messages already found genuine: proofs are shared objects, checked once however many replicas read them (made at the first). */
  private verified: WeakSet<object> | null = null;

  constructor(
    seed: number,
    private readonly nodes: number,
    private readonly rules: SigningRules,
  ) {
    const keys = keysOf(seed, nodes);
    this.keys = keys.keys;
    this.byType = keys.byType;
  }

  /** Whether this type of message carries a signature at all. */
  signs(type: string): boolean {
    return this.rules.signs(type);
  }

  /** The signature `signer` puts on `m` (whatever `m.sender` says: the encoding names the signer). */
  sign(signer: NodeId, m: Omit<Signable, 'sender'>): Signature {
    if (!Number.isInteger(signer) || signer < 0 || signer >= this.nodes) return NO_SIGNATURE;
    const payload = m.payload === undefined ? '' : this.rules.payloadDigest(m.type, m.payload);
    const typed = this.typed(String(m.type));
    const digest = String(m.digest);
    return keyedPair(typed[2 * signer], typed[2 * signer + 1], m.view, m.seq, digest, signer, payload);
  }

  /**
   * Per type, each key with the type already mixed in: the start of every hash of that type, computed once (a vote's
   * type is longer than the rest of what it signs, and HotStuff signs and checks one hash pair per vote).
   */
  private typed(type: string): Int32Array {
    let typed = this.byType.get(type);
    if (!typed) {
      typed = new Int32Array(this.keys.length);
      for (let k = 0; k < this.keys.length; k++) typed[k] = mixString(this.keys[k] >>> 0, type);
      // Garbage types (a flooder's) are hashed afresh each time rather than kept.
      if (this.byType.size < 64) this.byType.set(type, typed);
    }
    return typed;
  }

  /** True when `m.sig` is the signature its claimed sender would put on it. Never throws, whatever `m` is. */
  verify(m: unknown): boolean {
    if (typeof m !== 'object' || m === null) return false;
    if (this.verified?.has(m)) return true;
    const s = m as Partial<Signable> & { sig?: unknown };
    if (typeof s.sig !== 'number' || typeof s.type !== 'string' || typeof s.digest !== 'string') return false;
    if (typeof s.view !== 'number' || typeof s.seq !== 'number' || typeof s.sender !== 'number') return false;
    const ok = s.sig === this.sign(s.sender, s as Signable);
    // Proofs are frozen when made (see freezeProof), so a message found genuine stays genuine.
    if (ok && Object.isFrozen(m)) (this.verified ??= new WeakSet()).add(m);
    return ok;
  }
}

/** Makes a signed message immutable, so a check of it holds for good (a liar must build a new one to lie). */
export function freezeProof<T extends object>(m: T): Readonly<T> {
  return Object.freeze(m);
}
