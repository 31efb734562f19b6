/**
 * Why an attack worked, in quorums, read from the run's own events. Agreement: which two quorums overlapped in whom.
 * Fool: whose REPLYs made up the f+1 the client accepted. Stall: which request waits, since when the network is calm,
 * and which quorum cannot form.
 *
 * Why agreement broke, in quorums. With m ≤ f any two quorums of 2f+1 share an honest replica, and that replica stops
 * the split: in one view it never votes for two requests at one number; across a view change it reports, in its
 * VIEW-CHANGE, what was prepared. When agreement broke, everyone the two quorums share is a liar who did what an honest
 * replica would not. The quorums are read from the run's own events — the votes each replica received and counted (and
 * its own), the VIEW-CHANGEs the new primary had when it built its NEW-VIEW — never from what the protocol should have done.
 */
import { messageWords, protocolOf } from '../sim/protocols';
import { quorumText } from '../sim/protocols/descriptor';
import { primaryOf, quorumSize } from '../sim/scenario';
import type { BehaviourKind, MessageType, NodeId, ProtocolMode, ReplicaSummary, SafetyViolation, TraceEvent } from '../sim/types';

export interface Quorum {
  /** What it is: a replica's commit quorum, or the VIEW-CHANGEs a new primary built its view from. */
  kind: 'commit' | 'view-change';
  /** commit: the replica that committed; view-change: the new primary. */
  replica: NodeId;
  view: number;
  /** commit: the digest committed; view-change: ''. */
  digest: string;
  voters: NodeId[];
  /** The vote it is made of, as the protocol names it (COMMIT, PRECOMMIT, HotStuff's COMMIT vote, VIEW-CHANGE). */
  vote: MessageType;
}

export interface QuorumOverlap {
  seq: number;
  quorums: [Quorum, Quorum];
  /** In both quorums. */
  overlap: NodeId[];
  /** Of those, the ones malicious at the moment. */
  liars: NodeId[];
  /** The run's protocol and n: what a quorum is there. */
  mode: ProtocolMode | undefined;
  n: number;
}

/**
 * The two quorums behind a violation and whom they share, from the events before it. Null when fewer than two replicas
 * disagree, or the protocol has no vote that commits, or the events do not show the commits.
 */
export function quorumOverlap(events: readonly TraceEvent[], v: SafetyViolation, n: number, mode: ProtocolMode | undefined, isLiar: (id: NodeId) => boolean): QuorumOverlap | null {
  const commitVote = protocolOf(mode).narration.sendsOn('prepared', false)[0];
  if (!commitVote || v.replicas.length < 2) return null;
  const sides = v.replicas.slice(0, 2).map((replica, k) => ({ replica, digest: v.digests[k] ?? '', view: -1 }));
  // The view each committed in (its own phase event).
  for (const e of events) {
    if (e.kind !== 'phase' || e.seq !== v.seq || e.phase !== 'committed') continue;
    for (const s of sides) if (s.view < 0 && s.replica === e.replica && s.digest === e.digest) s.view = e.view;
  }
  if (sides.some((s) => s.view < 0)) return null;
  const commitQuorum = (s: (typeof sides)[number]): Quorum => {
    const voters = new Set<NodeId>();
    for (const e of events) {
      // Its quorum is the votes it held when it became committed; later ones changed nothing.
      if (e.kind === 'phase' && e.replica === s.replica && e.seq === v.seq && e.phase === 'committed' && e.digest === s.digest) break;
      if (e.kind !== 'deliver' && e.kind !== 'send') continue;
      const m = e.msg;
      if (m.type !== commitVote || m.seq !== v.seq || m.view !== s.view || m.digest !== s.digest) continue;
      // A vote it received and counted, or its own (which it counts without receiving it).
      if ((e.kind === 'deliver' && m.to === s.replica && !e.ignored) || (e.kind === 'send' && m.from === s.replica)) voters.add(m.from);
    }
    return { kind: 'commit', replica: s.replica, view: s.view, digest: s.digest, voters: [...voters].sort((a, b) => a - b), vote: commitVote };
  };
  const [early, late] = [...sides].sort((a, b) => a.view - b.view);
  const first = commitQuorum(early);
  // Across views PBFT's second quorum is the VIEW-CHANGEs its new primary built the view from; a protocol without a
  // view-change protocol (Tendermint's locks, HotStuff's QCs) shows the second commit quorum itself.
  const acrossViews = early.view !== late.view && protocolOf(mode).picture.viewChange;
  const second = acrossViews ? viewChangeQuorum(events, late.view, n) : commitQuorum(late);
  const overlap = first.voters.filter((id) => second.voters.includes(id));
  return { seq: v.seq, quorums: [first, second], overlap, liars: overlap.filter(isLiar), mode, n };
}

