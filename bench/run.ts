/**
 * `npm run bench`: prints performance figures; never fails on time. `--json` prints one JSON object instead.
 */
import { benchCore } from './core';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const coreMsgsPerSec: Record<string, number> = {};
const lines: string[] = ['Core (Node, normal case, no faults, trace off): delivered messages per second'];
for (const f of [1, 5, 21]) {
  const fig = benchCore(f, quick ? 100_000 : 1_000_000);
  coreMsgsPerSec[String(fig.n)] = Math.round(fig.msgsPerSec);
  lines.push(`  n = ${String(fig.n).padStart(3)}: ${Math.round(fig.msgsPerSec).toLocaleString('en-US').padStart(11)} msg/s  (${fig.delivered.toLocaleString('en-US')} messages in ${fig.seconds.toFixed(2)} s)`);
}
if (json) process.stdout.write(JSON.stringify({ coreMsgsPerSec }) + '\n');
else process.stdout.write(lines.join('\n') + '\n');
