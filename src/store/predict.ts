/**
 * Predict before you see: the question the room answers before the next phase plays, and the verdict once it has.
 * Pure functions over one moment of the run (the picture on screen and the events since the newest request) and the
 * events the phase then produced; the store keeps the room's answer and the score (predictSlice.ts), the UI draws them.
 *
 * A question is chosen by what the next phase is — the type of the next message due to arrive, the same rule that
 * decides how far Next phase goes (src/sim/stepping.ts) — and by what the picture shows:
 * - PRE-PREPAREs next: which replicas will send PREPARE?
 * - PREPAREs next: which replicas will be prepared?
 * - COMMITs next: which replicas will be committed?
 * - REPLYs to the client next: will the client accept?
 * - VIEW-CHANGEs next: who will be the next primary?
 * - nothing on the wire while a view-change timer runs: will a view change start?
 * The answer is never written down in advance: it is read from the trace of the phase that played.
 */
import { protocolOf } from '../sim/protocols';
import { quorumText } from '../sim/protocols/descriptor';
import { primaryOf, quorumSize } from '../sim/scenario';
import type { FlightMessage } from '../sim/picture';
import { CLIENT, type MessageType, type NodeId, type ProtocolMode, type ReplicaSummary, type TraceEvent } from '../sim/types';
import { behaviourLabel } from './deeds';
import { captionFor, typeLabel } from './describe';

export type QuestionKind = 'will-vote' | 'prepared' | 'committed' | 'client-accepts' | 'next-primary' | 'view-change';

/** How the room answers: a set of replicas, one replica, or yes / no. */
export type AnswerShape = 'replicas' | 'one-replica' | 'yes-no';

/** A message on the wire as a question sees it: the picture's flight and the digest it carries. */
export interface WireMessage extends FlightMessage {
  digest: string;
}

/** One moment of a run, as much as a question needs. */
export interface PredictMoment {
  n: number;
  f: number;
  mode: ProtocolMode;
  /** Trace events shown. */
  index: number;
  replicas: readonly ReplicaSummary[];
  /** The messages on the wire (whether one will be lost is not looked at: that is the future). */
  wire: readonly WireMessage[];
  /** When anything is next due, or null when nothing is scheduled. */
  nextEventAt: number | null;
  /** The events since the client issued its newest request (that `request` event first), or [] before any. */
  recent: readonly TraceEvent[];
}

/** What a question is about: the slot (view, number) of the newest request, or the view a view change aims at. */
export interface QuestionTarget {
  view: number;
  seq: number;
  /** The newest request's digest and timestamp (null for questions about views). */
  digest: string | null;
  timestamp: number | null;
}

export interface Question {
  kind: QuestionKind;
  shape: AnswerShape;
  /** The question, as the room reads it. */
  text: string;
  /** How to answer, and what the picture already shows. */
  hint: string;
  /** Trace index of the moment it was asked at. */
  at: number;
  /** Replicas already in the answer when it is asked (what the picture shows): chosen to begin with. */
  preset: readonly NodeId[];
  target: QuestionTarget;
  /** Names this question at this moment, so an answer belongs to one question only. */
  key: string;
}

/** The room's answer: replicas (for the replica shapes) or yes / no (null: not answered yet). */
export interface Answer {
  replicas: readonly NodeId[];
  yes: boolean | null;
}

export type VerdictStatus = 'right' | 'wrong' | 'skipped' | 'undecided';

export interface Verdict {
  kind: QuestionKind;
  shape: AnswerShape;
  question: string;
  status: VerdictStatus;
  /** What happened: the replicas (replica shapes), or yes / no. */
  truth: { replicas: readonly NodeId[]; yes: boolean | null };
  /** The room's answer, or null when it was skipped. */
  given: Answer | null;
  /** Why, computed from the trace: one or a few sentences. */
  reason: string;
  /** Replicas the graph highlights with the verdict (the answer's, or the ones the reason is about). */
  highlight: readonly NodeId[];
}

