/**
 * Trace events in words, for the event log, the caption and screen readers. Kept out of React so the store
 * formats each event once, when it arrives, instead of on every render.
 */
import { messageWords } from '../sim/protocols';
import { CLIENT, type Behaviour, type LossCause, type MessageSummary, type MessageType, type NodeId, type ProtocolMode, type TraceEvent } from '../sim/types';
import { deedInBrief, deedsIn } from './deeds';

/** The message's name as its protocol's vocabulary writes it (the paper writes PRE-PREPARE; identifiers cannot). */
export function typeLabel(type: MessageType): string {
  return messageWords(type).label;
}

export function nodeName(id: NodeId): string {
  return id === CLIENT ? 'Client' : `Replica ${id}`;
}

export function formatTime(t: number): string {
  return `t=${t.toFixed(1)}`;
}

/** "PRE-PREPARE v0 #1": the message and the (view, sequence number) it is about, as far as its kind is about them. */
export function messageLabel(msg: Pick<MessageSummary, 'type' | 'view' | 'seq'>): string {
  const words = messageWords(msg.type);
  const parts = [words.label];
  if (words.role === 'view-change' || words.role === 'new-view') parts.push(`to v${msg.view}`);
  else if (words.role !== 'request') parts.push(`v${msg.view}`);
  if (words.numbered) parts.push(`#${msg.seq}`);
  return parts.join(' ');
}

/** Why a message was lost, as the end of "… was lost". */
export const LOSS_WORDS: Record<LossCause | 'network', string> = {
  network: '',
  partition: ': the network is partitioned',
  link: ' on the lossy link',
  hand: ': dropped by hand',
};

/** The sentence after "t=…": what happened, in the paper's vocabulary. */
export function describeEventBody(e: TraceEvent): string {
  switch (e.kind) {
    case 'send': {
      const route = `${nodeName(e.msg.from)} → ${nodeName(e.msg.to)} ${messageLabel(e.msg)}`;
      if (e.held) return `${route} (held at the cut: the network is partitioned)`;
      if (e.by === 'partition') return `${route} (lost: the network is partitioned)`;
      if (e.by === 'link') return `${route} (lost on the lossy link)`;
      return route;
    }
    case 'deliver':
      return e.ignored
        ? `${nodeName(e.msg.to)} ignored ${messageLabel(e.msg)} from ${nodeName(e.msg.from)} (${e.ignored})`
        : `${nodeName(e.msg.to)} received ${messageLabel(e.msg)} from ${nodeName(e.msg.from)}`;
    case 'drop':
      return `✕ ${messageLabel(e.msg)} from ${nodeName(e.msg.from)} to ${nodeName(e.msg.to)} was lost${LOSS_WORDS[e.by ?? 'network']}`;
    case 'hold':
      return `${messageLabel(e.msg)} from ${nodeName(e.msg.from)} to ${nodeName(e.msg.to)} is held at the cut until Heal`;
    case 'release':
      return `Heal releases ${messageLabel(e.msg)} from ${nodeName(e.msg.from)} to ${nodeName(e.msg.to)} (arrives at ${formatTime(e.arriveAt)})`;
    case 'phase':
      return `${nodeName(e.replica)} ${e.phase} v${e.view} #${e.seq}`;
    case 'request':
      return e.retransmit
        ? `Client retransmits request ${e.timestamp} (${e.op})`
        : `Client issues request ${e.timestamp} (${e.op})`;
    case 'accept':
      return `Client accepted result "${e.result}" for request ${e.timestamp} after ${e.latencyMs.toFixed(1)} ms${e.fooled ? ' — FOOLED: no honest replica computed that result' : ''}`;
    case 'view-change':
      return `${nodeName(e.replica)} starts a view change to v${e.view}`;
    case 'new-view':
      return `${nodeName(e.replica)} enters v${e.view}; primary is ${nodeName(e.primary)}`;
    case 'timer':
      return e.action === 'start'
        ? `${nodeName(e.replica)} starts its view-change timer (fires at ${formatTime(e.deadline)})`
        : `${nodeName(e.replica)} stops its view-change timer`;
    case 'checkpoint':
      return e.stable
        ? `${nodeName(e.replica)} checkpoint #${e.seq} is stable`
        : `${nodeName(e.replica)} takes checkpoint #${e.seq}`;
    case 'violation':
      return `SAFETY VIOLATION (${e.violation.rule}) at #${e.violation.seq}: ${e.violation.message}`;
    default: {
      const unknown: never = e;
      return `unknown event ${JSON.stringify(unknown)}`;
    }
  }
}

