import type { Behaviour, BehaviourKind, NodeId, Scenario } from './types';

/** Limits every entry point (sliders, URL, CLI) shares, so a value accepted in one is accepted in all. */
export const LIMITS = {
  f: { min: 0, max: 33 },
  n: { min: 1, max: 100 },
  delayMs: { min: 0, max: 5000 },
  rate: { min: 0, max: 1 },
  requests: { min: 0, max: 10_000 },
  concurrency: { min: 1, max: 16 },
  checkpointInterval: { min: 1, max: 1000 },
  timeoutMs: { min: 1, max: 1_000_000 },
} as const;

export const DEFAULT_BEHAVIOUR: Record<BehaviourKind, Behaviour> = {
  equivocate: { kind: 'equivocate' },
  omit: { kind: 'omit', omitProbability: 0.5 },
  slow: { kind: 'slow', extraDelayMs: 100 },
  silent: { kind: 'silent' },
  collude: { kind: 'collude' },
  seed: { kind: 'seed' },
};

/** What each behaviour does, in the words the UI and README use. */
export const BEHAVIOUR_DESCRIPTIONS: Record<BehaviourKind, string> = {
  equivocate: 'As primary, sends conflicting digests to different backups; as backup, votes for a digest it never received and replies with a wrong result.',
  omit: 'Randomly withholds its PRE-PREPAREs and votes.',
  slow: 'Adds latency to everything it sends.',
  silent: 'Crashed: sends nothing at all.',
  collude: 'Coordinates with the other colluders: as primary, tells half the honest replicas one order of two requests and the other half the opposite; as backup, votes for both.',
  seed: "The seed article's liar: as primary, gives every backup a different digest; as backup, stays silent half the time, otherwise votes for the true or a fake digest; never sends COMMIT.",
};

/** The seed article's network (5–40 ms) with one request, f = 1: the classroom's starting point. */
export function defaultScenario(overrides: Partial<Scenario> = {}): Scenario {
  return {
    f: 1,
    seed: 1,
    minDelayMs: 5,
    maxDelayMs: 40,
    dropRate: 0,
    reorderRate: 0,
    malicious: {},
    requests: 1,
    concurrency: 1,
    checkpointInterval: 4,
    watermarkWindow: 16,
    viewChangeTimeoutMs: 300,
    clientTimeoutMs: 500,
    ...overrides,
  };
}

export function replicaCount(s: Pick<Scenario, 'f' | 'n'>): number {
  return s.n ?? 3 * s.f + 1;
}

/** Faults tolerated by n replicas: f = ⌊(n − 1) / 3⌋. */
export function toleratedFaults(n: number): number {
  return Math.floor((n - 1) / 3);
}

/** Quorum size ⌈(n + f + 1) / 2⌉: 2f + 1 when n = 3f + 1; any two quorums share an honest replica. */
export function quorumSize(n: number, f: number): number {
  return Math.ceil((n + f + 1) / 2);
}

export function primaryOf(view: number, n: number): NodeId {
  return view % n;
}
