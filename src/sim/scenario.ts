import { BEHAVIOURS, type Behaviour, type BehaviourKind, type NodeId, type Scenario } from './types';
import { defaultBehaviour, PARAMS, replicaCount, watermarkWindowFor } from './params';

export { replicaCount } from './params';

export const DEFAULT_BEHAVIOUR = Object.fromEntries(BEHAVIOURS.map((kind) => [kind, defaultBehaviour(kind)])) as Record<BehaviourKind, Behaviour>;

/** What each behaviour does, in the words the UI and README use. */
export const BEHAVIOUR_DESCRIPTIONS: Record<BehaviourKind, string> = {
  equivocate:
    'As primary, proposes two different genuine requests (or a request and the null request) for one sequence number to different backups; its votes name one request to some replicas and another to the rest; it tells the client the wrong result every liar agreed on.',
  omit: 'Randomly withholds what it says: PRE-PREPAREs, votes, checkpoints, VIEW-CHANGEs, NEW-VIEWs and replies.',
  slow: 'Adds latency to everything it sends.',
  silent: 'Crashed: sends nothing at all.',
  'forge-view-change':
    "In its VIEW-CHANGEs, claims what it cannot prove: prepared certificates in other replicas' names or with too few PREPAREs, a stable checkpoint nobody signed, a certificate relabelled to another request.",
  'forge-new-view':
    'As a new primary, builds NEW-VIEWs from fabricated or stale material (rewritten or old VIEW-CHANGEs, too few of them, an O that does not follow from V), in turn with a valid one that reveals the least; each backup hears a different one.',
  'withhold-new-view': 'As a new primary, sends its NEW-VIEW to only some backups: the f after it never learn that the view started.',
  replay: 'Re-sends, word for word, messages it saw earlier (old views, old sequence numbers) each time it speaks.',
  flood: 'Floods everyone with garbage: any message type, far-future views and sequence numbers, malformed contents, every few milliseconds.',
  collude: 'Coordinates with the other colluders: as primary, tells half the honest replicas one order of two requests and the other half the opposite; as backup, votes for both.',
  seed: "The seed article's liar: as primary, gives every backup a different digest; as backup, stays silent half the time, otherwise votes for the true or a fake digest; never sends COMMIT.",
};

/**
 * The seed article's network (5–40 ms) with one request, f = 1: the classroom's starting point (defaults: src/sim/params.ts).
 * Overrides that set the checkpoint interval K but not the window L get L = max(16, 2K), as every reader does.
 */
export function defaultScenario(overrides: Partial<Scenario> = {}): Scenario {
  const window = overrides.checkpointInterval !== undefined && overrides.watermarkWindow === undefined ? { watermarkWindow: watermarkWindowFor(overrides.checkpointInterval) } : {};
  return {
    f: PARAMS.f.default,
    seed: PARAMS.seed.default,
    minDelayMs: PARAMS.minDelayMs.default,
    maxDelayMs: PARAMS.maxDelayMs.default,
    dropRate: PARAMS.dropRate.default,
    reorderRate: PARAMS.reorderRate.default,
    malicious: {},
    requests: PARAMS.requests.default,
    concurrency: PARAMS.concurrency.default,
    checkpointInterval: PARAMS.checkpointInterval.default,
    watermarkWindow: PARAMS.watermarkWindow.default,
    viewChangeTimeoutMs: PARAMS.viewChangeTimeoutMs.default,
    clientTimeoutMs: PARAMS.clientTimeoutMs.default,
    ...overrides,
    ...window,
  };
}

/** Faults tolerated by n replicas: f = ⌊(n − 1) / 3⌋. */
export function toleratedFaults(n: number): number {
  return Math.floor((n - 1) / 3);
}

// The run's quorum ⌈(n + f + 1) / 2⌉ lives with PBFT's words too (protocols/pbft/descriptor.ts), which say it.
export { quorumSize } from './protocols/pbft/descriptor';

// PBFT's primary of a view: its rule lives with its plug-in's words (protocols/pbft/descriptor.ts).
export { primaryOf } from './protocols/pbft/descriptor';

/**
 * Whom a running instance (a process, as `pending` and `fireTimer` number it) belongs to: replica p itself for p < n,
 * and for p = n + k the second instance of twin k (see Twins); null for a number that is no process of the scenario.
 */
export function processOwner(scenario: Pick<Scenario, 'f' | 'n' | 'twins'>, p: number): { replica: NodeId; twin: boolean } | null {
  const n = replicaCount(scenario);
  if (!Number.isInteger(p) || p < 0) return null;
  if (p < n) return { replica: p, twin: false };
  const twin = scenario.twins?.replicas[p - n];
  return twin === undefined ? null : { replica: twin, twin: true };
}
