/**
 * What PBFT's liars need to know of PBFT, and the building blocks of its view-change lies. A liar can sign only in its
 * own name (`sign`), and may replay any signed message it has seen: every forgery here is built from material a liar
 * really holds — the genuine NEW-VIEW its own replica made, with the VIEW-CHANGEs it received inside — and whatever it
 * changes in another's message keeps that message's claimed sender and signature, so a receiver that checks the proofs
 * catches it.
 */
import type { AdversaryContext, ProtocolKnowledge, ViewChangeLies } from '../../adversary/types';
import { forgedDigest, NULL_DIGEST } from '../../messages';
import { primaryOf, quorumSize, toleratedFaults } from '../../scenario';
import type { ClientRequest, Message, NodeId, OutgoingMessage } from '../../types';
import { knowledgeOf } from '../knowledge';
import { NO_SIGNATURE } from '../../signatures';
import { pbft } from './descriptor';
import { signedCopy, type CheckpointProof, type NewViewPayload, type PreparedCertificate, type SignedMessage, type ViewChangePayload } from './payloads';
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

// ───────────────────────────── the liars' view-change lies ─────────────────────────────

type Content = Omit<SignedMessage, 'sender' | 'sig'>;

/** `m` signed by the liar, in its own name. */
function own(ctx: AdversaryContext, m: Content): SignedMessage {
  return signedAs(ctx.id, m, (x) => ctx.sign(x));
}

/** `m` claimed in `sender`'s name but signed by the liar (the only signature it can make): nobody can verify it. */
function inTheNameOf(ctx: AdversaryContext, sender: NodeId, m: Content): SignedMessage {
  return sender === ctx.id ? own(ctx, m) : { ...own(ctx, m), sender };
}

const quorumOf = (n: number) => quorumSize(n, toleratedFaults(n));
const payloadOf = (vc: OutgoingMessage | SignedMessage) => vc.payload as ViewChangePayload;
const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isWholeNumber = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 0;

/**
 * A VIEW-CHANGE whose payload has the right shape (its signatures unchecked — a liar cannot check them, and needs not:
 * material it cannot back is a lie either way). Anything else it heard, a flooder's garbage say, it leaves alone.
 */
function isViewChange(m: Message): boolean {
  if (m.type !== 'VIEW_CHANGE' || !isWholeNumber(m.view) || !isWholeNumber(m.sender) || !isRecord(m.payload)) return false;
  const { stable, prepared } = m.payload;
  if (!isRecord(stable) || !isWholeNumber(stable.seq) || typeof stable.digest !== 'string' || !Array.isArray(stable.messages) || !Array.isArray(prepared)) return false;
  return prepared.every((c: unknown) => isRecord(c) && isRecord(c.prePrepare) && isWholeNumber(c.prePrepare.seq) && isWholeNumber(c.prePrepare.view) && typeof c.prePrepare.digest === 'string' && Array.isArray(c.prepares));
}

/** The genuine requests it has seen (on PRE-PREPAREs and REQUESTs), newest last. */
function requestsHeard(heard: readonly Message[]): ClientRequest[] {
  const out = new Map<string, ClientRequest>();
  for (const m of heard) if ((m.type === 'PRE_PREPARE' || m.type === 'REQUEST') && m.request && typeof m.request.digest === 'string') out.set(m.request.digest, m.request);
  return [...out.values()];
}

/** Its VIEW-CHANGE's payload with one more certificate (replacing any for the same number). */
function withCertificate(payload: ViewChangePayload, cert: PreparedCertificate): ViewChangePayload {
  const seq = cert.prePrepare.seq;
  const prepared = [...payload.prepared.filter((c) => c.prePrepare.seq !== seq), cert].sort((a, b) => a.prePrepare.seq - b.prePrepare.seq);
  return { ...payload, prepared };
}

/** A prepared certificate for a genuine request at the number after everything it claims, in others' names. */
function inventedCertificate(msg: OutgoingMessage, heard: readonly Message[], ctx: AdversaryContext): OutgoingMessage {
  const payload = payloadOf(msg);
  const view = Math.max(0, msg.view - 1);
  const seq = Math.max(payload.stable.seq, ...payload.prepared.map((c) => c.prePrepare.seq)) + 1;
  const request = requestsHeard(heard).at(-1) ?? null;
  const digest = request?.digest ?? NULL_DIGEST;
  const primary = primaryOf(view, ctx.n);
  const prePrepare = inTheNameOf(ctx, primary, { type: 'PRE_PREPARE', view, seq, digest, request });
  const backups: NodeId[] = [];
  for (let r = 0; r < ctx.n && backups.length < quorumOf(ctx.n) - 1; r++) if (r !== primary) backups.push(r);
  const prepares = backups.map((r) => inTheNameOf(ctx, r, { type: 'PREPARE', view, seq, digest }));
  return { ...msg, payload: withCertificate(payload, { prePrepare, prepares }) };
}

