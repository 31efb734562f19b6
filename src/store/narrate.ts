/**
 * The lecturer's voice: one or two sentences on what the last step did and why it matters for agreement.
 * The caption (describe.ts) says *what* happened in the paper's notation; this says *why anyone should care*.
 *
 * It never assumes a malicious replica behaved: what a liar did is read from the happening's own events — the
 * messages that really left it, their digests and receivers (deeds.ts) — and from who lies at that moment.
 */
import { messageWords, protocolOf } from '../sim/protocols';
import { quorumText } from '../sim/protocols/descriptor';
import { CLIENT, type Behaviour, type MessageSummary, type MessageType, type NodeId, type ProtocolMode, type TraceEvent } from '../sim/types';
import { behaviourLabel, deedInBrief, deedInWords, deedsIn, mainDeed, type Deed } from './deeds';
import { formatTime, nodeName, typeLabel } from './describe';

export interface NarrationContext {
  n: number;
  f: number;
  /** The run's protocol, whose own steps and quorum rules it words (PBFT when absent). */
  mode?: ProtocolMode;
  /**
   * Who lies at this moment, by replica id (the picture's settings: the scenario's liars changed by every intervention
   * made by then). Absent: the narration knows of no liar, and says only what the events show.
   */
  behaviours?: ReadonlyArray<Behaviour | null>;
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
export function explain(events: readonly TraceEvent[], { n, f, mode, behaviours }: NarrationContext): string {
  if (events.length === 0) return '';
  const cause = events[0];
  const protocol = protocolOf(mode);
  const quorum = protocol.quorumOf(n, f);
  const { narration } = protocol;
  const liar = (id: NodeId): Behaviour | null => (behaviours && id >= 0 && id < behaviours.length ? (behaviours[id] ?? null) : null);
  const m = behaviours ? behaviours.filter(Boolean).length : 0;
  const sentBy = (replica: NodeId): Set<MessageType> => {
    const types = new Set<MessageType>();
    for (const e of events) if (e.kind === 'send' && e.msg.from === replica) types.add(e.msg.type);
    return types;
  };
  /** The view (a round, in Tendermint) each replica entered in this step, and its leader there. */
  const entered = (replica: NodeId) => {
    const e = find(events, 'new-view', (v) => v.replica === replica);
    return e ? { entered: { view: e.view, leader: nodeName(e.primary) } } : {};
  };
  /** What a sentence about nobody in particular may use. */
  const shared = { who: '', n, f, quorum, m };
  const facts = (replica: NodeId) => ({ who: nodeName(replica), n, f, quorum, m, sent: sentBy(replica), ...entered(replica) });

  const violation = find(events, 'violation');
  if (violation) {
    const v = violation.violation;
    return `Safety is broken at #${v.seq}: ${v.message} ${narration.called} promises agreement only while at most f = ${f} replicas are malicious; with more, two quorums of ${narration.quorumWords(shared)} need not share an honest replica.`;
  }

  const accept = find(events, 'accept');
  if (accept) {
    const head = `The client accepted the result of request ${accept.timestamp} after ${accept.latencyMs.toFixed(1)} ms: f+1 = ${f + 1} replicas sent the same REPLY`;
    if (accept.fooled) {
      return `${head} — but no honest replica has computed that result: every matching REPLY came from a malicious replica. The client has been fooled. f+1 matching replies include an honest one only while at most f = ${f} replicas lie${m > 0 ? `; here ${m} do` : ''}.`;
    }
    if (m > f) {
      return `${head}. With ${m} malicious replicas (more than f = ${f}) that alone proves nothing, but an honest replica did compute this result, so the client was not fooled.`;
    }
    return `${head}, so at least one of them is honest and the result is the agreed one.`;
  }

  const deeds = deedsIn(events, { n, mode, behaviours });
  const deed = mainDeed(deeds);
  if (deed && deed.verdict !== 'honest') return deedStory(deed, deeds, events, { n, f, quorum, mode, m });
  // A liar that told the truth this time: the honest story, and who told it.
  const truthfully = deed ? ` ${deedInWords(deed, n)}` : '';

  // A new view (a round, in Tendermint) in the protocol's own words: PBFT's VIEW-CHANGE and NEW-VIEW, HotStuff's
  // pacemaker, Tendermint's timeouts. A view entered after the replica's own decision is the execution's to tell.
  const heard = cause.kind === 'deliver' ? cause.msg : null;
  const newView = find(events, 'new-view');
  if (newView) {
    const how = {
      leader: nodeName(newView.primary),
      decided: events.some((e) => e.kind === 'phase' && e.phase === 'executed' && e.replica === newView.replica),
      gaveUp: events.some((e) => e.kind === 'view-change' && e.replica === newView.replica),
      timedOut: cause.kind === 'timer' && cause.replica === newView.replica,
      heard,
    };
    const words = narration.enteredView(newView, facts(newView.replica), how);
    if (words !== null) return words + (newView.replica === newView.primary ? truthfully : '');
  }

  const viewChange = find(events, 'view-change');
  if (viewChange) {
    const leader = (view: number) => nodeName(protocol.proposerOf({ view, seq: 0 }, n));
    const joined = heard !== null && messageWords(heard.type).role === 'view-change';
    return narration.viewChangeStarted(viewChange, facts(viewChange.replica), { joined, before: leader(viewChange.view - 1), after: leader(viewChange.view) }) + truthfully;
  }

  // What a malicious replica commits or executes proves nothing to anyone else: say so beside the protocol's words.
  const unproven = (replica: NodeId) => {
    const b = liar(replica);
    return b ? ` (${nodeName(replica)} is malicious (${behaviourLabel(b)}): what it commits and executes counts for nothing with the honest replicas.)` : '';
  };
  const executed = find(events, 'phase', (e) => e.phase === 'executed');
  if (executed) return narration.executed(executed, facts(executed.replica)) + unproven(executed.replica);

  const committed = find(events, 'phase', (e) => e.phase === 'committed');
  if (committed) return narration.committed(committed, facts(committed.replica)) + unproven(committed.replica);

  const prepared = find(events, 'phase', (e) => e.phase === 'prepared');
  if (prepared) return narration.prepared(prepared, facts(prepared.replica)) + truthfully;

  const prePrepared = find(events, 'phase', (e) => e.phase === 'pre-prepared');
  if (prePrepared) return narration.prePrepared(prePrepared, facts(prePrepared.replica), prePrepared.replica === protocol.proposerOf(prePrepared, n)) + truthfully;

  const stable = find(events, 'checkpoint', (e) => e.stable);
  if (stable) {
    return `${nodeName(stable.replica)}'s checkpoint #${stable.seq} is stable (${quorumText(f, quorum)} matching CHECKPOINTs): it discards its log up to #${stable.seq} and slides its watermark window forward.`;
  }

  switch (cause.kind) {
    case 'drop':
      if (cause.by === 'partition') {
        return `Lost: the network is partitioned. ${nodeName(cause.msg.from)} and ${nodeName(cause.msg.to)} are on different sides of the cut, and no ${typeLabel(cause.msg.type)} crosses it while it stands. Whatever is lost, ${narration.called} stays safe; it makes progress only on a side with a quorum of ${narration.quorumWords(shared)} replicas and the client.`;
      }
      if (cause.by === 'link') {
        return `The lossy link between ${nodeName(cause.msg.from)} and ${nodeName(cause.msg.to)} lost this ${typeLabel(cause.msg.type)}; the rest of the network carries on. ${narration.called} needs quorums, not every link.`;
      }
      return `The network lost this ${typeLabel(cause.msg.type)}. ${narration.called} needs only quorums, not every message; if too much is lost, the client's retransmission makes replicas repeat themselves.`;
    case 'hold':
      return `The new cut caught this ${typeLabel(cause.msg.type)} on the wire: it waits at the cut until Heal, and then goes on in the order it was sent.`;
    case 'release':
      return `Heal joined the two sides: the messages held at the cut go on, in the order they were sent, so the replicas that were cut off catch up on what they missed.`;
    case 'request':
      return narration.clientSends(cause.timestamp, cause.retransmit, shared);
    case 'deliver': {
      const { msg } = cause;
      if (cause.ignored) return `${nodeName(msg.to)} ignored this ${typeLabel(msg.type)}: ${cause.ignored}. Replicas check every message, which is how liars are contained.`;
      if (msg.to === CLIENT && msg.type === 'REPLY') return `The client has a REPLY from ${nodeName(msg.from)}; it waits for f+1 = ${f + 1} matching ones, since up to f could lie.`;
      const vote = narration.voteArrived(msg, facts(msg.to));
      const sender = liar(msg.from);
      if (vote !== null && sender) {
        return `${vote} But ${nodeName(msg.from)} is malicious (${behaviourLabel(sender)}): its vote counts only toward the digest it names (${msg.digest}), which need not be the one ${nodeName(msg.to)} holds.`;
      }
      if (vote !== null) return vote;
      if (msg.type === 'CHECKPOINT') return `${nodeName(msg.to)} records this CHECKPOINT vote; ${quorumText(f, quorum)} matching ones make a checkpoint stable.`;
      const led = narration.leaderMessageArrived(msg, facts(msg.to));
      if (led !== null) return led;
      const viewMessage = narration.viewMessageArrived(msg, { ...facts(msg.to), sender: nodeName(msg.from) });
      if (viewMessage !== null) return viewMessage;
      if (msg.type === 'REQUEST') return requestStory(msg, sentBy(msg.to), liar(msg.to), narration.relaysRequest);
      return '';
    }
    default:
      break;
  }
  const timer = find(events, 'timer', (e) => e.action === 'start');
  if (timer) return narration.timerStarted(formatTime(timer.deadline), facts(timer.replica));
  return '';
}

/** A liar's deed and what follows from it in the run's protocol, introduced by the step it belongs to. */
function deedStory(
  deed: Deed,
  deeds: readonly Deed[],
  events: readonly TraceEvent[],
  { n, f, quorum, mode, m }: { n: number; f: number; quorum: number; mode?: ProtocolMode; m: number },
): string {
  const role = messageWords(deed.type).role;
  const label = messageWords(deed.type).label;
  const protocol = protocolOf(mode);
  const about = { who: nodeName(deed.liar), n, f, quorum, m };
  let intro = '';
  if (role === 'proposal') {
    const proposed = events.flatMap((e) => (e.kind === 'phase' && e.phase === 'pre-prepared' && e.replica === deed.liar && e.replica === protocol.proposerOf(e, n) ? [e] : []));
    if (proposed.length > 0) intro = `${protocol.narration.proposed(proposed.map((e) => e.seq), proposed[0].view, about)} `;
  } else if (role === 'view-change') {
    const started = find(events, 'view-change', (e) => e.replica === deed.liar);
    if (started) intro = `${protocol.narration.viewIntro('view-change', started.view, about)} `;
  } else if (role === 'new-view') {
    const took = find(events, 'new-view', (e) => e.replica === deed.liar);
    if (took) intro = `${protocol.narration.viewIntro('new-view', took.view, about)} `;
  }
  // The same lie at other numbers, and its other lies in this step, in brief.
  const alike = deeds.filter((d) => d !== deed && d.liar === deed.liar && d.type === deed.type && d.verdict === deed.verdict).map((d) => `#${d.seq}`);
  const also = deeds.filter((d) => d.liar === deed.liar && d.type !== deed.type && d.verdict !== 'honest').map(deedInBrief);
  const more = [
    ...(alike.length ? [`The same for its ${label} for ${alike.join(' and ')}.`] : []),
    ...(also.length ? [`It also ${[...new Set(also)].join('; ')}.`] : []),
  ];
  const after = protocol.narration.afterDeed(deed.verdict, role, about);
  return [intro + deedInWords(deed, n), ...more, ...(after ? [after] : [])].join(' ');
}

/** A replica got the client's request (from the client or relayed by a backup): what it did with it, as its sends show. */
function requestStory(msg: MessageSummary, sent: ReadonlySet<MessageType>, behaviour: Behaviour | null, relays: string): string {
  const got = `${nodeName(msg.to)} received the client's request${msg.from === CLIENT ? '' : `, relayed by ${nodeName(msg.from)}`}`;
  if (behaviour?.kind === 'silent') return `${got}, but it is silent (crashed): nothing leaves it.`;
  const did: string[] = [];
  if (sent.has('REQUEST')) did.push(relays);
  if (sent.has('REPLY')) did.push('has already executed it and sends its REPLY again (the first may have been lost)');
  if (sent.has('PRE_PREPARE')) did.push('sends its PRE-PREPARE for it again');
  if (sent.has('VIEW_CHANGE')) did.push('is changing view, so it repeats its VIEW-CHANGE instead');
  const other = [...sent].filter((t) => t !== 'REQUEST' && t !== 'REPLY' && t !== 'PRE_PREPARE' && t !== 'VIEW_CHANGE');
  if (other.length) did.push(`says again what it said (${other.map(typeLabel).join(', ')})`);
  if (did.length === 0) return `${got}; it sends nothing in this step.`;
  return `${got}: it ${did.join('; it ')}.`;
}