/** The VIEW-CHANGEs for `view` the new primary held (its own included) when it sent its NEW-VIEW. */
function viewChangeQuorum(events: readonly TraceEvent[], view: number, n: number): Quorum {
  const primary = primaryOf(view, n);
  const voters = new Set<NodeId>();
  for (const e of events) {
    if (e.kind === 'new-view' && e.replica === primary && e.view === view) break;
    if (e.kind !== 'deliver' && e.kind !== 'send') continue;
    const m = e.msg;
    if (messageWords(m.type).role !== 'view-change' || m.view !== view) continue;
    if ((e.kind === 'deliver' && m.to === primary && !e.ignored) || (e.kind === 'send' && m.from === primary)) voters.add(m.from);
  }
  return { kind: 'view-change', replica: primary, view, digest: '', voters: [...voters].sort((a, b) => a - b), vote: 'VIEW_CHANGE' };
}

function list(items: readonly (string | number)[]): string {
  const s = items.map(String);
  return s.length <= 1 ? s.join('') : `${s.slice(0, -1).join(', ')} and ${s[s.length - 1]}`;
}

/** Votes of a type, as a sentence counts them: "COMMITs", "PRECOMMITs", HotStuff's "COMMIT votes". */
function votesOf(type: MessageType): string {
  const label = messageWords(type).label;
  return label.startsWith('vote ') ? `${label.slice('vote '.length)} votes` : `${label}s`;
}

function quorumWords(q: Quorum, seq: number, mode: ProtocolMode | undefined): string {
  if (q.kind === 'commit') return `replica ${q.replica} committed ${q.digest.slice(0, 8)} at #${seq} in ${protocolOf(mode).terms.view} ${q.view} on the ${votesOf(q.vote)} of ${list(q.voters)}`;
  return `the new primary ${q.replica} built view ${q.view} from the VIEW-CHANGEs of ${list(q.voters)}`;
}

/** The overlap in one sentence, for the banner at the moment of the violation. */
export function overlapWords(o: QuorumOverlap, f: number, twins: readonly NodeId[] = []): string {
  const [a, b] = o.quorums;
  const what = `${quorumWords(a, o.seq, o.mode)}; ${quorumWords(b, o.seq, o.mode)}`;
  if (o.overlap.length === 0) return `${what[0].toUpperCase()}${what.slice(1)}: the two quorums share nobody.`;
  const did = b.kind === 'view-change' ? `hid in their VIEW-CHANGEs that #${o.seq} was prepared` : `voted for both requests`;
  const twinned = o.overlap.filter((id) => twins.includes(id));
  // A twin lies with honest code: each instance votes once, the two of them on both sides.
  const faulty = twinned.length === 0 ? (o.overlap.length === 1 ? 'a liar who' : 'liars who') : o.overlap.length === 1 ? 'a faulty replica who' : 'faulty replicas who';
  const asTwins = twinned.length === 0 ? '' : ` (${list(twinned)} as twins: each instance honest, the two instances on both sides)`;
  const who = o.liars.length === o.overlap.length ? `${faulty} ${did}${asTwins}` : `of whom ${list(o.liars) || 'none'} faulty`;
  return `${what[0].toUpperCase()}${what.slice(1)}: the two quorums of ${quorumText(f, protocolOf(o.mode).quorumOf(o.n, f))} overlap only in ${o.overlap.length === 1 ? 'replica' : 'replicas'} ${list(o.overlap)} — ${who}.`;
}

