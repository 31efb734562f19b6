import { NO_SIGNATURE, type Signature } from '../../signatures';
import type { ClientRequest, MessageType, NodeId } from '../../types';

/**
 * A protocol message as its sender signed it: what every proof is made of. Anyone can check it (the host recomputes
 * the signature); nobody can make one in another's name. A PRE-PREPARE carries its request beside it (the signature
 * covers the digest; the request is checked against the digest and the client's signature, as on arrival).
 */
export interface SignedMessage {
  readonly type: MessageType;
  readonly view: number;
  readonly seq: number;
  readonly digest: string;
  readonly sender: NodeId;
  readonly sig: Signature;
  readonly request?: ClientRequest | null;
  readonly payload?: unknown;
}

/** C: proof that a checkpoint is stable — 2f+1 CHECKPOINTs from distinct replicas for the same state at `seq`. */
export interface CheckpointProof {
  readonly seq: number;
  readonly digest: string;
  /** The CHECKPOINT messages themselves (none for the initial state, #0, which needs no proof). */
  readonly messages: readonly SignedMessage[];
}

/** P's elements: a request prepared at `seq` in `view` — its PRE-PREPARE plus 2f matching PREPAREs from distinct backups. */
export interface PreparedCertificate {
  readonly prePrepare: SignedMessage;
  readonly prepares: readonly SignedMessage[];
}

/** VIEW-CHANGE⟨v+1, n, C, P, i⟩ — msg.view is v+1, msg.seq is n (the last stable checkpoint). */
export interface ViewChangePayload {
  readonly stable: CheckpointProof;
  readonly prepared: readonly PreparedCertificate[];
}

/** NEW-VIEW⟨v+1, V, O⟩. */
export interface NewViewPayload {
  /** V: 2f+1 VIEW-CHANGE messages for this very view, each signed by its sender. */
  readonly viewChanges: readonly SignedMessage[];
  /** O: the PRE-PREPAREs the new primary re-issues in the new view, each signed by it (a null request fills a gap). */
  readonly prePrepares: readonly SignedMessage[];
}

export interface CheckpointPayload {
  /** The state digest after executing `seq`. */
  stateDigest: string;
}

/** A view-change decision as O states it, once V has been checked: where it starts, and what each number gets. */
export interface NewViewDecision {
  /** min-s: the latest stable checkpoint in V, with its proof. */
  readonly stable: CheckpointProof;
  readonly prePrepares: ReadonlyArray<{ seq: number; digest: string; request: ClientRequest | null }>;
}

/** The digest a signature covers for a PBFT payload: the signatures inside it and the facts they do not cover. */
export function pbftPayloadDigest(type: string, payload: unknown): string {
  try {
    if (type === 'VIEW_CHANGE') return viewChangeDigest(payload as ViewChangePayload);
    if (type === 'NEW_VIEW') {
      const p = payload as NewViewPayload;
      return `V${sigs(p.viewChanges)}O${sigs(p.prePrepares)}`;
    }
  } catch {
    return 'malformed';
  }
  return '';
}

function viewChangeDigest(p: ViewChangePayload): string {
  let out = `C${p.stable.seq}:${p.stable.digest}:${sigs(p.stable.messages)}P`;
  for (const cert of p.prepared) out += `${cert.prePrepare.sig}:${sigs(cert.prepares)};`;
  return out;
}

function sigs(list: readonly SignedMessage[]): string {
  let out = '';
  for (const m of list) out += `${m.sig},`;
  return out;
}

/** The header of a signed message as received (what a proof embeds). */
export function signedCopy(m: { type: MessageType; view: number; seq: number; digest: string; sender: NodeId; sig?: Signature; request?: ClientRequest | null; payload?: unknown }): SignedMessage {
  const out: { -readonly [K in keyof SignedMessage]: SignedMessage[K] } = { type: m.type, view: m.view, seq: m.seq, digest: m.digest, sender: m.sender, sig: m.sig ?? NO_SIGNATURE };
  if (m.request !== undefined) out.request = m.request;
  if (m.payload !== undefined) out.payload = m.payload;
  return Object.freeze(out);
}
