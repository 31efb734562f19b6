import { NULL_DIGEST } from '../../messages';
import type { NewViewPayload, PreparedCertificate, ViewChangePayload } from './payloads';
import type { NodeId } from '../../types';

/**
 * O, as the new primary computes it from V (Castro & Liskov §4.4): start at the latest stable checkpoint in V
 * (min-s), end at the highest prepared sequence number (max-s); every s in between gets the request of the
 * highest-view prepared certificate for s, or the null request when nobody prepared anything there.
 */
export function computeNewViewDecision(
  viewChanges: Array<{ sender: NodeId; payload: ViewChangePayload }>,
): Omit<NewViewPayload, 'viewChanges'> {
  let minSeq = 0;
  let checkpointDigest = '';
  for (const { payload } of viewChanges) {
    if (payload.stable.seq > minSeq || (payload.stable.seq === minSeq && !checkpointDigest)) {
      minSeq = payload.stable.seq;
      checkpointDigest = payload.stable.digest;
    }
  }
  const best = new Map<number, PreparedCertificate>();
  let maxSeq = minSeq;
  for (const { payload } of viewChanges) {
    for (const cert of payload.prepared) {
      if (cert.seq <= minSeq) continue;
      const known = best.get(cert.seq);
      if (!known || cert.view > known.view) best.set(cert.seq, cert);
      if (cert.seq > maxSeq) maxSeq = cert.seq;
    }
  }
  const prePrepares = [];
  for (let seq = minSeq + 1; seq <= maxSeq; seq++) {
    const cert = best.get(seq);
    prePrepares.push(cert ? { seq, digest: cert.digest, request: cert.request } : { seq, digest: NULL_DIGEST, request: null });
  }
  return { minSeq, checkpointDigest, prePrepares };
}

/** A backup's check of a NEW-VIEW: V holds `quorum` distinct VIEW-CHANGEs and O is what V implies. */
export function verifyNewView(payload: NewViewPayload, quorum: number, n: number): string | null {
  const senders = new Set<NodeId>();
  for (const vc of payload.viewChanges) {
    if (!Number.isInteger(vc.sender) || vc.sender < 0 || vc.sender >= n) return 'V names a non-member';
    senders.add(vc.sender);
  }
  if (senders.size < quorum || senders.size !== payload.viewChanges.length) {
    return `V holds ${senders.size} distinct VIEW-CHANGEs, needs ${quorum}`;
  }
  const expected = computeNewViewDecision(payload.viewChanges);
  if (expected.minSeq !== payload.minSeq || expected.checkpointDigest !== payload.checkpointDigest) {
    return 'min-s does not match V';
  }
  if (expected.prePrepares.length !== payload.prePrepares.length) return 'O does not match V';
  for (let k = 0; k < expected.prePrepares.length; k++) {
    const a = expected.prePrepares[k];
    const b = payload.prePrepares[k];
    if (a.seq !== b.seq || a.digest !== b.digest) return `O differs from V at #${a.seq}`;
  }
  return null;
}
