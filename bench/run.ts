/**
 * `npm run bench`: prints performance figures; never fails on time.
 *   --json        one JSON object instead of the human-readable report
 *   --quick       smaller workloads and a 1-minute heap run (a smoke run)
 *   --no-browser  the Node figures only
 *   --browser-only  the browser figures only
 *   --only search   the attack search's figures only (searchSchedulesPerSec, searchSchedulesPerCpuSec)
 */
import { benchBrowser } from './browser';
import { benchCore } from './core';
import { benchProtocolApart } from './protocols';
import { benchSearch } from './search';
import { benchSweeps } from './sweeps';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
if (only !== null && only !== 'search') throw new Error(`--only takes "search", not ${only}`);
const withBrowser = !process.argv.includes('--no-browser') && only === null;
const withNode = !process.argv.includes('--browser-only');
const out: Record<string, unknown> = {};
// Progress goes to stderr in --json mode so stdout stays one JSON object.
const log = (line: string) => (json ? process.stderr.write(line + '\n') : process.stdout.write(line + '\n'));

if (withNode) {
  // First, in a fresh process, as a search runs (one scenario per thread): after the core's n = 64 run below, the same
  // search at n = 4 measured about 2× slower (the JIT's feedback from the big run), before and after this round alike.
  log('Attack search (Node, one core, one request, no liars, goal agreement): schedules tried per second');
  const searchSchedulesPerSec: Record<string, number> = {};
  const searchSchedulesPerCpuSec: Record<string, number> = {};
  for (const n of [4, 7, 10]) {
    const fig = benchSearch(n, (quick ? 400 : 2000) * (n === 4 ? 4 : n === 7 ? 1 : 0.5));
    searchSchedulesPerSec[String(n)] = Math.round(fig.schedulesPerSec);
    searchSchedulesPerCpuSec[String(n)] = Math.round(fig.schedulesPerCpuSec);
    log(
      `  n = ${String(n).padStart(3)}: ${Math.round(fig.schedulesPerSec).toLocaleString('en-US').padStart(11)} schedules/s  (${fig.schedules.toLocaleString('en-US')} schedules in ${fig.seconds.toFixed(2)} s; ${Math.round(fig.schedulesPerCpuSec).toLocaleString('en-US')} per CPU-second)`,
    );
  }
  out.searchSchedulesPerSec = searchSchedulesPerSec;
  out.searchSchedulesPerCpuSec = searchSchedulesPerCpuSec;
}

if (withNode && only === null) {
  log('');
  log('Core (Node, normal case, no faults, trace off): delivered messages per second');
  const coreMsgsPerSec: Record<string, number> = {};
  for (const f of [1, 5, 21]) {
    const fig = benchCore(f, quick ? 200_000 : 1_000_000);
    coreMsgsPerSec[String(fig.n)] = Math.round(fig.msgsPerSec);
    log(`  n = ${String(fig.n).padStart(3)}: ${Math.round(fig.msgsPerSec).toLocaleString('en-US').padStart(11)} msg/s  (${fig.delivered.toLocaleString('en-US')} messages in ${fig.seconds.toFixed(2)} s)`);
  }
  out.coreMsgsPerSec = coreMsgsPerSec;

  log('');
  // Each figure in a process of its own, and the three protocols measured in turn, rounds apart: a shared machine drifts
  // by 10 % over a minute, so a protocol measured a minute after PBFT could be compared with another machine. Each
  // figure is the best of its rounds; the cost against PBFT's is the median over rounds of the ratio within a round.
  const ROUNDS = quick ? 1 : 3;
  const PROTOCOLS = ['pbft', 'hotstuff', 'tendermint'] as const;
  log(`Protocols (Node, normal case, no faults, trace off; each figure a process of its own, the best of ${ROUNDS} rounds taken in turn): delivered messages and decisions per second`);
  const protocolMsgsPerSec: Record<string, Record<string, number>> = {};
  const protocolDecisionsPerSec: Record<string, Record<string, number>> = {};
  const protocolCostVsPbft: Record<string, Record<string, number>> = {};
  for (const protocol of PROTOCOLS) {
    protocolMsgsPerSec[protocol] = {};
    protocolDecisionsPerSec[protocol] = {};
    if (protocol !== 'pbft') protocolCostVsPbft[protocol] = {};
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  for (const n of [4, 16, 64]) {
    const rounds = Array.from({ length: ROUNDS }, () => Object.fromEntries(PROTOCOLS.map((protocol) => [protocol, benchProtocolApart(protocol, n, quick ? 100_000 : 500_000)])));
    for (const protocol of PROTOCOLS) {
      const best = rounds.map((r) => r[protocol]).reduce((a, b) => (b.msgsPerSec > a.msgsPerSec ? b : a));
      protocolMsgsPerSec[protocol][String(n)] = Math.round(best.msgsPerSec);
      protocolDecisionsPerSec[protocol][String(n)] = Math.round(best.decisionsPerSec);
      log(
        `  ${protocol.padEnd(10)} n = ${String(n).padStart(2)}: ${Math.round(best.msgsPerSec).toLocaleString('en-US').padStart(11)} msg/s, ${Math.round(best.decisionsPerSec).toLocaleString('en-US').padStart(7)} decisions/s  (${best.usPerMsg.toFixed(2)} µs per message)`,
      );
      // The issue's aim, "within 2× of PBFT's per-message cost": PBFT's messages per second over the protocol's.
      if (protocol !== 'pbft') protocolCostVsPbft[protocol][String(n)] = Math.round(100 * median(rounds.map((r) => r.pbft.msgsPerSec / r[protocol].msgsPerSec))) / 100;
    }
  }
  out.protocolMsgsPerSec = protocolMsgsPerSec;
  out.protocolDecisionsPerSec = protocolDecisionsPerSec;
  for (const protocol of ['hotstuff', 'tendermint'] as const) {
    log(`  ${protocol.padEnd(10)} cost per message ÷ PBFT's (median of the rounds): ${[4, 16, 64].map((n) => `n = ${n}: ${protocolCostVsPbft[protocol][String(n)].toFixed(2)}×`).join(', ')}`);
  }
  out.protocolCostVsPbft = protocolCostVsPbft;

  const sweeps = benchSweeps(quick);
  out.seedSweepMs = sweeps.seedSweepMs;
  out.bigSweepMs = sweeps.bigSweepMs;
  log('');
  log("Sweeps (Node, one thread): the seed's experiment n = 10, m = 0..9, 6 trials (60 trials)");
  for (const [mode, ms] of Object.entries(sweeps.seedSweepMs)) log(`  ${mode.padEnd(4)}: ${ms.toFixed(1)} ms   (the seed's asyncio code: about 92 s)`);
  log(`  ${sweeps.bigTrials} trials per point (m = 0..9, pbft): ${(sweeps.bigSweepMs / 1000).toFixed(2)} s`);
}

if (withBrowser) {
  if (withNode) log('');
  log('Browser (headless Chromium, software rendering, 1280×720):');
  const browser = await benchBrowser({ quick, log });
  log(`  initial JavaScript + CSS, gzipped: ${browser.bundleGzipKB.toFixed(1)} KB (worker ${browser.workerGzipKB.toFixed(1)} KB); first contentful paint ${browser.firstContentfulPaintMs?.toFixed(0)} ms`);
  Object.assign(out, browser);
}

if (json) process.stdout.write(JSON.stringify(out) + '\n');
