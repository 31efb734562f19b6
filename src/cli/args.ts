import { seedExperiment, type SweepConfig } from '../sim/experiment';
import { DEFAULT_BEHAVIOUR, defaultScenario, LIMITS } from '../sim/scenario';
import { BEHAVIOURS, type Behaviour, type BehaviourKind, type ProtocolMode, type Scenario } from '../sim/types';

export class UsageError extends Error {}

export interface RunOptions {
  command: 'run';
  scenario: Scenario;
  json: boolean;
  limitMs: number;
}

export const USAGE = `PBFT Lab — headless simulator

Usage: npm run sim -- [options]           one run
       npm run sim -- sweep [options]     an experiment over m (see sweep --help)

  --f <int>                 tolerated faults; n = 3f+1 (default 1)
  --n <int>                 replica count instead (f = floor((n-1)/3))
  --seed <int>              RNG seed (default 1)
  --requests <int>          requests the client issues (default 1)
  --concurrency <int>       requests the client keeps in flight (default 1)
  --min-delay <ms>          minimum network delay (default 5)
  --max-delay <ms>          maximum network delay (default 40)
  --drop <0..1>             message loss probability (default 0)
  --reorder <0..1>          probability a message is held back (default 0)
  --malicious <list>        e.g. 0:equivocate,3:silent,2:omit=0.3,1:slow=150,4:collude
  --checkpoint-interval <k> executed requests between checkpoints (default 4)
  --view-change-timeout <ms> view-change timer T (default 300)
  --client-timeout <ms>     client retransmission timer (default 500)
  --limit <ms>              stop after this much virtual time (default 60000)
  --scenario <json>         a whole scenario as JSON (options after it override)
  --json                    print one JSON object instead of a summary
  --help                    this text`;

const NUMERIC: Record<string, { key: keyof Scenario | 'limit'; min: number; max: number; integer: boolean }> = {
  '--f': { key: 'f', ...LIMITS.f, integer: true },
  '--n': { key: 'n', ...LIMITS.n, integer: true },
  '--seed': { key: 'seed', min: 0, max: 2 ** 32 - 1, integer: true },
  '--requests': { key: 'requests', ...LIMITS.requests, integer: true },
  '--concurrency': { key: 'concurrency', ...LIMITS.concurrency, integer: true },
  '--min-delay': { key: 'minDelayMs', ...LIMITS.delayMs, integer: false },
  '--max-delay': { key: 'maxDelayMs', ...LIMITS.delayMs, integer: false },
  '--drop': { key: 'dropRate', ...LIMITS.rate, integer: false },
  '--reorder': { key: 'reorderRate', ...LIMITS.rate, integer: false },
  '--checkpoint-interval': { key: 'checkpointInterval', ...LIMITS.checkpointInterval, integer: true },
  '--view-change-timeout': { key: 'viewChangeTimeoutMs', ...LIMITS.timeoutMs, integer: false },
  '--client-timeout': { key: 'clientTimeoutMs', ...LIMITS.timeoutMs, integer: false },
  '--limit': { key: 'limit', min: 1, max: 1e9, integer: false },
};

export function parseNumber(flag: string, raw: string | undefined, spec: { min: number; max: number; integer: boolean }): number {
  if (raw === undefined || raw.startsWith('--')) throw new UsageError(`${flag} needs a value`);
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) throw new UsageError(`${flag} must be a number, got "${raw}"`);
  if (spec.integer && !Number.isInteger(value)) throw new UsageError(`${flag} must be a whole number, got "${raw}"`);
  if (value < spec.min || value > spec.max) throw new UsageError(`${flag} must be between ${spec.min} and ${spec.max}, got ${raw}`);
  return value;
}

