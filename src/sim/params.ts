/**
 * The one parameter table. Every knob of a run — the scenario, the behaviours' own knobs, the page's speed, the
 * CLI's time limit and the experiment sweep — is declared here once: its name in each reader (URL key, CLI flag,
 * form field), its range, whether it is whole, its unit and display scale, its default and a line saying what it
 * does. The URL reader, the CLI and its help text, run-file import, the experiment form, the sliders and the store's
 * clamps all derive from it, so a value accepted by one is accepted by all (params.test.ts drives every edge value
 * through every reader). Validation is a valibot schema per parameter; each reader words a refusal its own way.
 */
import * as v from 'valibot';
import { GOALS } from './attack/goals';
import { PROTOCOLS } from './protocols';
import { checkTwins, replicaExists, type TwinsProblem } from './twins';
import { BEHAVIOURS, CLIENT, CUT_RULES, type Behaviour, type BehaviourKind, type LinkFault, type LinkKnobs, type NodeId, type ProtocolMode, type Twins } from './types';

/** The protocols a scenario can run: every plug-in in the registry (src/sim/protocols). */
export const PROTOCOL_MODES = Object.keys(PROTOCOLS) as ProtocolMode[];
/** Beyond this many replicas a run no longer fits a page (or a projector). */
export const MAX_REPLICAS = 100;
/** The Experiments panel starts with one worker per core, at most this many. */
export const WORKERS_BY_DEFAULT = 8;

/**
 * Where a parameter lives: a Scenario field, a malicious replica's Behaviour field, a faulty link's field (LinkKnobs),
 * the page's view (URL and store), a CLI run, a sweep (SweepConfig: the CLI's sweep and the Experiments form), or the
 * Experiments panel only.
 */
export type Scope = 'scenario' | 'behaviour' | 'link' | 'view' | 'run' | 'sweep' | 'panel' | 'search';

interface ParamBase {
  /** Property name in the object of its scope (Scenario, Behaviour, SweepConfig, the form). */
  readonly key: string;
  readonly scopes: readonly Scope[];
  /** As a sentence starts with it ("Min delay"); sliders and form boxes are labelled so. */
  readonly label: string;
  /** One line, lower case, no full stop: the CLI help and the README print it. */
  readonly description: string;
  /** Query key in a shared link. */
  readonly url?: string;
  /** Written into every shared link, even at its default (the rest only when changed). */
  readonly urlAlways?: boolean;
  readonly cli?: string;
  /** Field of the Experiments form. */
  readonly form?: string;
  /** The default in words where it is not one value (n = 3f + 1, one worker per core). */
  readonly defaultText?: string;
}

export interface NumberParam extends ParamBase {
  readonly type: 'number';
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  /** Unit of the value as people see it. */
  readonly unit: '' | 'ms' | '%' | 'ms/s';
  /**
   * Shown value = stored value × scale. Rates are 0..1 in a scenario, a run file and the CLI, and percent in the
   * URL, the sliders and the form.
   */
  readonly scale: number;
  readonly default?: number;
  /** Applies to a running simulation (the network knobs); changing any other scenario field restarts the run. */
  readonly live?: boolean;
  /** Shown as a slider in the visualizer; the store clamps what a slider sends into the range. */
  readonly slider?: boolean;
  readonly schema: v.GenericSchema<number>;
}

export interface ChoiceParam extends ParamBase {
  readonly type: 'choice';
  readonly choices: readonly string[];
  readonly default?: string;
  /** The Experiments form's default, where it differs from the CLI's. */
  readonly formDefault?: string;
  readonly schema: v.GenericSchema<string>;
}

/** A parameter written as a list ("0:silent,2:omit=0.3", "0-n"), read by its own function below. */
export interface ListParam extends ParamBase {
  readonly type: 'list';
  /** The CLI's placeholder and an example. */
  readonly syntax: string;
  readonly example: string;
  /** What its numbers may be, in words. */
  readonly range: string;
  readonly default?: undefined;
  readonly formDefault?: string;
}

/** A switch: on or off (true or false in a scenario and a run file, 1 or 0 in the URL, a bare flag on the command line). */
export interface FlagParam extends ParamBase {
  readonly type: 'flag';
  readonly default: boolean;
  readonly schema: v.GenericSchema<boolean>;
}

export type Param = NumberParam | ChoiceParam | ListParam | FlagParam;

type NumberSpec = Omit<NumberParam, 'type' | 'key' | 'schema' | 'unit' | 'scale' | 'integer'> & Partial<Pick<NumberParam, 'unit' | 'scale' | 'integer'>>;

function num<const K extends string, const S extends NumberSpec>(key: K, spec: S): NumberParam & S & { readonly key: K } {
  const { min, max } = spec;
  const integer = spec.integer ?? false;
  // Whole numbers are finite by definition; other numbers must say so (v.number() lets Infinity through).
  const schema = integer ? v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max)) : v.pipe(v.number(), v.finite(), v.minValue(min), v.maxValue(max));
  return { type: 'number', key, unit: '', scale: 1, ...spec, integer, schema };
}

