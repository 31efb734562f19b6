/**
 * Deliver by hand — "you are the network". While it is on, every message sent waits in flight and every timer waits
 * (the core's rule, src/sim/simulation.ts); the Network panel lists what waits and each of its buttons is an
 * intervention sent to the worker (`hand` command), at the moment on screen: Back undoes it, the trace shows it, a replay
 * from the seed repeats it, and run files and links carry it with the run's other interventions.
 *
 * What waits is read from the picture on screen (its messages waiting for a hand), so a past moment lists what waited
 * then; timers are not in the trace, so they come from the worker with each batch and are known at its newest moment.
 */
import type { Goal, GoalViolation } from '../sim/attack/goals';
import type { PendingItem, MessageType, NodeId, Scenario, TimedIntervention } from '../sim/types';
import { replicaCount } from '../sim/scenario';
import type { BatchEvent, HandIntervention } from '../worker/protocol';
import type { Lab, LabState, Slice } from './labStore';

export type WaitingMessage = Extract<PendingItem, { kind: 'message' }>;
export type WaitingTimer = Extract<PendingItem, { kind: 'timer' }>;

/** An attack the search found, opened in the visualizer: what it was after, so the banner can explain it at its moment. */
export interface OpenedAttack {
  goal: Goal;
  violation: GoalViolation | null;
  /** The run it was opened as (RunState.generation), null until that run's first batch arrives; another run forgets it. */
  generation: number | null;
}

export interface HandState {
  /** The worker's list of what waits for a hand, after `at` trace events (its newest moment). */
  handPending: { at: number; items: PendingItem[] };
  openedAttack: OpenedAttack | null;
}

export interface HandActions {
  /** The switch: on, nothing moves without a hand; off hands what waits back to the network model. */
  setDeliverByHand(on: boolean): void;
  deliverMessage(id: number): void;
  dropMessage(id: number): void;
  duplicateMessage(id: number): void;
  fireTimer(replica: NodeId, timer: string): void;
  /** "Deliver all of this phase": every message of this type waiting now, in send order. */
  deliverType(type: MessageType): void;
  /** "Deliver everything to replica k": every message to it waiting now, in send order. */
  deliverTo(replica: NodeId): void;
  /** "Hold everything from replica k" (a standing hold: what it sends from now on waits too), or let it go. */
  holdFrom(replica: NodeId, on: boolean): void;
  /**
   * Loads a run at its start with these interventions (an attack found by the search, its schedule as the visualizer
   * replays it), paused, so the person steps or plays into it.
   */
  openSchedule(scenario: Scenario, interventions: TimedIntervention[], attack?: { goal: Goal; violation: GoalViolation | null }): void;
  /** Selects a message (a dot in the graph, an arrow in the diagram); one that waits for a hand opens the Network panel. */
  pickMessage(id: number | null): void;
}

export interface HandHooks {
  /** Keeps the worker's list of what waits, from every batch that carries it (or clears it when none does). */
  handBatch(batch: BatchEvent): void;
}

/** Whether deliver by hand is on and whose messages are held after `index` events: the scenario's, changed by every switch and hold since. */
export function handAt(scenario: Scenario, interventions: readonly TimedIntervention[], index: number): { on: boolean; held: NodeId[] } {
  let on = scenario.byHand === true;
  const held = new Set<NodeId>();
  for (const h of interventions) {
    if (h.afterEvent > index) break;
    const i = h.intervention;
    if (i.kind === 'setByHand') on = i.on;
    else if (i.kind === 'holdFrom') {
      if (i.on) held.add(i.replica);
      else held.delete(i.replica);
    }
  }
  return { on, held: [...held].sort((a, b) => a - b) };
}

export interface HandOnScreen {
  on: boolean;
  held: NodeId[];
  /** Messages waiting for a hand at the moment on screen, in send order. */
  messages: WaitingMessage[];
  /** Timers waiting for a hand, or null when the screen is not at the worker's newest moment (timers are known there only). */
  timers: WaitingTimer[] | null;
}