// ───────────────────────────── fool the client ─────────────────────────────

/** An acceptance no honest replica computed, and what the run shows of it. */
export interface FooledAcceptance {
  timestamp: number;
  digest: string;
  result: string;
  /** When the client accepted. */
  t: number;
  /** The replicas whose matching REPLYs made up the f+1 (null: a run recorded before the trace said so). */
  repliers: NodeId[] | null;
  /** Of those, the faulty ones. */
  liars: NodeId[];
  /** Honest replicas that had executed the request by then (each computed another result, or it would not be fooled). */
  honestExecuted: NodeId[];
}

/** The first acceptance the run marks as fooled, from its events (the client's accept, its request, the executions before it). */
export function fooledAcceptance(events: readonly TraceEvent[], isLiar: (id: NodeId) => boolean): FooledAcceptance | null {
  const digestOf = new Map<number, string>();
  const executed = new Map<string, Set<NodeId>>();
  for (const e of events) {
    if (e.kind === 'request') digestOf.set(e.timestamp, e.digest);
    else if (e.kind === 'phase' && e.phase === 'executed' && !isLiar(e.replica)) {
      let by = executed.get(e.digest);
      if (!by) executed.set(e.digest, (by = new Set()));
      by.add(e.replica);
    } else if (e.kind === 'accept' && e.fooled) {
      const digest = digestOf.get(e.timestamp) ?? '';
      const repliers = e.repliers ?? null;
      return {
        timestamp: e.timestamp,
        digest,
        result: e.result,
        t: e.t,
        repliers,
        liars: (repliers ?? []).filter(isLiar),
        honestExecuted: [...(executed.get(digest) ?? [])].sort((a, b) => a - b),
      };
    }
  }
  return null;
}

/** The fooled acceptance in one paragraph, for the banner. */
export function foolWords(a: FooledAcceptance, f: number): string {
  const request = `request ${a.timestamp}${a.digest ? ` (${a.digest.slice(0, 8)})` : ''}`;
  const head = `The client accepted result ${a.result} for ${request} at t=${a.t.toFixed(1)}: f+1 = ${f + 1} matching REPLYs are enough for it, because with at most f = ${f} ${f === 1 ? 'liar' : 'liars'} one of them is honest.`;
  const who =
    a.repliers === null
      ? ' Every matching REPLY came from a malicious replica.'
      : ` The matching REPLYs came from ${a.repliers.length === 1 ? 'replica' : 'replicas'} ${list(a.repliers)}${
          a.liars.length === a.repliers.length ? ` — ${a.repliers.length === 1 ? 'a liar' : a.repliers.length === 2 ? 'both liars' : `all ${a.repliers.length} liars`}` : `, of whom ${list(a.liars) || 'none'} malicious`
        }.`;
  const honest =
    a.honestExecuted.length === 0
      ? ' No honest replica computed that result: none had even executed the request.'
      : ` No honest replica computed that result: ${a.honestExecuted.length === 1 ? 'replica' : 'replicas'} ${list(a.honestExecuted)} executed the request and computed another.`;
  return `${head}${who}${honest}`;
}

// ───────────────────────────── stall ─────────────────────────────

/** What a stall explanation reads: the run's events and replicas at the moment on screen, and the stall's own facts. */
export interface StallFacts {
  events: readonly TraceEvent[];
  replicas: readonly ReplicaSummary[];
  n: number;
  f: number;
  /** Replicas running as twins (faulty, though their code is honest). */
  twins: readonly NodeId[];
  /** The request that waits, when the network became calm, and the bound counted from then. */
  digest: string;
  calmSince: number;
  boundMs: number;
  /** Whether the protocol replaces a faulty leader (a view change); without one, a lying primary stalls it for good. */
  viewChange: boolean;
  /** The leader of the first view, which no new-view event names (null: not known here). */
  firstLeader: NodeId | null;
}