/** A stable checkpoint one number above the one it can prove, "signed" by a quorum it cannot speak for. */
function unprovenCheckpoint(msg: OutgoingMessage, _heard: readonly Message[], ctx: AdversaryContext): OutgoingMessage {
  const payload = payloadOf(msg);
  const seq = Math.max(payload.stable.seq, ...payload.prepared.map((c) => c.prePrepare.seq)) + 1;
  const digest = forgedDigest('state', seq);
  const messages: SignedMessage[] = [];
  for (let r = 0; r < quorumOf(ctx.n); r++) messages.push(inTheNameOf(ctx, r, { type: 'CHECKPOINT', view: Math.max(0, msg.view - 1), seq, digest, payload: { stateDigest: digest } }));
  const stable: CheckpointProof = { seq, digest, messages };
  return { ...msg, seq, payload: { stable, prepared: [] } satisfies ViewChangePayload };
}

/** A real PRE-PREPARE it was sent, claimed prepared on its own PREPARE alone (2f are needed). */
function tooFewPrepares(msg: OutgoingMessage, heard: readonly Message[], ctx: AdversaryContext): OutgoingMessage {
  const payload = payloadOf(msg);
  const real = [...heard].reverse().find((m) => m.type === 'PRE_PREPARE' && m.view < msg.view && m.seq > payload.stable.seq && m.sig !== undefined);
  if (!real) return inventedCertificate(msg, heard, ctx);
  const prePrepare = signedCopy(real);
  const prepares = [own(ctx, { type: 'PREPARE', view: real.view, seq: real.seq, digest: real.digest })];
  return { ...msg, payload: withCertificate(payload, { prePrepare, prepares }) };
}

/** A genuine certificate of its own relabelled to claim another request (the signatures stay as they were made). */
function relabelledCertificate(msg: OutgoingMessage, heard: readonly Message[], ctx: AdversaryContext): OutgoingMessage {
  const payload = payloadOf(msg);
  const cert = payload.prepared.at(-1);
  if (!cert) return inventedCertificate(msg, heard, ctx);
  const other = requestsHeard(heard).filter((r) => r.digest !== cert.prePrepare.digest).at(-1) ?? null;
  const digest = other?.digest ?? NULL_DIGEST;
  const relabelled: PreparedCertificate = {
    prePrepare: { ...cert.prePrepare, digest, request: other },
    prepares: cert.prepares.map((p) => ({ ...p, digest })),
  };
  return { ...msg, payload: withCertificate(payload, relabelled) };
}

const VIEW_CHANGE_FORGERIES = [
  ["a prepared certificate in other replicas' names", inventedCertificate],
  ['a stable checkpoint it cannot prove', unprovenCheckpoint],
  ['a certificate with too few PREPAREs', tooFewPrepares],
  ['a certificate relabelled to another request', relabelledCertificate],
] as const;

/** The VIEW-CHANGEs it holds for `view` (as heard, one per sender, the first kept), its genuine V first. */
function viewChangesFor(view: number, first: readonly SignedMessage[], heard: readonly Message[]): SignedMessage[] {
  const bySender = new Map<NodeId, SignedMessage>();
  for (const vc of first) if (vc.view === view && !bySender.has(vc.sender)) bySender.set(vc.sender, vc);
  for (const m of heard) if (isViewChange(m) && m.view === view && !bySender.has(m.sender)) bySender.set(m.sender, signedCopy(m));
  return [...bySender.values()];
}

type NewViewForgery = (msg: OutgoingMessage, V: readonly SignedMessage[], heard: readonly Message[], ctx: AdversaryContext) => OutgoingMessage;
const fabricated = (msg: OutgoingMessage, V: readonly SignedMessage[], ctx: AdversaryContext, fabricate: ViewChangeFabrication) =>
  fabricateNewView(msg.view, V, ctx.id, fabricate, (x) => ctx.sign(x));

/** Others' VIEW-CHANGEs in V rewritten (their certificates dropped, or their checkpoint renumbered), signatures kept. */
const forgedV: NewViewForgery = (msg, V, _heard, ctx) => {
  const victim = V.find((vc) => vc.sender !== ctx.id && payloadOf(vc).prepared.length > 0) ?? V.find((vc) => vc.sender !== ctx.id);
  return fabricated(msg, V, ctx, (vc) => (vc !== victim ? vc : payloadOf(vc).prepared.length > 0 ? claimNothingPrepared(vc) : { ...vc, seq: vc.seq + 1 }));
};

