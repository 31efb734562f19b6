/**
 * What the Compare view counts for each protocol's run, folded from its trace: messages and bytes per decision, the
 * message delays from a request to its acceptance (round trips are two), latency, leaders replaced, and what replacing
 * them cost. One fold for the view, the lessons' tests and the e2e test alike.
 */
import { messageBytes } from '../sim/protocols/sizes';
import type { NodeId, ProtocolMode, TraceEvent } from '../sim/types';
import type { LabState } from './labStore';

export interface CompareCounters {
  /** Requests the client accepted with a result honest replicas computed. */
  decisions: number;
  /** Every message sent (the client's REQUESTs and the REPLYs too), retransmissions included. */
  messages: number;
  bytes: number;
  messagesPerDecision: number | null;
  bytesPerDecision: number | null;
  /**
   * Message delays on the causal chain from the client's request to the reply that completed it, for the last
   * decision (a round trip is two); null before the first.
   */
  hops: number | null;
  meanLatencyMs: number | null;
  /** Leaders replaced: views (PBFT, HotStuff) or rounds (Tendermint) that a timeout made the replicas give up on. */
  viewChanges: number;
  /**
   * What replacing them cost: from the first timer that ran out after a decision (or the start) to the next decision,
   * the virtual time and the messages sent meanwhile; counted while it lasts.
   */
  viewChangeMs: number;
  viewChangeMessages: number;
}

export function emptyCounters(): CompareCounters {
  return { decisions: 0, messages: 0, bytes: 0, messagesPerDecision: null, bytesPerDecision: null, hops: null, meanLatencyMs: null, viewChanges: 0, viewChangeMs: 0, viewChangeMessages: 0 };
}

/**
 * Folds the trace (in order) of a run of `mode` with f tolerated faults and these liars. `now` is the run's virtual
 * time, so a view change still under way is counted up to now.
 */
export function compareCounters(events: Iterable<TraceEvent>, run: { mode: ProtocolMode; f: number; now: number; liars: ReadonlySet<NodeId> }): CompareCounters {
  const { mode, f, now, liars } = run;
  const c = emptyCounters();
  let latencySum = 0;
  // Causal depth since the client's newest request: what a node sends is one hop deeper than the message it took in
  // last (in this simulation a send happens in the step that delivered the message that triggered it — the one that
  // completed a quorum, say); messages sent before that request count as depth 0.
  const depth = new Map<NodeId, number>();
  const hopOf = new Map<number, number>();
  // Each running timer's deadline, per replica: a stop at (or after) it means the timer ran out.
  const deadline = new Map<NodeId, number>();
  let disruptedSince: number | null = null;
  const abandoned = new Set<string>();
  for (const e of events) {
    switch (e.kind) {
      case 'request':
        if (!e.retransmit) {
          depth.clear();
          hopOf.clear();
        }
        break;
      case 'send': {
        c.messages++;
        c.bytes += messageBytes(e.msg.type, f);
        if (disruptedSince !== null) c.viewChangeMessages++;
        hopOf.set(e.msg.id, (depth.get(e.msg.from) ?? 0) + 1);
        break;
      }
      case 'deliver':
        if (!e.ignored) depth.set(e.msg.to, hopOf.get(e.msg.id) ?? 0);
        break;
      case 'accept':
        if (e.fooled) break;
        c.decisions++;
        latencySum += e.latencyMs;
        c.hops = depth.get(-1) ?? null;
        if (disruptedSince !== null) c.viewChangeMs += e.t - disruptedSince;
        disruptedSince = null;
        break;
      case 'timer':
        // A liar's timers say nothing of what its lie cost the honest replicas.
        if (liars.has(e.replica)) break;
        if (e.action === 'start') deadline.set(e.replica, e.deadline);
        else {
          const due = deadline.get(e.replica);
          deadline.delete(e.replica);
          if (due !== undefined && e.t >= due - 1e-9 && disruptedSince === null) disruptedSince = e.t;
        }
        break;
      // A view given up: PBFT's and HotStuff's replicas say so when their timer sends them to the next view;
      // Tendermint has no view-change step, its replicas start a later round (round > 0) of the same height.
      case 'view-change':
        if (mode !== 'tendermint') abandoned.add(`v${e.view}`);
        break;
      case 'new-view':
        if (mode === 'tendermint' && e.view > 0) abandoned.add(`h${c.decisions}r${e.view}`);
        break;
    }
  }
  if (disruptedSince !== null) c.viewChangeMs += Math.max(0, now - disruptedSince);
  c.viewChanges = abandoned.size;
  c.messagesPerDecision = c.decisions ? c.messages / c.decisions : null;
  c.bytesPerDecision = c.decisions ? c.bytes / c.decisions : null;
  c.meanLatencyMs = c.decisions ? latencySum / c.decisions : null;
  return c;
}

/** The counters of one lab store's run, as far as its kept history reaches (the page keeps the newest 100,000 events). */
export function labCounters(s: Pick<LabState, 'run' | 'live' | 'scenario'>): CompareCounters {
  const liars = new Set(Object.keys(s.scenario.malicious).map(Number));
  return compareCounters(s.run.trace.slice(0, s.run.length - s.run.base), { mode: s.scenario.mode ?? 'pbft', f: s.run.f, now: s.live.now, liars });
}
