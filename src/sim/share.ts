import { DEFAULT_BEHAVIOUR, defaultScenario, LIMITS } from './scenario';
import type { Intervention, TimedIntervention } from './session';
import { BEHAVIOURS, type Behaviour, type BehaviourKind, type Scenario, type TraceEvent } from './types';

/**
 * Scenarios travel as URLs and runs as JSON files. Both are read defensively: a bad value falls back to its default
 * with a notice that says what was wrong, and nothing in the current run is lost by reading them.
 */

/** What the URL carries besides the scenario itself. */
export interface SharedView {
  scenario: Scenario;
  /** Virtual ms per real second. */
  speed: number;
  preset: string | null;
}

export const SPEED_LIMITS = { min: 1, max: 5000, default: 20 };
/** The f slider's range (n = 3f+1 up to 100 replicas). */
export const F_SLIDER = { min: 1, max: LIMITS.f.max };

interface NumberField {
  param: string;
  label: string;
  min: number;
  max: number;
  integer: boolean;
  /** URL value → scenario value (rates are percentages in the URL). */
  scale?: number;
}

const FIELDS: Record<string, NumberField & { key: keyof Scenario }> = {
  f: { key: 'f', param: 'f', label: 'f', min: F_SLIDER.min, max: F_SLIDER.max, integer: true },
  seed: { key: 'seed', param: 'seed', label: 'seed', min: 0, max: 2 ** 32 - 1, integer: true },
  minDelayMs: { key: 'minDelayMs', param: 'min', label: 'min delay', ...LIMITS.delayMs, integer: false },
  maxDelayMs: { key: 'maxDelayMs', param: 'max', label: 'max delay', ...LIMITS.delayMs, integer: false },
  dropRate: { key: 'dropRate', param: 'drop', label: 'drop rate (%)', min: 0, max: 100, integer: false, scale: 100 },
  reorderRate: { key: 'reorderRate', param: 'reorder', label: 'reorder rate (%)', min: 0, max: 100, integer: false, scale: 100 },
  requests: { key: 'requests', param: 'req', label: 'requests', min: 0, max: 1000, integer: true },
  concurrency: { key: 'concurrency', param: 'conc', label: 'concurrency', ...LIMITS.concurrency, integer: true },
  checkpointInterval: { key: 'checkpointInterval', param: 'k', label: 'checkpoint interval', min: 1, max: 100, integer: true },
  viewChangeTimeoutMs: { key: 'viewChangeTimeoutMs', param: 'vct', label: 'view-change timeout', min: 10, max: 100_000, integer: false },
};

function readNumber(raw: string, field: NumberField): number | string {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) return `${field.label} must be a number, got “${raw}”`;
  if (field.integer && !Number.isInteger(value)) return `${field.label} must be a whole number, got “${raw}”`;
  if (value < field.min || value > field.max) return `${field.label} must be between ${field.min} and ${field.max}, got ${raw}`;
  return value;
}

/** "0:equivocate,3:omit=0.3" ⇄ behaviours by replica id. */
export function encodeMalicious(malicious: Record<number, Behaviour>): string {
  return Object.entries(malicious)
    .map(([id, b]) => {
      const param = b.kind === 'omit' && b.omitProbability !== undefined ? `=${b.omitProbability}` : b.kind === 'slow' && b.extraDelayMs !== undefined ? `=${b.extraDelayMs}` : '';
      return `${id}:${b.kind}${param}`;
    })
    .join(',');
}

export function decodeMalicious(raw: string, n: number): { malicious: Record<number, Behaviour>; problems: string[] } {
  const malicious: Record<number, Behaviour> = {};
  const problems: string[] = [];
  for (const part of raw.split(',').filter((p) => p.trim() !== '')) {
    const match = /^\s*(\d+)\s*:\s*([a-z]+)\s*(?:=\s*([0-9.]+))?\s*$/.exec(part);
    if (!match) {
      problems.push(`malicious entry “${part}” is not id:behaviour`);
      continue;
    }
    const id = Number(match[1]);
    const kind = match[2] as BehaviourKind;
    if (id >= n) {
      problems.push(`replica ${id} does not exist with n = ${n}`);
      continue;
    }
    if (!BEHAVIOURS.includes(kind)) {
      problems.push(`unknown behaviour “${match[2]}” for replica ${id}`);
      continue;
    }
    const behaviour: Behaviour = { ...DEFAULT_BEHAVIOUR[kind] };
    if (match[3] !== undefined) {
      const value = Number(match[3]);
      if (kind === 'omit' && value >= 0 && value <= 1) behaviour.omitProbability = value;
      else if (kind === 'slow' && value >= 0 && value <= LIMITS.delayMs.max) behaviour.extraDelayMs = value;
      else problems.push(`“${part}”: the parameter is out of range, using the default`);
    }
    malicious[id] = behaviour;
  }
  return { malicious, problems };
}

