import { Simulation, type SimulationOptions } from './simulation';
import type { Intervention, Scenario, TimedIntervention, TraceEvent } from './types';

/**
 * A run that can travel in time. The core is deterministic, so a moment is (scenario, interventions, event index):
 * seeking rebuilds the world from the seed and replays the interventions at the points they happened, which gives
 * exactly the trace that was seen — and going forward from there gives exactly the same future.
 */
export class Session {
  readonly scenario: Scenario;
  sim: Simulation;
  private interventions: TimedIntervention[] = [];
  /** How many of `interventions` the current world has already been through. */
  private applied = 0;

  private readonly options: SimulationOptions;

  /** `options` apply to every world it builds; positions are counted in events, so the trace need not be kept. */
  constructor(scenario: Scenario, interventions: TimedIntervention[] = [], options: SimulationOptions = {}) {
    this.scenario = scenario;
    this.options = options;
    this.sim = new Simulation(scenario, options);
    this.interventions = [...interventions];
  }

  /** Events produced so far: where in the run this world stands. */
  get position(): number {
    return this.sim.eventCount;
  }

  get trace(): readonly TraceEvent[] {
    return this.sim.trace;
  }

  get history(): readonly TimedIntervention[] {
    return this.interventions;
  }

  /** Applies an intervention now; a future recorded beyond this moment (before a seek back) is replaced. */
  intervene(intervention: Intervention): TraceEvent[] {
    this.interventions = this.interventions.slice(0, this.applied);
    const last = this.interventions[this.applied - 1];
    const afterEvent = this.sim.eventCount;
    if (intervention.kind === 'setNetwork' && last?.intervention.kind === 'setNetwork' && last.afterEvent === afterEvent && last.at === this.sim.now) {
      // A slider dragged while nothing happened is one change, not one per input event.
      last.intervention = { kind: 'setNetwork', params: { ...last.intervention.params, ...intervention.params } };
    } else {
      this.interventions.push({ afterEvent, at: this.sim.now, intervention });
      this.applied++;
    }
    return this.apply(intervention);
  }

  /** One happening forward (recorded interventions due now are re-applied first). Coarser steps: stepping.ts. */
  step(): TraceEvent[] {
    const out = this.applyDueNow();
    out.push(...this.sim.step());
    return out;
  }

  runUntil(t: number): TraceEvent[] {
    const out: TraceEvent[] = [];
    for (let next = this.interventions[this.applied]; next && next.at <= t; next = this.interventions[this.applied]) {
      while (this.sim.eventCount < next.afterEvent) {
        const events = this.sim.step();
        if (events.length === 0) break;
        out.push(...events);
      }
      out.push(...this.applyNext());
    }
    out.push(...this.sim.runUntil(t));
    return out;
  }

  /** Rebuilds the world and replays it until it has produced at least `index` trace events. */
  seekToEvent(index: number): void {
    this.rebuild();
    while (this.sim.eventCount < index) {
      if (this.step().length === 0 && this.sim.nextEventTime() === null) break;
    }
  }

  /** Rebuilds the world and replays it up to virtual time t. */
  seekToTime(t: number): void {
    this.rebuild();
    this.runUntil(t);
  }

  private rebuild(): void {
    this.sim = new Simulation(this.scenario, this.options);
    this.applied = 0;
  }

  private applyDueNow(): TraceEvent[] {
    const out: TraceEvent[] = [];
    for (let next = this.interventions[this.applied]; next && next.afterEvent === this.sim.eventCount; next = this.interventions[this.applied]) {
      out.push(...this.applyNext());
    }
    return out;
  }

  private applyNext(): TraceEvent[] {
    const next = this.interventions[this.applied++];
    // Only the clock moves: anything due at this instant was still waiting when the person acted.
    this.sim.advanceClock(next.at);
    return this.apply(next.intervention);
  }

  private apply(intervention: Intervention): TraceEvent[] {
    return applyIntervention(this.sim, intervention);
  }
}

/** What each intervention does to a world: the one place that maps them to the simulation (sessions and the attack search). */
export function applyIntervention(sim: Simulation, intervention: Intervention): TraceEvent[] {
  switch (intervention.kind) {
    case 'setNetwork':
      sim.setNetwork(intervention.params);
      return [];
    case 'setBehaviour':
      sim.setBehaviour(intervention.id, intervention.behaviour);
      return [];
    case 'submitRequest':
      return sim.submitRequest();
    case 'setPartition':
      return sim.setPartition(intervention.partition);
    case 'setLink':
      sim.setLink(intervention.a, intervention.b, intervention.fault);
      return [];
    case 'setByHand':
      return sim.setByHand(intervention.on);
    case 'deliver':
      return sim.deliverMessage(intervention.msg);
    case 'dropMessage':
      return sim.dropMessage(intervention.msg);
    case 'duplicate':
      return sim.duplicate(intervention.msg);
    case 'fireTimer':
      return sim.fireTimer(intervention.replica, intervention.timer);
    case 'holdFrom':
      return sim.holdFrom(intervention.replica, intervention.on);
  }
}
