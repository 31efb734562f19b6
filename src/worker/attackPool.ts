/**
 * One attack search across several workers. The schedules are numbered (schedule k depends only on the scenario, the
 * seed and k), so the pool hands out blocks of numbers — the next block to whichever worker is free — and the attack
 * at the lowest number wins, exactly what one search alone would have found: once some block finds k, no block beyond
 * k is started and the workers busy beyond it are stopped; the blocks below k run to their end.
 */
import type { Goal } from '../sim/attack/goals';
import type { LiarChoices } from '../sim/attack/search';
import type { NodeId, Scenario } from '../sim/types';
import type { AttackEvent, FoundAttack } from './attackProtocol';
import type { AttackWorker, ConnectAttackWorker } from './attackTransport';

export interface AttackBudget {
  /** Schedules to try, over every worker together. */
  schedules?: number;
  /** Real ms to search for. */
  ms?: number;
}

export interface AttackPlan {
  scenario: Scenario;
  goal: Goal;
  seed: number;
  /** Replicas to run as twins, each schedule drawing the side their second instances talk to. */
  twins?: NodeId[];
  /** Whether the liars may switch behaviour mid-run (absent: as given). */
  liars?: LiarChoices;
  budget: AttackBudget;
}

export type AttackEnd =
  | { status: 'found'; schedulesTried: number; schedulesPerSec: number; found: FoundAttack }
  | { status: 'none' | 'cancelled'; schedulesTried: number; schedulesPerSec: number }
  | { status: 'error'; schedulesTried: number; schedulesPerSec: number; message: string };

export interface AttackPoolOptions {
  connect: ConnectAttackWorker;
  workers: number;
  /** Schedules per block (default 256: a block takes a fraction of a second, so a find stops the others soon). */
  blockSize?: number;
  /** Real ms (performance.now). */
  clock: () => number;
  onProgress?(schedulesTried: number, schedulesPerSec: number): void;
}

export interface AttackRun {
  finished: Promise<AttackEnd>;
  /** Stops every worker at once; `finished` resolves as cancelled with what was tried. */
  cancel(): void;
  workers: number;
}

interface Slot {
  link: AttackWorker;
  /** The block it works on, or null when idle; stopped: disposed (its block lay beyond an attack found). */
  block: { id: number; from: number; tried: number } | null;
  stopped: boolean;
}

export const DEFAULT_BLOCK = 256;

export function startAttackPool(plan: AttackPlan, options: AttackPoolOptions): AttackRun {
  const { clock } = options;
  const blockSize = Math.max(1, Math.floor(options.blockSize ?? DEFAULT_BLOCK));
  const total = plan.budget.schedules ?? Number.POSITIVE_INFINITY;
  const started = clock();
  const deadline = plan.budget.ms === undefined ? Number.POSITIVE_INFINITY : started + plan.budget.ms;
  const count = Math.max(1, Math.min(Math.floor(options.workers) || 1, Math.ceil(total / blockSize)));
  const slots: Slot[] = [];
  let nextFrom = 0;
  let blocks = 0;
  /** Schedules tried in finished blocks (and by stopped workers, up to where they were stopped). */
  let triedDone = 0;
  /** The lowest number known to break the goal. */
  let best = Number.POSITIVE_INFINITY;
  const found: FoundAttack[] = [];
  let settled = false;
  let resolve!: (end: AttackEnd) => void;
  const finished = new Promise<AttackEnd>((r) => (resolve = r));

  const tried = () => triedDone + slots.reduce((sum, s) => sum + (s.block?.tried ?? 0), 0);
  const rate = () => {
    const elapsed = clock() - started;
    return elapsed > 0 ? Math.round((tried() * 1000) / elapsed) : 0;
  };

  const finish = (end: AttackEnd) => {
    if (settled) return;
    settled = true;
    for (const s of slots) s.link.dispose();
    resolve(end);
  };

  const stop = (s: Slot) => {
    triedDone += s.block?.tried ?? 0;
    s.block = null;
    s.stopped = true;
    s.link.dispose();
  };

  const maybeFinish = () => {
    if (settled || slots.some((s) => s.block !== null)) return;
    const winner = found.sort((a, b) => a.k - b.k)[0];
    // Found: every schedule below the winner was tried, and the winner itself (as one search would count).
    if (winner) finish({ status: 'found', schedulesTried: winner.k + 1, schedulesPerSec: rate(), found: winner });
    else finish({ status: 'none', schedulesTried: tried(), schedulesPerSec: rate() });
  };

  const feed = (s: Slot) => {
    if (settled || s.stopped) return;
    const now = clock();
    if (nextFrom >= total || nextFrom > best || now >= deadline) return maybeFinish();
    const from = nextFrom;
    const to = Math.min(total, from + blockSize);
    nextFrom = to;
    const id = blocks++;
    s.block = { id, from, tried: 0 };
    s.link.send({ type: 'search', block: id, scenario: plan.scenario, goal: plan.goal, seed: plan.seed, ...(plan.twins ? { twins: plan.twins } : {}), ...(plan.liars ? { liars: plan.liars } : {}), from, to, ...(deadline < Number.POSITIVE_INFINITY ? { ms: Math.max(1, deadline - now) } : {}) });
  };

  const onEvent = (s: Slot, event: AttackEvent) => {
    if (settled) return;
    if (event.type === 'error') return finish({ status: 'error', schedulesTried: tried(), schedulesPerSec: rate(), message: event.message });
    if (!s.block || event.block !== s.block.id) return;
    if (event.type === 'progress') {
      s.block.tried = event.tried;
      options.onProgress?.(tried(), rate());
      return;
    }
    if (event.type === 'found-at') {
      best = Math.min(best, event.k);
      // Nothing a worker finds beyond the best can win: stop those (the worker that found it goes on to shrink it).
      for (const other of slots) if (other !== s && other.block && other.block.from > best) stop(other);
      return;
    }
    triedDone += event.tried;
    s.block = null;
    if (event.found) found.push(event.found);
    options.onProgress?.(tried(), rate());
    feed(s);
    maybeFinish();
  };

  try {
    for (let k = 0; k < count; k++) {
      const slot: Slot = { link: undefined as unknown as AttackWorker, block: null, stopped: false };
      slot.link = options.connect((event) => onEvent(slot, event));
      slots.push(slot);
    }
    for (const s of slots) feed(s);
  } catch (err) {
    finish({ status: 'error', schedulesTried: 0, schedulesPerSec: 0, message: `The search could not start: ${err instanceof Error ? err.message : String(err)}` });
  }

  return {
    finished,
    cancel: () => finish({ status: 'cancelled', schedulesTried: tried(), schedulesPerSec: rate() }),
    workers: count,
  };
}
