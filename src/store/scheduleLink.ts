/**
 * A run's interventions in a link (`schedule=` beside the scenario's parameters), so Copy link reopens exactly the run
 * on screen — every delivery by hand, every drop — replayed from the seed. The list is written compactly (one tuple per
 * step, times as deltas), deflated (CompressionStream, built into browsers and Node) and base64url-encoded; reading it
 * back checks it exactly as a run file's interventions are checked (validateSchedule, the core's one rule).
 */
import { validateSchedule } from '../sim/share';
import type { Intervention, Scenario, TimedIntervention } from '../sim/types';

/** The URL key. */
export const SCHEDULE_KEY = 'schedule';
/** Format of what follows; a later format can be told apart. */
const VERSION = '1';
/**
 * The longest link Copy link offers. Browsers take far longer ones, but chat tools, mail and many servers cut links
 * beyond about 8,000 characters, and a link cut short would open another run without saying so.
 */
export const MAX_LINK_LENGTH = 8000;

/** Interventions of the deliver-by-hand kinds, the ones a schedule holds by the hundred, as short tuples. */
const SHORT = ['deliver', 'dropMessage', 'duplicate', 'fireTimer', 'setByHand', 'holdFrom'] as const;
type Short = (typeof SHORT)[number];

type Step = [afterEventDelta: number, at: number, kind: number | Omit<Intervention, never>, ...args: Array<number | string>];

function toStep(step: TimedIntervention, previous: number): Step {
  const i = step.intervention;
  const d = step.afterEvent - previous;
  const code = SHORT.indexOf(i.kind as Short);
  switch (i.kind) {
    case 'deliver':
    case 'dropMessage':
    case 'duplicate':
      return [d, step.at, code, i.msg];
    case 'fireTimer':
      return [d, step.at, code, i.replica, i.timer];
    case 'setByHand':
      return [d, step.at, code, i.on ? 1 : 0];
    case 'holdFrom':
      return [d, step.at, code, i.replica, i.on ? 1 : 0];
    default:
      // Rare kinds (a slider moved, a cut drawn) travel as they are.
      return [d, step.at, i];
  }
}

function fromStep(step: unknown, previous: number): { afterEvent: unknown; at: unknown; intervention: unknown } {
  if (!Array.isArray(step) || step.length < 3) throw new Error('a step is malformed');
  const [d, at, kind, a, b] = step as unknown[];
  const afterEvent = typeof d === 'number' ? previous + d : d;
  if (typeof kind !== 'number') return { afterEvent, at, intervention: kind };
  const name = SHORT[kind];
  switch (name) {
    case 'deliver':
    case 'dropMessage':
    case 'duplicate':
      return { afterEvent, at, intervention: { kind: name, msg: a } };
    case 'fireTimer':
      return { afterEvent, at, intervention: { kind: name, replica: a, timer: b } };
    case 'setByHand':
      return { afterEvent, at, intervention: { kind: name, on: a === 1 } };
    case 'holdFrom':
      return { afterEvent, at, intervention: { kind: name, replica: a, on: b === 1 } };
    default:
      throw new Error(`a step has an unknown kind (${String(kind)})`);
  }
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let k = 0; k < bytes.length; k += 0x8000) binary += String.fromCharCode(...bytes.subarray(k, k + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('it is not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The interventions as a link's `schedule` value. */
export async function encodeSchedule(interventions: readonly TimedIntervention[]): Promise<string> {
  let previous = 0;
  const steps = interventions.map((step) => {
    const s = toStep(step, previous);
    previous = step.afterEvent;
    return s;
  });
  const deflated = await pipe(new TextEncoder().encode(JSON.stringify(steps)), new CompressionStream('deflate'));
  return `${VERSION}.${toBase64Url(deflated)}`;
}

/** A link's `schedule` value back as interventions for this scenario; throws an Error saying, for a person, what is wrong. */
export async function decodeSchedule(text: string, scenario: Scenario): Promise<TimedIntervention[]> {
  const dot = text.indexOf('.');
  if (dot < 0 || text.slice(0, dot) !== VERSION) throw new Error('the schedule in this link is of an unknown format');
  let steps: unknown;
  try {
    const inflated = await pipe(fromBase64Url(text.slice(dot + 1)), new DecompressionStream('deflate'));
    steps = JSON.parse(new TextDecoder().decode(inflated));
  } catch (err) {
    throw new Error('the schedule in this link is damaged (was the link cut short?)', { cause: err });
  }
  if (!Array.isArray(steps)) throw new Error('the schedule in this link is not a list');
  let previous = 0;
  let list: unknown[];
  try {
    list = steps.map((s) => {
      const step = fromStep(s, previous);
      if (typeof step.afterEvent === 'number') previous = step.afterEvent;
      return step;
    });
  } catch (err) {
    throw new Error(`the schedule in this link is damaged: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  // The same checks as a run file's interventions.
  return validateSchedule(list, scenario);
}

export type ShareLink = { ok: true; url: string } | { ok: false; length: number; message: string };

/**
 * The link to this run: `base` (the page's address without a query) with the scenario's query and, when the run has
 * interventions, its schedule — or why it cannot be a link (too long), saying what to do instead.
 */
export async function runLink(base: string, query: string, interventions: readonly TimedIntervention[]): Promise<ShareLink> {
  const schedule = interventions.length > 0 ? `${SCHEDULE_KEY}=${await encodeSchedule(interventions)}` : '';
  const url = `${base}?${[query, schedule].filter(Boolean).join('&')}`;
  if (url.length <= MAX_LINK_LENGTH) return { ok: true, url };
  return {
    ok: false,
    length: url.length,
    message: `This run’s ${interventions.length.toLocaleString('en')} actions make a link of ${url.length.toLocaleString('en')} characters, too long to share as a link (at most ${MAX_LINK_LENGTH.toLocaleString('en')}). Export saves the whole run as a file instead.`,
  };
}
