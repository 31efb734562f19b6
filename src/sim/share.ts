import {
  expectation,
  MAX_REPLICAS,
  PARAM_LIST,
  PARAMS,
  paramsIn,
  problemOf,
  readLinks,
  readMalicious,
  readNumber,
  readPartition,
  replicaCount,
  replicaExists,
  ruleBreaks,
  shownRange,
  toShown,
  watermarkWindowFor,
  writeLinks,
  writeMalicious,
  writePartition,
  writeTwins,
  checkTwins,
  readTwins,
  nodeExists,
  LINK_KNOBS,
  type ChoiceParam,
  type FlagParam,
  type LinksProblem,
  type MaliciousProblem,
  type NumberParam,
  type PartitionProblem,
  type Problem,
} from './params';
import { PROTOCOLS } from './protocols';
import { defaultScenario, processOwner } from './scenario';
import { twinsProblemText } from './twins';
import {
  BEHAVIOURS,
  CUT_RULES,
  type Behaviour,
  type BehaviourKind,
  type CutRule,
  type Intervention,
  type LinkFault,
  type LinkKnobs,
  type NetworkParams,
  type NodeId,
  type Partition,
  type Scenario,
  type TimedIntervention,
  type TraceEvent,
} from './types';

/**
 * Scenarios travel as URLs and runs as JSON files. Both are read defensively: a bad value falls back to its default
 * with a notice that says what was wrong, and nothing in the current run is lost by reading them. What is a bad
 * value is the parameter table's to say (src/sim/params.ts); the words are this file's.
 */

/** What the URL carries besides the scenario itself. */
export interface SharedView {
  scenario: Scenario;
  /** Virtual ms per real second. */
  speed: number;
  preset: string | null;
}

/** What a link carries, in the order it writes them: the table's (f before mal, which needs n). */
const URL_PARAMS = PARAM_LIST.filter((p) => p.url !== undefined && (p.scopes.includes('scenario') || p.scopes.includes('view')));

/** "drop rate (%)": how a notice names a parameter. */
function urlLabel(p: NumberParam): string {
  const name = p.label[0].toLowerCase() + p.label.slice(1);
  return p.unit === '%' ? `${name} (%)` : name;
}

function urlProblem(p: NumberParam, raw: string, problem: Problem): string {
  const label = urlLabel(p);
  if (problem === 'integer') return `${label} must be a whole number, got “${raw}”`;
  if (problem === 'range') {
    const { min, max } = shownRange(p);
    return `${label} must be between ${min} and ${max}, got ${raw}`;
  }
  return `${label} must be a number, got “${raw}”`;
}

function maliciousNotice(p: MaliciousProblem): string {
  switch (p.problem) {
    case 'syntax':
      return `malicious entry “${p.part}” is not id:behaviour`;
    case 'replica':
      return `replica ${p.id} does not exist with n = ${p.n}`;
    case 'behaviour':
      return `unknown behaviour “${p.kind}” for replica ${p.id}`;
    case 'no-value':
      return `“${p.part}”: ${p.kind} takes no parameter`;
    case 'value':
      return `“${p.part}”: ${p.param.label.toLowerCase()} must be ${expectation(p.param)}; using ${p.param.default}`;
  }
}

function partitionNotice(p: PartitionProblem): string {
  switch (p.problem) {
    case 'syntax':
      return `“${p.part}” is neither a replica number nor c (the client)`;
    case 'node':
      return `replica ${p.part.trim()} does not exist with n = ${p.n}`;
    case 'everyone':
      return 'the side holds every node, so nothing is cut off';
  }
}

function linksNotice(p: LinksProblem): string {
  switch (p.problem) {
    case 'syntax':
      return `link “${p.part}” is not a-b:slow=ms or a-b:lossy=p`;
    case 'node':
      return `link “${p.part}” names a replica that does not exist with n = ${p.n}`;
    case 'same':
      return `link “${p.part}” joins a node to itself`;
    case 'knob':
      return `link “${p.part}”: unknown knob “${p.knob}” (slow or lossy)`;
    case 'value':
      return `link “${p.part}”: ${p.param.label.toLowerCase()} must be ${expectation(p.param)}`;
  }
}


