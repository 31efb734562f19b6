/**
 * What a malicious replica actually did in one happening, read from the happening's own events — the messages that
 * really left it, with their digests and receivers — and from who lies at that moment (the picture's settings), never
 * from what the protocol would have had it do. The caption and the narration word these deeds; nothing here assumes
 * a liar behaved.
 */
import type { LieVerdict } from '../sim/protocols/descriptor';
import { messageWords, protocolOf } from '../sim/protocols';
import { CLIENT, type Behaviour, type MessageType, type NodeId, type ProtocolMode, type TraceEvent } from '../sim/types';

export type { LieVerdict } from '../sim/protocols/descriptor';

/** One message a liar was due to send (or did send) in a happening, and what became of it. */
export interface Deed {
  liar: NodeId;
  behaviour: Behaviour;
  type: MessageType;
  /** The sequence number it is about (0 for a message that names none). */
  seq: number;
  /** The digest the liar itself holds for this number, when the happening shows it (its own phase event); else null. */
  held: string | null;
  /** How many replicas an honest one would have told: every other, or the leader alone for a message for it. */
  audience: number;
  /** What really left it, in the order it was sent. */
  sent: Array<{ to: NodeId; digest: string }>;
  verdict: LieVerdict;
}

export interface DeedContext {
  n: number;
  mode?: ProtocolMode;
  /** Who lies now, by replica id (the picture's settings at this moment). */
  behaviours?: ReadonlyArray<Behaviour | null>;
}

/** The roles whose messages a liar can withhold or twist in a way the picture can show. */
const WATCHED = new Set(['proposal', 'vote', 'view-change', 'new-view']);

/**
 * The deeds of every malicious replica that acted in this happening: each message its protocol has it send at the
 * steps the happening shows (a PRE-PREPARE on proposing, a PREPARE on accepting one, a COMMIT on becoming prepared,
 * a VIEW-CHANGE on starting a view change, a NEW-VIEW on taking over), and every proposal or vote it did send.
 */
export function deedsIn(events: readonly TraceEvent[], { n, mode, behaviours }: DeedContext): Deed[] {
  if (!behaviours || events.length === 0) return [];
  const liarOf = (id: NodeId): Behaviour | null => (id >= 0 && id < behaviours.length ? (behaviours[id] ?? null) : null);
  const protocol = protocolOf(mode);
  const { narration } = protocol;
  // Only a protocol whose new leader sends a message of its own on taking over (PBFT's NEW-VIEW) re-proposes in it.
  const tookOver = narration.sendsOnView('new-view', true).length > 0 && events.some((e) => e.kind === 'new-view');
  const toLeader = new Set(protocol.messages.filter((m) => m.toLeader).map((m) => m.type));
  /** Per liar, per "type|seq": the deed being gathered. */
  const deeds = new Map<string, Deed>();
  const deed = (liar: NodeId, behaviour: Behaviour, type: MessageType, seq: number): Deed => {
    const numbered = messageWords(type).numbered;
    const key = `${liar}|${type}|${numbered ? seq : 0}`;
    let d = deeds.get(key);
    // A message the run's protocol sends to the leader alone (HotStuff's votes and NEW-VIEW) is told to one replica;
    // the rest — and another protocol's types a flooding liar makes up — to every other.
    const audience = toLeader.has(type) ? 1 : n - 1;
    if (!d) deeds.set(key, (d = { liar, behaviour, type, seq: numbered ? seq : 0, held: null, audience, sent: [], verdict: 'honest' }));
    return d;
  };
  /** What each liar holds for each number, by its own phase events: what its votes and proposals should name. */
  const held = new Map<string, string>();
  for (const e of events) {
    if (e.kind === 'phase') {
      const behaviour = liarOf(e.replica);
      if (!behaviour) continue;
      if (!held.has(`${e.replica}|${e.seq}`)) held.set(`${e.replica}|${e.seq}`, e.digest);
      const byPrimary = protocol.proposerOf(e, n) === e.replica;
      // A new primary's re-proposals travel inside its NEW-VIEW, not as PRE-PREPAREs of their own.
      if (byPrimary && tookOver && e.phase === 'pre-prepared') continue;
      for (const type of narration.sendsOn(e.phase, byPrimary)) deed(e.replica, behaviour, type, e.seq);
    } else if (e.kind === 'view-change' || e.kind === 'new-view') {
      const behaviour = liarOf(e.replica);
      if (!behaviour) continue;
      // Whether it leads the view it moves to (a view-change event names the view it asks for).
      const leads = (e.kind === 'new-view' ? e.primary : protocol.proposerOf({ view: e.view, seq: 0 }, n)) === e.replica;
      for (const type of narration.sendsOnView(e.kind, leads)) deed(e.replica, behaviour, type, 0);
    } else if (e.kind === 'send') {
      const behaviour = liarOf(e.msg.from);
      if (!behaviour || e.msg.to === CLIENT || !WATCHED.has(messageWords(e.msg.type).role)) continue;
      deed(e.msg.from, behaviour, e.msg.type, e.msg.seq).sent.push({ to: e.msg.to, digest: e.msg.digest });
    }
  }
  const out = [...deeds.values()];
  for (const d of out) {
    if (messageWords(d.type).numbered && narration.namesHeldDigest) d.held = held.get(`${d.liar}|${d.seq}`) ?? null;
    d.verdict = verdictOf(d);
  }
  return out;
}

