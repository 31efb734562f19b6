import type { Scenario, TraceEvent } from '../sim/types';
import { SPEED_LIMITS, type SimCommand, type SimEvent, type SimulationLike } from './protocol';

export interface SimHostDeps {
  createSimulation(scenario: Scenario): SimulationLike;
  /** Real milliseconds (performance.now in the worker). Only the bridge looks at real time; the core never does. */
  clock(): number;
  /** Runs `cb` after `ms` real milliseconds; returns a cancel function. */
  setTimer(cb: () => void, ms: number): () => void;
}

export interface SimHost {
  handle(cmd: SimCommand): void;
  dispose(): void;
}

/** One display frame: the play loop never posts faster than this, even when the UI acks at once. */
export const FRAME_MS = 16;
/**
 * Real time one batch may cover. When the UI is slow to ack (or the tab was hidden) virtual time slows down
 * instead of leaping ahead, so a lecturer never comes back to a run that already finished off-screen.
 */
export const MAX_REAL_SLICE_MS = 100;
/** Bounds the work (and the postMessage size) of one frame at high speed with many replicas. */
export const MAX_EVENTS_PER_BATCH = 20_000;

/**
 * The worker's brain, without the Worker: it owns one Simulation, advances it by speed × real elapsed while
 * playing, and posts one batch per frame at most, waiting for the UI's ack before it posts the next while playing.
 */
export function createSimHost(post: (event: SimEvent) => void, deps: SimHostDeps): SimHost {
  let scenario: Scenario | null = null;
  let sim: SimulationLike | null = null;
  let playing = false;
  let speed: number = SPEED_LIMITS.default;
  let unacked = 0;
  let lastTickReal = 0;
  let lastPostReal = Number.NEGATIVE_INFINITY;
  let cancelTimer: (() => void) | null = null;

  function postBatch(current: SimulationLike, events: TraceEvent[], reset = false): void {
    post({
      type: 'batch',
      events,
      stats: current.stats(),
      replicas: current.replicas(false),
      now: current.now,
      nextEventAt: current.nextEventTime(),
      playing,
      reset,
      n: current.n,
      f: current.f,
    });
    unacked += 1;
    lastPostReal = deps.clock();
  }

  function stopTimer(): void {
    cancelTimer?.();
    cancelTimer = null;
  }

  function scheduleTick(): void {
    if (!playing || !sim || unacked > 0 || cancelTimer) return;
    const wait = Math.max(0, FRAME_MS - (deps.clock() - lastPostReal));
    cancelTimer = deps.setTimer(() => {
      cancelTimer = null;
      guarded(tick);
    }, wait);
  }

  function tick(): void {
    if (!playing || !sim || unacked > 0) return;
    const real = deps.clock();
    const elapsed = Math.min(Math.max(0, real - lastTickReal), MAX_REAL_SLICE_MS);
    lastTickReal = real;
    const events = advanceTo(sim, sim.now + (speed * elapsed) / 1000);
    postBatch(sim, events);
  }

  function rebuild(from: Scenario): SimulationLike {
    scenario = structuredClone(from);
    sim = null; // if the constructor throws, later commands must not touch the previous run
    const created = deps.createSimulation(structuredClone(from));
    sim = created;
    return created;
  }

  function guarded(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      // A broken run must not keep ticking, and must not take the page down: the UI offers a restart.
      playing = false;
      stopTimer();
      sim = null;
      post({ type: 'error', message: errorMessage(err) });
    }
  }

  function handleCommand(cmd: SimCommand): void {
    switch (cmd.type) {
      case 'configure': {
        const created = rebuild(cmd.scenario);
        lastTickReal = deps.clock();
        postBatch(created, [], true);
        return;
      }
      case 'reset': {
        if (!scenario) return;
        playing = false;
        stopTimer();
        postBatch(rebuild(scenario), [], true);
        return;
      }
      case 'play': {
        if (!sim || playing) return;
        playing = true;
        lastTickReal = deps.clock();
        scheduleTick();
        return;
      }
      case 'pause': {
        if (!sim) return;
        playing = false;
        stopTimer();
        // Authoritative: a batch posted just before the pause must not make the UI think it still plays.
        postBatch(sim, []);
        return;
      }
      case 'step': {
        if (!sim) return;
        playing = false;
        stopTimer();
        postBatch(sim, sim.step());
        return;
      }
      case 'newRequest': {
        if (!sim) return;
        postBatch(sim, sim.submitRequest());
        return;
      }
      case 'setSpeed': {
        const v = cmd.virtualMsPerSecond;
        if (Number.isFinite(v)) speed = Math.min(SPEED_LIMITS.max, Math.max(SPEED_LIMITS.min, v));
        return;
      }
      case 'setNetwork': {
        if (scenario) scenario = { ...scenario, ...cmd.network };
        sim?.setNetwork(cmd.network);
        return;
      }
      case 'setBehaviour': {
        if (scenario) {
          const malicious = { ...scenario.malicious };
          if (cmd.behaviour) malicious[cmd.id] = cmd.behaviour;
          else delete malicious[cmd.id];
          scenario = { ...scenario, malicious };
        }
        if (!sim) return;
        sim.setBehaviour(cmd.id, cmd.behaviour);
        postBatch(sim, []);
        return;
      }
      case 'ack': {
        unacked = Math.max(0, unacked - 1);
        return;
      }
      default: {
        const unknown: never = cmd;
        throw new Error(`Unknown command ${JSON.stringify(unknown)}`);
      }
    }
  }

  return {
    handle(cmd) {
      guarded(() => {
        handleCommand(cmd);
        scheduleTick();
      });
    },
    dispose() {
      playing = false;
      stopTimer();
    },
  };
}

/**
 * Processes every event due by `target`, then moves the clock there. Stepping (rather than one runUntil) lets
 * us stop after MAX_EVENTS_PER_BATCH; the clock then stays at the last event and the next frame continues from it.
 */
export function advanceTo(sim: SimulationLike, target: number): TraceEvent[] {
  const events: TraceEvent[] = [];
  for (let steps = 0; steps < MAX_EVENTS_PER_BATCH && events.length < MAX_EVENTS_PER_BATCH; steps++) {
    const next = sim.nextEventTime();
    if (next === null || next > target) {
      for (const e of sim.runUntil(target)) events.push(e);
      return events;
    }
    for (const e of sim.step()) events.push(e);
  }
  return events;
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return typeof err === 'string' ? err : 'Unknown error in the simulation';
}
