/**
 * For tests: an experiment store whose sweep workers are the real sweep host on this thread, pacing its progress
 * messages by a stepping clock instead of real time.
 */
import type { SweepHostDeps } from '../worker/sweepHost';
import { connectSweepInProcess } from '../worker/sweepTransport';
import type { ExperimentForm } from './experimentForm';
import { createExperimentStore, type ExperimentStore } from './experimentStore';
import { createProtocolSweepStore, type ProtocolSweepStore } from './protocolSweepStore';

/** A clock that moves on by `stepMs` every time it is read. */
export function steppingClock(stepMs = 20): () => number {
  let t = 0;
  return () => (t += stepMs);
}

export interface InProcessExperimentsOptions {
  form?: ExperimentForm;
  /** A trial that throws, to exercise the error path. */
  runTrial?: SweepHostDeps['runTrial'];
  /** The store's own clock (real ms by default), which paces the live refresh. */
  clock?: () => number;
}

export function inProcessExperiments({ form, runTrial, clock }: InProcessExperimentsOptions = {}): ExperimentStore {
  return createExperimentStore({ connect: connectSweepInProcess({ clock: steppingClock(), runTrial }), form, clock });
}

/** The protocol × n × m experiment's store, its sweeps run by the real sweep host on this thread. */
export function inProcessProtocolSweep(workers = 2): ProtocolSweepStore {
  return createProtocolSweepStore({ connect: connectSweepInProcess({ clock: steppingClock() }), workers });
}