function verdictOf(d: Deed): LieVerdict {
  if (d.sent.length === 0) return 'withheld';
  const digests = new Set(d.sent.map((s) => s.digest));
  const numbered = messageWords(d.type).numbered;
  if (numbered && d.held !== null) {
    const truthful = d.sent.filter((s) => s.digest === d.held).length;
    if (truthful === 0 && digests.size === d.sent.length && d.sent.length > 1) return 'each-different';
    if (digests.size > 1) return 'split';
    if (truthful === 0) return 'forged';
  } else if (numbered && digests.size > 1) {
    return digests.size === d.sent.length ? 'each-different' : 'split';
  }
  if (new Set(d.sent.map((s) => s.to)).size < d.audience) return 'partial';
  if (d.behaviour.kind === 'slow' && (d.behaviour.extraDelayMs ?? 0) > 0) return 'late';
  return 'honest';
}

/** The deed most worth telling: a lie before a silence before the truth; a proposal before a vote. */
export function mainDeed(deeds: readonly Deed[]): Deed | undefined {
  const weight = (d: Deed) => VERDICT_WEIGHT[d.verdict] * 10 + ROLE_WEIGHT[messageWords(d.type).role];
  let best: Deed | undefined;
  for (const d of deeds) if (!best || weight(d) > weight(best)) best = d;
  return best;
}

const VERDICT_WEIGHT: Record<LieVerdict, number> = { 'each-different': 6, split: 6, forged: 5, withheld: 4, partial: 3, late: 2, honest: 1 };
const ROLE_WEIGHT: Record<string, number> = { proposal: 4, 'new-view': 3, 'view-change': 2, vote: 1 };

function list(ids: readonly NodeId[]): string {
  const names = ids.map((id) => String(id));
  if (names.length === 1) return `replica ${names[0]}`;
  return `replicas ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function plural(k: number, word: string): string {
  return `${k} ${word}${k === 1 ? '' : 's'}`;
}

/** The behaviour as the page names it: "silent", "slow, +40 ms", "omit, 50 %". */
export function behaviourLabel(b: Behaviour): string {
  if (b.kind === 'slow' && b.extraDelayMs !== undefined) return `slow, +${b.extraDelayMs} ms`;
  if (b.kind === 'omit' && b.omitProbability !== undefined) return `omit, ${Math.round(b.omitProbability * 100)} %`;
  return b.kind;
}

/** A deed in a few words, for the caption: "sent no PRE-PREPARE", "sent PRE-PREPARE #1 with 3 different digests". */
export function deedInBrief(d: Deed): string {
  const label = messageWords(d.type).label;
  switch (d.verdict) {
    case 'withheld':
      return `sent no ${label} (${behaviourLabel(d.behaviour)})`;
    case 'each-different':
      return `sent ${label} with ${d.sent.length} different digests (${behaviourLabel(d.behaviour)})`;
    case 'split':
      return `sent ${label} with ${new Set(d.sent.map((s) => s.digest)).size} different digests (${behaviourLabel(d.behaviour)})`;
    case 'forged':
      return `sent ${label} for a digest it does not hold (${behaviourLabel(d.behaviour)})`;
    case 'partial':
      return `sent ${label} to only ${new Set(d.sent.map((s) => s.to)).size} of ${d.audience} (${behaviourLabel(d.behaviour)})`;
    case 'late':
      return `sent ${label} ${d.behaviour.extraDelayMs} ms late (slow)`;
    case 'honest':
      return '';
  }
}

/** A deed in a sentence, for the narration: who did what to whom. */
export function deedInWords(d: Deed, n: number): string {
  const who = `Replica ${d.liar}`;
  const label = messageWords(d.type).label;
  const role = messageWords(d.type).role;
  const about = d.seq > 0 ? ` for #${d.seq}` : '';
  const lying = `${who} is malicious (${behaviourLabel(d.behaviour)})`;
  switch (d.verdict) {
    case 'withheld':
      if (d.behaviour.kind === 'silent') return `${who} is silent (crashed): no ${label}${about} leaves it — it sends nothing at all.`;
      return `${lying} and withholds its ${label}${about}: nobody receives it.`;
    case 'each-different':
      return `${lying}: its ${label}${about} gives each of the ${plural(d.sent.length, 'other replica')} a different digest${d.held !== null ? `, none of them the one it holds (${d.held})` : ''}.`;
    case 'split': {
      const byDigest = new Map<string, NodeId[]>();
      for (const s of d.sent) byDigest.set(s.digest, [...(byDigest.get(s.digest) ?? []), s.to]);
      const parts = [...byDigest].map(([digest, to]) => `${list(to)} ${digest === d.held ? `the digest it holds (${digest})` : `digest ${digest}`}`);
      return `${lying} and tells different replicas different things: its ${label}${about} gives ${parts.join('; ')}.`;
    }
    case 'forged':
      return `${lying}: its ${label}${about} names digest ${d.sent[0].digest}, not the one it holds (${d.held}) — a forged ${role === 'vote' ? 'vote' : 'message'}.`;
    case 'partial': {
      const told = new Set(d.sent.map((s) => s.to));
      const left: NodeId[] = [];
      for (let r = 0; r < n; r++) if (r !== d.liar && !told.has(r)) left.push(r);
      return `${lying}: it sends its ${label}${about} to ${list([...told])} only and withholds it from ${list(left)}.`;
    }
    case 'late':
      return `${who} is slow: its ${label}${about} leaves on time but arrives ${d.behaviour.extraDelayMs} ms later than the network alone would deliver it.`;
    case 'honest':
      // Only a digest it holds shows the content was true; what a VIEW-CHANGE or NEW-VIEW carries, the trace does not show.
      if (d.held === null) return `${lying}: its ${label}${about} goes to ${d.audience === 1 ? `the leader (${list(d.sent.map((s) => s.to))})` : 'every other replica'}; what it carries is not shown here.`;
      return `${lying}, but this time its ${label}${about} says what an honest replica would, to everyone.`;
  }
}