/** "0:equivocate,3:omit=0.3" → behaviours by replica id, and a notice for each part that could not be used. */
export function decodeMalicious(raw: string, n: number): { malicious: Record<number, Behaviour>; problems: string[] } {
  const { malicious, problems } = readMalicious(raw, n);
  return { malicious, problems: problems.map(maliciousNotice) };
}

export function encodeShare(view: SharedView): string {
  const s = view.scenario as unknown as Record<string, unknown>;
  const defaults = defaultScenario() as unknown as Record<string, unknown>;
  const params = new URLSearchParams();
  for (const p of URL_PARAMS) {
    const key = p.url!;
    if (p === PARAMS.malicious) {
      const mal = writeMalicious(view.scenario.malicious);
      if (mal) params.set(key, mal);
    } else if (p === PARAMS.partition) {
      if (view.scenario.partition && view.scenario.partition.length > 0) params.set(key, writePartition(view.scenario.partition));
    } else if (p === PARAMS.links) {
      if (view.scenario.links && view.scenario.links.length > 0) params.set(key, writeLinks(view.scenario.links));
    } else if (p === PARAMS.twins) {
      if (view.scenario.twins && view.scenario.twins.replicas.length > 0) params.set(key, writeTwins(view.scenario.twins));
    } else if (p.type === 'number') {
      const [value, byDefault] = p === PARAMS.speed ? [view.speed, p.default] : [s[p.key] as number, defaults[p.key]];
      if (p.urlAlways || value !== byDefault) params.set(key, String(toShown(p, value)));
    } else if (p.type === 'choice' && s[p.key] !== undefined && s[p.key] !== p.default) params.set(key, String(s[p.key]));
    else if (p.type === 'flag' && s[p.key] === true) params.set(key, '1');
  }
  if (view.preset) params.set('preset', view.preset);
  return params.toString();
}

