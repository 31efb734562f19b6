/**
 * Why agreement broke, in quorums. With m ≤ f any two quorums of 2f+1 share an honest replica, and that replica stops
 * the split: in one view it never votes for two requests at one number; across a view change it reports, in its
 * VIEW-CHANGE, what was prepared. When agreement broke, everyone the two quorums share is a liar who did what an honest
 * replica would not. The quorums are read from the run's own events — the votes each replica received and counted (and
 * its own), the VIEW-CHANGEs the new primary had when it built its NEW-VIEW — never from what the protocol should have done.
 */
import { messageWords, protocolOf } from '../sim/protocols';
import { primaryOf } from '../sim/scenario';
import type { NodeId, ProtocolMode, SafetyViolation, TraceEvent } from '../sim/types';

export interface Quorum {
  /** What it is: a replica's commit quorum, or the VIEW-CHANGEs a new primary built its view from. */
  kind: 'commit' | 'view-change';
  /** commit: the replica that committed; view-change: the new primary. */
  replica: NodeId;
  view: number;
  /** commit: the digest committed; view-change: ''. */
  digest: string;
  voters: NodeId[];
}

export interface QuorumOverlap {
  seq: number;
  quorums: [Quorum, Quorum];
  /** In both quorums. */
  overlap: NodeId[];
  /** Of those, the ones malicious at the moment. */
  liars: NodeId[];
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
    return { kind: 'commit', replica: s.replica, view: s.view, digest: s.digest, voters: [...voters].sort((a, b) => a - b) };
  };
  const [early, late] = [...sides].sort((a, b) => a.view - b.view);
  const first = commitQuorum(early);
  const second = early.view === late.view ? commitQuorum(late) : viewChangeQuorum(events, late.view, n);
  const overlap = first.voters.filter((id) => second.voters.includes(id));
  return { seq: v.seq, quorums: [first, second], overlap, liars: overlap.filter(isLiar) };
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
  return { kind: 'view-change', replica: primary, view, digest: '', voters: [...voters].sort((a, b) => a - b) };
}

function list(items: readonly (string | number)[]): string {
  const s = items.map(String);
  return s.length <= 1 ? s.join('') : `${s.slice(0, -1).join(', ')} and ${s[s.length - 1]}`;
}

function quorumWords(q: Quorum, seq: number): string {
  if (q.kind === 'commit') return `replica ${q.replica} committed ${q.digest.slice(0, 8)} at #${seq} in view ${q.view} on the COMMITs of ${list(q.voters)}`;
  return `the new primary ${q.replica} built view ${q.view} from the VIEW-CHANGEs of ${list(q.voters)}`;
}

/** The overlap in one sentence, for the banner at the moment of the violation. */
export function overlapWords(o: QuorumOverlap, f: number): string {
  const [a, b] = o.quorums;
  const what = `${quorumWords(a, o.seq)}; ${quorumWords(b, o.seq)}`;
  if (o.overlap.length === 0) return `${what[0].toUpperCase()}${what.slice(1)}: the two quorums share nobody.`;
  const did = b.kind === 'view-change' ? `hid in their VIEW-CHANGEs that #${o.seq} was prepared` : `voted for both requests`;
  const who = o.liars.length === o.overlap.length ? `${o.overlap.length === 1 ? 'a liar who' : 'liars who'} ${did}` : `of whom ${list(o.liars) || 'none'} malicious`;
  return `${what[0].toUpperCase()}${what.slice(1)}: the two quorums of 2f+1 = ${2 * f + 1} overlap only in ${o.overlap.length === 1 ? 'replica' : 'replicas'} ${list(o.overlap)} — ${who}.`;
}
