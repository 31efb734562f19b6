/**
 * Proofs in a view change, checked (Castro & Liskov §4.4 with signatures): nothing in a VIEW-CHANGE or a NEW-VIEW is
 * taken on its word. A prepared entry is its PRE-PREPARE and 2f matching PREPAREs from distinct backups; the stable
 * checkpoint is 2f+1 matching CHECKPOINTs; V is 2f+1 VIEW-CHANGEs for that very view, each signed by its sender; O must
 * be what V implies, and its requests pass the checks any PRE-PREPARE's do. Each check returns why it failed, in words
 * a student can follow, or null.
 */
import { INITIAL_STATE_DIGEST, NULL_DIGEST } from '../../messages';
import { primaryOf } from '../../scenario';
import type { ClientRequest, NodeId } from '../../types';
import type { CheckpointProof, NewViewDecision, NewViewPayload, PreparedCertificate, SignedMessage, ViewChangePayload } from './payloads';

/** What checking a proof needs to know: the group, and how to check a signature and a client's request. */
export interface ProofRules {
  n: number;
  /** 2f+1 for n = 3f+1. */
  quorum: number;
  /** Most prepared entries a VIEW-CHANGE can honestly carry (the watermark window L). */
  maxPrepared: number;
  verify(m: unknown): boolean;
  isAuthentic(request: ClientRequest): boolean;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isSeq = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

function isMember(id: unknown, n: number): id is NodeId {
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 && id < n;
}

/** Who a message claims to be from, as a sentence names it. */
function claimed(m: unknown): string {
  return isObject(m) && typeof m.sender === 'number' ? `replica ${m.sender}` : 'an unnamed replica';
}

/** C: 2f+1 CHECKPOINTs from distinct replicas for this sequence number and state (the initial state needs none). */
export function checkCheckpointProof(proof: unknown, rules: ProofRules): string | null {
  if (!isObject(proof) || !isSeq(proof.seq) || typeof proof.digest !== 'string' || !Array.isArray(proof.messages)) return 'its checkpoint proof is malformed';
  if (proof.seq === 0) return proof.digest === INITIAL_STATE_DIGEST ? null : 'it claims a state at #0 other than the initial one';
  if (proof.messages.length > rules.n) return `its checkpoint proof for #${proof.seq} holds more CHECKPOINTs than there are replicas`;
  const signers = new Set<NodeId>();
  for (const m of proof.messages as unknown[]) {
    if (!isObject(m) || m.type !== 'CHECKPOINT' || m.seq !== proof.seq || m.digest !== proof.digest) return `its checkpoint proof for #${proof.seq} holds a message that is not a matching CHECKPOINT`;
    if (!isMember(m.sender, rules.n)) return `its checkpoint proof for #${proof.seq} names a non-member`;
    if (!rules.verify(m)) return `the CHECKPOINT from replica ${m.sender} in its checkpoint proof for #${proof.seq} was not sent by replica ${m.sender}`;
    signers.add(m.sender);
  }
  if (signers.size < rules.quorum) return `its checkpoint proof for #${proof.seq} holds ${signers.size} CHECKPOINTs from distinct replicas, needs ${rules.quorum}`;
  return null;
}

/** One entry of P: the PRE-PREPARE from that view's primary and 2f matching PREPAREs from distinct backups. */
export function checkPreparedCertificate(cert: unknown, before: number, above: number, rules: ProofRules): string | null {
  if (!isObject(cert) || !isObject(cert.prePrepare) || !Array.isArray(cert.prepares)) return 'a prepared certificate is malformed';
  const pp = cert.prePrepare;
  if (pp.type !== 'PRE_PREPARE' || !isSeq(pp.view) || !isSeq(pp.seq) || typeof pp.digest !== 'string') return 'a prepared certificate does not start with a PRE-PREPARE';
  const at = `its prepared certificate for #${pp.seq}`;
  if (pp.view >= before) return `${at} is from view ${pp.view}, not an earlier view`;
  if (pp.seq <= above) return `${at} is at or below its stable checkpoint #${above}`;
  const primary = primaryOf(pp.view, rules.n);
  if (pp.sender !== primary) return `${at} holds a PRE-PREPARE from ${claimed(pp)}, who is not the primary of view ${pp.view}`;
  if (!rules.verify(pp)) return `${at} holds a PRE-PREPARE that replica ${primary} did not send`;
  const problem = requestProblem(pp.digest, pp.request);
  if (problem) return `${at}: ${problem}`;
  if (pp.request && !rules.isAuthentic(pp.request as ClientRequest)) return `${at}: its request is not signed by the client`;
  if (cert.prepares.length > rules.n) return `${at} holds more PREPAREs than there are replicas`;
  const voters = new Set<NodeId>();
  for (const p of cert.prepares as unknown[]) {
    if (!isObject(p) || p.type !== 'PREPARE' || p.view !== pp.view || p.seq !== pp.seq || p.digest !== pp.digest) return `${at} holds a message that is not a matching PREPARE`;
    if (!isMember(p.sender, rules.n)) return `${at} holds a PREPARE from a non-member`;
    if (p.sender === primary) return `${at} counts a PREPARE from the primary, replica ${primary}`;
    if (!rules.verify(p)) return `${at} holds a PREPARE from replica ${p.sender} that replica ${p.sender} did not send`;
    voters.add(p.sender);
  }
  if (voters.size < rules.quorum - 1) return `${at} holds ${voters.size} PREPAREs from distinct backups, needs ${rules.quorum - 1}`;
  return null;
}

/** A request as a PRE-PREPARE carries it: the null request for the null digest, else one whose digest matches. */
function requestProblem(digest: string, request: unknown): string | null {
  if (digest === NULL_DIGEST) return request === null || request === undefined ? null : 'a null request carries a request';
  if (!isObject(request) || request.digest !== digest || typeof request.op !== 'string' || typeof request.timestamp !== 'number') return 'digest does not match the request';
  return null;
}

/**
 * The contents of a VIEW-CHANGE for `view`: its checkpoint proof and every prepared certificate, each for a distinct
 * number above that checkpoint. (Whether the VIEW-CHANGE itself was signed by its sender is checked where it is relayed.)
 */
export function checkViewChange(m: unknown, view: number, rules: ProofRules): string | null {
  if (!isObject(m) || m.type !== 'VIEW_CHANGE' || !isObject(m.payload)) return 'it is not a VIEW-CHANGE';
  if (m.view !== view) return `it is for view ${String(m.view)}, not ${view}`;
  const payload = m.payload as Partial<ViewChangePayload>;
  if (!isObject(payload.stable) || !Array.isArray(payload.prepared)) return 'it is malformed';
  const checkpoint = checkCheckpointProof(payload.stable, rules);
  if (checkpoint) return checkpoint;
  const stable = payload.stable as CheckpointProof;
  if (m.seq !== stable.seq) return `it names checkpoint #${String(m.seq)} but proves #${stable.seq}`;
  if (payload.prepared.length > rules.maxPrepared) return `it carries ${payload.prepared.length} prepared certificates, more than the window holds`;
  const seen = new Set<number>();
  for (const cert of payload.prepared) {
    const problem = checkPreparedCertificate(cert, view, stable.seq, rules);
    if (problem) return problem;
    const seq = cert.prePrepare.seq;
    if (seen.has(seq)) return `it carries two prepared certificates for #${seq}`;
    seen.add(seq);
  }
  return null;
}

/**
 * O, as V implies it (§4.4): start at the latest stable checkpoint in V (min-s), end at the highest prepared number
 * (max-s); every number in between gets the request of the highest-view prepared certificate for it, or the null
 * request when nobody prepared anything there. V must have been checked.
 */
export function computeNewViewDecision(viewChanges: readonly SignedMessage[]): NewViewDecision {
  let stable: CheckpointProof = { seq: 0, digest: INITIAL_STATE_DIGEST, messages: [] };
  for (const vc of viewChanges) {
    const proof = (vc.payload as ViewChangePayload).stable;
    if (proof.seq > stable.seq) stable = proof;
  }
  const best = new Map<number, PreparedCertificate>();
  let maxSeq = stable.seq;
  for (const vc of viewChanges) {
    for (const cert of (vc.payload as ViewChangePayload).prepared) {
      const pp = cert.prePrepare;
      if (pp.seq <= stable.seq) continue;
      const known = best.get(pp.seq);
      if (!known || pp.view > known.prePrepare.view) best.set(pp.seq, cert);
      if (pp.seq > maxSeq) maxSeq = pp.seq;
    }
  }
  const prePrepares = [];
  for (let seq = stable.seq + 1; seq <= maxSeq; seq++) {
    const pp = best.get(seq)?.prePrepare;
    prePrepares.push(pp ? { seq, digest: pp.digest, request: pp.request ?? null } : { seq, digest: NULL_DIGEST, request: null });
  }
  return { stable, prePrepares };
}

/**
 * A backup's check of a NEW-VIEW for `view` from `sender`: V holds 2f+1 VIEW-CHANGEs for this view from distinct
 * replicas, each really sent by its sender and each with valid proofs; O is exactly what V implies, each of its
 * PRE-PREPAREs signed by the new primary, each request the client's. Returns the decision, or why it was rejected.
 */
export function checkNewView(view: number, sender: NodeId, payload: unknown, rules: ProofRules): { decision: NewViewDecision } | { problem: string } {
  const reject = (problem: string) => ({ problem });
  if (!isObject(payload) || !Array.isArray(payload.viewChanges) || !Array.isArray(payload.prePrepares)) return reject('it is malformed');
  const { viewChanges, prePrepares } = payload as unknown as NewViewPayload;
  if (viewChanges.length > rules.n) return reject('V holds more VIEW-CHANGEs than there are replicas');
  const senders = new Set<NodeId>();
  for (const vc of viewChanges as unknown[]) {
    if (!isObject(vc) || !isMember(vc.sender, rules.n)) return reject('V names a non-member');
    const who = `the VIEW-CHANGE from replica ${vc.sender} in V`;
    if (vc.type !== 'VIEW_CHANGE') return reject(`${who} is not a VIEW-CHANGE`);
    if (vc.view !== view) return reject(`${who} is for view ${String(vc.view)}, not ${view}`);
    if (senders.has(vc.sender)) return reject(`V holds two VIEW-CHANGEs from replica ${vc.sender}`);
    if (!rules.verify(vc)) return reject(`${who} was not sent by replica ${vc.sender}`);
    const problem = checkViewChange(vc, view, rules);
    if (problem) return reject(`${who}: ${problem}`);
    senders.add(vc.sender);
  }
  if (senders.size < rules.quorum) return reject(`V holds ${senders.size} VIEW-CHANGEs for view ${view}, needs ${rules.quorum}`);
  const decision = computeNewViewDecision(viewChanges);
  if (prePrepares.length !== decision.prePrepares.length) {
    return reject(`O re-proposes ${prePrepares.length} numbers, but V implies ${decision.prePrepares.length} (#${decision.stable.seq + 1}…#${decision.stable.seq + decision.prePrepares.length})`);
  }
  for (let k = 0; k < decision.prePrepares.length; k++) {
    const want = decision.prePrepares[k];
    const got = prePrepares[k] as unknown;
    if (!isObject(got) || got.type !== 'PRE_PREPARE' || got.view !== view || got.seq !== want.seq) return reject(`O's entry for #${want.seq} is not a PRE-PREPARE for #${want.seq} in view ${view}`);
    if (got.digest !== want.digest) return reject(`O differs from V at #${want.seq}`);
    if (got.sender !== sender || !rules.verify(got)) return reject(`O's PRE-PREPARE for #${want.seq} was not sent by replica ${sender}`);
    const problem = requestProblem(want.digest, got.request);
    if (problem) return reject(`O's PRE-PREPARE for #${want.seq}: ${problem}`);
    if (got.request && !rules.isAuthentic(got.request as ClientRequest)) return reject(`O's request for #${want.seq} is not signed by the client`);
  }
  return { decision };
}