const BEHAVIOUR_WORDS: Partial<Record<BehaviourKind, string>> = { silent: 'is silent', omit: 'withholds messages', slow: 'is slow', flood: 'floods' };

function faultWords(r: ReplicaSummary, twins: readonly NodeId[]): string {
  if (!r.behaviour) return twins.includes(r.id) ? 'runs as twins' : 'is honest';
  return BEHAVIOUR_WORDS[r.behaviour.kind] ?? `lies (${r.behaviour.kind})`;
}

/** Who leads each replica's current view, as its last new-view event said (null: no event names it). */
function leaders(events: readonly TraceEvent[]): Map<NodeId, { view: number; primary: NodeId }> {
  const out = new Map<NodeId, { view: number; primary: NodeId }>();
  for (const e of events) if (e.kind === 'new-view') out.set(e.replica, { view: e.view, primary: e.primary });
  return out;
}

/**
 * Why the request waits, in quorums: which replicas will not vote, and whether the others can form a quorum in one
 * view — they are too few, or split across views, or together in a view whose leader will not lead.
 */
export function stallWords(x: StallFacts): string {
  const q = quorumSize(x.n, x.f);
  const faulty = x.replicas.filter((r) => r.behaviour !== null || x.twins.includes(r.id));
  const voters = x.replicas.filter((r) => r.behaviour === null && !x.twins.includes(r.id));
  const head = `Request ${x.digest.slice(0, 8)} has waited since the network became calm at t=${x.calmSince.toFixed(1)} (nothing held by hand since), and the bound of ${Math.round(x.boundMs).toLocaleString('en')} ms from then has passed.`;
  const liars = faulty.length === 0 ? '' : ` ${faulty.map((r) => `Replica ${r.id} ${faultWords(r, x.twins)}`).join('; ')}.`;
  const need = ` A quorum needs ${q} of the ${x.n} replicas in one view`;
  if (voters.length < q) return `${head}${liars}${need}, and only ${voters.length} ${voters.length === 1 ? 'is' : 'are'} honest: no quorum can form.`;
  const byView = new Map<number, NodeId[]>();
  for (const r of voters) byView.set(r.view, [...(byView.get(r.view) ?? []), r.id]);
  const views = [...byView].sort((a, b) => a[0] - b[0]);
  const timers = voters.flatMap((r) => (r.timer ? [r.timer.deadline] : []));
  const next = timers.length > 0 ? ` (the next fires at t=${Math.min(...timers).toFixed(1)})` : '';
  const [view, together] = [...views].sort((a, b) => b[1].length - a[1].length)[0];
  if (together.length < q) {
    const split = views.map(([v, ids]) => `${ids.length === 1 ? 'replica' : 'replicas'} ${list(ids)} in view ${v}`).join(', ');
    return `${head}${liars}${need}, so the ${voters.length} honest replicas must meet in one view, and they are split: ${split}. They move on only as their view timers fire${next}.`;
  }
  const lead = leaders(x.events).get(together[0]);
  const leader = lead && lead.view === view ? lead.primary : view === 0 && !lead ? x.firstLeader : null;
  const bad = leader === null ? null : x.replicas.find((r) => r.id === leader && (r.behaviour !== null || x.twins.includes(r.id)));
  const inView = `${together.length === 1 ? 'replica' : 'replicas'} ${list(together)} ${together.length === 1 ? 'is' : 'are'} in view ${view}`;
  if (bad && !x.viewChange) return `${head}${liars}${need}: ${inView}, whose primary, replica ${bad.id}, ${faultWords(bad, x.twins)} — and this protocol has no view change, so nothing replaces it.`;
  if (bad) return `${head}${liars}${need}: ${inView}, whose leader, replica ${bad.id}, ${faultWords(bad, x.twins)}; they wait for their view timers to move to a view with an honest leader${next}.`;
  return `${head}${liars}${need}: ${inView}${leader === null ? '' : ` with an honest leader, replica ${leader}`}; the request waits for that view's messages${next}.`;
}
