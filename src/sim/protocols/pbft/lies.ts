/**
 * What PBFT's liars need to know of PBFT, and the building blocks of its view-change lies. A liar can sign only in its
 * own name (`sign`), and may replay any signed message it has seen: every forgery here is built from material a liar
 * really holds — the genuine NEW-VIEW its own replica made, with the VIEW-CHANGEs it received inside — and whatever it
 * changes in another's message keeps that message's claimed sender and signature, so a receiver that checks the proofs
 * catches it.
 */
import type { ProtocolKnowledge } from '../../adversary/types';
import { forgedDigest, NULL_DIGEST } from '../../messages';
import type { NodeId, OutgoingMessage } from '../../types';
import { knowledgeOf } from '../knowledge';
import { NO_SIGNATURE } from '../../signatures';
import { pbft } from './descriptor';
import type { NewViewPayload, PreparedCertificate, SignedMessage, ViewChangePayload } from './payloads';
import { computeNewViewDecision } from './viewChange';

/** A NEW-VIEW whose O has one PRE-PREPARE more than V implies (a number past max-s, for a digest nobody sent). */
export function forgeNewView(msg: OutgoingMessage, salt: number): OutgoingMessage {
  const payload = msg.payload as NewViewPayload;
  const last = payload.prePrepares.at(-1);
  const seq = (last?.seq ?? 0) + 1;
  const extra: SignedMessage = { type: 'PRE_PREPARE', view: msg.view, seq, digest: forgedDigest('O', salt), sender: -1, sig: NO_SIGNATURE, request: null };
  return { ...msg, payload: { ...payload, prePrepares: [...payload.prePrepares, extra] } };
}

/** How a liar rewrites one VIEW-CHANGE of V (returning it unchanged is allowed; null leaves it out of V). */
export type ViewChangeFabrication = (vc: SignedMessage) => SignedMessage | null;

/**
 * A NEW-VIEW for `view` whose V is the VIEW-CHANGEs the liar has seen (`seen`: say, the V of the genuine NEW-VIEW its
 * own replica built) rewritten by `fabricate`, and whose O is computed from that V — each of O's PRE-PREPAREs, and any
 * VIEW-CHANGE of its own it rewrote, signed by the liar, who can sign in its own name. Everyone else's VIEW-CHANGEs keep
 * their signatures: rewritten, they are claims it cannot back.
 */
export function fabricateNewView(view: number, seen: readonly SignedMessage[], liar: NodeId, fabricate: ViewChangeFabrication, sign: (msg: OutgoingMessage) => OutgoingMessage): OutgoingMessage {
  const viewChanges: SignedMessage[] = [];
  for (const vc of seen) {
    const told = fabricate(vc);
    if (!told) continue;
    viewChanges.push(told.sender === liar && told !== vc ? signedAs(liar, told, sign) : told);
  }
  const decision = computeNewViewDecision(viewChanges);
  const prePrepares = decision.prePrepares.map(({ seq, digest, request }) => signedAs(liar, { type: 'PRE_PREPARE', view, seq, digest, request }, sign));
  return { type: 'NEW_VIEW', view, seq: 0, digest: '', payload: { viewChanges, prePrepares } satisfies NewViewPayload };
}

/** `m` in the liar's own name, signed by it. */
function signedAs(liar: NodeId, m: Omit<SignedMessage, 'sender' | 'sig'> & { sig?: number }, sign: (msg: OutgoingMessage) => OutgoingMessage): SignedMessage {
  const { sig: _old, ...content } = m;
  const signed = sign({ ...content } as OutgoingMessage);
  return { ...content, sender: liar, sig: signed.sig ?? NO_SIGNATURE } as SignedMessage;
}

/** A fabrication: the VIEW-CHANGE claims its sender prepared nothing (hiding every certificate it carried). */
export const claimNothingPrepared: ViewChangeFabrication = (vc) => {
  const payload = vc.payload as ViewChangePayload;
  return { ...vc, payload: { ...payload, prepared: [] } };
};

/**
 * A fabrication: the VIEW-CHANGE claims that what was prepared at #a was prepared at #b and the other way round (its
 * certificates' messages relabelled; their signatures, made for the true numbers, stay as they were).
 */
export function swapPrepared(a: number, b: number): ViewChangeFabrication {
  const relabel = (m: SignedMessage): SignedMessage => (m.seq === a ? { ...m, seq: b } : m.seq === b ? { ...m, seq: a } : m);
  return (vc) => {
    const payload = vc.payload as ViewChangePayload;
    const prepared: PreparedCertificate[] = payload.prepared
      .map((c) => ({ prePrepare: relabel(c.prePrepare), prepares: c.prepares.map(relabel) }))
      .sort((x, y) => x.prePrepare.seq - y.prePrepare.seq);
    return { ...vc, payload: { ...payload, prepared } };
  };
}

/**
 * The strongest honest-looking V a liar can pick: from the genuine VIEW-CHANGEs it holds, the 2f+1 that show the
 * fewest prepared certificates (its own, signed by it, claiming nothing). Quorum intersection means it still cannot
 * hide a request that 2f+1 replicas prepared.
 */
export function leastRevealing(viewChanges: readonly SignedMessage[], quorum: number, liar: NodeId): ViewChangeFabrication {
  const revealed = (vc: SignedMessage) => (vc.sender === liar ? -1 : (vc.payload as ViewChangePayload).prepared.filter((c) => c.prePrepare.digest !== NULL_DIGEST).length);
  const chosen = new Set([...viewChanges].sort((x, y) => revealed(x) - revealed(y) || x.sender - y.sender).slice(0, quorum));
  return (vc) => (!chosen.has(vc) ? null : vc.sender === liar ? claimNothingPrepared(vc) : vc);
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
