/**
 * The sweep worker's logic, free of the Worker API so tests run it in-process (see sweepTransport.ts).
 */
import { runTrial as coreRunTrial, type SweepConfig, type TrialResult } from '../sim/experiment';
import { PROGRESS_INTERVAL_MS, type SweepCommand, type SweepEvent, type TaggedOutcome } from './sweepProtocol';

export interface SweepHostDeps {
  /** Real milliseconds, only to pace progress messages (never part of a result). */
  clock: () => number;
  /** Tests substitute a trial that throws to exercise the error path. */
  runTrial?: (config: SweepConfig, m: number, trial: number) => TrialResult;
}

export interface SweepHost {
  handle(cmd: SweepCommand): void;
}

export function createSweepHost(post: (event: SweepEvent) => void, deps: SweepHostDeps): SweepHost {
  const runTrial = deps.runTrial ?? coreRunTrial;
  return {
    handle(cmd) {
      if (cmd.type !== 'run') return;
      let pending: TaggedOutcome[] = [];
      let lastPost = deps.clock();
      for (const job of cmd.jobs) {
        const config = cmd.sweeps[job.sweep];
        try {
          // The scenario stays here: trialScenario(config, m, trial) rebuilds it when someone opens the trial.
          const { scenario: _scenario, ...outcome } = runTrial(config, job.m, job.trial);
          pending.push({ sweep: job.sweep, outcome });
        } catch (err) {
          const why = err instanceof Error ? err.message : String(err);
          post({ type: 'error', chunk: cmd.chunk, message: `${config.mode === 'seed' ? 'Seed' : 'PBFT'} mode, m = ${job.m}, trial ${job.trial + 1}: ${why}` });
          return;
        }
        const now = deps.clock();
        if (now - lastPost >= PROGRESS_INTERVAL_MS) {
          post({ type: 'progress', chunk: cmd.chunk, outcomes: pending });
          pending = [];
          lastPost = now;
        }
      }
      post({ type: 'chunk-done', chunk: cmd.chunk, outcomes: pending });
    },
  };
}