// ───────────────────────────── words ─────────────────────────────

/** "replica 1", "replicas 1 and 3", "replicas 0, 1, 2 and 3" (lower case: callers capitalise a sentence's start). */
export function replicaList(ids: readonly NodeId[]): string {
  const sorted = [...ids].sort((a, b) => a - b);
  if (sorted.length === 0) return 'no replica';
  if (sorted.length === 1) return `replica ${sorted[0]}`;
  return `replicas ${sorted.slice(0, -1).join(', ')} and ${sorted[sorted.length - 1]}`;
}

const cap = (s: string) => (s ? s[0].toUpperCase() + s.slice(1) : s);
const plural = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
const each = (ids: readonly NodeId[]) => (ids.length === 1 ? 'it' : 'each');

/**
 * A quorum formula as the descriptors write it ('2f', '2f+1', 'n − f', 'f+1', 'quorum'), as the number the protocol's
 * replicas count for this n and f (its quorumOf). The papers' 2f and 2f + 1 are for n = 3f + 1; with more replicas PBFT
 * and Tendermint count the run's quorum ⌈(n + f + 1)/2⌉ (2f PREPAREs are one short of it), HotStuff n − f.
 */
export function quorumValue(formula: string, n: number, f: number, mode?: ProtocolMode): number {
  const quorum = protocolOf(mode).quorumOf(n, f);
  if (formula === '2f') return quorum - 1;
  if (formula === 'f+1') return f + 1;
  return quorum;
}

/** "2f = 2", "n − f = 5", or the number alone where the paper's formula is not what the replicas count (n > 3f + 1). */
function quorumWords(formula: string, n: number, f: number, mode: ProtocolMode | undefined): string {
  const k = quorumValue(formula, n, f, mode);
  if (formula === 'quorum') return `a quorum of ${k}`;
  const literal = formula === '2f' ? 2 * f : formula === '2f+1' ? 2 * f + 1 : k;
  return literal === k ? `${formula} = ${k}` : String(k);
}

// ───────────────────────────── reading a moment ─────────────────────────────

/**
 * The message due to arrive (or be lost) first: what Next phase plays until none of its type is on the wire. One held
 * at a partition's cut is not due until Heal, so it is not the next wave (the simulation's nextArrivingType skips it too).
 */
export function nextWave(wire: readonly WireMessage[]): WireMessage | null {
  let best: WireMessage | null = null;
  for (const m of wire) {
    if (m.held) continue;
    if (!best || m.arriveAt < best.arriveAt || (m.arriveAt === best.arriveAt && m.id < best.id)) best = m;
  }
  return best;
}

type Ev<K extends TraceEvent['kind']> = Extract<TraceEvent, { kind: K }>;
const isKind =
  <K extends TraceEvent['kind']>(kind: K) =>
  (e: TraceEvent): e is Ev<K> =>
    e.kind === kind;

/** The newest request: its digest and timestamp (the first event of `recent`). */
function newestRequest(recent: readonly TraceEvent[]): { digest: string; timestamp: number } | null {
  const first = recent[0];
  return first && first.kind === 'request' ? { digest: first.digest, timestamp: first.timestamp } : null;
}

/** The rules a question judges by: the protocol's vote types and quorums. */
function rules(mode: ProtocolMode) {
  const protocol = protocolOf(mode);
  const proposals = new Set<MessageType>(protocol.messages.filter((m) => m.role === 'proposal').map((m) => m.type));
  return {
    protocol,
    proposals,
    prepareVote: protocol.quorums.prepared.votes,
    commitVote: protocol.quorums.committed.votes,
    /** The primary of a view multicasts this vote along with its proposal (the seed's does; PBFT's does not). */
    primaryVotes: protocol.narration.sendsOn('pre-prepared', true).includes(protocol.quorums.prepared.votes),
  };
}