/** Reads a query string; every unusable value is replaced by its default and reported in `notices`. */
export function decodeShare(query: string, base: SharedView = { scenario: defaultScenario(), speed: PARAMS.speed.default, preset: null }): SharedView & { notices: string[] } {
  const params = new URLSearchParams(query);
  const scenario: Scenario = { ...base.scenario, malicious: { ...base.scenario.malicious } };
  const fields = scenario as unknown as Record<string, unknown>;
  let speed = base.speed;
  const notices: string[] = [];
  for (const p of URL_PARAMS) {
    const raw = params.get(p.url!);
    if (raw === null) continue;
    if (p === PARAMS.malicious) {
      const { malicious, problems } = decodeMalicious(raw, replicaCount({ f: scenario.f }));
      scenario.malicious = malicious;
      for (const problem of problems) notices.push(`Ignored part of ${p.url}: ${problem}.`);
    } else if (p === PARAMS.partition) {
      const { side, problems } = readPartition(raw, replicaCount({ f: scenario.f }));
      if (side.length > 0) scenario.partition = side;
      else delete scenario.partition;
      for (const problem of problems) notices.push(`Ignored part of ${p.url}: ${partitionNotice(problem)}.`);
    } else if (p === PARAMS.links) {
      const { links, problems } = readLinks(raw, replicaCount({ f: scenario.f }));
      if (links.length > 0) scenario.links = links;
      else delete scenario.links;
      for (const problem of problems) notices.push(`Ignored part of ${p.url}: ${linksNotice(problem)}.`);
    } else if (p === PARAMS.twins) {
      // Read after mal (the table's order): a twin cannot also be a liar.
      const { twins, problems } = readTwins(raw, replicaCount({ f: scenario.f }), scenario.malicious);
      if (twins) scenario.twins = twins;
      else delete scenario.twins;
      for (const problem of problems) notices.push(`Ignored part of ${p.url}: ${twinsProblemText(problem)}.`);
    } else if (p.type === 'flag') {
      if (raw === '1') fields[p.key] = true;
      else if (raw === '0') delete fields[p.key];
      else notices.push(`Ignored ${p.url}: “${raw}” is neither 1 nor 0.`);
    } else if (p.type === 'choice') {
      if (problemOf(p, raw) === null) fields[p.key] = raw;
      else notices.push(`Ignored ${p.url}: “${raw}” is neither ${p.choices.join(' nor ')}.`);
    } else if (p.type === 'number') {
      const reading = readNumber(p, raw, true);
      const current = p === PARAMS.speed ? speed : (fields[p.key] as number);
      if (reading.problem) notices.push(`Ignored ${p.url}: ${urlProblem(p, raw, reading.problem)}; using ${toShown(p, current)}.`);
      else if (p === PARAMS.speed) speed = reading.value;
      else fields[p.key] = reading.value;
    }
  }
  for (const b of ruleBreaks(scenario)) {
    if (b.rule !== 'behaviour-protocol') continue;
    notices.push(`Ignored replica ${b.id}'s behaviour: ${b.kind} does not apply to ${PROTOCOLS[b.protocol].name}.`);
    delete scenario.malicious[Number(b.id)];
  }
  if (ruleBreaks(scenario).some((b) => b.rule === 'delay-order')) {
    notices.push(`Ignored min/max delay: min (${scenario.minDelayMs}) exceeds max (${scenario.maxDelayMs}); using ${base.scenario.minDelayMs}–${base.scenario.maxDelayMs} ms.`);
    scenario.minDelayMs = base.scenario.minDelayMs;
    scenario.maxDelayMs = Math.max(base.scenario.maxDelayMs, base.scenario.minDelayMs);
  }
  // L ≥ 2K: a link that sets K but not L gets L = max(16, 2K); one whose L is too small for its K is corrected so.
  const k = PARAMS.checkpointInterval.url!;
  const wm = PARAMS.watermarkWindow.url!;
  if (params.has(k) && !params.has(wm)) scenario.watermarkWindow = watermarkWindowFor(scenario.checkpointInterval);
  else if (ruleBreaks(scenario).some((b) => b.rule === 'watermark-window')) {
    const fixed = watermarkWindowFor(scenario.checkpointInterval);
    notices.push(`Ignored ${wm}: the watermark window (${scenario.watermarkWindow}) must be at least twice the checkpoint interval (2 × ${scenario.checkpointInterval}); using ${fixed}.`);
    scenario.watermarkWindow = fixed;
  }
  const preset = params.get('preset');
  return { scenario, speed, preset: preset && /^[a-z0-9-]{1,40}$/.test(preset) ? preset : base.preset, notices };
}

// ───────────────────────────── run files ─────────────────────────────

export const RUN_FORMAT = 'pbft-lab-run';
export const RUN_VERSION = 1;
/** Beyond this an imported file is refused rather than parsed (a classroom run is far below it). */
export const MAX_IMPORT_BYTES = 50_000_000;

export interface RunFile {
  format: typeof RUN_FORMAT;
  version: number;
  scenario: Scenario;
  interventions: TimedIntervention[];
  trace: TraceEvent[];
}

export function exportRun(scenario: Scenario, interventions: readonly TimedIntervention[], trace: readonly TraceEvent[]): string {
  const file: RunFile = { format: RUN_FORMAT, version: RUN_VERSION, scenario, interventions: [...interventions], trace: [...trace] };
  return JSON.stringify(file);
}

export class ImportError extends Error {}

/** Validates an imported run file; throws ImportError with a sentence a person can act on. */
export function importRun(text: string): RunFile {
  if (text.length > MAX_IMPORT_BYTES) throw new ImportError(`This file is ${(text.length / 1e6).toFixed(0)} MB; PBFT Lab imports runs up to ${MAX_IMPORT_BYTES / 1e6} MB.`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ImportError(text.trim() === '' ? 'The file is empty.' : 'This file is not JSON (it may be truncated or not a PBFT Lab run).');
  }
  if (!isObject(data) || data.format !== RUN_FORMAT) throw new ImportError('This JSON is not a PBFT Lab run (it has no "format": "pbft-lab-run").');
  if (typeof data.version !== 'number' || !Number.isInteger(data.version)) throw new ImportError('This run file has no valid version number.');
  if (data.version > RUN_VERSION) throw new ImportError(`This run was saved by a newer PBFT Lab (file version ${data.version}; this app reads version ${RUN_VERSION}).`);
  const scenario = validateScenario(data.scenario);
  if (!Array.isArray(data.interventions)) throw new ImportError('The run has no list of interventions.');
  const interventions = validateInterventions(data.interventions, scenario);
  if (!Array.isArray(data.trace)) throw new ImportError('The run has no trace.');
  data.trace.forEach((e, k) => {
    if (!isObject(e) || typeof e.kind !== 'string' || typeof e.t !== 'number' || e.i !== k) throw new ImportError(`Trace event ${k} is malformed.`);
  });
  return { format: RUN_FORMAT, version: data.version, scenario, interventions, trace: data.trace as TraceEvent[] };
}