/** "0:equivocate,3:silent,2:omit=0.3,1:slow=150" → behaviours by replica id. */
export function parseMalicious(raw: string): Record<number, Behaviour> {
  const out: Record<number, Behaviour> = {};
  if (raw.trim() === '') return out;
  for (const part of raw.split(',')) {
    const match = /^\s*(\d+)\s*:\s*([a-z]+)\s*(?:=\s*([0-9.]+))?\s*$/.exec(part);
    if (!match) throw new UsageError(`--malicious: cannot read "${part}" (expected id:behaviour, e.g. 0:equivocate)`);
    const id = Number(match[1]);
    const kind = match[2] as BehaviourKind;
    if (!BEHAVIOURS.includes(kind)) throw new UsageError(`--malicious: unknown behaviour "${match[2]}" (one of ${BEHAVIOURS.join(', ')})`);
    const behaviour: Behaviour = { ...DEFAULT_BEHAVIOUR[kind] };
    if (match[3] !== undefined) {
      if (kind === 'omit') behaviour.omitProbability = parseNumber('--malicious omit=', match[3], { min: 0, max: 1, integer: false });
      else if (kind === 'slow') behaviour.extraDelayMs = parseNumber('--malicious slow=', match[3], { min: 0, max: LIMITS.delayMs.max, integer: false });
      else throw new UsageError(`--malicious: ${kind} takes no parameter`);
    }
    out[id] = behaviour;
  }
  return out;
}

export function parseRunArgs(argv: string[]): RunOptions | { command: 'help' } {
  let scenario = defaultScenario();
  let json = false;
  let limitMs = 60_000;
  let malicious: Record<number, Behaviour> | undefined;
  for (let k = 0; k < argv.length; k++) {
    const flag = argv[k];
    if (flag === '--help' || flag === '-h') return { command: 'help' };
    if (flag === '--json') {
      json = true;
      continue;
    }
    if (flag === '--malicious') {
      const raw = argv[++k];
      if (raw === undefined) throw new UsageError('--malicious needs a value');
      malicious = parseMalicious(raw);
      continue;
    }
    if (flag === '--scenario') {
      const raw = argv[++k];
      try {
        scenario = defaultScenario(JSON.parse(raw ?? ''));
      } catch {
        throw new UsageError('--scenario must be a JSON object');
      }
      continue;
    }
    const spec = NUMERIC[flag];
    if (!spec) throw new UsageError(`unknown option "${flag}" (see --help)`);
    const value = parseNumber(flag, argv[++k], spec);
    if (spec.key === 'limit') limitMs = value;
    else scenario = { ...scenario, [spec.key]: value };
  }
  if (malicious) scenario = { ...scenario, malicious };
  if (scenario.minDelayMs > scenario.maxDelayMs) throw new UsageError(`--min-delay (${scenario.minDelayMs}) exceeds --max-delay (${scenario.maxDelayMs})`);
  const n = scenario.n ?? 3 * scenario.f + 1;
  if (n > LIMITS.n.max) throw new UsageError(`n = ${n} is more than ${LIMITS.n.max} replicas`);
  for (const id of Object.keys(scenario.malicious).map(Number)) {
    if (!Number.isInteger(id) || id < 0 || id >= n) throw new UsageError(`--malicious: replica ${id} does not exist (n = ${n})`);
  }
  return { command: 'run', scenario, json, limitMs };
}

export interface SweepOptions {
  command: 'sweep';
  config: SweepConfig;
  modes: ProtocolMode[];
  format: 'markdown' | 'csv' | 'json';
}

export const SWEEP_USAGE = `Usage: npm run sim -- sweep [options]

  --n <int>              replicas (default 10; f = floor((n-1)/3))
  --m <list|range>       malicious counts, e.g. 0,3,5,7 or 0-9 (default 0,3,5,7)
  --trials <int>         trials per m (default 6)
  --mode seed|pbft|both  protocol (default pbft)
  --behaviour <kind>     how the liars lie (default seed: ${BEHAVIOURS.join(', ')})
  --selection random|primary   random liars, or the primary always among them (default random)
  --min-delay / --max-delay <ms>   (default 5 / 35)
  --drop <0..1>, --reorder <0..1>  (default 0 / 0.05)
  --timeout <ms>         virtual time per trial (default 2000)
  --requests <int>       requests per trial (default 1)
  --seed <int>           sweep seed (default 1)
  --csv | --json         output format (default markdown)`;

