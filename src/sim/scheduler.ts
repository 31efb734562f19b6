/**
 * The virtual clock: a binary min-heap of future happenings ordered by (time, insertion order), so events at
 * the same virtual instant always run in the order they were scheduled — the root of determinism.
 */
export interface Scheduled<T> {
  time: number;
  order: number;
  item: T;
}

export class Scheduler<T> {
  private heap: Scheduled<T>[] = [];
  private counter = 0;
  private clock = 0;

  get now(): number {
    return this.clock;
  }

  get size(): number {
    return this.heap.length;
  }

  schedule(time: number, item: T): void {
    const entry: Scheduled<T> = { time: Math.max(time, this.clock), order: this.counter++, item };
    const heap = this.heap;
    let k = heap.length;
    heap.push(entry);
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!before(entry, heap[parent])) break;
      heap[k] = heap[parent];
      k = parent;
    }
    heap[k] = entry;
  }

  /** Everything scheduled, in no particular order (for inspection, not for running). */
  entries(): readonly Scheduled<T>[] {
    return this.heap;
  }

  peekTime(): number | null {
    return this.heap.length ? this.heap[0].time : null;
  }

  /** Removes the earliest happening and moves the clock to its time. */
  pop(): Scheduled<T> | undefined {
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      let k = 0;
      const size = heap.length;
      for (;;) {
        const left = 2 * k + 1;
        if (left >= size) break;
        const right = left + 1;
        const child = right < size && before(heap[right], heap[left]) ? right : left;
        if (!before(heap[child], last)) break;
        heap[k] = heap[child];
        k = child;
      }
      heap[k] = last;
    }
    this.clock = top.time;
    return top;
  }

  /** Moves the clock forward to t without running anything (nothing may be due before t). */
  advanceTo(t: number): void {
    if (t > this.clock) this.clock = t;
  }
}

function before<T>(x: Scheduled<T>, y: Scheduled<T>): boolean {
  return x.time < y.time || (x.time === y.time && x.order < y.order);
}