function choice<const K extends string, const S extends Omit<ChoiceParam, 'type' | 'key' | 'schema'>>(key: K, spec: S): ChoiceParam & S & { readonly key: K } {
  return { type: 'choice', key, ...spec, schema: v.picklist(spec.choices) };
}

function flag<const K extends string, const S extends Omit<FlagParam, 'type' | 'key' | 'schema'>>(key: K, spec: S): FlagParam & S & { readonly key: K } {
  return { type: 'flag', key, ...spec, schema: v.boolean() };
}

const DELAY = { min: 0, max: 1000, unit: 'ms' } as const;
const RATE = { min: 0, max: 1, unit: '%', scale: 100 } as const;
const TIMER = { min: 1, max: 1_000_000, unit: 'ms' } as const;
const SEED = { min: 0, max: 2 ** 32 - 1, integer: true } as const;
const REQUESTS_MAX = 10_000;

/** In this order they appear in a shared link, the CLI help and the README. */
export const PARAMS = {
  f: num('f', {
    scopes: ['scenario'],
    label: 'f',
    url: 'f',
    urlAlways: true,
    cli: '--f',
    min: 0,
    // n = 3f + 1 stays within MAX_REPLICAS.
    max: Math.floor((MAX_REPLICAS - 1) / 3),
    integer: true,
    default: 1,
    slider: true,
    description: 'faults tolerated; the run has n = 3f + 1 replicas unless n is given',
  }),
  n: num('n', {
    scopes: ['scenario', 'sweep'],
    label: 'n',
    cli: '--n',
    form: 'n',
    min: 1,
    max: MAX_REPLICAS,
    integer: true,
    defaultText: '3f + 1',
    description: 'replica count, instead of 3f + 1; then f = ⌊(n − 1) / 3⌋',
  }),
  seed: num('seed', {
    scopes: ['scenario', 'sweep'],
    label: 'Seed',
    url: 'seed',
    urlAlways: true,
    cli: '--seed',
    form: 'seed',
    ...SEED,
    default: 1,
    description: 'seed of every random choice: the same scenario and seed give the same run',
  }),
  minDelayMs: num('minDelayMs', {
    scopes: ['scenario', 'sweep'],
    label: 'Min delay',
    url: 'min',
    urlAlways: true,
    cli: '--min-delay',
    form: 'minDelayMs',
    ...DELAY,
    default: 5,
    live: true,
    slider: true,
    description: "shortest network delay (a message's delay is uniform between min and max)",
  }),
  maxDelayMs: num('maxDelayMs', {
    scopes: ['scenario', 'sweep'],
    label: 'Max delay',
    url: 'max',
    urlAlways: true,
    cli: '--max-delay',
    form: 'maxDelayMs',
    ...DELAY,
    default: 40,
    live: true,
    slider: true,
    description: 'longest network delay',
  }),
  dropRate: num('dropRate', {
    scopes: ['scenario', 'sweep'],
    label: 'Drop rate',
    url: 'drop',
    urlAlways: true,
    cli: '--drop',
    form: 'dropPercent',
    ...RATE,
    default: 0,
    live: true,
    slider: true,
    description: 'probability that a message is lost',
  }),
  reorderRate: num('reorderRate', {
    scopes: ['scenario', 'sweep'],
    label: 'Reorder rate',
    url: 'reorder',
    cli: '--reorder',
    form: 'reorderPercent',
    ...RATE,
    default: 0,
    live: true,
    slider: true,
    description: 'probability that a message is held back (up to another max delay), so later ones overtake it',
  }),
  malicious: {
    type: 'list',
    key: 'malicious',
    scopes: ['scenario'],
    label: 'Malicious replicas',
    url: 'mal',
    cli: '--malicious',
    syntax: '<list>',
    example: '0:equivocate,3:silent,2:omit=0.3,1:slow=150',
    range: 'ids 0 … n − 1',
    defaultText: 'none',
    description: `replicas that lie, as id:behaviour (${BEHAVIOURS.join(', ')}); omit=p and slow=ms set a knob`,
  } satisfies ListParam as ListParam,
  omitProbability: num('omitProbability', {
    scopes: ['behaviour'],
    label: 'Omit probability',
    ...RATE,
    default: 0.5,
    slider: true,
    description: 'chance that an omit replica withholds each message it says but a relayed request (0–1 in a list: 2:omit=0.3)',
  }),
  extraDelayMs: num('extraDelayMs', {
    scopes: ['behaviour'],
    label: 'Extra delay',
    ...DELAY,
    default: 100,
    slider: true,
    description: 'latency a slow replica adds to everything it sends (1:slow=150)',
  }),
  partition: {
    type: 'list',
    key: 'partition',
    scopes: ['scenario'],
    label: 'Partition',
    url: 'cut',
    cli: '--partition',
    syntax: '<ids>',
    example: '0 or 0,1,c',
    range: 'ids 0 … n − 1, c',
    defaultText: 'none',
    description: 'one side of a network partition standing from the start: replica ids, and c for the client; every other node is on the other side, and no message crosses the cut until Heal',
  } satisfies ListParam as ListParam,
  partitionRule: choice('partitionRule', {
    scopes: ['scenario'],
    label: 'Cut rule',
    url: 'cutrule',
    cli: '--cut-rule',
    choices: CUT_RULES,
    default: 'lose',
    description: 'what a partition does to a message across its cut: lose it, or hold it and deliver it after Heal, in the order sent',
  }),
  links: {
    type: 'list',
    key: 'links',
    scopes: ['scenario'],
    label: 'Link faults',
    url: 'links',
    cli: '--links',
    syntax: '<list>',
    example: '0-1:slow=100,2-c:lossy=0.3',
    range: 'ends 0 … n − 1, c',
    defaultText: 'none',
    description: 'slow or lossy links from the start, as a-b:slow=ms or a-b:lossy=p (both: a-b:slow=ms:lossy=p; c is the client)',
  } satisfies ListParam as ListParam,
  twins: {
    type: 'list',
    key: 'twins',
    scopes: ['scenario'],
    label: 'Twins',
    url: 'twins',
    cli: '--twins',
    syntax: '<ids[/side]>',
    example: '0,1 or 0/2,3',
    range: 'ids 0 … n − 1, no liar',
    defaultText: 'none',
    description:
      'replicas that run as twins (Twins, Bano et al.): two instances of honest code with one identity; after /, the replicas the second instances talk to (a search draws them anew each schedule when no / is given)',
  } satisfies ListParam as ListParam,
  linkDelayMs: num('extraDelayMs', {
    scopes: ['link'],
    label: 'Link delay',
    ...DELAY,
    default: 100,
    slider: true,
    description: 'latency a slow link adds to every message across it, both ways (0-1:slow=150)',
  }),
  linkDropRate: num('dropRate', {
    scopes: ['link'],
    label: 'Link drop rate',
    ...RATE,
    default: 0.3,
    slider: true,
    description: 'chance that a lossy link loses each message across it, both ways, besides the drop rate (0–1 in a list: 0-1:lossy=0.3)',
  }),
  speed: num('speed', {
    scopes: ['view'],
    label: 'Speed',
    url: 'speed',
    urlAlways: true,
    min: 1,
    max: 5000,
    unit: 'ms/s',
    default: 20,
    slider: true,
    description: 'virtual milliseconds that pass per real second while playing',
  }),
  requests: num('requests', {
    scopes: ['scenario'],
    label: 'Requests',
    url: 'req',
    cli: '--requests',
    min: 0,
    max: REQUESTS_MAX,
    integer: true,
    default: 1,
    description: 'requests the client issues on its own, each once the previous one is accepted',
  }),
  concurrency: num('concurrency', {
    scopes: ['scenario'],
    label: 'Concurrency',
    url: 'conc',
    cli: '--concurrency',
    min: 1,
    max: 16,
    integer: true,
    default: 1,
    description: 'requests the client keeps in flight at once',
  }),
  checkpointInterval: num('checkpointInterval', {
    scopes: ['scenario'],
    label: 'Checkpoint interval',
    url: 'k',
    cli: '--checkpoint-interval',
    min: 1,
    max: 1000,
    integer: true,
    default: 4,
    description: 'executed requests between checkpoints, K; the watermark window is kept at L ≥ 2K (L = max(16, 2K) when L is not given)',
  }),
  watermarkWindow: num('watermarkWindow', {
    scopes: ['scenario'],
    label: 'Watermark window',
    url: 'wm',
    cli: '--watermark-window',
    // L ≥ 2K and K ≥ 1.
    min: 2,
    max: 100_000,
    integer: true,
    default: 16,
    description: 'sequence numbers a replica accepts above its stable checkpoint, L = H − h; at least 2K (below K the primary would stall at H for ever)',
  }),
  viewChangeTimeoutMs: num('viewChangeTimeoutMs', {
    scopes: ['scenario'],
    label: 'View-change timeout',
    url: 'vct',
    cli: '--view-change-timeout',
    ...TIMER,
    default: 300,
    description: 'view-change timer T; it doubles after each view change that executes nothing and is back to T once a request executes; replicas that see no progress for T re-send what they said, backing off',
  }),
  clientTimeoutMs: num('clientTimeoutMs', {
    scopes: ['scenario'],
    label: 'Client timeout',
    url: 'ct',
    cli: '--client-timeout',
    ...TIMER,
    default: 500,
    description: 'client retransmission timer',
  }),
  mode: choice('mode', {
    scopes: ['scenario'],
    label: 'Protocol',
    url: 'mode',
    cli: '--protocol',
    choices: PROTOCOL_MODES,
    default: 'pbft',
    description:
      "the full protocol (pbft), the seed article's (seed: fixed primary, no view change, no checkpoints), basic HotStuff (hotstuff), Chained HotStuff (chained-hotstuff) or Tendermint (tendermint); the last three read the view-change timeout as their base timeout",
  }),
  byHand: flag('byHand', {
    scopes: ['scenario'],
    label: 'Deliver by hand',
    url: 'hand',
    cli: '--by-hand',
    default: false,
    description: 'you are the network: no message is delivered and no timer fires by itself; each waits for a hand to deliver, drop, duplicate or fire it',
  }),
  limit: num('limit', {
    scopes: ['run'],
    label: 'Time limit',
    cli: '--limit',
    min: 1,
    max: 1e9,
    unit: 'ms',
    default: 60_000,
    description: 'stop after this much virtual time',
  }),
  mValues: {
    type: 'list',
    key: 'mValues',
    scopes: ['sweep'],
    label: 'm values',
    cli: '--m',
    form: 'm',
    syntax: '<list>',
    example: '0,3,5,7 or 0-n',
    range: '0 … n',
    formDefault: '0-n',
    description: 'how many replicas lie, one sweep point each: lists and ranges; n stands for the replica count',
  } satisfies ListParam as ListParam,
  trials: num('trials', {
    scopes: ['sweep'],
    label: 'Trials per m',
    cli: '--trials',
    form: 'trials',
    min: 1,
    max: 10_000,
    integer: true,
    description: 'trials at each m, each with its own seed and liars',
  }),
  trialRequests: num('requests', {
    scopes: ['sweep'],
    label: 'Requests per trial',
    cli: '--requests',
    form: 'requests',
    min: 1,
    max: REQUESTS_MAX,
    integer: true,
    description: 'requests the client issues in each trial',
  }),
  timeoutMs: num('timeoutMs', {
    scopes: ['sweep'],
    label: 'Trial timeout',
    cli: '--timeout',
    form: 'timeoutMs',
    ...TIMER,
    description: 'virtual time a trial may take; it fails if not done by then',
  }),
  behaviour: choice('behaviour', {
    scopes: ['sweep'],
    label: 'Malicious behaviour',
    cli: '--behaviour',
    form: 'behaviour',
    choices: BEHAVIOURS,
    description: 'how the liars lie',
  }),
  selection: choice('selection', {
    scopes: ['sweep'],
    label: 'Which replicas lie',
    cli: '--selection',
    form: 'selection',
    choices: ['random', 'primary'],
    description: 'the m liars at random, or always the primary and m − 1 at random',
  }),
  sweepMode: choice('mode', {
    scopes: ['sweep'],
    label: 'Protocol',
    cli: '--mode',
    form: 'mode',
    choices: [...PROTOCOL_MODES, 'both'],
    formDefault: 'both',
    description: "the protocol, or both (the seed's and pbft) on the same trials",
  }),
  sweepProtocols: {
    type: 'list',
    key: 'modes',
    scopes: ['sweep'],
    label: 'Protocols',
    cli: '--protocol',
    syntax: '<list>',
    example: 'hotstuff or pbft,hotstuff,tendermint',
    range: PROTOCOL_MODES.join(', '),
    defaultText: 'pbft',
    description: "the protocols, named as a run's --protocol names them, each swept on the same trials (instead of --mode)",
  } satisfies ListParam as ListParam,
  goal: choice('goal', {
    scopes: ['search'],
    label: 'Goal',
    cli: '--goal',
    choices: GOALS,
    default: 'agreement',
    description:
      'what the attack is after: agreement (two honest replicas execute different requests at one sequence number), fool (the client accepts a result no honest replica computed) or stall (a request not accepted within the bound after the network is calm)',
  }),
  budget: num('budget', {
    scopes: ['search'],
    label: 'Budget',
    cli: '--budget',
    min: 1,
    max: 1e9,
    integer: true,
    default: 5000,
    description: 'schedules the search tries at most (over every shard together)',
  }),
  budgetMs: num('budgetMs', {
    scopes: ['search'],
    label: 'Time budget',
    cli: '--budget-ms',
    min: 1,
    max: 1e9,
    unit: 'ms',
    defaultText: 'none',
    description: 'real milliseconds the search may take, at most (each shard on its own)',
  }),
  liars: choice('liars', {
    scopes: ['search'],
    label: 'Liars',
    cli: '--liars',
    choices: ['as-given', 'any'],
    default: 'as-given',
    description: 'as-given: each liar keeps its behaviour; any: the search also switches liars among every behaviour mid-run',
  }),
  workers: num('workers', {
    scopes: ['panel'],
    label: 'Worker threads',
    form: 'workers',
    min: 1,
    max: 16,
    integer: true,
    defaultText: `one per core, at most ${WORKERS_BY_DEFAULT}`,
    description: 'threads the Experiments panel runs trials on; results are the same for any number',
  }),
} as const;

