/**
 * The twins rule, in one place for the core, the URL, run files and the command line (src/sim/types.ts Twins): each
 * twin a replica of n and no liar, each of the side a replica of n and no twin.
 */
import type { NodeId, Twins } from './types';

export function replicaExists(id: number, n: number): boolean {
  return Number.isInteger(id) && id >= 0 && id < n;
}

/** What is wrong with twins: an unreadable id, a replica beyond n, a twin that is also a liar, a twin on its own side. */
export type TwinsProblem =
  | { problem: 'syntax'; part: string }
  | { problem: 'replica'; id: number; n: number }
  | { problem: 'liar'; id: number }
  | { problem: 'side'; id: number; n: number };

/**
 * Twins as a scenario holds them, checked (the core's rule, src/sim/types.ts Twins): each twin a replica of n and no
 * liar, each of the side a replica of n and no twin. Repeats count once; what breaks the rule is left out and named.
 */
export function checkTwins(replicas: readonly number[], side: readonly number[], n: number, malicious: object = {}): { twins: Twins; problems: TwinsProblem[] } {
  const problems: TwinsProblem[] = [];
  const twinned = new Set<NodeId>();
  for (const id of replicas) {
    if (!replicaExists(id, n)) problems.push({ problem: 'replica', id, n });
    else if ((malicious as Record<number, unknown>)[id]) problems.push({ problem: 'liar', id });
    else twinned.add(id);
  }
  const others = new Set<NodeId>();
  for (const id of side) {
    if (!replicaExists(id, n) || twinned.has(id)) problems.push({ problem: 'side', id, n });
    else others.add(id);
  }
  return { twins: { replicas: [...twinned].sort((a, b) => a - b), side: [...others].sort((a, b) => a - b) }, problems };
}

/** A problem with twins in words (the core's error, a notice on the page). */
export function twinsProblemText(p: TwinsProblem): string {
  switch (p.problem) {
    case 'syntax':
      return `“${p.part}” is not a replica number`;
    case 'replica':
      return `replica ${p.id} does not exist with n = ${p.n}`;
    case 'liar':
      return `replica ${p.id} is malicious, and a twin runs honest code`;
    case 'side':
      return `replica ${p.id} cannot be on the twins' side (it is a twin, or no replica of n = ${p.n})`;
  }
}
