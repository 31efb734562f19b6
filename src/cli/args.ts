import { seedExperiment, type SweepConfig } from '../sim/experiment';
import {
  MAX_REPLICAS,
  orList,
  PARAM_LIST,
  PARAMS,
  problemOf,
  readLinks,
  readMalicious,
  readMValues,
  readPartition,
  readNumber,
  readTwins,
  checkTwins,
  replicaCount,
  ruleBreaks,
  sweepModes,
  watermarkWindowFor,
  type ChoiceParam,
  type NumberParam,
  type Param,
  type Problem,
  type TwinsProblem,
} from '../sim/params';
import { cliOptionLines } from '../sim/paramsDoc';
import { PROTOCOLS } from '../sim/protocols';
import { defaultScenario } from '../sim/scenario';
import { ImportError, validateScenario } from '../sim/share';
import type { Goal } from '../sim/attack/goals';
import type { Behaviour, LinkFault, NodeId, ProtocolMode, Scenario, Twins } from '../sim/types';

/** Options, their ranges and their help lines all come from the parameter table (src/sim/params.ts). */

export class UsageError extends Error {}

export interface RunOptions {
  command: 'run';
  scenario: Scenario;
  json: boolean;
  limitMs: number;
  /** A schedule file to replay (--schedule): a search's JSON, or a list of interventions. */
  schedule?: string;
}

/** One shard of a campaign: "i/k", 0-based — the shard takes every k-th piece of work from the i-th on. */
export interface Shard {
  index: number;
  count: number;
}

/** Options every parallel command shares: its shard, and how many threads it runs on (null: one per core). */
export interface ParallelOptions {
  shard: Shard | null;
  workers: number | null;
}

const flagsOf = (params: Param[]) => new Map(params.map((p) => [p.cli!, p]));
const RUN_PARAMS = PARAM_LIST.filter((p) => p.cli !== undefined && (p.scopes.includes('scenario') || p.scopes.includes('run')));
const SWEEP_PARAMS = PARAM_LIST.filter((p) => p.cli !== undefined && p.scopes.includes('sweep'));
const SEARCH_PARAMS = PARAM_LIST.filter((p) => p.cli !== undefined && p.scopes.includes('search'));
const SEARCH_FLAGS = flagsOf(SEARCH_PARAMS);
const RUN_FLAGS = flagsOf(RUN_PARAMS);
const SWEEP_FLAGS = flagsOf(SWEEP_PARAMS);

const PARALLEL_LINES = `  --shard <i/k>               run only shard i of k (0-based) and print its JSON, for merge
  --workers <int>             threads to run on (default one per core); the result is the same for any number`;

export const USAGE = `PBFT Lab — headless simulator

Usage: npm run sim -- [options]           one run
       npm run sim -- sweep [options]     an experiment over m (see sweep --help)
       npm run sim -- search [options]    hunt for an attack (see search --help)
       npm run sim -- merge a.json b.json … --json    combine shard outputs into one run's JSON

${cliOptionLines(RUN_PARAMS).join('\n')}
  --scenario <json>           a whole scenario as JSON, checked like a run file (options after it override)
  --schedule <file>           replay a schedule (a search's JSON, or a list of interventions), then the calm network
  --json                      print one JSON object instead of a summary
  --help                      this text`;

export const SWEEP_USAGE = `Usage: npm run sim -- sweep [options]

${cliOptionLines(SWEEP_PARAMS, { ...seedExperiment() }).join('\n')}
${PARALLEL_LINES}
  --csv | --json              output format (default markdown)`;

export const SEARCH_USAGE = `Usage: npm run sim -- search [scenario options] [options]

Tries schedules (delivery orders, losses, duplicates, timer firings, the liars' choices) on the scenario until one
breaks the goal, shrinks it, and prints { found, schedulesTried, schedulesPerSec, schedule, violation }.
The scenario options are those of a run (npm run sim -- --help); --seed also seeds the search.

${cliOptionLines(SEARCH_PARAMS).join('\n')}
  --twins <ids[/side]>        run these replicas as twins; without /side each schedule draws the side their second
                              instances talk to, and the JSON's "twins" says which the found schedule drew
${PARALLEL_LINES}
  --json                      print one JSON object instead of a summary`;