export type ParamId = keyof typeof PARAMS;

/** The protocols a sweep's mode runs, in the order the CLI and the Experiments panel both run them (the seed's first). */
export function sweepModes(choice: ProtocolMode | 'both'): ProtocolMode[] {
  return choice === 'both' ? ['seed', 'pbft'] : [choice];
}

/** Every parameter, in the table's order. */
export const PARAM_LIST: readonly Param[] = Object.values(PARAMS);

export function paramsIn(scope: Scope): Param[] {
  return PARAM_LIST.filter((p) => p.scopes.includes(scope));
}

// ───────────────────────────── reading one value ─────────────────────────────

/** What is wrong with a value, for each reader to put into its own words. */
export type Problem = 'empty' | 'number' | 'integer' | 'range' | 'choice';

const PROBLEM_OF_ISSUE: Record<string, Problem> = { integer: 'integer', min_value: 'range', max_value: 'range', picklist: 'choice', boolean: 'choice' };

/** null when `value` (in stored units: rates 0..1) is acceptable as it is. */
export function problemOf(param: NumberParam | ChoiceParam | FlagParam, value: unknown): Problem | null {
  const result = v.safeParse(param.schema, value, { abortPipeEarly: true });
  return result.success ? null : (PROBLEM_OF_ISSUE[result.issues[0].type] ?? 'number');
}