/** Whether a slot event or vote is about the newest request: its digest, or (where slots follow the request) its number. */
function aboutRequest(mode: ProtocolMode, target: QuestionTarget, digest: string, seq: number): boolean {
  return digest === target.digest || (protocolOf(mode).picture.slotFollowsRequest && seq === target.seq);
}

/** Replicas that reached `phases` for the target slot among `events`. */
function reached(m: Pick<PredictMoment, 'mode'>, target: QuestionTarget, events: readonly TraceEvent[], phases: ReadonlySet<string>): Set<NodeId> {
  const out = new Set<NodeId>();
  for (const e of events) {
    if (e.kind === 'phase' && phases.has(e.phase) && e.view === target.view && e.seq === target.seq && aboutRequest(m.mode, target, e.digest, e.seq)) out.add(e.replica);
  }
  return out;
}

/** Replicas that sent a message of `type` for the target slot (first sendings, any digest) among `events`. */
function sendersOf(type: MessageType, target: QuestionTarget, events: readonly TraceEvent[]): Set<NodeId> {
  const out = new Set<NodeId>();
  for (const e of events) if (e.kind === 'send' && e.msg.type === type && e.msg.view === target.view && e.msg.seq === target.seq) out.add(e.msg.from);
  return out;
}

const PREPARED = new Set(['prepared', 'committed', 'executed']);
const COMMITTED = new Set(['committed', 'executed']);

/** The slot (view, number) of the newest request: where the first message of the wave for it is about. */
function slotOf(m: PredictMoment, request: { digest: string; timestamp: number }, wave: MessageType): QuestionTarget | null {
  // The numbers the newest request was given (by its primary, in any view), so a forged digest at that number counts too.
  const slots = new Set<string>();
  for (const e of m.recent) if (e.kind === 'phase' && e.phase === 'pre-prepared' && e.digest === request.digest) slots.add(`${e.view}:${e.seq}`);
  let first: WireMessage | null = null;
  for (const msg of m.wire) {
    if (msg.type !== wave || msg.to === CLIENT) continue;
    if (msg.digest !== request.digest && !slots.has(`${msg.view}:${msg.seq}`)) continue;
    if (!first || msg.arriveAt < first.arriveAt || (msg.arriveAt === first.arriveAt && msg.id < first.id)) first = msg;
  }
  return first ? { view: first.view, seq: first.seq, digest: request.digest, timestamp: request.timestamp } : null;
}

// ───────────────────────────── choosing ─────────────────────────────

const REPLICA_HINT = 'Click the replicas on the graph (or press their numbers), then Reveal.';
const ONE_HINT = 'Click one replica on the graph (or press its number), then Reveal.';
const YES_NO_HINT = 'Choose Yes or No, then Reveal.';

/**
 * The question for this moment, or null when the next phase has nothing worth predicting (a REQUEST on its way, a
 * CHECKPOINT round, the run at rest).
 */