export function encodeShare(view: SharedView): string {
  const s = view.scenario;
  const defaults = defaultScenario();
  const params = new URLSearchParams();
  params.set('f', String(s.f));
  params.set('seed', String(s.seed));
  params.set('min', String(s.minDelayMs));
  params.set('max', String(s.maxDelayMs));
  params.set('drop', String(+(s.dropRate * 100).toFixed(6)));
  if (s.reorderRate !== defaults.reorderRate) params.set('reorder', String(+(s.reorderRate * 100).toFixed(6)));
  const mal = encodeMalicious(s.malicious);
  if (mal) params.set('mal', mal);
  params.set('speed', String(view.speed));
  if (s.requests !== defaults.requests) params.set('req', String(s.requests));
  if (s.concurrency !== defaults.concurrency) params.set('conc', String(s.concurrency));
  if (s.checkpointInterval !== defaults.checkpointInterval) params.set('k', String(s.checkpointInterval));
  if (s.viewChangeTimeoutMs !== defaults.viewChangeTimeoutMs) params.set('vct', String(s.viewChangeTimeoutMs));
  if (s.mode === 'seed') params.set('mode', 'seed');
  if (view.preset) params.set('preset', view.preset);
  return params.toString();
}

/** Reads a query string; every unusable value is replaced by its default and reported in `notices`. */
export function decodeShare(query: string, base: SharedView = { scenario: defaultScenario(), speed: SPEED_LIMITS.default, preset: null }): SharedView & { notices: string[] } {
  const params = new URLSearchParams(query);
  const scenario: Scenario = { ...base.scenario, malicious: { ...base.scenario.malicious } };
  const notices: string[] = [];
  for (const field of Object.values(FIELDS)) {
    const raw = params.get(field.param);
    if (raw === null) continue;
    const value = readNumber(raw, field);
    if (typeof value === 'string') notices.push(`Ignored ${field.param}: ${value}; using ${describeDefault(scenario[field.key], field)}.`);
    else (scenario as unknown as Record<string, number>)[field.key] = field.scale ? value / field.scale : value;
  }
  if (scenario.minDelayMs > scenario.maxDelayMs) {
    notices.push(`Ignored min/max delay: min (${scenario.minDelayMs}) exceeds max (${scenario.maxDelayMs}); using ${base.scenario.minDelayMs}–${base.scenario.maxDelayMs} ms.`);
    scenario.minDelayMs = base.scenario.minDelayMs;
    scenario.maxDelayMs = Math.max(base.scenario.maxDelayMs, base.scenario.minDelayMs);
  }
  const mode = params.get('mode');
  if (mode !== null) {
    if (mode === 'seed' || mode === 'pbft') scenario.mode = mode;
    else notices.push(`Ignored mode: “${mode}” is neither pbft nor seed.`);
  }
  const mal = params.get('mal');
  if (mal !== null) {
    const { malicious, problems } = decodeMalicious(mal, 3 * scenario.f + 1);
    scenario.malicious = malicious;
    for (const p of problems) notices.push(`Ignored part of mal: ${p}.`);
  }
  let speed = base.speed;
  const rawSpeed = params.get('speed');
  if (rawSpeed !== null) {
    const value = readNumber(rawSpeed, { param: 'speed', label: 'speed', min: SPEED_LIMITS.min, max: SPEED_LIMITS.max, integer: false });
    if (typeof value === 'string') notices.push(`Ignored speed: ${value}; using ${speed}.`);
    else speed = value;
  }
  const preset = params.get('preset');
  return { scenario, speed, preset: preset && /^[a-z0-9-]{1,40}$/.test(preset) ? preset : base.preset, notices };
}

function describeDefault(value: unknown, field: NumberField): string {
  return typeof value === 'number' && field.scale ? `${value * field.scale}` : String(value);
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
  const interventions = data.interventions.map((x, k) => validateIntervention(x, k, scenario));
  if (!Array.isArray(data.trace)) throw new ImportError('The run has no trace.');
  data.trace.forEach((e, k) => {
    if (!isObject(e) || typeof e.kind !== 'string' || typeof e.t !== 'number' || e.i !== k) throw new ImportError(`Trace event ${k} is malformed.`);
  });
  return { format: RUN_FORMAT, version: data.version, scenario, interventions, trace: data.trace as TraceEvent[] };
}

