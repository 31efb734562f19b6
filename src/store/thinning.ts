/**
 * How much of a crowded run is drawn. At n = 100 one request sends about 20,000 messages; nobody can follow ten
 * thousand dots on one ring or arrows one pixel apart, and drawing them all costs whole frames. So each message type
 * is thinned on its own to a budget — the few REQUESTs, PRE-PREPAREs and REPLYs are always all drawn, the crowds of
 * PREPAREs and COMMITs are sampled — and the page says so ("Showing 1 in 32 PREPARE …"). Only the drawing is
 * thinned: every count the page prints stays exact.
 *
 * The sample is 1 in k by message id, k a power of two. Ids are consecutive in send order, so any burst is sampled
 * evenly, a drawn message stays drawn from send to arrival while k holds, and when k doubles (or halves) half of the
 * drawn messages (or all of them) stay: the picture thins out without jumping about.
 *
 * This is the rule; the budgets are drawing thresholds and live with the others (src/ui/drawingRules.ts).
 */
import { MESSAGE_TYPES, type MessageType } from '../sim/types';
import { typeLabel } from './describe';

/** Per type, 1 in how many messages is drawn (absent or 1: all of them). */
export type Strides = Partial<Record<MessageType, number>>;

/** The smallest power of two k such that ⌈count / k⌉ ≤ budget (1 when everything fits). */
export function strideFor(count: number, budget: number): number {
  const limit = Math.max(1, Math.floor(budget));
  let k = 1;
  while (Math.ceil(count / k) > limit && k < 2 ** 30) k *= 2;
  return k;
}

/** Strides for counts by type, under one budget per type. */
export function stridesFor(counts: Partial<Record<MessageType, number>>, budgetPerType: number): Strides {
  const out: Strides = {};
  for (const type of MESSAGE_TYPES) {
    const k = strideFor(counts[type] ?? 0, budgetPerType);
    if (k > 1) out[type] = k;
  }
  return out;
}

/** Whether the message with this id (and type) is drawn under these strides. */
export function isDrawn(id: number, type: MessageType, strides: Strides): boolean {
  const k = strides[type];
  return k === undefined || k <= 1 || id % k === 0;
}

/**
 * The type's place in MESSAGE_TYPES, by comparison: hot loops over tens of thousands of messages count into a typed
 * array by slot, several times faster than into an object keyed by the type's name.
 */
export function typeSlot(type: MessageType): number {
  switch (type) {
    case 'REQUEST':
      return 0;
    case 'PRE_PREPARE':
      return 1;
    case 'PREPARE':
      return 2;
    case 'COMMIT':
      return 3;
    case 'REPLY':
      return 4;
    case 'CHECKPOINT':
      return 5;
    case 'VIEW_CHANGE':
      return 6;
    case 'NEW_VIEW':
      return 7;
    case 'HS_NEW_VIEW':
      return 8;
    case 'HS_PREPARE':
      return 9;
    case 'HS_PRE_COMMIT':
      return 10;
    case 'HS_COMMIT':
      return 11;
    case 'HS_DECIDE':
      return 12;
    case 'HS_VOTE_PREPARE':
      return 13;
    case 'HS_VOTE_PRE_COMMIT':
      return 14;
    case 'HS_VOTE_COMMIT':
      return 15;
    case 'PROPOSAL':
      return 16;
    case 'PREVOTE':
      return 17;
    case 'PRECOMMIT':
      return 18;
    case 'CHS_GENERIC':
      return 19;
    case 'CHS_VOTE_GENERIC':
      return 20;
    case 'CHS_NEW_VIEW':
      return 21;
    case 'CHS_DECIDE':
      return 22;
  }
}

/** Counts by slot (see typeSlot) as counts by type. */
export function countsFromSlots(slots: ArrayLike<number>): Partial<Record<MessageType, number>> {
  const counts: Partial<Record<MessageType, number>> = {};
  MESSAGE_TYPES.forEach((type, k) => {
    if (slots[k] > 0) counts[type] = slots[k];
  });
  return counts;
}

/** Counts of a collection of messages by type (e.g. those in flight). */
export function countByType(messages: Iterable<{ type: MessageType }>): Partial<Record<MessageType, number>> {
  const slots = new Int32Array(MESSAGE_TYPES.length);
  for (const m of messages) slots[typeSlot(m.type)]++;
  return countsFromSlots(slots);
}

/** "1 in 32 PREPARE and 1 in 16 COMMIT messages", or null when nothing is thinned. */
export function describeStrides(strides: Strides): string | null {
  const parts = MESSAGE_TYPES.filter((t) => (strides[t] ?? 1) > 1).map((t) => `1 in ${strides[t]} ${typeLabel(t)}`);
  if (parts.length === 0) return null;
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  return `${list} messages`;
}

/** The sentence under a thinned picture, or null when everything is drawn. */
export function thinningNote(strides: Strides, n: number): string | null {
  const what = describeStrides(strides);
  return what === null ? null : `Showing ${what} at n = ${n}; the counts are exact.`;
}
