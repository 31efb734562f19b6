/**
 * Why agreement broke, in quorums: the votes each of two honest replicas counted when it committed its request at one
 * sequence number, and who is in both quorums. With m ≤ f two quorums of 2f+1 always share an honest replica, who would
 * not have voted for both; when they broke, everyone they share is a liar who did. Read from the run's own events —
 * the votes each replica received (and its own) — never from what the protocol should have done.
 */
import { protocolOf } from '../sim/protocols';
import type { NodeId, ProtocolMode, SafetyViolation, TraceEvent } from '../sim/types';

export interface QuorumOverlap {
  seq: number;
  /** Per disagreeing replica: the digest it committed and who voted for it (sorted). */
  quorums: Array<{ replica: NodeId; digest: string; voters: NodeId[] }>;
  /** In every quorum. */
  overlap: NodeId[];
  /** Of those, the ones malicious at the moment. */
  liars: NodeId[];
}

/**
 * The quorums behind a violation, from the events before it. Null when fewer than two replicas disagree, or the protocol
 * has no vote that commits.
 */
export function quorumOverlap(events: Iterable<TraceEvent>, v: SafetyViolation, mode: ProtocolMode | undefined, isLiar: (id: NodeId) => boolean): QuorumOverlap | null {
  const commitVote = protocolOf(mode).narration.sendsOn('prepared', false)[0];
  if (!commitVote || v.replicas.length < 2) return null;
  const wanted = v.replicas.slice(0, 2).map((replica, k) => ({ replica, digest: v.digests[k] ?? '', voters: new Set<NodeId>(), committed: false }));
  for (const e of events) {
    if (e.kind === 'phase' && e.seq === v.seq && e.phase === 'committed') {
      // Its quorum is the votes it held when it became committed; later ones changed nothing.
      for (const q of wanted) if (q.replica === e.replica && q.digest === e.digest) q.committed = true;
      continue;
    }
    if (e.kind !== 'deliver' && e.kind !== 'send') continue;
    const m = e.msg;
    if (m.type !== commitVote || m.seq !== v.seq) continue;
    for (const q of wanted) {
      if (m.digest !== q.digest || q.committed) continue;
      // A vote it received and counted, or its own (which it counts without receiving it).
      if ((e.kind === 'deliver' && m.to === q.replica && !e.ignored) || (e.kind === 'send' && m.from === q.replica)) q.voters.add(m.from);
    }
  }
  const quorums = wanted.map((q) => ({ replica: q.replica, digest: q.digest, voters: [...q.voters].sort((a, b) => a - b) }));
  const overlap = quorums[0].voters.filter((id) => quorums[1].voters.includes(id));
  return { seq: v.seq, quorums, overlap, liars: overlap.filter(isLiar) };
}

function list(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The overlap in one sentence, for the banner and the narration at the moment of the violation. */
export function overlapWords(o: QuorumOverlap, f: number): string {
  const quorum = o.quorums.map((q) => `replica ${q.replica} committed ${q.digest.slice(0, 8) || 'its request'} on the votes of ${list(q.voters.map(String))}`).join('; ');
  if (o.overlap.length === 0) return `At #${o.seq}, ${quorum}: the two quorums share nobody.`;
  const shared = list(o.overlap.map(String));
  const who =
    o.liars.length === o.overlap.length
      ? `${o.overlap.length === 1 ? 'a liar' : 'all liars'}, who voted for both`
      : `${list(o.liars.map(String)) || 'none'} of them malicious`;
  return `At #${o.seq}, ${quorum}: the two quorums of 2f+1 = ${2 * f + 1} overlap only in ${o.overlap.length === 1 ? 'replica' : 'replicas'} ${shared} — ${who}.`;
}
