/**
 * The sweep takes `--protocol` as a run does, and a list of protocols too: `npm run sim -- sweep --protocol hotstuff`
 * sweeps HotStuff, and with the Experiments view's protocol-sweep settings (silent liars, replica 0 first, n requests)
 * it gives the rows the panel gives; several protocols come out as a list, which shards and merges like one.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { SweepRow, TrialResult } from '../sim/experiment';
import { runSweep } from '../sim/experiment';
import { protocolSweepConfig, trialTimeoutMs } from '../store/protocolSweepStore';
import { merge } from './parallel';

const run = promisify(execFile);

interface SweepJson {
  config: { mode: string; n: number };
  rows: SweepRow[];
  trials: TrialResult[];
}

async function cliSweep(args: string[]): Promise<unknown> {
  const { stdout } = await run('npx', ['tsx', 'src/cli/main.ts', 'sweep', ...args, '--workers', '1', '--json'], { encoding: 'utf8' });
  return JSON.parse(stdout);
}

/** The panel's protocol sweep at n = 4 (m = 0, 1; two trials), in flags. */
const PANEL_AT_4 = ['--n', '4', '--m', '0,1', '--trials', '2', '--behaviour', 'silent', '--selection', 'primary', '--requests', '4', '--timeout', String(trialTimeoutMs(4)), '--reorder', '0', '--max-delay', '40'];

describe('sweep --protocol', () => {
  it('sweeps HotStuff: every trial a HotStuff run, the rows the Experiments panel gives for HotStuff', async () => {
    const out = (await cliSweep(['--protocol', 'hotstuff', ...PANEL_AT_4])) as SweepJson;
    expect(out.config.mode).toBe('hotstuff');
    expect(out.trials.map((t) => t.scenario.mode)).toEqual(['hotstuff', 'hotstuff', 'hotstuff', 'hotstuff']);
    expect(out.rows.map((r) => r.successes)).toEqual([2, 2]);
    expect(out.rows).toEqual(runSweep(protocolSweepConfig('hotstuff', 4, [0, 1], 2, 1)).rows);
  }, 60_000);

  it('sweeps a list of protocols on the same trials, one result each, and their shards merge into it', async () => {
    const args = ['--protocol', 'hotstuff,tendermint', ...PANEL_AT_4];
    const [whole, ...shards] = await Promise.all([cliSweep(args), cliSweep([...args, '--shard', '0/2']), cliSweep([...args, '--shard', '1/2'])]);
    const results = whole as SweepJson[];
    expect(results.map((r) => r.config.mode)).toEqual(['hotstuff', 'tendermint']);
    for (const r of results) expect(r.trials.every((t) => t.scenario.mode === r.config.mode)).toBe(true);
    // Tendermint's silent first proposer costs a round at some height: counted though the round is 0 again at the end.
    expect(results[1].rows[1].viewChangesPerTrial).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(merge(shards))).toBe(JSON.stringify(whole));
  }, 60_000);
});