export function chooseQuestion(m: PredictMoment): Question | null {
  if (m.index === 0 || m.nextEventAt === null) return null;
  const { protocol, proposals, prepareVote, commitVote } = rules(m.mode);
  const wave = nextWave(m.wire);
  const key = (kind: QuestionKind) => `${kind}@${m.index}`;
  if (wave === null) return viewChangeQuestion(m, key('view-change'));
  const role = protocol.messages.find((w) => w.type === wave.type)?.role;
  if (role === 'view-change') return nextPrimaryQuestion(m, key('next-primary'));
  const request = newestRequest(m.recent);
  if (!request) return null;
  const t = request.timestamp;

  if (proposals.has(wave.type)) {
    const target = slotOf(m, request, wave.type);
    if (!target) return null;
    const preset = [...sendersOf(prepareVote, target, m.recent)];
    if (preset.length === m.n) return null;
    return {
      kind: 'will-vote',
      shape: 'replicas',
      text: `Which replicas will send a ${typeLabel(prepareVote)} for request ${t} (#${target.seq}) once the ${typeLabel(wave.type)}s have arrived?`,
      hint: `${REPLICA_HINT}${preset.length ? ` ${cap(replicaList(preset))} already ${preset.length === 1 ? 'has' : 'have'}.` : ''}`,
      at: m.index,
      preset,
      target,
      key: key('will-vote'),
    };
  }
  if (wave.type === prepareVote || wave.type === commitVote) {
    const kind: QuestionKind = wave.type === prepareVote ? 'prepared' : 'committed';
    const target = slotOf(m, request, wave.type);
    if (!target) return null;
    const preset = [...reached(m, target, m.recent, kind === 'prepared' ? PREPARED : COMMITTED)];
    if (preset.length === m.n) return null;
    return {
      kind,
      shape: 'replicas',
      text: `Which replicas will be ${kind} for request ${t} (#${target.seq}) once the ${typeLabel(wave.type)}s have arrived?`,
      hint: `${REPLICA_HINT}${preset.length ? ` ${cap(replicaList(preset))} already ${preset.length === 1 ? 'is' : 'are'}.` : ''}`,
      at: m.index,
      preset,
      target,
      key: key(kind),
    };
  }
  if (role === 'reply') {
    if (m.recent.some((e) => e.kind === 'accept' && e.timestamp === t)) return null;
    const coming = m.wire.filter((w) => w.type === wave.type && w.to === CLIENT && w.digest === request.digest).length;
    if (coming === 0) return null;
    return {
      kind: 'client-accepts',
      shape: 'yes-no',
      text: `Will the client accept the result of request ${t} once the ${typeLabel(wave.type)}s on their way have arrived?`,
      hint: YES_NO_HINT,
      at: m.index,
      preset: [],
      target: { view: wave.view, seq: 0, digest: request.digest, timestamp: t },
      key: key('client-accepts'),
    };
  }
  return null;
}

/** Nothing on the wire, a view-change timer running: will it run out (and a view change start) in this step? */
function viewChangeQuestion(m: PredictMoment, key: string): Question | null {
  if (!protocolOf(m.mode).picture.viewChange) return null;
  const timed = m.replicas.filter((r) => r.timer !== null);
  if (timed.length === 0) return null;
  const view = Math.max(...m.replicas.map((r) => r.view));
  return {
    kind: 'view-change',
    shape: 'yes-no',
    text: `Nothing is on the wire, and ${replicaList(timed.map((r) => r.id))} ${timed.length === 1 ? 'has its' : 'have their'} view-change timer running. Will a view change start in the next step?`,
    hint: YES_NO_HINT,
    at: m.index,
    preset: [],
    target: { view, seq: 0, digest: null, timestamp: null },
    key,
  };
}

/** VIEW-CHANGEs on the wire and nobody in the new view yet: who will lead it? */
function nextPrimaryQuestion(m: PredictMoment, key: string): Question | null {
  if (!protocolOf(m.mode).picture.viewChange) return null;
  const { protocol } = rules(m.mode);
  const vcTypes = new Set(protocol.messages.filter((w) => w.role === 'view-change').map((w) => w.type));
  const views = m.wire.filter((w) => vcTypes.has(w.type)).map((w) => w.view);
  if (views.length === 0) return null;
  const view = Math.max(...views);
  if (m.replicas.some((r) => r.view >= view && !r.viewChanging)) return null;
  return {
    kind: 'next-primary',
    shape: 'one-replica',
    text: `Replicas are asking for view ${view}. Who will be the next primary?`,
    hint: ONE_HINT,
    at: m.index,
    preset: [],
    target: { view, seq: 0, digest: null, timestamp: null },
    key,
  };
}

// ───────────────────────────── judging ─────────────────────────────

/** The truth and its reason for one question, from the moment it was asked, the phase's events and the picture after. */
interface Outcome {
  truth: { replicas: readonly NodeId[]; yes: boolean | null };
  reason: string;
  highlight: readonly NodeId[];
  /** False when this phase did not settle the question (a view change still short of its VIEW-CHANGEs): not scored. */
  settled: boolean;
}

