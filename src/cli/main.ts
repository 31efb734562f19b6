import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { replaySchedule } from '../sim/attack/replay';
import { toCsv, toMarkdown, type SweepResult } from '../sim/experiment';
import { reportOf, runScenario, type RunReport } from '../sim/report';
import { ImportError, validateSchedule } from '../sim/share';
import { checkTwins, replicaCount, writeTwins } from '../sim/params';
import { protocolOf } from '../sim/protocols';
import type { Scenario, TimedIntervention } from '../sim/types';
import { parseRunArgs, parseSearchArgs, parseSweepArgs, SEARCH_USAGE, SWEEP_USAGE, UsageError, USAGE } from './args';
import { merge, MergeError, searchInParallel, sweepInParallel, threadCount, type SearchJson } from './parallel';

function summary(r: RunReport, scenario: Scenario): string {
  const twins = scenario.twins ? [`twins: ${twinsWords(scenario.twins)}`] : [];
  const lines = [
    `${protocolOf(scenario.mode).name} run: n = ${r.n}, f = ${r.f}, seed = ${r.seed}, virtual time ${r.virtualTimeMs} ms`,
    ...twins,
    `requests accepted by the client: ${r.committed} (outstanding ${r.outstanding})`,
    ...(r.fooled > 0
      ? [`CLIENT FOOLED: ${r.fooled} of them ${r.fooled === 1 ? 'was' : 'were'} accepted although no honest replica executed ${r.fooled === 1 ? 'it' : 'them'} with that result (more than f liars answered)`]
      : []),
    ...(r.waitingBecause ? [`why: ${r.waitingBecause}`] : []),
    `latency (virtual ms): ${r.latencyMs.length ? r.latencyMs.join(', ') : '—'}`,
    `messages sent: ${Object.entries(r.messages).map(([t, c]) => `${t} ${c}`).join(', ')}; delivered ${r.delivered}, dropped ${r.dropped}`,
    r.safetyViolations.length === 0 ? 'safety: no violation' : `SAFETY VIOLATED:\n${r.safetyViolations.map((v) => `  - ${v.message}`).join('\n')}`,
    'replicas:',
    ...r.replicas.map((x) => `  ${x.id}${x.behaviour ? ` (${x.behaviour})` : scenario.twins?.replicas.includes(x.id) ? ' (twin; its first instance)' : ''}: view ${x.view}, executed ${x.executed.map(([s, d]) => `#${s}:${d}`).join(' ') || 'nothing'}`),
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
    let scenario = options.scenario;
    let report: RunReport;
    if (options.schedule === undefined) report = runScenario(scenario, options.limitMs);
    else {
      const saved = scheduleScenario(options.scenario, options.schedule);
      scenario = saved.scenario;
      report = reportOf(replaySchedule(scenario, saved.schedule, options.limitMs));
    }
    // Twins are faulty replicas that run honest code (behaviour null): the JSON names them, so a reader leaves them out.
    const json = scenario.twins ? { ...report, twins: scenario.twins } : report;
    process.stdout.write((options.json ? JSON.stringify(json) : summary(report, scenario)) + '\n');
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof MergeError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/** "0 (its second instance talks to 2 and 3)". */
function twinsWords(t: { replicas: readonly number[]; side: readonly number[] | null }): string {
  const side = t.side === null ? 'a side drawn per schedule' : t.side.length === 0 ? 'only the client and the other twins' : t.side.join(', ');
  return `${t.replicas.join(', ')} (${t.replicas.length === 1 ? 'its second instance talks' : 'their second instances talk'} to ${side})`;
}

/**
 * --schedule FILE: the scenario it replays on — the flags' scenario, with the twins a search's JSON carries (a search
 * draws their side per schedule, so the schedule replays exactly only with the side it was found with) — and the
 * schedule, checked: a search's JSON (its `schedule`) or a bare list of interventions.
 */
function scheduleScenario(given: Scenario, file: string): { scenario: Scenario; schedule: TimedIntervention[] } {
  const data = readJson(file) as { schedule?: unknown; twins?: unknown; found?: unknown } | unknown[];
  let scenario = given;
  if (!Array.isArray(data) && data?.found === false) throw new UsageError(`--schedule ${file}: the search found no attack, so there is no schedule to replay`);
  if (!Array.isArray(data) && data?.twins !== undefined) {
    const t = data.twins as { replicas?: unknown; side?: unknown } | null;
    const ids = (x: unknown): x is number[] => Array.isArray(x) && x.every((id) => Number.isInteger(id));
    if (!t || !ids(t.replicas) || !ids(t.side)) throw new UsageError(`--schedule ${file}: "twins" is not { replicas: [ids], side: [ids] }`);
    const { twins, problems } = checkTwins(t.replicas, t.side, replicaCount(given), given.malicious);
    if (problems.length > 0 || twins.replicas.length === 0) throw new UsageError(`--schedule ${file}: its twins (${twinsWords({ replicas: t.replicas, side: t.side })}) cannot run in this scenario (n = ${replicaCount(given)}, malicious ${Object.keys(given.malicious).join(', ') || 'none'})`);
    if (given.twins && JSON.stringify(given.twins) !== JSON.stringify(twins)) {
      throw new UsageError(`--twins ${writeTwins(given.twins)} differs from the twins the schedule was found with (${writeTwins(twins)}); leave --twins out to replay it`);
    }
    scenario = { ...given, twins };
  }
  try {
    return { scenario, schedule: validateSchedule(Array.isArray(data) ? data : (data?.schedule ?? null), scenario) };
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
  const { goal, budget, budgetMs, liars, twins } = options.search;
  const result = await searchInParallel(
    {
      scenario: options.scenario,
      goal,
      budget: { schedules: budget, ...(budgetMs === undefined ? {} : { ms: budgetMs }) },
      seed: options.scenario.seed,
      liars,
      ...(twins ? { twins } : {}),
      clock: () => performance.now(),
    },
    options.shard,
    threadCount(options.workers),
  );
  process.stdout.write((options.json ? JSON.stringify(result) : searchSummary(result)) + '\n');
  return 0;
}

function searchSummary(r: SearchJson): string {
  const head = r.found ? `ATTACK FOUND after ${r.schedulesTried} schedules (${r.schedulesPerSec} schedules/s): ${r.violation!.message}` : `No attack found in ${r.schedulesTried} schedules (${r.schedulesPerSec} schedules/s)`;
  const steps = (r.schedule ?? []).map((s) => `  after event ${s.afterEvent}, t = ${s.at} ms: ${JSON.stringify(s.intervention)}`);
  const twins = r.twins ? [`twins: ${twinsWords(r.twins)}`] : [];
  return [head + (r.shard ? ` [shard ${r.shard}]` : ''), ...twins, ...(r.found ? [`schedule (${steps.length} steps; replay it with --schedule FILE, which carries the twins):`, ...steps] : [])].join('\n');
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