export function parseMList(raw: string | undefined, n: number): number[] {
  if (!raw) throw new UsageError('--m needs a value');
  const out: number[] = [];
  for (const part of raw.split(',')) {
    const range = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(part);
    if (range) {
      const [a, b] = [Number(range[1]), Number(range[2])];
      if (a > b) throw new UsageError(`--m: empty range "${part}"`);
      for (let m = a; m <= b; m++) out.push(m);
    } else if (/^\s*\d+\s*$/.test(part)) out.push(Number(part));
    else throw new UsageError(`--m: cannot read "${part}" (use e.g. 0,3,5,7 or 0-9)`);
  }
  for (const m of out) if (m > n) throw new UsageError(`--m: ${m} is more than n = ${n}`);
  return [...new Set(out)];
}

export function parseSweepArgs(argv: string[]): SweepOptions | { command: 'help' } {
  const config = seedExperiment();
  let mRaw: string | undefined;
  let modes: ProtocolMode[] = ['pbft'];
  let format: SweepOptions['format'] = 'markdown';
  const numeric: Record<string, { key: keyof SweepConfig; min: number; max: number; integer: boolean }> = {
    '--n': { key: 'n', ...LIMITS.n, integer: true },
    '--trials': { key: 'trials', min: 1, max: 100_000, integer: true },
    '--min-delay': { key: 'minDelayMs', ...LIMITS.delayMs, integer: false },
    '--max-delay': { key: 'maxDelayMs', ...LIMITS.delayMs, integer: false },
    '--drop': { key: 'dropRate', ...LIMITS.rate, integer: false },
    '--reorder': { key: 'reorderRate', ...LIMITS.rate, integer: false },
    '--timeout': { key: 'timeoutMs', ...LIMITS.timeoutMs, integer: false },
    '--requests': { key: 'requests', min: 1, max: 1000, integer: true },
    '--seed': { key: 'seed', min: 0, max: 2 ** 32 - 1, integer: true },
  };
  for (let k = 0; k < argv.length; k++) {
    const flag = argv[k];
    if (flag === '--help' || flag === '-h') return { command: 'help' };
    if (flag === '--csv' || flag === '--json') {
      format = flag === '--csv' ? 'csv' : 'json';
      continue;
    }
    if (flag === '--m') {
      mRaw = argv[++k];
      continue;
    }
    if (flag === '--mode') {
      const raw = argv[++k];
      if (raw === 'both') modes = ['seed', 'pbft'];
      else if (raw === 'seed' || raw === 'pbft') modes = [raw];
      else throw new UsageError(`--mode must be seed, pbft or both, got "${raw ?? ''}"`);
      continue;
    }
    if (flag === '--behaviour' || flag === '--behavior') {
      const raw = argv[++k] as BehaviourKind;
      if (!BEHAVIOURS.includes(raw)) throw new UsageError(`--behaviour must be one of ${BEHAVIOURS.join(', ')}`);
      config.behaviour = raw;
      continue;
    }
    if (flag === '--selection') {
      const raw = argv[++k];
      if (raw !== 'random' && raw !== 'primary') throw new UsageError('--selection must be random or primary');
      config.selection = raw;
      continue;
    }
    const spec = numeric[flag];
    if (!spec) throw new UsageError(`unknown sweep option "${flag}" (see sweep --help)`);
    (config as unknown as Record<string, number>)[spec.key] = parseNumber(flag, argv[++k], spec);
  }
  if (config.minDelayMs > config.maxDelayMs) throw new UsageError(`--min-delay (${config.minDelayMs}) exceeds --max-delay (${config.maxDelayMs})`);
  if (mRaw !== undefined) config.mValues = parseMList(mRaw, config.n);
  else config.mValues = config.mValues.filter((m) => m <= config.n);
  return { command: 'sweep', config, modes, format };
}
