/**
 * The Compare view's scenario form: what it holds (text as typed, so a half-typed value is never lost) and the one
 * function that turns it into the scenario every column runs, or says, field by field, what is wrong. The numbers are
 * read by the Experiments form's rule (experimentForm.ts), so a box says the same thing in both views.
 */
import { BEHAVIOUR_PARAM, PARAMS, replicaExists, toShown } from '../sim/params';
import { protocolOf } from '../sim/protocols';
import { replicaCount } from '../sim/scenario';
import type { Behaviour, BehaviourKind, ProtocolMode, Scenario } from '../sim/types';
import { readBox } from './experimentForm';
import { withoutMissingNodes } from './partitionSlice';

export interface LiarDraft {
  id: number;
  kind: BehaviourKind;
  /** Its knob as typed, when its kind takes one: omit's probability in percent, slow's extra delay in ms. */
  knob: string;
}

export interface CompareDraft {
  /** The replica count chosen (n = 3f + 1, or the scenario's own n). */
  n: number;
  seed: string;
  minDelayMs: string;
  maxDelayMs: string;
  /** Percent, as everywhere rates are typed. */
  dropPercent: string;
  reorderPercent: string;
  liars: LiarDraft[];
}

export type DraftField = Exclude<keyof CompareDraft, 'liars'> | `liar-${number}`;
export type DraftErrors = Partial<Record<DraftField, string>>;

/** The replica counts the form offers: n = 3f + 1 for every f the table allows, and the scenario's own n if it set one. */
export function replicaChoices(scenario: Pick<Scenario, 'f' | 'n'>): number[] {
  const counts = new Set<number>();
  for (let f = PARAMS.f.min; f <= PARAMS.f.max; f++) counts.add(3 * f + 1);
  counts.add(replicaCount(scenario));
  return [...counts].sort((a, b) => a - b);
}

/** The knob a behaviour takes, if any (the parameter table says which), with its stored value shown as typed. */
function knobText(b: Behaviour): string {
  const param = BEHAVIOUR_PARAM[b.kind];
  if (!param) return '';
  const value = (b as unknown as Record<string, number | undefined>)[param.key] ?? param.default ?? param.min;
  return String(toShown(param, value));
}

/** A new liar's knob: the table's default for its kind. */
export function defaultKnob(kind: BehaviourKind): string {
  const param = BEHAVIOUR_PARAM[kind];
  return param ? String(toShown(param, param.default ?? param.min)) : '';
}

/** The form filled from a scenario. */
export function draftOf(s: Scenario): CompareDraft {
  return {
    n: replicaCount(s),
    seed: String(s.seed),
    minDelayMs: String(s.minDelayMs),
    maxDelayMs: String(s.maxDelayMs),
    dropPercent: String(toShown(PARAMS.dropRate, s.dropRate)),
    reorderPercent: String(toShown(PARAMS.reorderRate, s.reorderRate)),
    liars: Object.entries(s.malicious)
      .map(([id, b]) => ({ id: Number(id), kind: b.kind, knob: knobText(b) }))
      .sort((a, b) => a.id - b.id),
  };
}

/** The protocols among `modes` in which this lie means something. */
export function modesWhereApplies(kind: BehaviourKind, modes: readonly ProtocolMode[]): ProtocolMode[] {
  return modes.filter((m) => protocolOf(m).behaviours.includes(kind));
}

/**
 * The scenario the form describes, built on `base` (what the form does not show — requests, timeouts, partitions —
 * stays as it was), or what to fix. A liar must mean something in at least one compared protocol (in the others it is
 * honest, and its column says so).
 */
export function scenarioFromDraft(base: Scenario, draft: CompareDraft, modes: readonly ProtocolMode[]): { scenario: Scenario; errors?: undefined } | { scenario?: undefined; errors: DraftErrors } {
  const errors: DraftErrors = {};
  const num = (field: Exclude<DraftField, 'n' | `liar-${number}`>, param: Parameters<typeof readBox>[0]): number => {
    const v = readBox(param, draft[field]);
    if (typeof v === 'string') {
      errors[field] = v;
      return NaN;
    }
    return v;
  };
  const n = draft.n;
  if (!replicaChoices(base).includes(n)) errors.n = `n = ${n} is not offered: choose n = 3f + 1 from ${3 * PARAMS.f.min + 1} to ${3 * PARAMS.f.max + 1}.`;
  const seed = num('seed', PARAMS.seed);
  const minDelayMs = num('minDelayMs', PARAMS.minDelayMs);
  const maxDelayMs = num('maxDelayMs', PARAMS.maxDelayMs);
  if (minDelayMs > maxDelayMs) errors.minDelayMs = `Min delay (${minDelayMs} ms) must not exceed max delay (${maxDelayMs} ms).`;
  const dropRate = num('dropPercent', PARAMS.dropRate);
  const reorderRate = num('reorderPercent', PARAMS.reorderRate);
  const malicious: Scenario['malicious'] = {};
  for (const liar of draft.liars) {
    const field = `liar-${liar.id}` as const;
    if (!replicaExists(liar.id, n)) {
      errors[field] = `Replica ${liar.id} lies, but n = ${n} has replicas 0 to ${n - 1}: make it honest or choose a larger n.`;
      continue;
    }
    if (modesWhereApplies(liar.kind, modes).length === 0) {
      errors[field] = `Replica ${liar.id}: ${liar.kind} means nothing in ${modes.map((m) => protocolOf(m).name).join(' or ')}; choose another behaviour.`;
      continue;
    }
    const param = BEHAVIOUR_PARAM[liar.kind];
    if (!param) {
      malicious[liar.id] = { kind: liar.kind };
      continue;
    }
    const knob = readBox(param, liar.knob);
    if (typeof knob === 'string') errors[field] = `Replica ${liar.id}: ${knob}`;
    else malicious[liar.id] = { kind: liar.kind, [param.key]: knob };
  }
  if (Object.keys(errors).length > 0) return { errors };
  // n = 3f + 1 is said with f alone, as the visualizer's f slider does; another n (from a link) is kept as n.
  const size = n === replicaCount(base) ? { f: base.f, n: base.n } : { f: (n - 1) / 3, n: undefined };
  const next: Scenario = { ...base, ...size, seed, minDelayMs, maxDelayMs, dropRate, reorderRate, malicious };
  return { scenario: withoutMissingNodes(next, n) };
}

/**
 * The shared scenario as the visualizer (and so the URL) holds it: under its own protocol when every liar means
 * something there, else under the first compared protocol where they all do (PBFT and the seed's take every lie), so a
 * link never carries a lie its protocol would refuse.
 */
export function visualizerScenario(shared: Scenario, modes: readonly ProtocolMode[]): Scenario {
  const kinds = Object.values(shared.malicious).map((b) => b.kind);
  const takesAll = (mode: ProtocolMode | undefined) => kinds.every((k) => protocolOf(mode).behaviours.includes(k));
  if (takesAll(shared.mode)) return shared;
  const mode = modes.find(takesAll) ?? 'pbft';
  return { ...shared, mode };
}