/** What waits for a hand at the moment on screen. */
export function handOnScreen(s: Pick<LabState, 'run' | 'cursor' | 'scenario' | 'timeline' | 'handPending' | 'following'>): HandOnScreen {
  const { on, held } = handAt(s.run.scenario ?? s.scenario, s.run.interventions, s.cursor);
  const messages: WaitingMessage[] = [];
  for (const m of s.timeline.inFlight.values()) {
    if (!m.hand) continue;
    const record = s.run.messageById.get(m.id);
    const message: WaitingMessage = { kind: 'message', id: m.id, type: m.type, from: m.from, to: m.to, view: m.view, seq: m.seq, digest: record?.digest ?? '' };
    // A twin's second instance's message says so (the panel names it 1′, not replica 1).
    if (record?.fromTwin) message.fromTwin = true;
    if (record?.toTwin) message.toTwin = true;
    messages.push(message);
  }
  messages.sort((a, b) => a.id - b.id);
  // The worker's list is of its newest moment; an empty one stays empty until something waits again (no update per batch).
  const live = s.following && (s.handPending.at === s.cursor || s.handPending.items.length === 0);
  const timers = live ? s.handPending.items.filter((p): p is WaitingTimer => p.kind === 'timer') : null;
  return { on, held, messages, timers };
}

export function handSlice(lab: Lab): Slice<HandState, HandActions, HandHooks> {
  const { set, get } = lab;

  /** One click: the interventions, at the moment on screen (acting in the past replaces the future). */
  const act = (interventions: HandIntervention[]) => {
    if (get().error || interventions.length === 0) return;
    lab.resume(true);
    lab.send({ type: 'hand', interventions });
  };
  const waiting = () => handOnScreen(get()).messages;

  const actions: HandActions = {
    setDeliverByHand(on) {
      if (get().error) return;
      // A setting of the run as it stands, so the address and a reset carry it (as a cut drawn by hand does).
      set((s) => {
        const { byHand: _old, ...rest } = s.scenario;
        return { scenario: on ? { ...rest, byHand: true } : rest };
      });
      act([{ kind: 'setByHand', on }]);
    },
    deliverMessage(msg) {
      act([{ kind: 'deliver', msg }]);
    },
    dropMessage(msg) {
      act([{ kind: 'dropMessage', msg }]);
    },
    duplicateMessage(msg) {
      act([{ kind: 'duplicate', msg }]);
    },
    fireTimer(replica, timer) {
      act([{ kind: 'fireTimer', replica, timer }]);
    },
    deliverType(type) {
      act(waiting().filter((m) => m.type === type).map((m) => ({ kind: 'deliver', msg: m.id })));
    },
    deliverTo(replica) {
      act(waiting().filter((m) => m.to === replica).map((m) => ({ kind: 'deliver', msg: m.id })));
    },
    holdFrom(replica, on) {
      const n = get().run.n || replicaCount(get().scenario);
      if (!Number.isInteger(replica) || replica < 0 || replica >= n) return;
      act([{ kind: 'holdFrom', replica, on }]);
    },
    openSchedule(scenario, interventions, attack) {
      if (get().error) return;
      if (get().playback.playing) lab.send({ type: 'pause' });
      set((s) => ({ scenario, preset: null, playback: { ...s.playback, playing: false }, openedAttack: attack ? { ...attack, generation: null } : null }));
      lab.send({ type: 'configure', scenario, interventions });
    },
    pickMessage(id) {
      get().actions.selectMessage(id);
      if (id !== null && waiting().some((m) => m.id === id)) get().actions.setDrawer('network');
    },
  };

  return {
    state: { handPending: { at: 0, items: [] }, openedAttack: null },
    actions,
    hooks: {
      handBatch(batch) {
        const opened = get().openedAttack;
        // The first new run after Open is the attack's; any later one (a reset, another scenario) is not.
        if (batch.reset && opened) set({ openedAttack: opened.generation === null ? { ...opened, generation: get().run.generation } : null });
        const items = batch.pending ?? [];
        // Nothing waited and nothing waits: no update, so a run played without a hand costs the page nothing here.
        if (items.length === 0 && get().handPending.items.length === 0) return;
        set({ handPending: { at: batch.traceLength, items } });
      },
    },
  };
}
