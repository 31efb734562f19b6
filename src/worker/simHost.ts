import { clampTo, PARAMS } from '../sim/params';
import type { SimulationOptions } from '../sim/simulation';
import { progress, stepBy, stepOnce, type Progress } from '../sim/stepping';
import { withLink } from '../sim/network';
import type { Scenario, TimedIntervention, TraceEvent } from '../sim/types';
import { ImportError, importRun, type RunFile } from '../sim/share';
import { BATCH_INTERVAL_MS, IMPORT_CHUNK_EVENTS, MAX_EVENTS_PER_BATCH, MAX_REAL_SLICE_MS } from './pacing';
import { HAND_KINDS, type BatchEvent, type HandIntervention, type SessionLike, type SimCommand, type SimEvent } from './protocol';

export interface SimHostDeps {
  createSession(scenario: Scenario, interventions: TimedIntervention[]): SessionLike;
  /** Real milliseconds (performance.now in the worker). Only the bridge looks at real time; the core never does. */
  clock(): number;
  /** Runs `cb` after `ms` real milliseconds; returns a cancel function. */
  setTimer(cb: () => void, ms: number): () => void;
}

export interface SimHost {
  handle(cmd: SimCommand): void;
  dispose(): void;
}

/**
 * How the worker builds its sessions. The page keeps the events it draws (a bounded window, src/store/replay.ts),
 * so sessions only count them, and the core forgets old executed requests: memory stays flat however long a lecture
 * runs.
 */
export const WORKER_SESSION_OPTIONS: SimulationOptions = { keepTrace: false, historyLimit: 2000 };

/**
 * Processes every event due by `target`, then moves the clock there. Stepping (rather than one runUntil) lets
 * us stop after MAX_EVENTS_PER_BATCH, or at a safety violation; the clock then stays at the last event and the
 * next frame continues from it.
 */
export function advanceTo(session: SessionLike, target: number): Progress {
  const out = progress();
  const sim = session.sim;
  for (let steps = 0; steps < MAX_EVENTS_PER_BATCH && out.events.length < MAX_EVENTS_PER_BATCH; steps++) {
    const next = sim.nextEventTime();
    if (next === null || next > target) {
      // Through the session, so an intervention recorded in this gap is replayed at its own moment.
      const rest = session.runUntil(target);
      if (rest.length > 0) out.starts.push(rest[0].i);
      for (const e of rest) out.events.push(e);
      return out;
    }
    if (!stepOnce(session, out) || out.violation) return out;
  }
  return out;
}

/**
 * Runs to virtual time `target` and never past it (a happening — what `advanceTo` steps by — may pass silent items and
 * end later), so several runs can stand at one moment. Bounded like a batch; stops at a safety violation.
 */
export function advanceExactly(session: SessionLike, target: number): Progress {
  const out = progress();
  for (;;) {
    const next = session.sim.nextEventTime();
    const until = next === null || next > target ? target : next;
    const events = session.runUntil(until);
    if (events.length > 0) out.starts.push(events[0].i);
    for (const e of events) {
      out.events.push(e);
      if (e.kind === 'violation') out.violation = true;
    }
    if (until >= target || out.violation || out.events.length >= MAX_EVENTS_PER_BATCH) return out;
  }
}

/**
 * The worker's brain, without the Worker: it owns one Session, advances it by speed × real elapsed while
 * playing, and posts one batch per frame at most, waiting for the UI's ack before it posts the next while playing.
 */
