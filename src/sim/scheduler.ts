/**
 * The virtual clock: future happenings ordered by (time, insertion order), so events at the same virtual instant
 * always run in the order they were scheduled — the root of determinism.
 *
 * A calendar queue: happenings fall into buckets (a tenth of a virtual millisecond wide to begin with); the earliest
 * bucket is sorted when its turn comes and drained in order. Network delays spread messages over a few dozen buckets, so
 * scheduling is an append and taking the next is a step along a small sorted array — cheaper than a heap of thousands of
 * entries. Each happening carries its own key (`at`, `order`), so scheduling allocates nothing.
 *
 * The width follows the load, as in Brown's calendar queue (1988): a bucket that holds one happening costs a map entry
 * and a heap step for that one (a linear protocol at n = 64 sends a few dozen messages per delay, where PBFT sends
 * thousands), and one that holds hundreds costs a long sort. Every ADAPT_EVERY buckets the width doubles or halves
 * towards a few to a few dozen happenings a bucket. Order never depends on the width: within a bucket and across
 * buckets it is (at, order).
 */
export interface Timed {
  /** When it is due (virtual ms); set by the scheduler. */
  at: number;
  /** Tie-breaker: the order in which it was scheduled; set by the scheduler. */
  order: number;
}

/** The first width (virtual ms), and how far it may double or halve. */
const BUCKET_MS = 0.1;
const MIN_BUCKET_MS = BUCKET_MS / 8;
const MAX_BUCKET_MS = BUCKET_MS * 256;
/** Buckets filed by number modulo RING (a slot each); a bucket whose slot another holds waits in a map instead. */
const RING = 1024;
/** Happenings per bucket it aims between. */
const FEW = 4;
const MANY = 32;
const ADAPT_EVERY = 256;

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
  private width = BUCKET_MS;
  /** Buckets opened and happenings taken since the width was last weighed. */
  private opened = 0;
  private taken = 0;
  private current: T[] = [];
  private pos = 0;
  private currentBucket = -Infinity;
  /**
   * Waiting buckets: slot `b % RING` holds bucket b's list when its number is in `slotBucket` there, else the bucket is
   * in `overflow`. An array step instead of a map lookup for every happening scheduled; delays span far fewer than
   * RING buckets, so the map is nearly always empty. The ring is made at the first weighing of the width (a run that
   * opens a few hundred buckets): the attack search makes tens of thousands of short worlds a second, and making the
   * ring cost one of them more than all its buckets.
   */
  private slotList: (T[] | undefined)[] | null = null;
  private slotBucket: Float64Array | null = null;
  private readonly overflow = new Map<number, T[]>();
  /** Bucket numbers waiting their turn, as a binary min-heap (each waiting bucket once). */
  private readonly bucketHeap: number[] = [];
  private count = 0;
  private counter = 0;
  private clock = 0;

  get now(): number {
    return this.clock;
  }

  private readonly adaptEvery: number;

  /**
   * `adaptEvery`: buckets between two weighings of the width; `ring`: make the ring at once. Tests set them to exercise
   * the width's changes and the ring in a few steps.
   */
  constructor(options: { adaptEvery?: number; ring?: boolean } = {}) {
    this.adaptEvery = options.adaptEvery ?? ADAPT_EVERY;
    if (options.ring) this.makeRing();
  }

  private makeRing(): void {
    this.slotList = new Array<T[] | undefined>(RING).fill(undefined);
    this.slotBucket = new Float64Array(RING).fill(NaN);
  }

  get size(): number {
    return this.count;
  }

  /** The bucket width now (virtual ms): for tests and benchmarks. */
  get bucketMs(): number {
    return this.width;
  }

  schedule(time: number, item: T): void {
    const t = time > this.clock ? time : this.clock;
    item.at = t;
    item.order = this.counter++;
    this.count++;
    const bucket = Math.floor(t / this.width);
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
    this.file(bucket).push(item);
  }

  /** Bucket b's waiting list, made (and its number queued) when it has none. */
  private file(bucket: number): T[] {
    const ring = this.slotBucket;
    if (ring !== null) {
      const slot = bucket % RING;
      if (ring[slot] === bucket) return this.slotList![slot]!;
      if (this.slotList![slot] === undefined && (this.overflow.size === 0 || !this.overflow.has(bucket))) {
        const list: T[] = [];
        this.slotList![slot] = list;
        ring[slot] = bucket;
        this.pushBucket(bucket);
        return list;
      }
    }
    let list = this.overflow.get(bucket);
    if (!list) {
      this.overflow.set(bucket, (list = []));
      this.pushBucket(bucket);
    }
    return list;
  }

  /** Takes bucket b's waiting list out (b was queued, so it has one). */
  private unfile(bucket: number): T[] {
    const ring = this.slotBucket;
    const slot = bucket % RING;
    if (ring !== null && ring[slot] === bucket) {
      const list = this.slotList![slot]!;
      this.slotList![slot] = undefined;
      ring[slot] = NaN;
      return list;
    }
    const list = this.overflow.get(bucket)!;
    this.overflow.delete(bucket);
    return list;
  }

  /** Every waiting list taken out, none left queued (the one open apart). */
  private unfileAll(): T[][] {
    const lists = this.bucketHeap.map((bucket) => this.unfile(bucket));
    this.bucketHeap.length = 0;
    return lists;
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
    this.taken++;
    this.clock = item.at;
    return item;
  }

  /** Everything scheduled, in no particular order (for inspection, not for running). */
  entries(): T[] {
    const out = this.current.slice(this.pos);
    for (const bucket of this.bucketHeap) {
      const slot = bucket % RING;
      out.push(...(this.slotBucket !== null && this.slotBucket[slot] === bucket ? this.slotList![slot]! : this.overflow.get(bucket)!));
    }
    return out;
  }

  /** Takes everything scheduled out (in no particular order), leaving the clock where it is. */
  drain(): T[] {
    const out = this.current.slice(this.pos);
    for (const list of this.unfileAll()) out.push(...list);
    this.current = [];
    this.pos = 0;
    this.currentBucket = -Infinity;
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
    if (++this.opened >= this.adaptEvery) this.adapt();
    const bucket = this.popBucket();
    const list = this.unfile(bucket);
    if (list.length > 48) list.sort(earlier);
    else insertionSort(list);
    this.current = list;
    this.pos = 0;
    this.currentBucket = bucket;
    return true;
  }

  /** Between two buckets (none open): doubles or halves the width when buckets held too few or too many, re-filing what waits. */
  private adapt(): void {
    // What waits in the map stays there until its turn: `file` looks in the map before it takes a free slot.
    if (this.slotBucket === null) this.makeRing();
    const perBucket = this.taken / this.opened;
    this.opened = 0;
    this.taken = 0;
    const width = perBucket < FEW && this.width < MAX_BUCKET_MS ? this.width * 2 : perBucket > MANY && this.width > MIN_BUCKET_MS ? this.width / 2 : this.width;
    if (width === this.width) return;
    const waiting = this.unfileAll();
    this.current = [];
    this.pos = 0;
    this.currentBucket = -Infinity;
    this.width = width;
    for (const list of waiting) for (const item of list) this.file(Math.floor(item.at / width)).push(item);
  }

  /** Something is due before the bucket already opened (peeked ahead): put that bucket back to wait its turn. */
  private returnCurrent(): void {
    const rest = this.current.slice(this.pos);
    this.current = [];
    this.pos = 0;
    const bucket = this.currentBucket;
    this.currentBucket = -Infinity;
    if (rest.length === 0) return;
    const list = this.file(bucket);
    for (const item of rest) list.push(item);
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
