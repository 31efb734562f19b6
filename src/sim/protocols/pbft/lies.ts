import type { ProtocolKnowledge } from '../../adversary/types';
import { forgedDigest, NULL_DIGEST } from '../../messages';
import { knowledgeOf } from '../knowledge';
import { pbft } from './descriptor';
import type { OutgoingMessage } from '../../types';
import type { NewViewPayload } from './payloads';

/** A NEW-VIEW whose O has one PRE-PREPARE more than V implies (a number past max-s, for a digest nobody sent). */
export function forgeNewView(msg: OutgoingMessage, salt: number): OutgoingMessage {
  const payload = msg.payload as NewViewPayload;
  const extra = { seq: payload.minSeq + payload.prePrepares.length + 1, digest: forgedDigest('O', salt), request: null };
  return { ...msg, payload: { ...payload, prePrepares: [...payload.prePrepares, extra] } };
}

/** PBFT-shaped payloads that are malformed: a flooder's garbage must never make a replica throw. */
const MALFORMED_PAYLOADS: readonly unknown[] = [
  { stable: null, prepared: null },
  { stable: { seq: -1 }, prepared: [null, 7, { seq: 'x' }] },
  { stable: { seq: 1e9, digest: 5, signers: 'all' }, prepared: [{ seq: 1e9, view: -1, digest: null }] },
  { viewChanges: [null, { sender: 99 }, { sender: 0, payload: {} }], prePrepares: 'O' },
  { viewChanges: [], minSeq: -5, checkpointDigest: null, prePrepares: [{ seq: NaN }] },
  { stateDigest: 42 },
];

/** What PBFT's liars need to know of PBFT. */
export const PBFT_KNOWLEDGE: ProtocolKnowledge = /* @__PURE__ */ knowledgeOf(pbft, {
  forgeDecision: forgeNewView,
  nullDigest: NULL_DIGEST,
  malformedPayloads: MALFORMED_PAYLOADS,
});