/**
 * Judges the room's answer (null: skipped) against what the phase did: `step` is the events it produced, `after` the
 * replicas as the picture shows them once it has played.
 */
export function judge(q: Question, answer: Answer | null, before: PredictMoment, step: readonly TraceEvent[], after: readonly ReplicaSummary[]): Verdict {
  const outcome = outcomeOf(q, before, step, after);
  let status: VerdictStatus;
  if (!outcome.settled) status = 'undecided';
  else if (!answer || (q.shape === 'yes-no' && answer.yes === null)) status = 'skipped';
  else status = matches(q, answer, outcome) ? 'right' : 'wrong';
  return {
    kind: q.kind,
    shape: q.shape,
    question: q.text,
    status,
    truth: outcome.truth,
    given: status === 'skipped' ? null : answer,
    reason: outcome.reason,
    highlight: outcome.highlight,
  };
}

function matches(q: Question, answer: Answer, outcome: Outcome): boolean {
  if (q.shape === 'yes-no') return answer.yes === outcome.truth.yes;
  const given = new Set(answer.replicas);
  const truth = new Set(outcome.truth.replicas);
  return given.size === truth.size && [...given].every((id) => truth.has(id));
}

function outcomeOf(q: Question, m: PredictMoment, step: readonly TraceEvent[], after: readonly ReplicaSummary[]): Outcome {
  switch (q.kind) {
    case 'will-vote':
      return willVote(q, m, step);
    case 'prepared':
    case 'committed':
      return certified(q, m, step);
    case 'client-accepts':
      return clientAccepts(q, m, step);
    case 'next-primary':
      return nextPrimary(q, m, step, after);
    case 'view-change':
      return viewChange(m, step);
  }
}

const sorted = (ids: Iterable<NodeId>) => [...ids].sort((a, b) => a - b);

/**
 * The clauses of a reason about the replicas outside the answer, one sentence per kind of reason however many replicas
 * share it ("Replicas 3, 4 and 5 rejected their PRE-PREPAREs (…)"), so a reason stays short at n = 10 and beyond.
 */
class Clauses {
  private readonly groups = new Map<string, { ids: NodeId[]; say: (subject: string, many: boolean) => string }>();

  add(key: string, id: NodeId, say: (subject: string, many: boolean) => string): void {
    const g = this.groups.get(key);
    if (g) g.ids.push(id);
    else this.groups.set(key, { ids: [id], say });
  }

  sentences(): string[] {
    return [...this.groups.values()].map((g) => g.say(cap(replicaList(g.ids)), g.ids.length > 1));
  }
}

/** A liar outside the answer: named as such, and nothing claimed of what it holds (a liar's state proves nothing). */
function liar(m: PredictMoment, id: NodeId, clauses: Clauses): boolean {
  const b = m.replicas[id]?.behaviour;
  if (!b) return false;
  const label = behaviourLabel(b);
  clauses.add(`liar:${label}`, id, (s, many) => `${s} ${many ? 'are' : 'is'} malicious (${label}).`);
  return true;
}

/** Liars inside the answer: they got there too, but a liar's state proves nothing to anyone else. */
function liarsAmong(m: PredictMoment, ids: readonly NodeId[]): string[] {
  const clauses = new Clauses();
  for (const id of ids) {
    const b = m.replicas[id]?.behaviour;
    if (!b) continue;
    const label = behaviourLabel(b);
    clauses.add(label, id, (s, many) => `${s} ${many ? 'are' : 'is'} malicious (${label}): what a liar holds proves nothing to the others.`);
  }
  return clauses.sentences();
}

/** The proposal type's name in the run's protocol (PRE-PREPARE). */
function proposalLabel(m: PredictMoment): string {
  const { proposals } = rules(m.mode);
  return typeLabel([...proposals][0] ?? 'PRE_PREPARE');
}

