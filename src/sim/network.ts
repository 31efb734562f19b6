import type { Rng } from './rng';
import { CLIENT, type CutRule, type LinkFault, type LinkKnobs, type LossCause, type NetworkParams, type NodeId, type Partition } from './types';

export interface Transit {
  /** Virtual time at which the message arrives — or, when lost, where along the way it vanished; when held, reaches the cut. */
  at: number;
  lost: boolean;
  /** What lost or holds it besides the network's drop rate: a partition's cut or a lossy link (null otherwise). */
  by: LossCause | null;
  /** It crosses a cut that holds messages: it waits at the cut until Heal. */
  held: boolean;
}

/**
 * Where along its wire a message meets a partition's cut: one lost to the cut vanishes there (half its delay after it
 * was sent), one held waits there. The graph draws the cut across each wire at this point.
 */
export const CUT_POINT = 0.5;

/** A message waiting at a cut, with the flight it was on. */
export interface HeldMessage<M> {
  msg: M;
  /** Its id: messages are numbered in the order they were sent, which is the order they are released in. */
  id: number;
  from: NodeId;
  to: NodeId;
  sendT: number;
  /** When it would have arrived had nothing held it. */
  arriveAt: number;
}

/** Whether a partition separates two nodes (one on its side, the other not). */
export function separates(partition: Pick<Partition, 'side'> | null, a: NodeId, b: NodeId): boolean {
  if (!partition) return false;
  return partition.side.includes(a) !== partition.side.includes(b);
}

/** The scenario's partition, or null when it has none (or names no side). */
export function partitionOf(s: { partition?: NodeId[]; partitionRule?: CutRule }): Partition | null {
  return s.partition && s.partition.length > 0 ? { side: [...s.partition], rule: s.partitionRule ?? 'lose' } : null;
}

/** A link's ends in order (the client, −1, first), so a–b and b–a are one link. */
export function linkEnds(a: NodeId, b: NodeId): [NodeId, NodeId] {
  return a < b ? [a, b] : [b, a];
}

/** A number for the link between two nodes (ids from CLIENT = −1 up to 998), the same either way round. */
export function linkKey(a: NodeId, b: NodeId): number {
  const [x, y] = linkEnds(a, b);
  return (x - CLIENT) * 1000 + (y - CLIENT);
}

/** Link faults with `fault` set for a–b (or removed, with null), ordered by their ends. */
export function withLink(links: readonly LinkFault[] | undefined, a: NodeId, b: NodeId, fault: LinkKnobs | null): LinkFault[] {
  const [x, y] = linkEnds(a, b);
  const rest = (links ?? []).filter((l) => linkKey(l.a, l.b) !== linkKey(x, y));
  const out = fault && (fault.extraDelayMs > 0 || fault.dropRate > 0) ? [...rest, { a: x, b: y, extraDelayMs: fault.extraDelayMs, dropRate: fault.dropRate }] : rest;
  return out.sort((l, m) => l.a - m.a || l.b - m.b);
}

/**
 * When held messages arrive once released at `now`: in the order they were sent, each no earlier than it would have
 * arrived anyway, nor before it has travelled the second half of its wire (from the cut on), nor before the one sent
 * before it — so they arrive in order.
 */
export function releaseTimes(now: number, held: ReadonlyArray<Pick<HeldMessage<unknown>, 'id' | 'sendT' | 'arriveAt'>>): number[] {
  const order = held.map((_, k) => k).sort((x, y) => held[x].id - held[y].id);
  const out = new Array<number>(held.length);
  let previous = now;
  for (const k of order) {
    const h = held[k];
    previous = Math.max(previous, h.arriveAt, now + (h.arriveAt - h.sendT) * (1 - CUT_POINT));
    out[k] = previous;
  }
  return out;
}

/**
 * Point-to-point links with no ordering guarantee: each message draws its own delay in [min, max], so later
 * messages can overtake earlier ones; with `reorderRate` some are held back further; with `dropRate` some vanish.
 * On top of that, a person may make single links slow or lossy and cut the network in two (a partition): the rule
 * for a message across the cut is here, and only the seeded streams decide anything. With no link fault and no
 * partition, every message draws exactly what it drew before either existed, so those traces are unchanged.
 */
export class Network<M = unknown> {
  params: NetworkParams;
  private readonly rng: Rng;
  /** Draws for lossy links only, so making one link lossy does not reshuffle every other delay. */
  private readonly linkRng: Rng;
  private cut: Partition | null = null;
  private readonly links = new Map<number, LinkKnobs>();
  /** Messages waiting at the cut, in the order they were held. */
  private waiting: HeldMessage<M>[] = [];

