/**
 * Trace events in words, for the event log, the caption and screen readers. Kept out of React so the store
 * formats each event once, when it arrives, instead of on every render.
 */
import { messageWords, protocolOf } from '../sim/protocols';
import { processOwner } from '../sim/scenario';
import {
  CLIENT,
  type Behaviour,
  type Intervention,
  type LossCause,
  type MessageSummary,
  type MessageType,
  type NodeId,
  type ProtocolMode,
  type Scenario,
  type TimedIntervention,
  type TraceEvent,
} from '../sim/types';
import { deedInBrief, deedsIn } from './deeds';
import { handAt } from './handSlice';

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

/** One end of a message: "client", "2", or "1′" for the second instance of twin 1 (Twins). */
export function endName(id: NodeId, twin = false): string {
  return id === CLIENT ? 'client' : twin ? `${id}′` : String(id);
}

/**
 * A timer in words: whose, and which (as `pending` and the fireTimer intervention name it). `scenario` names a timer of
 * a twin's second instance (the world numbers that process n + k) as the twin's: "Replica 1’s twin’s view-change timer (1′)".
 */
export function timerName(t: { replica: NodeId; timer: string }, scenario?: Pick<Scenario, 'f' | 'n' | 'twins' | 'mode'>): string {
  if (t.replica === CLIENT) return `Client’s retransmission timer (request ${t.timer.replace(/^client:/, '')})`;
  const which = t.timer === 'main' ? protocolOf(scenario?.mode).terms.timer : t.timer === 'resend' ? 'retransmission timer' : t.timer === 'liar' ? 'liar’s own timer' : `${t.timer} timer`;
  const owner = scenario ? processOwner(scenario, t.replica) : null;
  if (owner?.twin) return `${nodeName(owner.replica)}’s twin’s ${which} (${endName(owner.replica, true)})`;
  return `${nodeName(t.replica)}’s ${which}`;
}

/**
 * An intervention in words, as a person chose it: "drop PREPARE v0 #1 from Replica 2 to Replica 3". `message` names a
 * message by its id where the page knows it (the attack's schedule, found elsewhere, says "message 5").
 */
export function interventionWords(i: Intervention, scenario?: Pick<Scenario, 'f' | 'n' | 'twins' | 'mode'>, message?: (id: number) => MessageSummary | undefined): string {
  const msg = (id: number) => {
    const m = message?.(id);
    return m ? messageFromTo(m) : `message ${id}`;
  };
  switch (i.kind) {
    case 'deliver':
      return `deliver ${msg(i.msg)}`;
    case 'dropMessage':
      return `drop ${msg(i.msg)}`;
    case 'duplicate':
      return `duplicate ${msg(i.msg)}`;
    case 'fireTimer':
      return `fire ${i.replica === CLIENT ? 'the ' : ''}${timerName(i, scenario)}`;
    case 'setByHand':
      return `deliver by hand ${i.on ? 'on' : 'off'}`;
    case 'holdFrom':
      return `${i.on ? 'hold' : 'let go of'} everything from ${nodeName(i.replica)}`;
    case 'setBehaviour':
      return `${nodeName(i.id)} ${i.behaviour ? `lies: ${i.behaviour.kind}` : 'turns honest'}`;
    case 'setPartition':
      return i.partition ? 'cut the network in two' : 'heal the network';
    case 'setLink':
      return `${i.fault ? 'fault' : 'mend'} the link ${endName(i.a)}–${endName(i.b)}`;
    case 'setNetwork':
      return 'change the network’s delays and losses';
    case 'submitRequest':
      return 'the client sends one more request';
    default: {
      const unknown: never = i;
      return `unknown intervention ${JSON.stringify(unknown)}`;
    }
  }
}

/** Why a message was lost, as the end of "… was lost" (a hand's drop is said as the person's own deed instead). */
export const LOSS_WORDS: Record<Exclude<LossCause, 'hand'> | 'network', string> = {
  network: '',
  partition: ': the network is partitioned',
  link: ' on the lossy link',
};

/**
 * What a run's hand did up to an event: the scenario it started from and its interventions (a RunState is one). With
 * it, a message that waits for a hand says whether everything waits (deliver by hand) or only what its sender sends
 * ("Hold everything from replica k"), and a timer fired by hand is named as the panel names it.
 */
export interface HandHistory {
  scenario: Scenario | null;
  interventions: readonly TimedIntervention[];
}

/** Why a message waits for a hand, as the end of "… waits in flight for your hand". */
function handReason(e: Extract<TraceEvent, { kind: 'send' | 'hold' }>, run: HandHistory | undefined): string {
  if (!run?.scenario || handAt(run.scenario, run.interventions, e.i).on) return '';
  return `: you hold everything from ${nodeName(e.msg.from)}`;
}