/** Why a replica holds no proposal for the slot: lost, rejected (and why), or never reached it. */
function noProposal(m: PredictMoment, id: NodeId, target: QuestionTarget, events: readonly TraceEvent[], clauses: Clauses): void {
  const { proposals } = rules(m.mode);
  const label = proposalLabel(m);
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if ((e.kind === 'deliver' || e.kind === 'drop') && proposals.has(e.msg.type) && e.msg.to === id && e.msg.view === target.view && e.msg.seq === target.seq) {
      if (e.kind === 'drop') return clauses.add('lost', id, (s, many) => `${s} never got ${many ? 'their' : 'its'} ${label}${many ? 's' : ''}: ${many ? 'they were' : 'it was'} lost.`);
      const why = e.ignored;
      if (why) return clauses.add(`rejected:${why}`, id, (s, many) => `${s} rejected ${many ? 'their' : 'its'} ${label}${many ? 's' : ''} (${why}).`);
    }
  }
  clauses.add('none', id, (s, many) => `${s} ${many ? 'hold' : 'holds'} no ${label} for #${target.seq}.`);
}

function willVote(q: Question, m: PredictMoment, step: readonly TraceEvent[]): Outcome {
  const { prepareVote, primaryVotes } = rules(m.mode);
  const all = [...m.recent, ...step];
  const target = q.target;
  const voted = sendersOf(prepareVote, target, all);
  const truth = sorted(voted);
  const primary = primaryOf(target.view, m.n);
  const vote = typeLabel(prepareVote);
  const proposal = proposalLabel(m);
  const accepted = truth.filter((id) => id !== primary || !primaryVotes);
  const parts: string[] = [];
  if (truth.length === 0) parts.push(`No replica sent a ${vote} for #${target.seq}.`);
  else if (accepted.length > 0) parts.push(`${cap(replicaList(accepted))} accepted the ${proposal} for #${target.seq} and multicast ${vote}.`);
  if (voted.has(primary) && primaryVotes) parts.push(`Replica ${primary}, the primary, votes ${vote} along with its ${proposal}.`);
  if (!voted.has(primary) && !primaryVotes) parts.push(`Replica ${primary} is the primary: its ${proposal} stands for its vote, so it sends no ${vote}.`);
  const clauses = new Clauses();
  const holds = reached(m, target, all, new Set(['pre-prepared']));
  for (let id = 0; id < m.n; id++) {
    if (voted.has(id) || id === primary || liar(m, id, clauses)) continue;
    if (holds.has(id)) clauses.add('silent', id, (s, many) => `${s} ${many ? 'hold' : 'holds'} the ${proposal} but sent no ${vote}.`);
    else noProposal(m, id, target, all, clauses);
  }
  parts.push(...clauses.sentences());
  return { truth: { replicas: truth, yes: null }, reason: parts.join(' '), highlight: truth, settled: true };
}

/** Matching votes of `type` replica `id` holds for the target slot: distinct senders delivered to it, and its own. */
function votesHeld(type: MessageType, id: NodeId, target: QuestionTarget, events: readonly TraceEvent[]): number {
  // A vote matches what the replica accepted: the digest of its proposal for the slot (the request's, unless it was lied to).
  let digest = target.digest;
  for (const e of events) if (e.kind === 'phase' && e.phase === 'pre-prepared' && e.replica === id && e.view === target.view && e.seq === target.seq) digest = e.digest;
  const senders = new Set<NodeId>();
  for (const e of events) {
    if (e.kind === 'deliver' && !e.ignored && e.msg.type === type && e.msg.to === id && e.msg.view === target.view && e.msg.seq === target.seq && e.msg.digest === digest) senders.add(e.msg.from);
    else if (e.kind === 'send' && e.msg.type === type && e.msg.from === id && e.msg.view === target.view && e.msg.seq === target.seq && e.msg.digest === digest) senders.add(id);
  }
  return senders.size;
}