export function createSimHost(post: (event: SimEvent) => void, deps: SimHostDeps): SimHost {
  /** What a reset restarts from: the configured scenario with every live change since. */
  let scenario: Scenario | null = null;
  /** The scenario the current run started from. */
  let runScenario: Scenario | null = null;
  let session: SessionLike | null = null;
  let playing = false;
  let speed: number = PARAMS.speed.default;
  let unacked = 0;
  let lastTickReal = 0;
  let lastPostReal = Number.NEGATIVE_INFINITY;
  let cancelTimer: (() => void) | null = null;
  let inspected: number | null = null;
  let postedHistory: readonly TimedIntervention[] | null = null;
  /** A second world for inspecting the past without disturbing the one that plays. */
  let scratch: SessionLike | null = null;

  function postBatch(
    current: SessionLike,
    p: Progress,
    options: { reset?: boolean; pausedBy?: 'violation'; traceLength?: number; imported?: BatchEvent['imported'] } = {},
  ): void {
    const sim = current.sim;
    const history = current.history;
    // Session replaces its list when someone acts, so identity tells whether it changed.
    const historyChanged = options.reset || history !== postedHistory || history.length !== (postedHistory?.length ?? -1);
    postedHistory = history;
    post({
      type: 'batch',
      events: p.events,
      traceLength: options.traceLength ?? current.position,
      starts: p.starts,
      now: sim.now,
      nextEventAt: sim.nextEventTime(),
      playing,
      reset: options.reset ?? false,
      n: sim.n,
      f: sim.f,
      ...(options.pausedBy ? { pausedBy: options.pausedBy } : {}),
      ...(options.reset && runScenario ? { scenario: runScenario } : {}),
      ...(historyChanged ? { interventions: history.map((h) => structuredClone(h)) } : {}),
      inspection: inspected !== null && inspected < sim.n && sim.inspect ? sim.inspect(inspected) : null,
      ...(sim.pending && (sim.deliveringByHand || (sim.heldSenders?.length ?? 0) > 0) ? { pending: sim.pending() } : {}),
      ...(options.imported ? { imported: options.imported } : {}),
    });
    unacked += 1;
    lastPostReal = deps.clock();
  }

  function stopTimer(): void {
    cancelTimer?.();
    cancelTimer = null;
  }

  function scheduleTick(): void {
    if (!playing || !session || unacked > 0 || cancelTimer) return;
    const wait = Math.max(0, BATCH_INTERVAL_MS - (deps.clock() - lastPostReal));
    cancelTimer = deps.setTimer(() => {
      cancelTimer = null;
      guarded(tick);
    }, wait);
  }

  function tick(): void {
    if (!playing || !session || unacked > 0) return;
    const real = deps.clock();
    const elapsed = Math.min(Math.max(0, real - lastTickReal), MAX_REAL_SLICE_MS);
    lastTickReal = real;
    const p = advanceTo(session, session.sim.now + (speed * elapsed) / 1000);
    if (p.violation) {
      // The lesson is the moment agreement broke: stop there instead of running past it.
      playing = false;
      stopTimer();
      postBatch(session, p, { pausedBy: 'violation' });
      return;
    }
    postBatch(session, p);
  }

  function rebuild(from: Scenario, interventions: TimedIntervention[] = []): SessionLike {
    scenario = structuredClone(from);
    runScenario = structuredClone(from);
    session = null; // if the constructor throws, later commands must not touch the previous run
    scratch = null;
    const created = deps.createSession(structuredClone(from), structuredClone(interventions));
    session = created;
    return created;
  }

  function guarded(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      // A broken run must not keep ticking, and must not take the page down: the UI offers a restart.
      playing = false;
      stopTimer();
      session = null;
      scratch = null;
      post({ type: 'error', message: errorMessage(err) });
    }
  }

  function act(current: SessionLike, intervention: Parameters<SessionLike['intervene']>[0]): void {
    const before = current.position;
    const events = current.intervene(intervention);
    scratch = null;
    postBatch(current, { events, starts: events.length > 0 ? [before] : [], violation: false });
  }

  /** One click of the Network panel: every intervention in order, posted as one happening (Back undoes them together). */
  function actByHand(current: SessionLike, interventions: readonly HandIntervention[]): void {
    const before = current.position;
    const events: TraceEvent[] = [];
    for (const intervention of interventions) for (const e of current.intervene(intervention)) events.push(e);
    scratch = null;
    postBatch(current, { events, starts: events.length > 0 ? [before] : [], violation: false });
  }

  /** The replica as it was after `at` trace events, from a second world replayed from the seed. */
  function inspectAt(id: number, at: number): void {
    if (!session || !runScenario || id < 0 || id >= session.sim.n) return;
    if (at === session.position && session.sim.inspect) {
      post({ type: 'inspection', id, at, inspection: session.sim.inspect(id) });
      return;
    }
    // Sessions count events without keeping them, so this second world costs the core's state, not a trace.
    if (!scratch || scratch.position > at) scratch = deps.createSession(structuredClone(runScenario), session.history.map((h) => structuredClone(h)));
    while (scratch.position < at) if (scratch.step().length === 0) break;
    if (scratch.sim.inspect) post({ type: 'inspection', id, at: scratch.position, inspection: scratch.sim.inspect(id) });
  }

  /**
   * Loads a run file: validates it (a bad file leaves the current run as it was), replays its scenario and
   * interventions from the seed to where the file ended, and sends the replay in IMPORT_CHUNK_EVENTS-sized batches.
   */
  function importFile(text: string, request: number): void {
    let file: RunFile;
    try {
      file = importRun(text);
    } catch (err) {
      const message = err instanceof ImportError ? err.message : `The file could not be read (${errorMessage(err)}).`;
      post({ type: 'importFailed', request, message });
      return;
    }
    playing = false;
    stopTimer();
    const created = rebuild(file.scenario, file.interventions);
    lastTickReal = deps.clock();
    const p = progress();
    while (created.position < file.trace.length) if (!stepOnce(created, p)) break;
    postInChunks(created, p, { request, differs: !sameTrace(p.events, file.trace), length: created.position });
  }

  /** A whole replay as a reset batch and its continuations: each a separate task for the page, none of them long. */
  function postInChunks(current: SessionLike, p: Progress, imported: BatchEvent['imported']): void {
    const from = current.position - p.events.length;
    let nextStart = 0;
    for (let start = 0; start === 0 || start < p.events.length; start += IMPORT_CHUNK_EVENTS) {
      const end = Math.min(p.events.length, start + IMPORT_CHUNK_EVENTS);
      const starts: number[] = [];
      while (nextStart < p.starts.length && p.starts[nextStart] < from + end) starts.push(p.starts[nextStart++]);
      const chunk: Progress = { events: p.events.slice(start, end), starts, violation: false };
      if (start === 0) postBatch(current, chunk, { reset: true, imported, traceLength: from + end });
      else postBatch(current, chunk, { traceLength: from + end });
    }
  }

  /** Every event of the run up to `upTo`, replayed from the seed in a throw-away world (for a run file). */
  function exportTrace(upTo: number, request: number): void {
    if (!session || !runScenario) return;
    const world = deps.createSession(structuredClone(runScenario), session.history.map((h) => structuredClone(h)));
    const events: TraceEvent[] = [];
    while (world.position < upTo) {
      const produced = world.step();
      if (produced.length === 0) break;
      for (const e of produced) if (e.i < upTo) events.push(e);
    }
    post({ type: 'trace', request, events });
  }

  /**
   * Rebuilds the run and replays it to trace event `index` (or to virtual time `time`); returns the events past
   * `index` that the last happening produced (a seek lands on a happening's end), which the page may not have.
   */
  function seekTo(current: SessionLike, index: number, time: number | undefined): TraceEvent[] {
    current.seekToEvent(0);
    if (time !== undefined) return current.runUntil(time).filter((e) => e.i >= index);
    const out: TraceEvent[] = [];
    while (current.position < index) {
      const produced = current.step();
      if (produced.length === 0 && current.sim.nextEventTime() === null) break;
      for (const e of produced) if (e.i >= index) out.push(e);
    }
    return out;
  }

  function handleCommand(cmd: SimCommand): void {
    switch (cmd.type) {
      case 'configure': {
        const created = rebuild(cmd.scenario, cmd.interventions);
        lastTickReal = deps.clock();
        postBatch(created, progress(), { reset: true });
        return;
      }
      case 'import': {
        importFile(cmd.text, cmd.request);
        return;
      }
      case 'reset': {
        if (!scenario) return;
        playing = false;
        stopTimer();
        postBatch(rebuild(scenario), progress(), { reset: true });
        return;
      }
      case 'play': {
        if (!session || playing) return;
        playing = true;
        lastTickReal = deps.clock();
        scheduleTick();
        return;
      }
      case 'pause': {
        if (!session) return;
        playing = false;
        stopTimer();
        // Authoritative: a batch posted just before the pause must not make the UI think it still plays.
        postBatch(session, progress());
        return;
      }
      case 'step': {
        if (!session) return;
        playing = false;
        stopTimer();
        postBatch(session, stepBy(session, cmd.grain ?? 'event'));
        return;
      }
      case 'advance': {
        if (!session || !Number.isFinite(cmd.until)) return;
        playing = false;
        stopTimer();
        const p = advanceExactly(session, Math.max(session.sim.now, cmd.until));
        postBatch(session, p, p.violation ? { pausedBy: 'violation' } : {});
        return;
      }
      case 'seek': {
        if (!session) return;
        playing = false;
        stopTimer();
        const index = Math.max(0, Math.floor(cmd.index));
        const events = seekTo(session, index, cmd.time !== undefined && Number.isFinite(cmd.time) ? cmd.time : undefined);
        // A seek lands on a happening's end, which may lie a few events past `index`: send those along.
        postBatch(session, { events, starts: [], violation: false });
        return;
      }
      case 'newRequest': {
        if (!session) return;
        act(session, { kind: 'submitRequest' });
        return;
      }
      case 'setSpeed': {
        const v = cmd.virtualMsPerSecond;
        if (Number.isFinite(v)) speed = clampTo(PARAMS.speed, v);
        return;
      }
      case 'setNetwork': {
        if (scenario) scenario = { ...scenario, ...cmd.network };
        if (!session) return;
        session.intervene({ kind: 'setNetwork', params: cmd.network });
        scratch = null;
        // Nothing visible changes until the next send; only the history does, and a paused page wants it now.
        if (!playing) postBatch(session, progress());
        return;
      }
      case 'setBehaviour': {
        if (scenario) {
          const malicious = { ...scenario.malicious };
          if (cmd.behaviour) malicious[cmd.id] = cmd.behaviour;
          else delete malicious[cmd.id];
          scenario = { ...scenario, malicious };
        }
        if (!session) return;
        act(session, { kind: 'setBehaviour', id: cmd.id, behaviour: cmd.behaviour });
        return;
      }
      case 'setPartition': {
        if (scenario) {
          const { partition: _old, ...rest } = scenario;
          scenario = cmd.partition ? { ...rest, partition: [...cmd.partition.side], partitionRule: cmd.partition.rule } : rest;
        }
        if (!session) return;
        act(session, { kind: 'setPartition', partition: cmd.partition });
        return;
      }
      case 'setLink': {
        if (scenario) {
          const links = withLink(scenario.links, cmd.a, cmd.b, cmd.fault);
          const { links: _old, ...rest } = scenario;
          scenario = links.length > 0 ? { ...rest, links } : rest;
        }
        if (!session) return;
        act(session, { kind: 'setLink', a: cmd.a, b: cmd.b, fault: cmd.fault });
        return;
      }
      case 'hand': {
        const list = cmd.interventions.filter((i) => HAND_KINDS.has(i.kind));
        // Deliver by hand is a setting of the run as it stands, so a reset keeps it (as a cut does).
        for (const i of list) if (i.kind === 'setByHand' && scenario) scenario = { ...scenario, byHand: i.on };
        if (!session || list.length === 0) return;
        actByHand(session, list);
        return;
      }
      case 'inspect': {
        inspected = cmd.id;
        if (cmd.id === null || !session) return;
        inspectAt(cmd.id, cmd.at ?? session.position);
        return;
      }
      case 'ack': {
        unacked = Math.max(0, unacked - 1);
        return;
      }
      case 'exportTrace': {
        exportTrace(Math.max(0, Math.floor(cmd.upTo)), cmd.request);
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

/** Whether a replay gave exactly the events a file recorded (as JSON: the file's events went through JSON too). */
function sameTrace(replayed: readonly TraceEvent[], recorded: readonly TraceEvent[]): boolean {
  if (replayed.length !== recorded.length) return false;
  for (let k = 0; k < replayed.length; k++) if (JSON.stringify(replayed[k]) !== JSON.stringify(recorded[k])) return false;
  return true;
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return typeof err === 'string' ? err : 'Unknown error in the simulation';
}