export type Reading = { value: number; problem?: undefined } | { problem: Problem };

/** Text from a URL, a command line or a form box → the stored value. `shown`: the text is in display units (percent). */
export function readNumber(param: NumberParam, raw: string, shown = false): Reading {
  const text = raw.trim();
  if (text === '') return { problem: 'empty' };
  const value = Number(text) / (shown ? param.scale : 1);
  const problem = problemOf(param, value);
  return problem ? { problem } : { value };
}

/** The range in display units (percent for rates). */
export function shownRange(param: NumberParam): { min: number; max: number } {
  return { min: param.min * param.scale, max: param.max * param.scale };
}

/** A stored value in display units, without binary noise (0.07 → 7, not 7.000000000000001). */
export function toShown(param: NumberParam, value: number): number {
  return param.scale === 1 ? value : +(value * param.scale).toFixed(6);
}

/** Into the range (and whole where it must be): what a slider or a store action does with a value out of bounds. */
export function clampTo(param: NumberParam, value: number): number {
  const inRange = Math.min(param.max, Math.max(param.min, value));
  return param.integer ? Math.round(inRange) : inRange;
}

/** "a whole number from 0 to 33", "a number from 0 to 1": what a refused value should have been. */
export function expectation(param: NumberParam, shown = false): string {
  const { min, max } = shown ? shownRange(param) : param;
  // A rate's unit (%) belongs to its shown value only; a stored rate is a fraction.
  const unit = param.unit && (shown || param.scale === 1) ? ` ${param.unit}` : '';
  return `${param.integer ? 'a whole number' : 'a number'} from ${min}${unit} to ${max}${unit}`;
}