function validateIntervention(x: unknown, k: number, scenario: Scenario): TimedIntervention {
  const bad = () => new ImportError(`Intervention ${k} is malformed.`);
  if (!isObject(x) || typeof x.afterEvent !== 'number' || typeof x.at !== 'number' || !isObject(x.intervention)) throw bad();
  const i = x.intervention;
  let intervention: Intervention;
  if (i.kind === 'submitRequest') intervention = { kind: 'submitRequest' };
  else if (i.kind === 'setBehaviour') {
    const n = scenario.n ?? 3 * scenario.f + 1;
    if (typeof i.id !== 'number' || !Number.isInteger(i.id) || i.id < 0 || i.id >= n) throw bad();
    intervention = { kind: 'setBehaviour', id: i.id, behaviour: i.behaviour === null ? null : validateBehaviour(i.behaviour) };
  } else if (i.kind === 'setNetwork' && isObject(i.params)) {
    const params: Record<string, number> = {};
    for (const [key, value] of Object.entries(i.params)) {
      if (!['minDelayMs', 'maxDelayMs', 'dropRate', 'reorderRate'].includes(key) || typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw bad();
      if ((key === 'dropRate' || key === 'reorderRate') && value > 1) throw bad();
      params[key] = value;
    }
    intervention = { kind: 'setNetwork', params };
  } else throw bad();
  return { afterEvent: x.afterEvent, at: x.at, intervention };
}

function validateBehaviour(b: unknown): Behaviour {
  if (!isObject(b) || !BEHAVIOURS.includes(b.kind as BehaviourKind)) throw new ImportError('A malicious replica has an unknown behaviour.');
  const out: Behaviour = { kind: b.kind as BehaviourKind };
  if (typeof b.omitProbability === 'number' && b.omitProbability >= 0 && b.omitProbability <= 1) out.omitProbability = b.omitProbability;
  if (typeof b.extraDelayMs === 'number' && b.extraDelayMs >= 0 && b.extraDelayMs <= LIMITS.delayMs.max) out.extraDelayMs = b.extraDelayMs;
  return out;
}

/** A scenario from untrusted JSON: every field present, typed and in range, or an ImportError naming the first that is not. */
export function validateScenario(raw: unknown): Scenario {
  if (!isObject(raw)) throw new ImportError('The run has no scenario.');
  const base = defaultScenario();
  const out: Scenario = { ...base, malicious: {} };
  const numeric: Array<[keyof Scenario, number, number, boolean]> = [
    ['f', LIMITS.f.min, LIMITS.f.max, true],
    ['seed', 0, 2 ** 32 - 1, true],
    ['minDelayMs', LIMITS.delayMs.min, LIMITS.delayMs.max, false],
    ['maxDelayMs', LIMITS.delayMs.min, LIMITS.delayMs.max, false],
    ['dropRate', 0, 1, false],
    ['reorderRate', 0, 1, false],
    ['requests', LIMITS.requests.min, LIMITS.requests.max, true],
    ['concurrency', LIMITS.concurrency.min, LIMITS.concurrency.max, true],
    ['checkpointInterval', LIMITS.checkpointInterval.min, LIMITS.checkpointInterval.max, true],
    ['watermarkWindow', 1, 100_000, true],
    ['viewChangeTimeoutMs', LIMITS.timeoutMs.min, LIMITS.timeoutMs.max, false],
    ['clientTimeoutMs', LIMITS.timeoutMs.min, LIMITS.timeoutMs.max, false],
  ];
  for (const [key, min, max, integer] of numeric) {
    const value = raw[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      throw new ImportError(`The scenario's ${key} is invalid (${JSON.stringify(value)}).`);
    }
    (out as unknown as Record<string, number>)[key] = value;
  }
  if (raw.n !== undefined) {
    if (typeof raw.n !== 'number' || !Number.isInteger(raw.n) || raw.n < LIMITS.n.min || raw.n > LIMITS.n.max) throw new ImportError(`The scenario's n is invalid (${JSON.stringify(raw.n)}).`);
    out.n = raw.n;
  }
  if (raw.mode !== undefined) {
    if (raw.mode !== 'pbft' && raw.mode !== 'seed') throw new ImportError(`The scenario's mode is invalid (${JSON.stringify(raw.mode)}).`);
    out.mode = raw.mode;
  }
  if (out.minDelayMs > out.maxDelayMs) throw new ImportError("The scenario's minimum delay exceeds its maximum.");
  const n = out.n ?? 3 * out.f + 1;
  if (n > LIMITS.n.max) throw new ImportError(`The scenario has ${n} replicas; at most ${LIMITS.n.max} are supported.`);
  if (raw.malicious !== undefined) {
    if (!isObject(raw.malicious)) throw new ImportError("The scenario's malicious replicas are not a map.");
    for (const [id, b] of Object.entries(raw.malicious)) {
      const replica = Number(id);
      if (!Number.isInteger(replica) || replica < 0 || replica >= n) throw new ImportError(`The scenario marks replica ${id} malicious, but n = ${n}.`);
      out.malicious[replica] = validateBehaviour(b);
    }
  }
  return out;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
