/** Helpers for tests that drive one replica by hand: craft messages, inject them, read what it concluded. */
import { defaultScenario } from './scenario';
import { Simulation } from './simulation';
import type { ClientRequest, Message, MessageType, NodeId, Scenario, SlotPhase, TraceEvent } from './types';

export function quietWorld(overrides: Partial<Scenario> = {}): Simulation {
  return new Simulation(defaultScenario({ requests: 0, ...overrides }));
}

/** A request the client really signed (so replicas accept it) without sending it anywhere. */
export function signedRequest(sim: Simulation): ClientRequest {
  return sim.client.issue(sim.now);
}

export function msg(type: MessageType, sender: NodeId, fields: Partial<Omit<Message, 'id' | 'receiver' | 'type' | 'sender'>> = {}): Omit<Message, 'id' | 'receiver'> {
  return { type, sender, view: 0, seq: 1, digest: '', ...fields };
}

export function phasesOf(trace: TraceEvent[], replica: NodeId, seq?: number): SlotPhase[] {
  return trace.flatMap((e) => (e.kind === 'phase' && e.replica === replica && (seq === undefined || e.seq === seq) ? [e.phase] : []));
}

export function ignoredReasons(trace: TraceEvent[]): string[] {
  return trace.flatMap((e) => (e.kind === 'deliver' && e.ignored ? [e.ignored] : []));
}

export function sentOf(trace: TraceEvent[], type: MessageType, from?: NodeId): number {
  return trace.filter((e) => e.kind === 'send' && e.msg.type === type && (from === undefined || e.msg.from === from)).length;
}

/**
 * A long lecture as its run file would hold it: n = 10, a client with four requests outstanding, recorded by the core
 * until at least `events` trace events (runUntil stops between happenings, so the file ends where a replay can).
 */
export function longRecordedRun(events: number): { scenario: Scenario; sim: Simulation } {
  const scenario = defaultScenario({ f: 3, requests: 1000, concurrency: 4, seed: 9 });
  const sim = new Simulation(scenario);
  for (let t = 100; sim.trace.length < events; t += 100) sim.runUntil(t);
  return { scenario, sim };
}

/** The honest replicas' execution logs, as "seq:digest" lists (what a protocol test judges agreement from). */
export function honestLogs(sim: Simulation): string[][] {
  return sim.replicaList.filter((r) => !sim.scenario.malicious[r.id]).map((r) => r.executedLog.map((e) => `${e.seq}:${e.digest}`));
}

/** Agreement: every log is a prefix of the longest (the same request, or none, at every number). */
export function agree(logs: string[][]): boolean {
  const longest = logs.reduce((a, b) => (b.length > a.length ? b : a), []);
  return logs.every((log) => log.every((x, k) => x === longest[k]));
}

/** A scenario of `mode` played until nothing is left to happen (or `limit` ms). */
export function runQuiet(mode: Scenario['mode'], overrides: Partial<Scenario>, limit: number): Simulation {
  const sim = new Simulation(defaultScenario({ mode, ...overrides }));
  sim.runToQuiescence(limit);
  return sim;
}