  constructor(params: NetworkParams, rng: Rng, linkRng: Rng = rng) {
    // Its own four knobs, not a copy of the whole scenario it may be given.
    const { minDelayMs, maxDelayMs, dropRate, reorderRate } = params;
    this.params = { minDelayMs, maxDelayMs, dropRate, reorderRate };
    this.rng = rng;
    this.linkRng = linkRng;
  }

  get partition(): Partition | null {
    return this.cut;
  }

  get held(): readonly HeldMessage<M>[] {
    return this.waiting;
  }

  /** The link faults in force, ordered by their ends. */
  get linkFaults(): LinkFault[] {
    return [...this.links].map(([key, k]) => ({ a: Math.floor(key / 1000) + CLIENT, b: (key % 1000) + CLIENT, ...k })).sort((l, m) => l.a - m.a || l.b - m.b);
  }

  /** Whether the partition standing separates a and b. */
  separated(a: NodeId, b: NodeId): boolean {
    return separates(this.cut, a, b);
  }

  transit(now: number, extraDelayMs: number, from: NodeId = CLIENT, to: NodeId = CLIENT): Transit {
    const { minDelayMs, maxDelayMs, dropRate, reorderRate } = this.params;
    let delay = this.rng.uniform(minDelayMs, Math.max(minDelayMs, maxDelayMs));
    if (reorderRate > 0 && this.rng.chance(reorderRate)) delay += this.rng.uniform(0, Math.max(maxDelayMs, 1));
    delay += extraDelayMs;
    if (dropRate > 0 && this.rng.chance(dropRate)) {
      // Shown vanishing part-way along its edge rather than at either end.
      return { at: now + delay * this.rng.uniform(0.35, 0.85), lost: true, by: null, held: false };
    }
    if (this.links.size > 0) {
      const link = this.links.get(linkKey(from, to));
      if (link) {
        delay += link.extraDelayMs;
        if (link.dropRate > 0 && this.linkRng.chance(link.dropRate)) {
          return { at: now + delay * this.linkRng.uniform(0.35, 0.85), lost: true, by: 'link', held: false };
        }
      }
    }
    if (this.cut !== null && separates(this.cut, from, to)) {
      return this.cut.rule === 'lose'
        ? { at: now + delay * CUT_POINT, lost: true, by: 'partition', held: false }
        : { at: now + delay, lost: false, by: 'partition', held: true };
    }
    return { at: now + delay, lost: false, by: null, held: false };
  }

  /** Sets (or with null, clears) the fault of the link between a and b, for messages sent from now on. */
  setLink(a: NodeId, b: NodeId, fault: LinkKnobs | null): void {
    const key = linkKey(a, b);
    if (fault && (fault.extraDelayMs > 0 || fault.dropRate > 0)) this.links.set(key, { extraDelayMs: fault.extraDelayMs, dropRate: fault.dropRate });
    else this.links.delete(key);
  }

  /** Puts a message to wait at the cut. */
  hold(item: HeldMessage<M>): void {
    this.waiting.push(item);
  }

  /**
   * Cuts the network anew (or heals it, with null). What waited at the old cut and is not separated by the new one is
   * released — returned with its arrival time, in the order it was sent; what the new cut still separates stays held,
   * or is lost when the new cut loses messages. Messages already on the wire are the caller's (it knows the clock's
   * queue): it asks `separated` about each.
   */
  setPartition(partition: Partition | null, now: number): { released: Array<HeldMessage<M> & { arrival: number }>; lost: HeldMessage<M>[] } {
    this.cut = partition && partition.side.length > 0 ? { side: [...partition.side].sort((x, y) => x - y), rule: partition.rule } : null;
    const go: HeldMessage<M>[] = [];
    const lost: HeldMessage<M>[] = [];
    const stay: HeldMessage<M>[] = [];
    for (const h of this.waiting) {
      if (!this.separated(h.from, h.to)) go.push(h);
      else if (this.cut?.rule === 'lose') lost.push(h);
      else stay.push(h);
    }
    this.waiting = stay;
    const times = releaseTimes(now, go);
    const released = go.map((h, k) => ({ ...h, arrival: times[k] })).sort((x, y) => x.id - y.id);
    return { released, lost: lost.sort((x, y) => x.id - y.id) };
  }
}