export function parseNumber(flag: string, raw: string | undefined, param: NumberParam): number {
  if (raw === undefined || raw.startsWith('--')) throw new UsageError(`${flag} needs a value`);
  const reading = readNumber(param, raw);
  if (reading.problem) throw numberError(flag, raw, param, reading.problem);
  return reading.value;
}

function numberError(flag: string, raw: string, param: NumberParam, problem: Problem): UsageError {
  if (problem === 'integer') return new UsageError(`${flag} must be a whole number, got "${raw}"`);
  if (problem === 'range') return new UsageError(`${flag} must be between ${param.min} and ${param.max}, got ${raw}`);
  return new UsageError(`${flag} must be a number, got "${raw}"`);
}

function parseChoice(flag: string, raw: string | undefined, param: ChoiceParam): string {
  if (raw === undefined || problemOf(param, raw) !== null) throw new UsageError(`${flag} must be ${orList(param.choices)}, got "${raw ?? ''}"`);
  return raw;
}

/** "pbft,hotstuff" → the protocols to sweep, in that order, each checked as a run's --protocol checks its one. */
function parseProtocols(flag: string, raw: string | undefined): ProtocolMode[] {
  if (raw === undefined || raw.startsWith('--')) throw new UsageError(`${flag} needs a value`);
  const modes: ProtocolMode[] = [];
  for (const part of raw.split(',').map((p) => p.trim())) {
    const mode = parseChoice(flag, part, PARAMS.mode) as ProtocolMode;
    if (!modes.includes(mode)) modes.push(mode);
  }
  return modes;
}

/** "0,1,c" → one side of a partition (replica ids below n, c the client). */
export function parsePartition(raw: string, n = MAX_REPLICAS): NodeId[] {
  const { side, problems } = readPartition(raw, n);
  const p = problems[0];
  if (!p) return side;
  switch (p.problem) {
    case 'syntax':
      throw new UsageError(`--partition: cannot read "${p.part}" (expected replica ids and c for the client, e.g. 0,1,c)`);
    case 'node':
      throw new UsageError(`--partition: replica ${p.part.trim()} does not exist (n = ${p.n})`);
    case 'everyone':
      throw new UsageError(`--partition: the side holds every node, so nothing is cut off`);
  }
}

/** "0-1:slow=100,2-c:lossy=0.3" → link faults. */
export function parseLinks(raw: string, n = MAX_REPLICAS): LinkFault[] {
  const { links, problems } = readLinks(raw, n);
  const p = problems[0];
  if (!p) return links;
  switch (p.problem) {
    case 'syntax':
      throw new UsageError(`--links: cannot read "${p.part}" (expected a-b:slow=ms or a-b:lossy=p, e.g. 0-1:slow=100)`);
    case 'node':
      throw new UsageError(`--links: "${p.part}" names a replica that does not exist (n = ${p.n})`);
    case 'same':
      throw new UsageError(`--links: "${p.part}" joins a node to itself`);
    case 'knob':
      throw new UsageError(`--links: unknown knob "${p.knob}" (slow or lossy)`);
    case 'value':
      throw numberError(`--links ${p.param === PARAMS.linkDelayMs ? 'slow' : 'lossy'}=`, p.raw, p.param, p.reason);
  }
}

/** "0:equivocate,3:silent,2:omit=0.3,1:slow=150" → behaviours by replica id (ids below n). */
export function parseMalicious(raw: string, n = MAX_REPLICAS): Record<number, Behaviour> {
  const { malicious, problems } = readMalicious(raw, n);
  const p = problems[0];
  if (!p) return malicious;
  switch (p.problem) {
    case 'syntax':
      throw new UsageError(`--malicious: cannot read "${p.part}" (expected id:behaviour, e.g. 0:equivocate)`);
    case 'replica':
      throw new UsageError(`--malicious: replica ${p.id} does not exist (n = ${p.n})`);
    case 'behaviour':
      throw new UsageError(`--malicious: unknown behaviour "${p.kind}" (one of ${PARAMS.behaviour.choices.join(', ')})`);
    case 'no-value':
      throw new UsageError(`--malicious: ${p.kind} takes no parameter`);
    case 'value':
      throw numberError(`--malicious ${p.kind}=`, p.raw, p.param, p.reason);
  }
}

