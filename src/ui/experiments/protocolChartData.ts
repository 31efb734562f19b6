/**
 * From the protocol × n × m experiment to what its charts and table show: messages per decision against n (with the
 * slope of each protocol on log–log axes: 1 is linear, 2 quadratic), latency against m at one n, and what a faulty
 * leader costs each protocol (the trials with m = 1 — the liar is replica 0 — against those with m = 0).
 */
import type { SweepRow } from '../../sim/experiment';
import type { ProtocolMode } from '../../sim/types';
import type { SweepOutcome } from '../../store/protocolSweepStore';

export interface XY {
  x: number;
  y: number;
}

export interface ProtocolSeries {
  mode: ProtocolMode;
  points: XY[];
}

const rowAt = (r: SweepOutcome, m: number): SweepRow | undefined => r.rows.find((row) => row.m === m);

/** The protocols of the results, in their order. */
export function modesOf(results: readonly SweepOutcome[]): ProtocolMode[] {
  return [...new Set(results.map((r) => r.config.mode))];
}

/** Messages per decision against n, with no liar (m = 0), one series per protocol. */
export function messagesByN(results: readonly SweepOutcome[]): ProtocolSeries[] {
  return modesOf(results).map((mode) => ({
    mode,
    points: results
      .filter((r) => r.config.mode === mode)
      .flatMap((r) => {
        const y = rowAt(r, 0)?.messagesPerCommittedRequest ?? null;
        return y === null ? [] : [{ x: r.config.n, y }];
      })
      .sort((a, b) => a.x - b.x),
  }));
}

/** The least-squares slope of log y against log x: how a quantity grows with n (null with fewer than two points). */
export function logLogSlope(points: readonly XY[]): number | null {
  const ps = points.filter((p) => p.x > 0 && p.y > 0);
  if (ps.length < 2) return null;
  const xs = ps.map((p) => Math.log(p.x));
  const ys = ps.map((p) => Math.log(p.y));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? null : num / den;
}

/** Mean latency of successful trials against m, at replica count n. */
export function latencyByM(results: readonly SweepOutcome[], n: number): ProtocolSeries[] {
  return results
    .filter((r) => r.config.n === n)
    .map((r) => ({ mode: r.config.mode, points: r.rows.flatMap((row) => (row.meanLatencyMs === null ? [] : [{ x: row.m, y: row.meanLatencyMs }])) }));
}

export interface LeaderCost {
  mode: ProtocolMode;
  n: number;
  /** Extra mean latency per request with replica 0 silent (m = 1) over none (m = 0); null without both. */
  latencyMs: number | null;
  /** Extra messages per decision. */
  messages: number | null;
  /**
   * Extra views (rounds, in Tendermint) per trial: HotStuff's view moves on with every decision anyway, so only the
   * difference says how many the faulty leader added.
   */
  viewChanges: number | null;
}

/** What the faulty leader costs each protocol at each n. */
export function leaderCosts(results: readonly SweepOutcome[]): LeaderCost[] {
  return results.map((r) => {
    const [calm, faulty] = [rowAt(r, 0), rowAt(r, 1)];
    const diff = (a: number | null | undefined, b: number | null | undefined) => (a === null || a === undefined || b === null || b === undefined ? null : b - a);
    return {
      mode: r.config.mode,
      n: r.config.n,
      latencyMs: diff(calm?.meanLatencyMs, faulty?.meanLatencyMs),
      messages: diff(calm?.messagesPerCommittedRequest, faulty?.messagesPerCommittedRequest),
      viewChanges: diff(calm?.viewChangesPerTrial, faulty?.viewChangesPerTrial),
    };
  });
}
