/**
 * The virtual clock: future happenings ordered by (time, insertion order), so events at the same virtual instant
 * always run in the order they were scheduled — the root of determinism.
 *
 * A calendar queue: happenings fall into buckets a tenth of a virtual millisecond wide; the earliest bucket is sorted when
 * its turn comes and drained in order. Network delays spread messages over a few dozen buckets, so scheduling is
 * an append and taking the next is a step along a small sorted array — cheaper than a heap of thousands of entries.
 * Each happening carries its own key (`at`, `order`), so scheduling allocates nothing.
 */
export interface Timed {
  /** When it is due (virtual ms); set by the scheduler. */
  at: number;
  /** Tie-breaker: the order in which it was scheduled; set by the scheduler. */
  order: number;
}

const BUCKET_MS = 0.1;

function earlier(a: Timed, b: Timed): number {
  return a.at - b.at || a.order - b.order;
}

/** Small buckets are the rule; sorting them in place beats the general sort's per-comparison call. */
function insertionSort<T extends Timed>(list: T[]): void {
  for (let i = 1; i < list.length; i++) {
    const item = list[i];
    const at = item.at;
    const order = item.order;
    let j = i - 1;
    while (j >= 0 && (list[j].at > at || (list[j].at === at && list[j].order > order))) {
      list[j + 1] = list[j];
      j--;
    }
    list[j + 1] = item;
  }
}

export class Scheduler<T extends Timed> {
  private current: T[] = [];
  private pos = 0;
  private currentBucket = -Infinity;
  private readonly buckets = new Map<number, T[]>();
  /** Bucket numbers waiting their turn, as a binary min-heap. */
  private readonly bucketHeap: number[] = [];
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
    const t = time > this.clock ? time : this.clock;
    item.at = t;
    item.order = this.counter++;
    this.count++;
    const bucket = Math.floor(t / BUCKET_MS);
    if (bucket === this.currentBucket) {
      // It is the newest, so it goes after everything due at or before t.
      let lo = this.pos;
      let hi = this.current.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.current[mid].at <= t) lo = mid + 1;
        else hi = mid;
      }
      if (lo === this.current.length) this.current.push(item);
      else this.current.splice(lo, 0, item);
      return;
    }
    if (bucket < this.currentBucket) this.returnCurrent();
    let list = this.buckets.get(bucket);
    if (!list) {
      this.buckets.set(bucket, (list = []));
      this.pushBucket(bucket);
    }
    list.push(item);
  }

  peekTime(): number | null {
    return this.refill() ? this.current[this.pos].at : null;
  }

  /** Removes the earliest happening and moves the clock to its time. */
  popItem(): T | undefined {
    if (!this.refill()) return undefined;
    const item = this.current[this.pos];
    (this.current as (T | undefined)[])[this.pos++] = undefined;
    this.count--;
    this.clock = item.at;
    return item;
  }

  /** Everything scheduled, in no particular order (for inspection, not for running). */
  entries(): T[] {
    const out = this.current.slice(this.pos);
    for (const list of this.buckets.values()) out.push(...list);
    return out;
  }

  /** Takes everything scheduled out (in no particular order), leaving the clock where it is. */
  drain(): T[] {
    const out = this.entries();
    this.current = [];
    this.pos = 0;
    this.currentBucket = -Infinity;
    this.buckets.clear();
    this.bucketHeap.length = 0;
    this.count = 0;
    return out;
  }

  /** Moves the clock forward to t without running anything (nothing may be due before t). */
  advanceTo(t: number): void {
    if (t > this.clock) this.clock = t;
  }

  /** Makes the earliest bucket the current, sorted one; false when nothing is scheduled. */
  private refill(): boolean {
    if (this.pos < this.current.length) return true;
    if (this.bucketHeap.length === 0) {
      // Let go of what was run, but make no new list when there is none: under deliver by hand the clock is empty and
      // asked at every step.
      if (this.current.length > 0) this.current = [];
      this.pos = 0;
      return false;
    }
    const bucket = this.popBucket();
    const list = this.buckets.get(bucket)!;
    this.buckets.delete(bucket);
    if (list.length > 48) list.sort(earlier);
    else insertionSort(list);
    this.current = list;
    this.pos = 0;
    this.currentBucket = bucket;
    return true;
  }

  /** Something is due before the bucket already opened (peeked ahead): put that bucket back to wait its turn. */
  private returnCurrent(): void {
    const rest = this.current.slice(this.pos);
    this.current = [];
    this.pos = 0;
    const bucket = this.currentBucket;
    this.currentBucket = -Infinity;
    if (rest.length === 0) return;
    const list = this.buckets.get(bucket);
    if (list) list.push(...rest);
    else {
      this.buckets.set(bucket, rest);
      this.pushBucket(bucket);
    }
  }

  private pushBucket(bucket: number): void {
    const heap = this.bucketHeap;
    let k = heap.length;
    heap.push(bucket);
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (heap[parent] <= bucket) break;
      heap[k] = heap[parent];
      k = parent;
    }
    heap[k] = bucket;
  }

  private popBucket(): number {
    const heap = this.bucketHeap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      let k = 0;
      for (;;) {
        const left = 2 * k + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && heap[right] < heap[left] ? right : left;
        if (heap[child] >= last) break;
        heap[k] = heap[child];
        k = child;
      }
      heap[k] = last;
    }
    return top;
  }
}