function twinsError(p: TwinsProblem): UsageError {
  switch (p.problem) {
    case 'syntax':
      return new UsageError(`--twins: cannot read "${p.part}" (expected replica ids, then / and the ids the second instances talk to, e.g. 0,1 or 0/2,3)`);
    case 'replica':
      return new UsageError(`--twins: replica ${p.id} does not exist (n = ${p.n})`);
    case 'liar':
      return new UsageError(`--twins: replica ${p.id} is also --malicious, and a twin runs honest code (make it one or the other)`);
    case 'side':
      return new UsageError(`--twins: replica ${p.id} cannot be on the side (it is a twin itself, or no replica of n = ${p.n})`);
  }
}

/** "0,1" or "0,1/2,3" → twins (replicas, and the side their second instances talk to: none when no / is given). */
export function parseTwins(raw: string, n = MAX_REPLICAS, malicious: Scenario['malicious'] = {}): Twins | null {
  const { twins, problems } = readTwins(raw, n, malicious);
  if (problems.length > 0) throw twinsError(problems[0]);
  return twins;
}

export function parseRunArgs(argv: string[]): RunOptions | { command: 'help' } {
  let scenario = defaultScenario();
  let json = false;
  let limitMs: number = PARAMS.limit.default;
  let schedule: string | undefined;
  /** The lists, read last, against the n the other options settled on. */
  const lists = new Map<Param, string>();
  /** Whether L was set (by its flag or in --scenario): if not, it follows K (L = max(16, 2K)). */
  let windowGiven = false;
  for (let k = 0; k < argv.length; k++) {
    const flag = argv[k];
    if (flag === '--help' || flag === '-h') return { command: 'help' };
    if (flag === '--json') {
      json = true;
      continue;
    }
    if (flag === '--schedule') {
      schedule = argv[++k];
      if (schedule === undefined || schedule.startsWith('--')) throw new UsageError('--schedule needs a file');
      continue;
    }
    if (flag === '--scenario') {
      const raw = argv[++k];
      scenario = parseScenario(raw);
      windowGiven = scenarioSets(raw, PARAMS.watermarkWindow.key);
      continue;
    }
    if (flag === PARAMS.watermarkWindow.cli) windowGiven = true;
    const param = RUN_FLAGS.get(flag);
    if (!param) throw new UsageError(`unknown option "${flag}" (see --help)`);
    if (param.type === 'flag') {
      scenario = { ...scenario, [param.key]: true };
      continue;
    }
    const raw = argv[++k];
    if (param.type === 'list') {
      if (raw === undefined) throw new UsageError(`${flag} needs a value`);
      lists.set(param, raw);
    } else if (param.type === 'choice') scenario = { ...scenario, [param.key]: parseChoice(flag, raw, param) };
    else if (param === PARAMS.limit) limitMs = parseNumber(flag, raw, param);
    else scenario = { ...scenario, [param.key]: parseNumber(flag, raw, param) };
  }
  // The lists are read last, against the n the other options settled on.
  const n = Math.min(MAX_REPLICAS, replicaCount(scenario));
  const malicious = lists.get(PARAMS.malicious);
  if (malicious !== undefined) scenario = { ...scenario, malicious: parseMalicious(malicious, n) };
  const partition = lists.get(PARAMS.partition);
  if (partition !== undefined) {
    const side = parsePartition(partition, n);
    const { partition: _old, ...rest } = scenario;
    scenario = side.length > 0 ? { ...rest, partition: side } : rest;
  }
  const links = lists.get(PARAMS.links);
  if (links !== undefined) {
    const faults = parseLinks(links, n);
    const { links: _old, ...rest } = scenario;
    scenario = faults.length > 0 ? { ...rest, links: faults } : rest;
  }
  const twins = lists.get(PARAMS.twins);
  if (twins !== undefined) {
    const read = parseTwins(twins, n, scenario.malicious);
    const { twins: _old, ...rest } = scenario;
    scenario = read ? { ...rest, twins: read } : rest;
  } else if (scenario.twins) {
    // Twins from --scenario, against the liars and the n the flags after it settled on.
    const { problems } = checkTwins(scenario.twins.replicas, scenario.twins.side, n, scenario.malicious);
    if (problems.length > 0) throw twinsError(problems[0]);
  }
  if (!windowGiven) scenario = { ...scenario, watermarkWindow: watermarkWindowFor(scenario.checkpointInterval) };
  for (const b of ruleBreaks(scenario)) {
    if (b.rule === 'delay-order') throw new UsageError(`--min-delay (${b.min}) exceeds --max-delay (${b.max})`);
    if (b.rule === 'watermark-window') {
      throw new UsageError(`--watermark-window (${b.l}) must be at least twice --checkpoint-interval (2 × ${b.k} = ${2 * b.k}), or the primary could wait at H for ever`);
    }
    if (b.rule === 'replicas') throw new UsageError(`n = ${b.n} is more than ${MAX_REPLICAS} replicas`);
    if (b.rule === 'partition') throw new UsageError(b.id === undefined ? '--partition: the side holds every node' : `--partition: replica ${b.id} does not exist (n = ${b.n})`);
    if (b.rule === 'link-ends') throw new UsageError(`--links: the link ${b.a}-${b.b} does not join two different nodes of n = ${b.n}`);
    if (b.rule === 'behaviour-protocol') throw new UsageError(`--malicious: ${b.kind} does not apply to ${b.protocol} (replica ${b.id}); it applies to ${orList(PROTOCOLS[b.protocol].behaviours)}`);
    throw new UsageError(`--malicious: replica ${b.id} does not exist (n = ${b.n})`);
  }
  return { command: 'run', scenario, json, limitMs, ...(schedule === undefined ? {} : { schedule }) };
}

