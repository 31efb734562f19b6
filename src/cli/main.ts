import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { replaySchedule } from '../sim/attack/replay';
import { toCsv, toMarkdown, type SweepResult } from '../sim/experiment';
import { reportOf, runScenario, type RunReport } from '../sim/report';
import { ImportError, validateSchedule } from '../sim/share';
import type { Scenario } from '../sim/types';
import { parseRunArgs, parseSearchArgs, parseSweepArgs, SEARCH_USAGE, SWEEP_USAGE, UsageError, USAGE } from './args';
import { merge, MergeError, searchInParallel, sweepInParallel, threadCount, type SearchJson } from './parallel';

function summary(r: RunReport): string {
  const lines = [
    `PBFT run: n = ${r.n}, f = ${r.f}, seed = ${r.seed}, virtual time ${r.virtualTimeMs} ms`,
    `requests accepted by the client: ${r.committed} (outstanding ${r.outstanding})`,
    ...(r.fooled > 0
      ? [`CLIENT FOOLED: ${r.fooled} of them ${r.fooled === 1 ? 'was' : 'were'} accepted although no honest replica executed ${r.fooled === 1 ? 'it' : 'them'} with that result (more than f liars answered)`]
      : []),
    ...(r.waitingBecause ? [`why: ${r.waitingBecause}`] : []),
    `latency (virtual ms): ${r.latencyMs.length ? r.latencyMs.join(', ') : '—'}`,
    `messages sent: ${Object.entries(r.messages).map(([t, c]) => `${t} ${c}`).join(', ')}; delivered ${r.delivered}, dropped ${r.dropped}`,
    r.safetyViolations.length === 0 ? 'safety: no violation' : `SAFETY VIOLATED:\n${r.safetyViolations.map((v) => `  - ${v.message}`).join('\n')}`,
    'replicas:',
    ...r.replicas.map((x) => `  ${x.id}${x.behaviour ? ` (${x.behaviour})` : ''}: view ${x.view}, executed ${x.executed.map(([s, d]) => `#${s}:${d}`).join(' ') || 'nothing'}`),
  ];
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  try {
    if (argv[0] === 'sweep') return await sweep(argv.slice(1));
    if (argv[0] === 'search') return await searchCommand(argv.slice(1));
    if (argv[0] === 'merge') return mergeCommand(argv.slice(1));
    const options = parseRunArgs(argv);
    if (options.command === 'help') {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    const report = options.schedule === undefined ? runScenario(options.scenario, options.limitMs) : replayReport(options.scenario, options.schedule, options.limitMs);
    process.stdout.write((options.json ? JSON.stringify(report) : summary(report)) + '\n');
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof MergeError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/** --schedule FILE: a search's JSON (its `schedule`) or a bare list of interventions, replayed on the scenario. */
function replayReport(scenario: Scenario, file: string, limitMs: number): RunReport {
  const data = readJson(file) as { schedule?: unknown } | unknown[];
  try {
    const schedule = validateSchedule(Array.isArray(data) ? data : (data?.schedule ?? null), scenario);
    return reportOf(replaySchedule(scenario, schedule, limitMs));
  } catch (error) {
    if (error instanceof ImportError) throw new UsageError(`--schedule ${file}: ${error.message}`);
    throw error;
  }
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not JSON`);
  }
}

async function searchCommand(argv: string[]): Promise<number> {
  const options = parseSearchArgs(argv);
  if (options.command === 'help') {
    process.stdout.write(SEARCH_USAGE + '\n');
    return 0;
  }
  const { goal, budget, budgetMs, liars } = options.search;
  const result = await searchInParallel(
    { scenario: options.scenario, goal, budget: { schedules: budget, ...(budgetMs === undefined ? {} : { ms: budgetMs }) }, seed: options.scenario.seed, liars, clock: () => performance.now() },
    options.shard,
    threadCount(options.workers),
  );
  process.stdout.write((options.json ? JSON.stringify(result) : searchSummary(result)) + '\n');
  return 0;
}

function searchSummary(r: SearchJson): string {
  const head = r.found ? `ATTACK FOUND after ${r.schedulesTried} schedules (${r.schedulesPerSec} schedules/s): ${r.violation!.message}` : `No attack found in ${r.schedulesTried} schedules (${r.schedulesPerSec} schedules/s)`;
  const steps = (r.schedule ?? []).map((s) => `  after event ${s.afterEvent}, t = ${s.at} ms: ${JSON.stringify(s.intervention)}`);
  return [head + (r.shard ? ` [shard ${r.shard}]` : ''), ...(r.found ? [`schedule (${steps.length} steps; replay it with --schedule FILE):`, ...steps] : [])].join('\n');
}

function mergeCommand(argv: string[]): number {
  const files = argv.filter((a) => a !== '--json');
  if (files.length === 0) throw new UsageError('merge needs shard files: npm run sim -- merge a.json b.json … --json');
  process.stdout.write(JSON.stringify(merge(files.map(readJson))) + '\n');
  return 0;
}

async function sweep(argv: string[]): Promise<number> {
  const options = parseSweepArgs(argv);
  if (options.command === 'help') {
    process.stdout.write(SWEEP_USAGE + '\n');
    return 0;
  }
  const workers = threadCount(options.workers);
  const outs = [];
  for (const mode of options.modes) outs.push(await sweepInParallel({ ...options.config, mode }, options.shard, workers));
  if (options.format === 'json' || options.shard) {
    // Trials carry whole scenarios; the JSON keeps them so any trial can be replayed. A shard always prints JSON (for merge).
    process.stdout.write(JSON.stringify(outs.length === 1 ? outs[0] : outs) + '\n');
    return 0;
  }
  const results: SweepResult[] = outs.map((o) => ({ config: o.config, f: o.f, rows: o.rows, trials: o.trials }));
  if (options.format === 'csv') {
    for (const r of results) process.stdout.write((results.length > 1 ? `# mode ${r.config.mode}\n` : '') + toCsv(r.rows));
  } else {
    process.stdout.write(results.map(toMarkdown).join('\n\n') + '\n');
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
