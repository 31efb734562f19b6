/**
 * The lecturer's voice: one or two sentences on what the last step did and why it matters for agreement.
 * The caption (describe.ts) says *what* happened in the paper's notation; this says *why anyone should care*.
 */
import { protocolOf } from '../sim/protocols';
import { primaryOf } from '../sim/scenario';
import { CLIENT, type NodeId, type ProtocolMode, type TraceEvent } from '../sim/types';
import { nodeName, typeLabel } from './describe';

export interface NarrationContext {
  n: number;
  f: number;
  /** The run's protocol, whose own steps and quorum rules it words (PBFT when absent). */
  mode?: ProtocolMode;
}

type Ev<K extends TraceEvent['kind']> = Extract<TraceEvent, { kind: K }>;

function find<K extends TraceEvent['kind']>(events: readonly TraceEvent[], kind: K, test: (e: Ev<K>) => boolean = () => true): Ev<K> | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e.kind === kind && test(e as Ev<K>)) return e as Ev<K>;
  }
  return undefined;
}

/**
 * Explains the events of one happening (a delivery, a loss, a timer, the client acting) — most telling consequence
 * first: a broken safety property outranks an accepted result, which outranks a new view, and so on down to a vote
 * that merely arrived.
 */
export function explain(events: readonly TraceEvent[], { n, f, mode }: NarrationContext): string {
  if (events.length === 0) return '';
  const cause = events[0];
  const quorum = 2 * f + 1;
  const { narration } = protocolOf(mode);
  const facts = (replica: NodeId) => ({ who: nodeName(replica), n, f, quorum });

  const violation = find(events, 'violation');
  if (violation) {
    const v = violation.violation;
    return `Safety is broken at #${v.seq}: ${v.message} PBFT promises agreement only while at most f = ${f} replicas are malicious; with more, two quorums of 2f+1 = ${quorum} need not share an honest replica.`;
  }

  const accept = find(events, 'accept');
  if (accept) {
    return `The client accepted the result of request ${accept.timestamp} after ${accept.latencyMs.toFixed(1)} ms: f+1 = ${f + 1} replicas sent the same REPLY, so at least one of them is honest and the result is the agreed one.`;
  }

  const newView = find(events, 'new-view');
  if (newView) {
    if (newView.replica === newView.primary) {
      return `${nodeName(newView.replica)} is the new primary of view ${newView.view}: it collected 2f+1 = ${quorum} VIEW-CHANGEs and multicast NEW-VIEW, re-proposing every request that may have been prepared so nothing committed is lost.`;
    }
    return `${nodeName(newView.replica)} checked the NEW-VIEW and enters view ${newView.view} with ${nodeName(newView.primary)} as primary; agreement resumes there.`;
  }

  const viewChange = find(events, 'view-change');
  if (viewChange) {
    const joined = cause.kind === 'deliver' && cause.msg.type === 'VIEW_CHANGE';
    const why = joined
      ? `it saw f+1 = ${f + 1} replicas ask for a higher view, so at least one honest replica suspects the primary, and it joins them`
      : `its timer expired before the request executed, so it suspects the primary (${nodeName(primaryOf(viewChange.view - 1, n))})`;
    return `${nodeName(viewChange.replica)} starts a view change to view ${viewChange.view}: ${why}. It stops taking part in the old view and multicasts VIEW-CHANGE with its prepared certificates; ${nodeName(primaryOf(viewChange.view, n))} will lead the new view.`;
  }

  const executed = find(events, 'phase', (e) => e.phase === 'executed');
  if (executed) return narration.executed(executed, facts(executed.replica));

  const committed = find(events, 'phase', (e) => e.phase === 'committed');
  if (committed) return narration.committed(committed, facts(committed.replica));

  const prepared = find(events, 'phase', (e) => e.phase === 'prepared');
  if (prepared) return narration.prepared(prepared, facts(prepared.replica));

  const prePrepared = find(events, 'phase', (e) => e.phase === 'pre-prepared');
  if (prePrepared) return narration.prePrepared(prePrepared, facts(prePrepared.replica), prePrepared.replica === primaryOf(prePrepared.view, n));

  const stable = find(events, 'checkpoint', (e) => e.stable);
  if (stable) {
    return `${nodeName(stable.replica)}'s checkpoint #${stable.seq} is stable (2f+1 = ${quorum} matching CHECKPOINTs): it discards its log up to #${stable.seq} and slides its watermark window forward.`;
  }

  switch (cause.kind) {
    case 'drop':
      return `The network lost this ${typeLabel(cause.msg.type)}. PBFT needs only quorums, not every message; if too much is lost, the client's retransmission makes replicas repeat themselves.`;
    case 'request':
      return cause.retransmit
        ? `The client waited without f+1 = ${f + 1} matching replies, so it retransmits request ${cause.timestamp} to every replica: backups relay it to the primary and start timers that expose a faulty one.`
        : `The client sends request ${cause.timestamp} to the replica it believes is the primary; the primary will give it a sequence number.`;
    case 'deliver': {
      const { msg } = cause;
      if (cause.ignored) return `${nodeName(msg.to)} ignored this ${typeLabel(msg.type)}: ${cause.ignored}. Replicas check every message, which is how liars are contained.`;
      if (msg.to === CLIENT && msg.type === 'REPLY') return `The client has a REPLY from ${nodeName(msg.from)}; it waits for f+1 = ${f + 1} matching ones, since up to f could lie.`;
      const vote = narration.voteArrived(msg, facts(msg.to));
      if (vote !== null) return vote;
      if (msg.type === 'CHECKPOINT') return `${nodeName(msg.to)} records this CHECKPOINT vote; 2f+1 = ${quorum} matching ones make a checkpoint stable.`;
      if (msg.type === 'VIEW_CHANGE') return `${nodeName(msg.to)} records ${nodeName(msg.from)}'s VIEW-CHANGE; the new primary needs 2f+1 = ${quorum} of them to start the view.`;
      if (msg.type === 'REQUEST') return `${nodeName(msg.to)} received the client's request; a backup relays it to the primary and starts its timer, so a silent primary is noticed.`;
      return '';
    }
    default:
      break;
  }
  const timer = find(events, 'timer', (e) => e.action === 'start');
  if (timer) return `${nodeName(timer.replica)} starts its timer: if nothing executes by t=${timer.deadline.toFixed(1)}, it will suspect the primary.`;
  return '';
}