function certified(q: Question, m: PredictMoment, step: readonly TraceEvent[]): Outcome {
  const { protocol, prepareVote, commitVote, primaryVotes } = rules(m.mode);
  const all = [...m.recent, ...step];
  const target = q.target;
  const preparedQ = q.kind === 'prepared';
  const got = reached(m, target, all, preparedQ ? PREPARED : COMMITTED);
  const truth = sorted(got);
  const vote = typeLabel(preparedQ ? prepareVote : commitVote);
  const formula = (preparedQ ? protocol.quorums.prepared : protocol.quorums.committed).formula(m.f);
  const need = quorumValue(formula, m.n, m.f, m.mode);
  const primary = primaryOf(target.view, m.n);
  const proposal = proposalLabel(m);
  const parts: string[] = [];
  const verb = truth.length === 1 ? 'is' : 'are';
  if (truth.length === 0) parts.push(`No replica is ${q.kind} for #${target.seq}.`);
  else if (preparedQ) parts.push(`${cap(replicaList(truth))} ${verb} prepared for #${target.seq}: ${each(truth)} holds the ${proposal} and ${quorumWords(formula, m.n, m.f, m.mode)} matching ${vote}s.`);
  else parts.push(`${cap(replicaList(truth))} ${verb} committed for #${target.seq}: ${each(truth)} is prepared and holds ${quorumWords(formula, m.n, m.f, m.mode)} matching ${vote}s.`);
  if (preparedQ && !primaryVotes && got.has(primary)) parts.push(`Replica ${primary} is the primary: it sends no ${vote} (its ${proposal} stands for its vote) and counts the backups'.`);
  parts.push(...liarsAmong(m, truth));
  const clauses = new Clauses();
  const prepared = reached(m, target, all, PREPARED);
  const proposed = reached(m, target, all, new Set(['pre-prepared']));
  for (let id = 0; id < m.n; id++) {
    if (got.has(id) || liar(m, id, clauses)) continue;
    if (!preparedQ && !prepared.has(id)) {
      clauses.add('unprepared', id, (s, many) => `${s} ${many ? 'are' : 'is'} not prepared for #${target.seq}, so ${many ? 'they' : 'it'} cannot commit.`);
    } else if (preparedQ && !proposed.has(id)) {
      noProposal(m, id, target, all, clauses);
    } else {
      const held = votesHeld(preparedQ ? prepareVote : commitVote, id, target, all);
      clauses.add(`held:${held}`, id, (s, many) => `${s} ${many ? 'each hold' : 'holds'} ${held} matching ${vote}${held === 1 ? '' : 's'} of the ${need} ${many ? 'they need' : 'it needs'}.`);
    }
  }
  parts.push(...clauses.sentences());
  return { truth: { replicas: truth, yes: null }, reason: parts.join(' '), highlight: truth, settled: true };
}

function clientAccepts(q: Question, m: PredictMoment, step: readonly TraceEvent[]): Outcome {
  const t = q.target.timestamp;
  const accept = step.find((e): e is Ev<'accept'> => e.kind === 'accept' && e.timestamp === t);
  const replies = (events: readonly TraceEvent[]) =>
    events.filter((e): e is Ev<'deliver'> => e.kind === 'deliver' && !e.ignored && e.msg.to === CLIENT && e.msg.digest === q.target.digest && messageRole(m, e.msg.type) === 'reply');
  const heard = sorted(new Set(replies([...m.recent, ...step]).map((e) => e.msg.from)));
  const lost = step.filter((e) => e.kind === 'drop' && e.msg.to === CLIENT).length;
  const need = m.f + 1;
  let reason: string;
  if (accept) {
    reason = `Yes: the client accepted request ${t}: f+1 = ${need} matching REPLYs arrived (it heard from ${replicaList(heard)}), so at least one of them is honest and the result is the agreed one.`;
    if (accept.fooled) {
      reason = `Yes: the client accepted request ${t} after f+1 = ${need} matching REPLYs (it heard from ${replicaList(heard)}) — but every matching one came from a malicious replica, so it was fooled: f+1 replies prove the result only while at most f = ${m.f} replicas lie.`;
    }
  } else {
    reason = `No: the client holds ${plural(heard.length, 'REPLY')} for request ${t}${heard.length ? ` (from ${replicaList(heard)})` : ''}; it needs f+1 = ${need} matching ones, since up to f = ${m.f} could lie.`;
    if (lost > 0) reason += ` ${plural(lost, 'REPLY')} ${lost === 1 ? 'was' : 'were'} lost on the way.`;
  }
  return { truth: { replicas: [], yes: accept !== undefined }, reason, highlight: heard, settled: true };
}