/** "PRE-PREPARE v0 #1 from Replica 0 to Replica 2". */
function messageFromTo(msg: MessageSummary): string {
  return `${messageLabel(msg)} from ${nodeName(msg.from)} to ${nodeName(msg.to)}`;
}

/** The sentence after "t=…": what happened, in the paper's vocabulary (and a hand's deeds as the person's own). */
export function describeEventBody(e: TraceEvent, run?: HandHistory): string {
  const fired = e.firedByHand;
  if (!fired) return eventBody(e, run);
  const you = `You fire ${fired.replica === CLIENT ? 'the ' : ''}${timerName(fired, run?.scenario ?? undefined)}`;
  // A view-change timer's owner first stops it: that is the timer running out, not a second deed.
  if (e.kind === 'timer' && e.action === 'stop' && e.replica === fired.replica && fired.timer === 'main') return `${you}: it runs out now`;
  return `${you} → ${eventBody(e, run)}`;
}

function eventBody(e: TraceEvent, run: HandHistory | undefined): string {
  switch (e.kind) {
    case 'send': {
      if (e.copyOf !== undefined) {
        // The duplicate intervention: not the sender saying it again, but the network (the person) copying it.
        const fate = e.hand
          ? `waits in flight for your hand${handReason(e, run)}`
          : e.held
            ? 'is held at the cut: the network is partitioned'
            : e.by === 'partition'
              ? 'is lost: the network is partitioned'
              : e.by === 'link'
                ? 'is lost on the lossy link'
                : e.lost
                  ? 'travels on its own, and is lost on the way'
                  : `travels on its own, arrives at ${formatTime(e.arriveAt)}`;
        return `You duplicated ${messageFromTo(e.msg)}: a second copy of it ${fate}`;
      }
      const route = `${nodeName(e.msg.from)} → ${nodeName(e.msg.to)} ${messageLabel(e.msg)}`;
      if (e.hand) return `${route} (waits in flight for your hand${handReason(e, run)})`;
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
      if (e.by === 'hand') return `✕ You dropped ${messageFromTo(e.msg)}: it never arrives`;
      return `✕ ${messageFromTo(e.msg)} was lost${LOSS_WORDS[e.by ?? 'network']}`;
    case 'hold':
      if (e.hand) return `${messageFromTo(e.msg)} is taken off the wire: it waits in flight for your hand${handReason(e, run)}`;
      return `${messageFromTo(e.msg)} is held at the cut until Heal`;
    case 'release':
      if (e.hand) return `${messageFromTo(e.msg)} goes back to the network, arrives at ${formatTime(e.arriveAt)}`;
      return `Heal releases ${messageFromTo(e.msg)} (arrives at ${formatTime(e.arriveAt)})`;
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

export function describeEvent(e: TraceEvent, run?: HandHistory): string {
  return `${formatTime(e.t)} ${describeEventBody(e, run)}`;
}

/** Events that start a step; sends, phases and the rest are their consequences (a timer fired by hand starts one too). */
function isCause(e: TraceEvent): boolean {
  return (
    e.kind === 'deliver' || e.kind === 'drop' || e.kind === 'request' || e.kind === 'view-change' || e.kind === 'hold' || e.kind === 'release' || e.firedByHand !== undefined
  );
}

/**
 * One line for the newest step in a batch: its cause, then what followed from it, e.g.
 * "t=14.2 Replica 1 received PRE-PREPARE v0 #1 from Replica 0 → pre-prepared; sent 3 PREPARE".
 * Messages of one type that carried different digests say so ("sent 3 PRE-PREPARE with 2 different digests"); with
 * `behaviours` (who lies at that moment), what a liar withheld or twisted is said too ("sent no PRE-PREPARE
 * (silent)"). With `run` (its scenario and interventions), a hand's deeds are told as the event log tells them.
 * Returns null for an empty batch, so the previous caption stays.
 */
export function captionFor(
  events: readonly TraceEvent[],
  liars?: { behaviours: ReadonlyArray<Behaviour | null>; mode?: ProtocolMode },
  run?: HandHistory,
): string | null {
  if (events.length === 0) return null;
  // A timer fired by hand starts the step, whatever it caused (a view change among them).
  const fired = events.findIndex((e) => e.firedByHand !== undefined);
  let start = fired >= 0 ? fired : events.length - 1;
  while (start > 0 && !isCause(events[start])) start--;
  const cause = events[start];
  const rest = events.slice(start + 1);

  const effects: string[] = [];
  for (const e of rest) if (e.kind === 'view-change') effects.push(describeEventBody(e));
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
  if (cause.kind === 'send' && rest.length === 0) return describeEvent(cause, run);
  const head = isCause(cause) ? describeEvent(cause, run) : describeEvent(events[events.length - 1], run);
  return effects.length > 0 && isCause(cause) ? `${head} → ${effects.join('; ')}` : head;
}
