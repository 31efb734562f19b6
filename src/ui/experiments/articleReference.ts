/**
 * What the seed article reports (its results table; see /work/shared/seed): n = 10, 6 trials per m, latencies in
 * real seconds of an asyncio program, not our virtual milliseconds. Shown beside a reproduction, never mixed in.
 */
export interface ArticleRow {
  m: number;
  successes: number;
  trials: number;
  /** Real seconds, "~" in the article; null where it reports "NA (time out)". */
  latencySeconds: number | null;
  agreements: number;
}

export const ARTICLE_N = 10;

export const ARTICLE_ROWS: readonly ArticleRow[] = [
  { m: 0, successes: 6, trials: 6, latencySeconds: 0.15, agreements: 6 },
  { m: 3, successes: 5, trials: 6, latencySeconds: 0.27, agreements: 5 },
  { m: 5, successes: 2, trials: 6, latencySeconds: 0.4, agreements: 2 },
  { m: 7, successes: 0, trials: 6, latencySeconds: null, agreements: 0 },
];

/** The article's rows that sit beside this experiment: only for its n, only at m values that were run. */
export function articleRowsFor(n: number, mValues: readonly number[]): ArticleRow[] {
  if (n !== ARTICLE_N) return [];
  return ARTICLE_ROWS.filter((r) => mValues.includes(r.m));
}

export const ARTICLE_LABEL = 'seed article, reported';
