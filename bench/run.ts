/**
 * `npm run bench`: prints performance figures; never fails on time. `--json` prints one JSON object instead.
 * `--quick` uses smaller workloads (for a smoke run).
 */
import { benchCore } from './core';
import { benchSweeps } from './sweeps';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const out: Record<string, unknown> = {};
const lines: string[] = [];

lines.push('Core (Node, normal case, no faults, trace off): delivered messages per second');
const coreMsgsPerSec: Record<string, number> = {};
for (const f of [1, 5, 21]) {
  const fig = benchCore(f, quick ? 100_000 : 1_000_000);
  coreMsgsPerSec[String(fig.n)] = Math.round(fig.msgsPerSec);
  lines.push(`  n = ${String(fig.n).padStart(3)}: ${Math.round(fig.msgsPerSec).toLocaleString('en-US').padStart(11)} msg/s  (${fig.delivered.toLocaleString('en-US')} messages in ${fig.seconds.toFixed(2)} s)`);
}
out.coreMsgsPerSec = coreMsgsPerSec;

const sweeps = benchSweeps(quick);
out.seedSweepMs = sweeps.seedSweepMs;
out.bigSweepMs = sweeps.bigSweepMs;
lines.push('', "Sweeps (Node, one thread): the seed's experiment n = 10, m = 0..9, 6 trials (60 trials)");
for (const [mode, ms] of Object.entries(sweeps.seedSweepMs)) lines.push(`  ${mode.padEnd(4)}: ${ms.toFixed(1)} ms   (the seed's asyncio code: about 92 s)`);
lines.push(`  ${sweeps.bigTrials} trials per point (m = 0..9, pbft): ${(sweeps.bigSweepMs / 1000).toFixed(2)} s`);

if (json) process.stdout.write(JSON.stringify(out) + '\n');
else process.stdout.write(lines.join('\n') + '\n');
