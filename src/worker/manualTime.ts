/**
 * A hand-cranked real-time clock and timer queue for tests of the bridge: nothing happens until the test
 * calls `advance`, so "no batch until the ack" can be asserted instead of hoped for.
 */
export interface ManualTime {
  clock(): number;
  setTimer(cb: () => void, ms: number): () => void;
  /** Moves real time forward, firing due timers in order (timers set by timers fire too, if due). */
  advance(ms: number): void;
  pendingTimers(): number;
}

export function manualTime(): ManualTime {
  let now = 0;
  let seq = 0;
  let timers: Array<{ at: number; seq: number; cb: () => void }> = [];
  return {
    clock: () => now,
    setTimer(cb, ms) {
      const timer = { at: now + Math.max(0, ms), seq: seq++, cb };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = Math.max(now, due.at);
        due.cb();
      }
      now = end;
    },
    pendingTimers: () => timers.length,
  };
}