/** "2/8" → shard 2 of 8 (0-based). */
export function parseShard(raw: string | undefined): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw ?? '');
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index >= count) throw new UsageError(`--shard must be i/k with 0 ≤ i < k (0-based), got "${raw ?? ''}"`);
  return { index, count };
}

function parseWorkers(raw: string | undefined): number {
  const value = Number(raw);
  if (raw === undefined || !Number.isInteger(value) || value < 1 || value > 256) throw new UsageError(`--workers must be a whole number from 1 to 256, got "${raw ?? ''}"`);
  return value;
}

/** Takes --shard and --workers out of argv; the rest is the command's own. */
function parallelOf(argv: string[]): { parallel: ParallelOptions; rest: string[] } {
  const parallel: ParallelOptions = { shard: null, workers: null };
  const rest: string[] = [];
  for (let k = 0; k < argv.length; k++) {
    if (argv[k] === '--shard') parallel.shard = parseShard(argv[++k]);
    else if (argv[k] === '--workers') parallel.workers = parseWorkers(argv[++k]);
    else rest.push(argv[k]);
  }
  return { parallel, rest };
}

export interface SearchCliOptions extends ParallelOptions {
  command: 'search';
  scenario: Scenario;
  json: boolean;
  /**
   * The search's knobs by their key in the parameter table; `twins`: replicas run as twins whose side each schedule draws
   * (--twins without "/"; with one, the side is fixed and travels in the scenario).
   */
  search: { goal: Goal; budget: number; budgetMs?: number; liars: 'as-given' | 'any'; twins?: NodeId[] };
}

export function parseSearchArgs(argv: string[]): SearchCliOptions | { command: 'help' } {
  const { parallel, rest } = parallelOf(argv);
  const search: SearchCliOptions['search'] = { goal: PARAMS.goal.default, budget: PARAMS.budget.default, liars: PARAMS.liars.default };
  const runArgs: string[] = [];
  for (let k = 0; k < rest.length; k++) {
    const flag = rest[k];
    const param = SEARCH_FLAGS.get(flag);
    if (!param) {
      runArgs.push(flag);
      continue;
    }
    const raw = rest[++k];
    if (param.type === 'choice') (search as unknown as Record<string, string>)[param.key] = parseChoice(flag, raw, param);
    else if (param.type === 'number') (search as unknown as Record<string, number>)[param.key] = parseNumber(flag, raw, param);
  }
  const run = parseRunArgs(runArgs);
  if (run.command === 'help') return run;
  if (run.schedule !== undefined) throw new UsageError('search takes no --schedule (replay one with: npm run sim -- … --schedule FILE)');
  const twinsAt = runArgs.lastIndexOf(PARAMS.twins.cli!);
  if (twinsAt >= 0 && run.scenario.twins && !runArgs[twinsAt + 1].includes('/')) {
    // No side given: each schedule draws one (search's `twins`), and the JSON says which the found schedule drew.
    const { twins, ...scenario } = run.scenario;
    return { command: 'search', scenario, json: run.json, search: { ...search, twins: twins.replicas }, ...parallel };
  }
  return { command: 'search', scenario: run.scenario, json: run.json, search, ...parallel };
}

