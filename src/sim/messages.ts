import { fnv1a } from './rng';
import type { ClientRequest, Message, MessageSummary, NodeId } from './types';

/** The digest of the null request that a NEW-VIEW uses to fill a gap in the sequence numbers. */
export const NULL_DIGEST = 'null';

/**
 * D(m): a short, stable digest of a request's content, written as 8 hex digits. 32 bits collide after some tens of
 * thousands of requests, so the client re-salts a digest it has already used (`salt`): digests stay unique in a run.
 */
export function digestOf(op: string, timestamp: number, client: NodeId, salt = 0): string {
  return hex(fnv1a(salt === 0 ? `${op}|${timestamp}|${client}` : `${op}|${timestamp}|${client}|${salt}`));
}

const HEX_DIGITS = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]; // '0'–'9', 'a'–'f'

/** 8 lower-case hex digits. One string made from char codes: several times cheaper than toString(16).padStart (a digest per execution, per request). */
export function hex(value: number): string {
  const v = value >>> 0;
  const d = HEX_DIGITS;
  return String.fromCharCode(d[v >>> 28], d[(v >>> 24) & 15], d[(v >>> 20) & 15], d[(v >>> 16) & 15], d[(v >>> 12) & 15], d[(v >>> 8) & 15], d[(v >>> 4) & 15], d[v & 15]);
}

export function makeRequest(op: string, timestamp: number, client: NodeId, salt = 0): ClientRequest {
  return { op, timestamp, client, digest: digestOf(op, timestamp, client, salt) };
}

/** A digest no genuine request has (its 'x' is not a hex digit): what a lying replica claims when it received none. */
export function forgedDigest(digest: string, salt: number): string {
  return 'x' + hex(fnv1a(`forged|${digest}|${salt}`)).slice(1);
}

/**
 * The last state digest computed, and from what: every honest replica executes the same request at the same number
 * from the same state, one after another, so all but the first of them find it here (a pure function's memory: the
 * answer is the same either way).
 */
let lastStep = { state: '', op: '', seq: -1, next: '' };

/** The state after executing op on a state with digest `state`: what a REPLY carries as its result. */
export function nextStateDigest(state: string, op: string, seq: number): string {
  const last = lastStep;
  if (seq === last.seq && state === last.state && op === last.op) return last.next;
  const next = hex(fnv1a(`${state}|${seq}|${op}`));
  lastStep = { state, op, seq, next };
  return next;
}

export const INITIAL_STATE_DIGEST = '00000000';

/**
 * `twin`: the world's mark on a message of a twin's second instance (1: sent by one, 2: for one; src/sim/simulation.ts),
 * shown as `fromTwin` / `toTwin` — only then, so a run without twins keeps its summaries as they were.
 */
export function summarize(msg: Message & { twin?: number }): MessageSummary {
  const out: MessageSummary = { id: msg.id, type: msg.type, from: msg.sender, to: msg.receiver, view: msg.view, seq: msg.seq, digest: msg.digest };
  if (msg.twin) {
    if (msg.twin & 1) out.fromTwin = true;
    if (msg.twin & 2) out.toTwin = true;
  }
  return out;
}

/** The shape of a request, before its signature is checked (a flooder's garbage may be anything). */
export function isClientRequest(r: unknown): r is ClientRequest {
  if (typeof r !== 'object' || r === null) return false;
  const q = r as Record<string, unknown>;
  return typeof q.digest === 'string' && typeof q.op === 'string' && typeof q.timestamp === 'number' && typeof q.client === 'number';
}
