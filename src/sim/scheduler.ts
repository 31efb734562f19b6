/**
 * The virtual clock: a min-heap of future happenings ordered by (time, insertion order), so events at the same
 * virtual instant always run in the order they were scheduled — the root of determinism.
 * A 4-ary heap (half the depth of a binary one, siblings side by side in memory) with its keys in typed arrays
 * (no object per entry on the hot path); the items sit in a parallel array.
 */
export interface Scheduled<T> {
  time: number;
  order: number;
  item: T;
}

export class Scheduler<T> {
  private times = new Float64Array(1024);
  private orders = new Float64Array(1024);
  private items: (T | undefined)[] = new Array(1024);
  private count = 0;
  private counter = 0;
  private clock = 0;

  get now(): number {
    return this.clock;
  }

  get size(): number {
    return this.count;
  }

  schedule(time: number, item: T): void {
    if (this.count === this.times.length) this.grow();
    const t = time > this.clock ? time : this.clock;
    const o = this.counter++;
    const times = this.times;
    const orders = this.orders;
    const items = this.items;
    let k = this.count++;
    while (k > 0) {
      const parent = (k - 1) >> 2;
      const pt = times[parent];
      if (pt < t || (pt === t && orders[parent] < o)) break;
      times[k] = pt;
      orders[k] = orders[parent];
      items[k] = items[parent];
      k = parent;
    }
    times[k] = t;
    orders[k] = o;
    items[k] = item;
  }

  peekTime(): number | null {
    return this.count > 0 ? this.times[0] : null;
  }

  /** Everything scheduled, in no particular order (for inspection, not for running). */
  entries(): Scheduled<T>[] {
    const out: Scheduled<T>[] = [];
    for (let k = 0; k < this.count; k++) out.push({ time: this.times[k], order: this.orders[k], item: this.items[k] as T });
    return out;
  }

  /** Removes the earliest happening, moves the clock to its time and returns it. */
  pop(): Scheduled<T> | undefined {
    const item = this.popItem();
    return item === undefined ? undefined : { time: this.clock, order: this.lastOrder, item };
  }

  private lastOrder = 0;

  /** pop() without the wrapper object: the simulation's inner loop. */
  popItem(): T | undefined {
    if (this.count === 0) return undefined;
    const times = this.times;
    const orders = this.orders;
    const items = this.items;
    const top = items[0] as T;
    this.clock = times[0];
    this.lastOrder = orders[0];
    const last = --this.count;
    const lt = times[last];
    const lo = orders[last];
    const li = items[last];
    items[last] = undefined;
    if (last > 0) {
      let k = 0;
      for (;;) {
        const first = 4 * k + 1;
        if (first >= last) break;
        let child = first;
        let ct = times[first];
        let co = orders[first];
        const end = first + 4 < last ? first + 4 : last;
        for (let c = first + 1; c < end; c++) {
          const t = times[c];
          if (t < ct || (t === ct && orders[c] < co)) {
            child = c;
            ct = t;
            co = orders[c];
          }
        }
        if (lt < ct || (lt === ct && lo < co)) break;
        times[k] = ct;
        orders[k] = co;
        items[k] = items[child];
        k = child;
      }
      times[k] = lt;
      orders[k] = lo;
      items[k] = li;
    }
    return top;
  }

  /** Moves the clock forward to t without running anything (nothing may be due before t). */
  advanceTo(t: number): void {
    if (t > this.clock) this.clock = t;
  }

  private grow(): void {
    const size = this.times.length * 2;
    const times = new Float64Array(size);
    times.set(this.times);
    const orders = new Float64Array(size);
    orders.set(this.orders);
    this.times = times;
    this.orders = orders;
    this.items.length = size;
  }
}