/** Whether the JSON of --scenario sets `key` itself (read again only after parseScenario accepted it). */
function scenarioSets(raw: string | undefined, key: string): boolean {
  const data = JSON.parse(raw ?? '{}') as Record<string, unknown>;
  return data[key] !== undefined;
}

/** --scenario: a whole scenario, checked exactly as an imported run file's. */
function parseScenario(raw: string | undefined): Scenario {
  let data: unknown;
  try {
    data = JSON.parse(raw ?? '');
  } catch {
    throw new UsageError('--scenario must be a JSON object');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new UsageError('--scenario must be a JSON object');
  try {
    // L ≥ 2K is checked once every flag is read (a later --checkpoint-interval may change K).
    return validateScenario(data, { window: false });
  } catch (error) {
    if (error instanceof ImportError) throw new UsageError(`--scenario: ${error.message}`);
    throw error;
  }
}

export interface SweepOptions extends ParallelOptions {
  command: 'sweep';
  config: SweepConfig;
  modes: ProtocolMode[];
  format: 'markdown' | 'csv' | 'json';
}

export function parseMList(raw: string | undefined, n: number): number[] {
  const reading = readMValues(raw ?? '', n);
  switch (reading.problem) {
    case undefined:
      return reading.values;
    case 'none':
      throw new UsageError('--m needs a value');
    case 'syntax':
      throw new UsageError(`--m: cannot read "${reading.part}" (use e.g. 0,3,5,7 or 0-n)`);
    case 'empty-range':
      throw new UsageError(`--m: empty range "${reading.part}"`);
    case 'needs-n':
    case 'above-n':
      throw new UsageError(`--m: ${'m' in reading ? reading.m : 'n'} is more than n = ${n}`);
  }
}

export function parseSweepArgs(args: string[]): SweepOptions | { command: 'help' } {
  const { parallel, rest: argv } = parallelOf(args);
  const config = seedExperiment();
  let mRaw: string | undefined;
  let modes: ProtocolMode[] = [config.mode];
  let format: SweepOptions['format'] = 'markdown';
  for (let k = 0; k < argv.length; k++) {
    const flag = argv[k];
    if (flag === '--help' || flag === '-h') return { command: 'help' };
    if (flag === '--csv' || flag === '--json') {
      format = flag === '--csv' ? 'csv' : 'json';
      continue;
    }
    const param = SWEEP_FLAGS.get(flag === '--behavior' ? '--behaviour' : flag);
    if (!param) throw new UsageError(`unknown sweep option "${flag}" (see sweep --help)`);
    const raw = argv[++k];
    if (param === PARAMS.mValues) mRaw = raw ?? '';
    else if (param === PARAMS.sweepProtocols) modes = parseProtocols(flag, raw);
    else if (param === PARAMS.sweepMode) {
      modes = sweepModes(parseChoice(flag, raw, param) as ProtocolMode | 'both');
    } else if (param.type === 'choice') (config as unknown as Record<string, string>)[param.key] = parseChoice(flag, raw, param);
    else if (param.type === 'number') (config as unknown as Record<string, number>)[param.key] = parseNumber(flag, raw, param);
  }
  if (ruleBreaks(config).length > 0) throw new UsageError(`--min-delay (${config.minDelayMs}) exceeds --max-delay (${config.maxDelayMs})`);
  if (mRaw !== undefined) config.mValues = parseMList(mRaw, config.n);
  else config.mValues = config.mValues.filter((m) => m <= config.n);
  return { command: 'sweep', config, modes, format, ...parallel };
}
