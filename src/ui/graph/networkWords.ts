/** How the network's faults read on the page: one wording for the graph, its tools, the dialog and the scenario panel. */
import { groupsOf } from './cutGeometry';
import { CLIENT, type CutRule, type LinkKnobs, type NodeId } from '../../sim/types';

const name = (id: NodeId) => (id === CLIENT ? 'the client' : `replica ${id}`);

/** "replica 0 – replica 2", "the client – replica 1". */
export function linkName(a: NodeId, b: NodeId): string {
  return `${name(a)} – ${name(b)}`;
}

/** "the client and replicas 1, 2 and 3" */
export function groupName(ids: readonly NodeId[]): string {
  const replicas = ids.filter((id) => id !== CLIENT);
  const list = replicas.length <= 1 ? replicas.join('') : `${replicas.slice(0, -1).join(', ')} and ${replicas.at(-1)}`;
  const words = replicas.length === 0 ? '' : `${replicas.length === 1 ? 'replica' : 'replicas'} ${list}`;
  return ids.includes(CLIENT) ? (words ? `the client and ${words}` : 'the client') : words;
}

export const RULE_WORDS: Record<CutRule, string> = { lose: 'lost', hold: 'held until Heal' };

/** "replica 0 cut off from the client and replicas 1, 2 and 3; messages across the cut are held until Heal" */
export function partitionSentence(n: number, side: readonly NodeId[], rule: CutRule): string {
  const { withClient, without } = groupsOf(n, side);
  return `${groupName(without)} cut off from ${groupName(withClient)}; messages across the cut are ${RULE_WORDS[rule]}`;
}

/** "slow +300 ms", "lossy 30 %", "slow +100 ms, lossy 30 %", "normal". */
export function linkState(k: LinkKnobs | undefined): string {
  if (!k) return 'normal';
  const parts = [];
  if (k.extraDelayMs > 0) parts.push(`slow +${Math.round(k.extraDelayMs)} ms`);
  if (k.dropRate > 0) parts.push(`lossy ${Math.round(k.dropRate * 100)} %`);
  return parts.length > 0 ? parts.join(', ') : 'normal';
}