function messageRole(m: PredictMoment, type: MessageType) {
  return protocolOf(m.mode).messages.find((w) => w.type === type)?.role;
}

function nextPrimary(q: Question, m: PredictMoment, step: readonly TraceEvent[], after: readonly ReplicaSummary[]): Outcome {
  const installed = step.find((e): e is Ev<'new-view'> => e.kind === 'new-view' && e.view >= q.target.view);
  if (!installed) {
    const changing = after.filter((r) => r.viewChanging).map((r) => r.id);
    return {
      truth: { replicas: [], yes: null },
      reason: `Not decided in this phase: no replica entered view ${q.target.view}${changing.length ? ` (${replicaList(changing)} ${changing.length === 1 ? 'is' : 'are'} still changing view)` : ''}. A new primary starts its view only with ${m.f > 0 ? quorumText(m.f, quorumSize(m.n, m.f)) : quorumSize(m.n, m.f)} VIEW-CHANGEs, and the others join only when their own timers run out or f+1 = ${m.f + 1} replicas ask. Not scored.`,
      highlight: [],
      settled: false,
    };
  }
  const p = installed.primary;
  const v = installed.view;
  const quorum = quorumSize(m.n, m.f);
  let reason = `Replica ${p} leads view ${v}: the primary of view v is v mod n, and ${v} mod ${m.n} = ${p}. It collected ${m.f > 0 ? quorumText(m.f, quorum) : quorum} VIEW-CHANGEs and multicast NEW-VIEW.`;
  if (v > q.target.view) reason += ` View ${q.target.view}'s primary (replica ${primaryOf(q.target.view, m.n)}) never took over, so the replicas moved on to view ${v}.`;
  return { truth: { replicas: [p], yes: null }, reason, highlight: [p], settled: true };
}

function viewChange(m: PredictMoment, step: readonly TraceEvent[]): Outcome {
  const started = step.filter(isKind('view-change'));
  if (started.length > 0) {
    const ids = sorted(new Set(started.map((e) => e.replica)));
    const view = Math.max(...started.map((e) => e.view));
    const oldPrimary = primaryOf(view - 1, m.n);
    const timers = ids.length === 1 ? `${replicaList(ids)}'s view-change timer` : `the view-change timers of ${replicaList(ids)}`;
    return {
      truth: { replicas: [], yes: true },
      reason: `Yes: ${timers} ran out before the request executed, so ${ids.length === 1 ? 'it suspects' : 'they suspect'} the primary (replica ${oldPrimary}) and ${ids.length === 1 ? 'multicasts' : 'multicast'} VIEW-CHANGE for view ${view}; replica ${primaryOf(view, m.n)} would lead it.`,
      highlight: ids,
      settled: true,
    };
  }
  const behaviours = m.replicas.map((r) => r.behaviour);
  const caption = captionFor(step, { behaviours, mode: m.mode });
  const stopped = step.filter((e) => e.kind === 'timer' && e.action === 'stop').length;
  const why = stopped > 0 ? 'a timer was stopped before it ran out (the request it waited for executed)' : 'something else was due before any timer ran out';
  return {
    truth: { replicas: [], yes: false },
    reason: `No: no replica started a view change in this step: ${why}.${caption ? ` What happened: ${caption.replace(/^t=[\d.]+ /, '')}.` : ''}`,
    highlight: [],
    settled: true,
  };
}
