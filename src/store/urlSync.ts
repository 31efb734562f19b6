/**
 * The scenario lives in the URL, so a copied link reopens the same run. Reading is defensive (decodeShare's
 * notices say what was ignored); writing uses replaceState so the back button is not flooded by slider moves.
 */
import { PARAMS } from '../sim/params';
import { decodeShare, encodeShare, type SharedView } from '../sim/share';
import { defaultScenario } from '../sim/scenario';
import type { LabStore } from './labStore';
import { lessonById } from './lessons';

export interface SharedStart extends SharedView {
  notices: string[];
}

/** What a query string asks for; a preset fills in what the other parameters leave unsaid. */
export function readShare(query: string): SharedStart {
  const params = new URLSearchParams(query);
  const presetId = params.get('preset');
  const lesson = lessonById(presetId);
  const base: SharedView = lesson
    ? { scenario: structuredClone(lesson.scenario), speed: lesson.speed, preset: lesson.id }
    : { scenario: defaultScenario(), speed: PARAMS.speed.default, preset: null };
  const decoded = decodeShare(query, base);
  const notices = [...decoded.notices];
  if (presetId !== null && !lesson) notices.push(`Ignored preset: there is no lesson “${presetId.slice(0, 40)}”; using the default scenario.`);
  return { scenario: decoded.scenario, speed: decoded.speed, preset: lesson ? lesson.id : null, notices };
}

export function shareQuery(view: SharedView): string {
  return encodeShare(view);
}

export interface UrlTarget {
  /** The current query string, with or without its leading "?". */
  search(): string;
  replace(query: string): void;
}

/**
 * Parameters of the page rather than of the scenario: how it is shown (`embed=1`) and what the Compare tab compares
 * (`cmp`, compareStore.ts), kept in the address while the scenario's part is rewritten.
 */
export const PAGE_PARAMS = ['embed', 'cmp'] as const;

/** Whether the page is embedded in another (`?embed=1`): the stage and the playback bar only. */
export function readEmbed(query: string): boolean {
  return new URLSearchParams(query).get('embed') === '1';
}

/** The query without the page's own parameters, and those parameters alone. */
function splitQuery(query: string): { scenario: string; page: string } {
  const params = new URLSearchParams(query);
  if (!PAGE_PARAMS.some((key) => params.has(key))) return { scenario: query.replace(/^\?/, ''), page: '' };
  const page = new URLSearchParams();
  for (const key of PAGE_PARAMS) {
    const value = params.get(key);
    if (value !== null) page.set(key, value);
    params.delete(key);
  }
  return { scenario: params.toString(), page: page.toString() };
}

export function browserUrl(): UrlTarget {
  return {
    search: () => splitQuery(window.location.search).scenario,
    replace: (query) => {
      const { page } = splitQuery(window.location.search);
      window.history.replaceState(window.history.state, '', `${window.location.pathname}?${query}${page ? `&${page}` : ''}${window.location.hash}`);
    },
  };
}

/** Keeps the URL in step with the store's scenario, speed and lesson; returns the unsubscribe function. */
export function syncUrl(store: LabStore, target: UrlTarget): () => void {
  let last = '';
  const write = () => {
    const { scenario, playback, preset } = store.getState();
    const query = shareQuery({ scenario, speed: playback.speed, preset });
    if (query === last) return;
    last = query;
    if (target.search().replace(/^\?/, '') !== query) target.replace(query);
  };
  write();
  return store.subscribe((state, prev) => {
    if (state.scenario !== prev.scenario || state.playback.speed !== prev.playback.speed || state.preset !== prev.preset) write();
  });
}