/** "The scenario's f is invalid (-4): it must be a whole number from 0 to 33." */
function invalid(what: string, value: unknown, p: NumberParam | ChoiceParam | FlagParam): ImportError {
  const should = p.type === 'number' ? expectation(p) : p.type === 'flag' ? 'true or false' : `one of ${p.choices.join(', ')}`;
  return new ImportError(`${what} is invalid (${JSON.stringify(value)}): it must be ${should}.`);
}

/** The network knobs an intervention may change. */
const LIVE = paramsIn('scenario').filter((p): p is NumberParam => p.type === 'number' && p.live === true);

/** A schedule from untrusted JSON (a search's, a hand-written one): checked exactly as a run file's interventions. */
export function validateSchedule(list: unknown, scenario: Scenario): TimedIntervention[] {
  if (!Array.isArray(list)) throw new ImportError('The schedule is not a list of interventions.');
  return validateInterventions(list, scenario);
}

function validateInterventions(list: unknown[], scenario: Scenario): TimedIntervention[] {
  // The network as each setNetwork leaves it, so min ≤ max is checked where it matters.
  let network: Pick<NetworkParams, 'minDelayMs' | 'maxDelayMs'> = { minDelayMs: scenario.minDelayMs, maxDelayMs: scenario.maxDelayMs };
  return list.map((x, k) => {
    const bad = (why = '') => new ImportError(`Intervention ${k} is malformed${why}.`);
    if (!isObject(x) || typeof x.afterEvent !== 'number' || typeof x.at !== 'number' || !isObject(x.intervention)) throw bad();
    const i = x.intervention;
    let intervention: Intervention;
    if (i.kind === 'submitRequest') intervention = { kind: 'submitRequest' };
    else if (i.kind === 'setBehaviour') {
      const n = replicaCount(scenario);
      if (typeof i.id !== 'number' || !replicaExists(i.id, n)) throw bad(`: replica ${JSON.stringify(i.id)} does not exist with n = ${n}`);
      intervention = { kind: 'setBehaviour', id: i.id, behaviour: i.behaviour === null ? null : validateBehaviour(i.behaviour, i.id) };
    } else if (i.kind === 'setPartition') {
      if (i.partition === null) intervention = { kind: 'setPartition', partition: null };
      else {
        const partition = validatePartition(i.partition, replicaCount(scenario));
        if (typeof partition === 'string') throw bad(`: ${partition}`);
        intervention = { kind: 'setPartition', partition };
      }
    } else if (i.kind === 'setLink') {
      const n = replicaCount(scenario);
      if (!nodeExists(i.a, n) || !nodeExists(i.b, n) || i.a === i.b) throw bad(`: the link ${JSON.stringify(i.a)}–${JSON.stringify(i.b)} does not join two nodes of n = ${n}`);
      const fault = i.fault === null ? null : validateLinkKnobs(i.fault, `The link ${String(i.a)}–${String(i.b)}`);
      intervention = { kind: 'setLink', a: i.a as NodeId, b: i.b as NodeId, fault };
    } else if (i.kind === 'setByHand' || i.kind === 'holdFrom') {
      const on = i.on;
      if (typeof on !== 'boolean') throw bad(': “on” is not true or false');
      if (i.kind === 'setByHand') intervention = { kind: 'setByHand', on };
      else {
        const n = replicaCount(scenario);
        if (!nodeExists(i.replica, n)) throw bad(`: ${JSON.stringify(i.replica)} is no node of n = ${n}`);
        intervention = { kind: 'holdFrom', replica: i.replica as NodeId, on };
      }
    } else if (i.kind === 'deliver' || i.kind === 'dropMessage' || i.kind === 'duplicate') {
      if (typeof i.msg !== 'number' || !Number.isInteger(i.msg) || i.msg < 1) throw bad(`: ${JSON.stringify(i.msg)} is no message id`);
      intervention = { kind: i.kind, msg: i.msg };
    } else if (i.kind === 'fireTimer') {
      const n = replicaCount(scenario);
      // A twin's second instance has timers of its own, as process n + k (src/sim/types.ts, Twins).
      if (!nodeExists(i.replica, n) && !(typeof i.replica === 'number' && processOwner(scenario, i.replica))) {
        throw bad(`: ${JSON.stringify(i.replica)} is no node of n = ${n}${scenario.twins ? ` nor a twin's second instance` : ''}`);
      }
      if (typeof i.timer !== 'string' || !/^(main|resend|liar|client:\d+)$/.test(i.timer)) throw bad(`: ${JSON.stringify(i.timer)} is no timer`);
      intervention = { kind: 'fireTimer', replica: i.replica as NodeId, timer: i.timer };
    } else if (i.kind === 'setNetwork' && isObject(i.params)) {
      const params: Partial<NetworkParams> = {};
      for (const [key, value] of Object.entries(i.params)) {
        const p = LIVE.find((q) => q.key === key);
        if (!p) throw bad(`: the network has no “${key}”`);
        if (problemOf(p, value)) throw bad(`: ${p.label.toLowerCase()} ${JSON.stringify(value)} is not ${expectation(p)}`);
        params[key as keyof NetworkParams] = value as number;
      }
      network = { ...network, ...params };
      if (ruleBreaks(network).length > 0) throw bad(`: min delay ${network.minDelayMs} exceeds max delay ${network.maxDelayMs}`);
      intervention = { kind: 'setNetwork', params };
    } else throw bad();
    return { afterEvent: x.afterEvent, at: x.at, intervention };
  });
}

/** A partition from untrusted JSON, or why it is not one. */
function validatePartition(p: unknown, n: number): Partition | string {
  if (!isObject(p) || !Array.isArray(p.side)) return 'the partition has no side';
  if (!CUT_RULES.includes(p.rule as CutRule)) return `the partition's rule ${JSON.stringify(p.rule)} is not ${CUT_RULES.join(' or ')}`;
  const bad = p.side.find((id) => !nodeExists(id, n));
  if (bad !== undefined) return `the partition names ${JSON.stringify(bad)}, which is no node of n = ${n}`;
  const side = [...new Set(p.side as NodeId[])];
  if (side.length === 0 || side.length >= n + 1) return 'the partition leaves no node on one side';
  return { side, rule: p.rule as CutRule };
}

/** A link's knobs from untrusted JSON (each in the table's range). */
function validateLinkKnobs(k: unknown, what: string): LinkKnobs {
  if (!isObject(k)) throw new ImportError(`${what} has no knobs.`);
  const out: LinkKnobs = { extraDelayMs: 0, dropRate: 0 };
  for (const p of Object.values(LINK_KNOBS)) {
    const value = k[p.key];
    if (value === undefined) continue;
    if (problemOf(p, value)) throw invalid(`${what}'s ${p.label.toLowerCase()}`, value, p);
    (out as unknown as Record<string, unknown>)[p.key] = value;
  }
  return out;
}

function validateBehaviour(b: unknown, id: number): Behaviour {
  if (!isObject(b) || !BEHAVIOURS.includes(b.kind as BehaviourKind)) throw new ImportError('A malicious replica has an unknown behaviour.');
  const out: Behaviour = { kind: b.kind as BehaviourKind };
  for (const p of paramsIn('behaviour') as NumberParam[]) {
    const value = b[p.key];
    if (value === undefined) continue;
    if (problemOf(p, value)) throw invalid(`Replica ${id}'s ${p.label.toLowerCase()}`, value, p);
    (out as unknown as Record<string, unknown>)[p.key] = value;
  }
  return out;
}

/**
 * A scenario from untrusted JSON: every field present, typed and in range, or an ImportError naming the first that is
 * not. `window: false` leaves the rule L ≥ 2K to a caller that changes K or L afterwards (the CLI's flags after --scenario).
 */
export function validateScenario(raw: unknown, { window = true }: { window?: boolean } = {}): Scenario {
  if (!isObject(raw)) throw new ImportError('The run has no scenario.');
  const out: Scenario = { ...defaultScenario(), malicious: {} };
  for (const p of paramsIn('scenario')) {
    const value = raw[p.key];
    if (p.type === 'list' || value === undefined) continue;
    if (problemOf(p, value)) throw invalid(`The scenario's ${p.key}`, value, p);
    (out as unknown as Record<string, unknown>)[p.key] = value;
  }
  // A scenario that sets K but not L gets L = max(16, 2K) (L ≥ 2K, src/sim/params.ts).
  if (raw.watermarkWindow === undefined) out.watermarkWindow = watermarkWindowFor(out.checkpointInterval);
  const malicious = raw.malicious ?? {};
  if (!isObject(malicious)) throw new ImportError("The scenario's malicious replicas are not a map.");
  const partition = raw.partition ?? [];
  if (!Array.isArray(partition)) throw new ImportError("The scenario's partition is not a list of nodes.");
  const links = raw.links ?? [];
  if (!Array.isArray(links) || !links.every(isObject)) throw new ImportError("The scenario's link faults are not a list of links.");
  for (const b of ruleBreaks({ ...out, malicious, partition, links })) {
    if (b.rule === 'delay-order') throw new ImportError("The scenario's minimum delay exceeds its maximum.");
    if (b.rule === 'watermark-window') {
      if (!window) continue;
      throw new ImportError(`The scenario's watermark window (${b.l}) is less than twice its checkpoint interval (2 × ${b.k} = ${2 * b.k}): the primary could wait at H for ever.`);
    }
    if (b.rule === 'replicas') throw new ImportError(`The scenario has ${b.n} replicas; at most ${MAX_REPLICAS} are supported.`);
    if (b.rule === 'partition') {
      throw new ImportError(b.id === undefined ? "The scenario's partition puts every node on one side." : `The scenario's partition names ${b.id}, which is no node of n = ${b.n}.`);
    }
    if (b.rule === 'link-ends') throw new ImportError(`The scenario's link ${b.a}–${b.b} does not join two different nodes of n = ${b.n}.`);
    if (b.rule === 'behaviour-protocol') throw new ImportError(`The scenario makes replica ${b.id} ${b.kind}, which does not apply to ${PROTOCOLS[b.protocol].name}.`);
    throw new ImportError(`The scenario marks replica ${b.id} malicious, but n = ${b.n}.`);
  }
  for (const [id, b] of Object.entries(malicious)) out.malicious[Number(id)] = validateBehaviour(b, Number(id));
  if (partition.length > 0) out.partition = [...new Set(partition as NodeId[])].sort((a, b) => a - b);
  const faults: LinkFault[] = (links as Array<Record<string, unknown>>).map((l) => {
    const [a, b] = [l.a as NodeId, l.b as NodeId].sort((x, y) => x - y);
    return { a, b, ...validateLinkKnobs(l, `The scenario's link ${a}–${b}`) };
  });
  if (faults.length > 0) out.links = faults.sort((l, m) => l.a - m.a || l.b - m.b);
  if (raw.twins !== undefined) {
    const t = raw.twins;
    const ids = (x: unknown): x is number[] => Array.isArray(x) && x.every((id) => Number.isInteger(id));
    if (!isObject(t) || !ids(t.replicas) || !ids(t.side)) throw new ImportError("The scenario's twins are not { replicas: [ids], side: [ids] }.");
    const { twins, problems } = checkTwins(t.replicas, t.side, replicaCount(out), out.malicious);
    if (problems.length > 0) throw new ImportError(`The scenario's twins cannot run: ${twinsProblemText(problems[0])}.`);
    if (twins.replicas.length > 0) out.twins = twins;
  }
  return out;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
