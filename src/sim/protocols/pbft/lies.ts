import type { ProtocolKnowledge } from '../../adversary/types';
import { forgedDigest } from '../../messages';
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

/** What PBFT's liars need to know of PBFT. */
export const PBFT_KNOWLEDGE: ProtocolKnowledge = /* @__PURE__ */ knowledgeOf(pbft, forgeNewView);
