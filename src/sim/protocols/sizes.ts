/**
 * An honest size model for every message, in bytes, from its type and the run's n and f alone (the trace carries no
 * payloads). Sizes are what a compact binary encoding would need, not what this simulator allocates; the README's
 * "Bytes per decision" states the same model in words. Where a message's size depends on history (PBFT's
 * VIEW-CHANGE carries every request prepared since the last checkpoint), the model assumes one such request — the
 * case the lab shows — and says so.
 */
import type { MessageType } from '../types';

/** type (1) + view (8) + sequence number or height (8) + sender (2), rounded to a word. */
export const HEADER = 24;
/** A digest: SHA-256. */
export const DIGEST = 32;
/** One signature (Ed25519). */
export const SIGNATURE = 64;
/**
 * A quorum certificate as HotStuff's paper assumes it: n − f votes combined into one threshold signature (BLS, 96
 * bytes) over the digest of the node — constant in n. Without threshold signatures it would be n − f signatures.
 */
export const QC = DIGEST + 96;
/** The client's operation, timestamp and id. */
export const OPERATION = 64;

const REQUEST = HEADER + OPERATION + SIGNATURE;
/** A vote or an agreement message: header, the digest it names, the sender's signature. */
const VOTE = HEADER + DIGEST + SIGNATURE;

/** Bytes on the wire for one message of this type in a run of n = 3f + 1 replicas. */
export function messageBytes(type: MessageType, f: number): number {
  switch (type) {
    case 'REQUEST':
      return REQUEST;
    case 'REPLY':
      return HEADER + DIGEST + SIGNATURE; // the result's digest
    case 'PRE_PREPARE':
      return VOTE + REQUEST; // Castro and Liskov piggyback the request on it
    case 'PREPARE':
    case 'COMMIT':
    case 'CHECKPOINT':
    case 'PREVOTE':
    case 'PRECOMMIT':
    case 'HS_VOTE_PREPARE':
    case 'HS_VOTE_PRE_COMMIT':
    case 'HS_VOTE_COMMIT':
      return VOTE;
    case 'VIEW_CHANGE':
      // C: 2f+1 CHECKPOINTs proving the stable checkpoint; P: one prepared request (its PRE-PREPARE and 2f PREPAREs).
      return HEADER + SIGNATURE + (2 * f + 1) * VOTE + (1 + 2 * f) * VOTE;
    case 'NEW_VIEW':
      // V: the 2f+1 VIEW-CHANGEs it was built from; O: one re-proposed PRE-PREPARE.
      return HEADER + SIGNATURE + (2 * f + 1) * messageBytes('VIEW_CHANGE', f) + VOTE;
    case 'HS_NEW_VIEW':
    case 'HS_PRE_COMMIT':
    case 'HS_COMMIT':
    case 'HS_DECIDE':
      return HEADER + SIGNATURE + QC; // the sender's prepareQC, or the QC of the phase before
    case 'HS_PREPARE':
      return HEADER + SIGNATURE + DIGEST + REQUEST + QC; // the leaf (its parent's digest and the command) and highQC
    case 'CHS_VOTE_GENERIC':
      return VOTE;
    case 'CHS_NEW_VIEW':
      return HEADER + SIGNATURE + QC; // the sender's genericQC
    case 'CHS_GENERIC':
      return HEADER + SIGNATURE + DIGEST + REQUEST + QC; // the node (its parent's digest and the command) and its justify
    case 'CHS_DECIDE':
      return HEADER + SIGNATURE + QC + 2 * (DIGEST + QC); // the deciding QC, and the two nodes below it with their justifies
    case 'PROPOSAL':
      return HEADER + SIGNATURE + REQUEST + 8; // the value and validRound
  }
}