/** "pbft or seed", "seed, pbft or both". */
export function orList(choices: readonly string[]): string {
  return choices.length < 2 ? choices.join('') : `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;
}

// ───────────────────────────── rules between fields ─────────────────────────────

export function replicaCount(s: { f: number; n?: number }): number {
  return s.n ?? 3 * s.f + 1;
}

/** Rules that tie fields together, declared once; each reader words a break its own way. */
export const RULES = {
  'delay-order': 'Min delay ≤ max delay.',
  replicas: `At most ${MAX_REPLICAS} replicas, whether given as n or as 3f + 1.`,
  'malicious-id': 'Malicious replicas are numbered 0 … n − 1.',
  'm-at-most-n': 'A sweep corrupts at most n replicas (m ≤ n).',
  'watermark-window':
    'The watermark window is at least twice the checkpoint interval (L ≥ 2K), or the primary could wait at H for a checkpoint that never comes; a scenario that sets K but not L gets L = max(16, 2K).',
  partition: 'A partition’s side names replicas 0 … n − 1 (and c, the client) and leaves at least one node on the other side.',
  'link-ends': 'A faulty link joins two different nodes: replicas 0 … n − 1, or c, the client.',
  'behaviour-protocol': "A replica's behaviour must mean something in the scenario's protocol (each protocol's descriptor lists those that do).",
} as const;

export type RuleBreak =
  | { rule: 'delay-order'; min: number; max: number }
  | { rule: 'watermark-window'; k: number; l: number }
  | { rule: 'replicas'; n: number }
  /** The id as written (a run file's key may be anything). */
  | { rule: 'malicious-id'; id: string; n: number }
  /** An id of the side that is no node (as written), or none when the side holds every node. */
  | { rule: 'partition'; n: number; id?: string }
  | { rule: 'link-ends'; a: string; b: string; n: number }
  /** A behaviour that means nothing in the protocol (PBFT's view-change lies in HotStuff, say). */
  | { rule: 'behaviour-protocol'; id: string; kind: string; protocol: ProtocolMode };


/** A replica of n, or the client (CLIENT = −1): an end of a link or a member of a partition's side. */
export function nodeExists(id: unknown, n: number): boolean {
  return typeof id === 'number' && (id === CLIENT || replicaExists(id, n));
}

/** The smallest watermark window a checkpoint interval K allows: L ≥ 2K. */
export function minWatermarkWindow(checkpointInterval: number): number {
  return 2 * checkpointInterval;
}

/** L for a scenario that sets K but not L: the default window, widened to 2K where K needs it. */
export function watermarkWindowFor(checkpointInterval: number): number {
  return Math.min(PARAMS.watermarkWindow.max, Math.max(PARAMS.watermarkWindow.default, minWatermarkWindow(checkpointInterval)));
}

/** The rules a scenario (or a sweep's network) breaks, first to last. */
export function ruleBreaks(s: {
  f?: number;
  n?: number;
  minDelayMs: number;
  maxDelayMs: number;
  malicious?: object;
  checkpointInterval?: number;
  watermarkWindow?: number;
  partition?: readonly unknown[];
  links?: readonly unknown[];
  mode?: ProtocolMode;
}): RuleBreak[] {
  const breaks: RuleBreak[] = [];
  if (s.minDelayMs > s.maxDelayMs) breaks.push({ rule: 'delay-order', min: s.minDelayMs, max: s.maxDelayMs });
  if (s.checkpointInterval !== undefined && s.watermarkWindow !== undefined && s.watermarkWindow < minWatermarkWindow(s.checkpointInterval)) {
    breaks.push({ rule: 'watermark-window', k: s.checkpointInterval, l: s.watermarkWindow });
  }
  if (s.f === undefined && s.n === undefined) return breaks;
  const n = replicaCount({ f: s.f ?? 0, n: s.n });
  if (n > MAX_REPLICAS) breaks.push({ rule: 'replicas', n });
  for (const id of Object.keys(s.malicious ?? {})) if (!replicaExists(Number(id), n)) breaks.push({ rule: 'malicious-id', id, n });
  const protocol = PROTOCOLS[s.mode ?? 'pbft'];
  for (const [id, b] of Object.entries(s.malicious ?? {}) as Array<[string, { kind?: unknown } | null]>) {
    const kind = b?.kind;
    if (protocol && typeof kind === 'string' && (BEHAVIOURS as readonly string[]).includes(kind) && !protocol.behaviours.includes(kind as BehaviourKind)) {
      breaks.push({ rule: 'behaviour-protocol', id, kind, protocol: protocol.mode });
    }
  }
  if (s.partition && s.partition.length > 0) {
    const bad = s.partition.find((id) => !nodeExists(id, n));
    if (bad !== undefined) breaks.push({ rule: 'partition', n, id: String(bad) });
    else if (new Set(s.partition).size >= n + 1) breaks.push({ rule: 'partition', n });
  }
  for (const l of s.links ?? []) {
    const { a, b } = (l ?? {}) as { a?: unknown; b?: unknown };
    if (!nodeExists(a, n) || !nodeExists(b, n) || a === b) breaks.push({ rule: 'link-ends', a: String(a), b: String(b), n });
  }
  return breaks;
}

// ───────────────────────────── lists ─────────────────────────────

/** The knob each behaviour takes after "=" in a list ("2:omit=0.3", "1:slow=150"). */
export const BEHAVIOUR_PARAM: Partial<Record<BehaviourKind, NumberParam>> = { omit: PARAMS.omitProbability, slow: PARAMS.extraDelayMs };

/** A behaviour with its knob at the default. */
export function defaultBehaviour(kind: BehaviourKind): Behaviour {
  const param = BEHAVIOUR_PARAM[kind];
  return param ? { kind, [param.key]: param.default } : { kind };
}

export type MaliciousProblem =
  | { problem: 'syntax'; part: string }
  | { problem: 'behaviour'; part: string; id: number; kind: string }
  | { problem: 'no-value'; part: string; id: number; kind: BehaviourKind }
  | { problem: 'value'; part: string; id: number; kind: BehaviourKind; param: NumberParam; raw: string; reason: Problem }
  | { problem: 'replica'; part: string; id: number; n: number };

/**
 * "0:equivocate,3:silent,2:omit=0.3" → behaviours by replica id, and what could not be read. An entry with a bad
 * knob keeps its behaviour with the knob at its default; an unreadable entry or a replica beyond n is left out.
 */
export function readMalicious(raw: string, n: number): { malicious: Record<number, Behaviour>; problems: MaliciousProblem[] } {
  const malicious: Record<number, Behaviour> = {};
  const problems: MaliciousProblem[] = [];
  for (const part of raw.split(',')) {
    if (part.trim() === '') continue;
    const match = /^\s*(\d+)\s*:\s*([a-z]+(?:-[a-z]+)*)\s*(?:=\s*([^\s,]*))?\s*$/.exec(part);
    if (!match) {
      problems.push({ problem: 'syntax', part });
      continue;
    }
    const id = Number(match[1]);
    const kind = match[2] as BehaviourKind;
    if (!replicaExists(id, n)) {
      problems.push({ problem: 'replica', part, id, n });
      continue;
    }
    if (!BEHAVIOURS.includes(kind)) {
      problems.push({ problem: 'behaviour', part, id, kind: match[2] });
      continue;
    }
    const behaviour = defaultBehaviour(kind);
    const param = BEHAVIOUR_PARAM[kind];
    if (match[3] !== undefined) {
      if (!param) problems.push({ problem: 'no-value', part, id, kind });
      else {
        const reading = readNumber(param, match[3]);
        if (reading.problem) problems.push({ problem: 'value', part, id, kind, param, raw: match[3], reason: reading.problem });
        else (behaviour as unknown as Record<string, number>)[param.key] = reading.value;
      }
    }
    malicious[id] = behaviour;
  }
  return { malicious, problems };
}

/** Behaviours by replica id → "0:equivocate,3:omit=0.3". */
export function writeMalicious(malicious: Record<number, Behaviour>): string {
  return Object.entries(malicious)
    .map(([id, b]) => {
      const param = BEHAVIOUR_PARAM[b.kind];
      const value = param ? (b as unknown as Record<string, number | undefined>)[param.key] : undefined;
      return `${id}:${b.kind}${value !== undefined ? `=${value}` : ''}`;
    })
    .join(',');
}

/** "c" or a replica number → a node id (CLIENT for c); null when it is neither. */
function readNode(token: string): NodeId | null {
  const t = token.trim();
  if (t === 'c') return CLIENT;
  return /^\d+$/.test(t) ? Number(t) : null;
}

/** A node id as lists write it: c for the client. */
export function writeNode(id: NodeId): string {
  return id === CLIENT ? 'c' : String(id);
}

export type PartitionProblem = { problem: 'syntax'; part: string } | { problem: 'node'; part: string; n: number } | { problem: 'everyone'; n: number };

/** "0,1,c" → one side of a partition (sorted, the client first), and what could not be read; "" is no partition. */
export function readPartition(raw: string, n: number): { side: NodeId[]; problems: PartitionProblem[] } {
  const side = new Set<NodeId>();
  const problems: PartitionProblem[] = [];
  for (const part of raw.split(',')) {
    if (part.trim() === '') continue;
    const id = readNode(part);
    if (id === null) problems.push({ problem: 'syntax', part });
    else if (!nodeExists(id, n)) problems.push({ problem: 'node', part, n });
    else side.add(id);
  }
  if (side.size >= n + 1) {
    problems.push({ problem: 'everyone', n });
    return { side: [], problems };
  }
  return { side: [...side].sort((a, b) => a - b), problems };
}

/** One side of a partition → "0,1,c" (the client last, as people write it). */
export function writePartition(side: readonly NodeId[]): string {
  return [...side.filter((id) => id !== CLIENT).sort((a, b) => a - b), ...(side.includes(CLIENT) ? [CLIENT] : [])].map(writeNode).join(',');
}

/** The knobs a link takes after ":" in a list, by name (the parameter table says which field each sets). */
export const LINK_KNOBS = { slow: PARAMS.linkDelayMs, lossy: PARAMS.linkDropRate } as const;

export type LinksProblem =
  | { problem: 'syntax'; part: string }
  | { problem: 'node'; part: string; n: number }
  | { problem: 'same'; part: string }
  | { problem: 'knob'; part: string; knob: string }
  | { problem: 'value'; part: string; param: NumberParam; raw: string; reason: Problem };

/**
 * "0-1:slow=100,2-c:lossy=0.3,1-3:slow=50:lossy=0.1" → link faults (ends in order, c is the client), and what could
 * not be read. A knob without a value takes its default; one with a bad value is left out; so is an unreadable entry.
 */
export function readLinks(raw: string, n: number): { links: LinkFault[]; problems: LinksProblem[] } {
  const found = new Map<string, LinkFault>();
  const problems: LinksProblem[] = [];
  for (const part of raw.split(',')) {
    if (part.trim() === '') continue;
    const match = /^\s*(\d+|c)\s*-\s*(\d+|c)\s*((?::\s*[a-z]+\s*(?:=\s*[^\s:,]*)?\s*)+)$/.exec(part);
    if (!match) {
      problems.push({ problem: 'syntax', part });
      continue;
    }
    const x = readNode(match[1])!;
    const y = readNode(match[2])!;
    if (!nodeExists(x, n) || !nodeExists(y, n)) {
      problems.push({ problem: 'node', part, n });
      continue;
    }
    if (x === y) {
      problems.push({ problem: 'same', part });
      continue;
    }
    const [a, b] = x < y ? [x, y] : [y, x];
    const knobs: LinkKnobs = { extraDelayMs: 0, dropRate: 0 };
    let ok = true;
    for (const knob of match[3].split(':').slice(1)) {
      const [name, value] = knob.split('=').map((t) => t.trim());
      const param = LINK_KNOBS[name as keyof typeof LINK_KNOBS];
      if (!param) {
        problems.push({ problem: 'knob', part, knob: name });
        ok = false;
        continue;
      }
      if (value === undefined) {
        (knobs as unknown as Record<string, number>)[param.key] = param.default;
        continue;
      }
      const reading = readNumber(param, value);
      if (reading.problem) {
        problems.push({ problem: 'value', part, param, raw: value, reason: reading.problem });
        ok = false;
      } else (knobs as unknown as Record<string, number>)[param.key] = reading.value;
    }
    if (ok) found.set(`${a}-${b}`, { a, b, ...knobs });
  }
  return { links: [...found.values()].sort((l, m) => l.a - m.a || l.b - m.b), problems };
}

/** Link faults → "0-1:slow=100,2-c:lossy=0.3" (a knob at 0 is left out). */
export function writeLinks(links: readonly LinkFault[]): string {
  return links
    .map((l) => {
      const [a, b] = l.a === CLIENT || l.b === CLIENT ? [Math.max(l.a, l.b), CLIENT] : [l.a, l.b];
      const knobs = [l.extraDelayMs > 0 ? `slow=${l.extraDelayMs}` : '', l.dropRate > 0 ? `lossy=${l.dropRate}` : ''].filter(Boolean);
      return `${writeNode(a)}-${writeNode(b)}${(knobs.length > 0 ? knobs : ['slow=0']).map((k) => `:${k}`).join('')}`;
    })
    .join(',');
}

/**
 * "0,1" or "0,1/2,3" → twins (the replicas before "/", the side their second instances talk to after it), whether a
 * side was written (a search draws one per schedule when it is not), and what could not be used. "" is no twins.
 */
export function readTwins(raw: string, n: number, malicious: object = {}): { twins: Twins | null; sideGiven: boolean; problems: TwinsProblem[] } {
  const slash = raw.indexOf('/');
  const ids = (text: string, problems: TwinsProblem[]) =>
    text.split(',').flatMap((part) => {
      if (part.trim() === '') return [];
      if (!/^\s*\d+\s*$/.test(part)) {
        problems.push({ problem: 'syntax', part });
        return [];
      }
      return [Number(part)];
    });
  const problems: TwinsProblem[] = [];
  const replicas = ids(slash < 0 ? raw : raw.slice(0, slash), problems);
  const side = slash < 0 ? [] : ids(raw.slice(slash + 1), problems);
  const checked = checkTwins(replicas, side, n, malicious);
  problems.push(...checked.problems);
  return { twins: checked.twins.replicas.length > 0 ? checked.twins : null, sideGiven: slash >= 0, problems };
}

/** Twins → "0,1/2,3" (the side always written, "0/" when empty, so a link replays exactly the run it came from). */
export function writeTwins(twins: Twins): string {
  return `${twins.replicas.join(',')}/${twins.side.join(',')}`;
}

export type MValuesReading =
  | { values: number[]; problem?: undefined }
  | { problem: 'none' }
  | { problem: 'syntax'; part: string }
  | { problem: 'needs-n' }
  | { problem: 'empty-range'; part: string; from: number; to: number }
  | { problem: 'above-n'; m: number; n: number };

/**
 * "0-n", "0,3,5,7", "2..4, n" → sorted distinct m values. `n` may stand for the replica count anywhere a number may;
 * pass null while n itself is unreadable.
 */
export function readMValues(raw: string, n: number | null): MValuesReading {
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.every((p) => p === '')) return { problem: 'none' };
  const values = new Set<number>();
  const bound = (token: string): number | null => (token === 'n' ? n : Number(token));
  for (const part of parts) {
    if (part === '') continue;
    const range = /^(\w+)\s*(?:-|–|\.\.)\s*(\w+)$/.exec(part);
    const tokens = range ? [range[1], range[2]] : [part];
    if (tokens.some((t) => !/^(\d+|n)$/.test(t))) return { problem: 'syntax', part };
    const [from, to] = tokens.map(bound);
    if (from === null || to === null) return { problem: 'needs-n' };
    const hi = range ? to : from;
    if (range && from > hi) return { problem: 'empty-range', part, from, to: hi };
    for (let m = from; m <= hi; m++) {
      if (n !== null && m > n) return { problem: 'above-n', m, n };
      values.add(m);
      // A range like 0-99999999 without a valid n: stop long before memory suffers.
      if (values.size > MAX_REPLICAS + 1) break;
    }
  }
  return { values: [...values].sort((x, y) => x - y) };
}

export { checkTwins, replicaExists, type TwinsProblem };