/** V made of VIEW-CHANGEs it heard for an earlier view (stale material); without any, a V one short of a quorum. */
const staleV: NewViewForgery = (msg, V, heard, ctx) => {
  const older = heard.filter((m) => isViewChange(m) && m.view < msg.view);
  if (older.length === 0) return shortV(msg, V, heard, ctx);
  const stale = viewChangesFor(older.at(-1)!.view, [], heard);
  const mixed = [...stale, ...V.filter((vc) => !stale.some((s) => s.sender === vc.sender))].slice(0, quorumOf(ctx.n));
  return fabricated(msg, mixed, ctx, (vc) => vc);
};

/** V one VIEW-CHANGE short of the 2f+1 it needs. */
const shortV: NewViewForgery = (msg, V, _heard, ctx) => fabricated(msg, V.slice(0, quorumOf(ctx.n) - 1), ctx, (vc) => vc);

/** The genuine V, but O re-proposes something else at its first number (or one number more than V implies). */
const oNotFromV: NewViewForgery = (msg, V, heard, ctx) => {
  const genuine = fabricated(msg, V, ctx, (vc) => vc);
  const payload = genuine.payload as NewViewPayload;
  const first = payload.prePrepares[0];
  const other = requestsHeard(heard).filter((r) => r.digest !== first?.digest).at(-1) ?? null;
  const digest = other?.digest ?? NULL_DIGEST;
  const seq = first ? first.seq : Math.max(0, ...V.map((vc) => payloadOf(vc).stable.seq)) + 1;
  const lie = own(ctx, { type: 'PRE_PREPARE', view: msg.view, seq, digest, request: other });
  const prePrepares = first ? [lie, ...payload.prePrepares.slice(1)] : [lie];
  return { ...genuine, payload: { ...payload, prePrepares } satisfies NewViewPayload };
};

/** A valid NEW-VIEW: of all the VIEW-CHANGEs it holds, the 2f+1 that show the fewest certificates (its own claiming none). */
const leastRevealingV: NewViewForgery = (msg, V, heard, ctx) => {
  const all = viewChangesFor(msg.view, V, heard);
  return fabricated(msg, all, ctx, leastRevealing(all, quorumOf(ctx.n), ctx.id));
};

const NEW_VIEW_FORGERIES = [
  ['V with VIEW-CHANGEs it rewrote', forgedV],
  ['V from an earlier view change', staleV],
  ['V one VIEW-CHANGE short', shortV],
  ['O that does not follow from V', oNotFromV],
  ['a valid V that reveals the least', leastRevealingV],
] as const;

/** What PBFT's liars can do in a view change. */
export const PBFT_VIEW_CHANGE_LIES: ViewChangeLies = {
  viewChangeForgeries: VIEW_CHANGE_FORGERIES.map(([name]) => name),
  forgeViewChange(msg, kind, heard, ctx) {
    const [, forge] = VIEW_CHANGE_FORGERIES[((kind % VIEW_CHANGE_FORGERIES.length) + VIEW_CHANGE_FORGERIES.length) % VIEW_CHANGE_FORGERIES.length];
    return forge(msg, heard, ctx);
  },
  newViewForgeries: NEW_VIEW_FORGERIES.map(([name]) => name),
  forgeNewView(msg, kind, heard, ctx) {
    const [, forge] = NEW_VIEW_FORGERIES[((kind % NEW_VIEW_FORGERIES.length) + NEW_VIEW_FORGERIES.length) % NEW_VIEW_FORGERIES.length];
    return forge(msg, (msg.payload as NewViewPayload).viewChanges, heard, ctx);
  },
  hidingEverything: (msg) => ({ ...msg, payload: { ...payloadOf(msg), prepared: [] } satisfies ViewChangePayload }),
  joining(view, like) {
    const stable = payloadOf(like).stable;
    return { type: 'VIEW_CHANGE', view, seq: stable.seq, digest: '', payload: { stable, prepared: [] } satisfies ViewChangePayload };
  },
  isViewChange,
  reveals: (vc, seq) => payloadOf(vc).prepared.some((c) => c.prePrepare.seq === seq),
  newViewOf(view, viewChanges, ctx) {
    const msg = fabricateNewView(view, viewChanges.map((vc) => signedCopy(vc)), ctx.id, (vc) => vc, (x) => ctx.sign(x));
    return { msg, decision: (msg.payload as NewViewPayload).prePrepares.map((pp) => ({ seq: pp.seq, digest: pp.digest })) };
  },
};

/** What PBFT's liars need to know of PBFT. */
export const PBFT_KNOWLEDGE: ProtocolKnowledge = /* @__PURE__ */ knowledgeOf(pbft, {
  forgeDecision: forgeNewView,
  nullDigest: NULL_DIGEST,
  malformedPayloads: MALFORMED_PAYLOADS,
  viewChange: PBFT_VIEW_CHANGE_LIES,
});
