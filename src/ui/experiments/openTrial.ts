/**
 * Opening one trial of an experiment in the visualizer. The visualizer reads its scenario from the page URL
 * (src/sim/share.ts), so a trial is simply a link to this page with that scenario in the query and no
 * #experiments: it opens in a new tab, and the experiment stays where it was.
 */
import { trialScenario, type SweepConfig } from '../../sim/experiment';
import { replicaCount } from '../../sim/scenario';
import { PARAMS } from '../../sim/params';
import { encodeShare } from '../../sim/share';
import type { Scenario } from '../../sim/types';

/** The visualizer's f slider draws n = 3f + 1 replicas, so only such n can be shown faithfully. */
export function visualizerCanShow(n: number): boolean {
  return n >= 4 && (n - 1) % 3 === 0;
}

/** The page URL that opens `scenario` in the visualizer (relative to the current page). */
export function visualizerHref(scenario: Scenario): string {
  return `?${encodeShare({ scenario, speed: PARAMS.speed.default, preset: null })}`;
}

/** The link for one trial, or null when the visualizer cannot draw its n. */
export function trialHref(config: SweepConfig, m: number, trial: number): string | null {
  if (!visualizerCanShow(config.n)) return null;
  const scenario = trialScenario(config, m, trial);
  // encodeShare carries f, not n; n = 3f + 1 here, so nothing is lost.
  if (replicaCount({ f: scenario.f }) !== config.n) return null;
  return visualizerHref(scenario);
}

/** The same trial from the command line: exact for any n, with the trial's timeout as the limit. */
export function trialCommand(config: SweepConfig, m: number, trial: number): string {
  const scenario = trialScenario(config, m, trial);
  return `npm run sim -- --scenario '${JSON.stringify(scenario)}' --limit ${config.timeoutMs}`;
}