export function describeEvent(e: TraceEvent): string {
  return `${formatTime(e.t)} ${describeEventBody(e)}`;
}

/** Events that start a step; sends, phases and the rest are their consequences. */
function isCause(e: TraceEvent): boolean {
  return e.kind === 'deliver' || e.kind === 'drop' || e.kind === 'request' || e.kind === 'view-change' || e.kind === 'hold' || e.kind === 'release';
}

/**
 * One line for the newest step in a batch: its cause, then what followed from it, e.g.
 * "t=14.2 Replica 1 received PRE-PREPARE v0 #1 from Replica 0 → pre-prepared; sent 3 PREPARE".
 * Messages of one type that carried different digests say so ("sent 3 PRE-PREPARE with 2 different digests"); with
 * `behaviours` (who lies at that moment), what a liar withheld or twisted is said too ("sent no PRE-PREPARE
 * (silent)"). Returns null for an empty batch, so the previous caption stays.
 */
export function captionFor(events: readonly TraceEvent[], liars?: { behaviours: ReadonlyArray<Behaviour | null>; mode?: ProtocolMode }): string | null {
  if (events.length === 0) return null;
  let start = events.length - 1;
  while (start > 0 && !isCause(events[start])) start--;
  const cause = events[start];
  const rest = events.slice(start + 1);

  const effects: string[] = [];
  const phases = rest.filter((e) => e.kind === 'phase');
  if (phases.length > 0) {
    const byReplica = phases.filter((p) => isCause(cause) && 'msg' in cause && p.replica === cause.msg.to);
    const shown = byReplica.length === phases.length ? byReplica.map((p) => p.phase) : phases.map((p) => `${nodeName(p.replica)} ${p.phase}`);
    effects.push(shown.join(', '));
  }
  const sent = new Map<MessageType, { count: number; digests: Set<string> }>();
  for (const e of rest) {
    if (e.kind !== 'send') continue;
    const s = sent.get(e.msg.type) ?? { count: 0, digests: new Set<string>() };
    s.count++;
    s.digests.add(e.msg.digest);
    sent.set(e.msg.type, s);
  }
  if (sent.size > 0) {
    effects.push(
      'sent ' +
        [...sent]
          .map(([type, { count, digests }]) => `${count} ${typeLabel(type)}${digests.size > 1 ? ` with ${digests.size} different digests` : ''}`)
          .join(', '),
    );
  }
  if (liars) {
    for (const d of deedsIn(events.slice(start), { n: liars.behaviours.length, mode: liars.mode, behaviours: liars.behaviours })) {
      // Different digests are said above already; a liar's silence, forgery, partial or late sending is said here.
      if (d.verdict === 'honest' || d.verdict === 'each-different' || d.verdict === 'split') continue;
      effects.push(`${nodeName(d.liar)} ${deedInBrief(d)}`);
    }
  }
  for (const e of rest) {
    if (e.kind === 'accept' || e.kind === 'violation' || e.kind === 'new-view' || (e.kind === 'checkpoint' && e.stable)) {
      effects.push(describeEventBody(e));
    }
  }
  // A lone send (the client's first REQUEST, say) reads best as itself.
  if (cause.kind === 'send' && rest.length === 0) return describeEvent(cause);
  const head = isCause(cause) ? describeEvent(cause) : describeEvent(events[events.length - 1]);
  return effects.length > 0 && isCause(cause) ? `${head} → ${effects.join('; ')}` : head;
}
