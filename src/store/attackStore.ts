/**
 * The Find an attack panel's state: the form (goal, budget) and the one search that is running or ran last. The search
 * runs in a pool of workers (src/worker/attackPool.ts); this store hands it the plan and keeps what it reports. Created
 * in src/main.tsx with the real workers (tests: in-process hosts), it lives as long as the page, so a search goes on while
 * the drawer is closed.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { GOALS, type Goal, type GoalViolation } from '../sim/attack/goals';
import type { LiarChoices } from '../sim/attack/search';
import { readTwins } from '../sim/params';
import { replicaCount } from '../sim/scenario';
import { twinsProblemText } from '../sim/twins';
import type { NodeId, Scenario, TimedIntervention } from '../sim/types';
import { startAttackPool, type AttackRun } from '../worker/attackPool';
import type { FoundAttack } from '../worker/attackProtocol';
import type { ConnectAttackWorker } from '../worker/attackTransport';

export { GOALS, type Goal, type GoalViolation };

export type BudgetKind = 'schedules' | 'seconds';

/** What a budget may be, per kind: enough for a classroom, never so much that a typo freezes a laptop for an hour. */
export const BUDGET_RANGE: Record<BudgetKind, { min: number; max: number; default: number }> = {
  schedules: { min: 1, max: 10_000_000, default: 20_000 },
  seconds: { min: 1, max: 600, default: 10 },
};

export interface AttackForm {
  goal: Goal;
  budgetKind: BudgetKind;
  /** As typed: a bad value stays in the field, with a message, until it is corrected. */
  budget: string;
  /** Replicas to run as twins, as typed ("0,1"; empty: none beyond the scenario's own). */
  twins: string;
  /** Whether the search may switch the liars among every behaviour mid-run, or keeps each liar's as given. */
  liars: LiarChoices;
}

export type SearchStatus = 'running' | 'found' | 'none' | 'cancelled' | 'error';

export interface AttackSearch {
  status: SearchStatus;
  /** The scenario and goal it searched (not the lab's, which may have changed since). */
  scenario: Scenario;
  goal: Goal;
  budgetKind: BudgetKind;
  /** The budget in its unit (schedules, or seconds). */
  budget: number;
  /** The replicas it ran as twins, drawing their side per schedule (empty: none beyond the scenario's own). */
  twins: NodeId[];
  /** Whether the liars could switch behaviour mid-run (their switches are steps of the schedule found). */
  liars: LiarChoices;
  schedulesTried: number;
  schedulesPerSec: number;
  /** Real ms it started at (the progress bar of a time budget). */
  startedAt: number;
  workers: number;
  /** Set when found: the shrunk schedule, the goal it breaks, and how the visualizer replays it. */
  schedule: TimedIntervention[] | null;
  violation: GoalViolation | null;
  opened: TimedIntervention[] | null;
  /** The scenario the found schedule replays on: the one searched, with the twins' side as that schedule drew it. */
  foundScenario: Scenario | null;
  error: string | null;
}

export interface AttackState {
  form: AttackForm;
  /** Why the budget cannot be used, or null. */
  problem: string | null;
  /** Why the twins cannot be used, or null. */
  twinsProblem: string | null;
  search: AttackSearch | null;
  actions: AttackActions;
}

export interface AttackActions {
  setGoal(goal: Goal): void;
  setBudgetKind(kind: BudgetKind): void;
  setBudget(text: string): void;
  setTwins(text: string): void;
  setLiars(liars: LiarChoices): void;
  /** Searches the scenario for the goal; false (with `problem` or `twinsProblem` set) when the budget or twins are not usable. */
  start(scenario: Scenario): boolean;
  cancel(): void;
  dispose(): void;
}

export interface AttackStoreOptions {
  connect: ConnectAttackWorker;
  /** How many workers (default: the cores less one for the page, at least one). */
  workers?: number;
  clock?: () => number;
}

export type AttackStore = StoreApi<AttackState>;

/** The budget as a number in its unit, or why it cannot be one. */
export function readBudget(kind: BudgetKind, text: string): { value: number } | { problem: string } {
  const { min, max } = BUDGET_RANGE[kind];
  const trimmed = text.trim().replace(/[,_\s]/g, '');
  const unit = kind === 'schedules' ? 'schedules' : 'seconds';
  if (trimmed === '') return { problem: `Enter a budget: how many ${unit} to search (${min.toLocaleString('en')} to ${max.toLocaleString('en')}).` };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { problem: `“${text.slice(0, 20)}” is not a number of ${unit}.` };
  if (!Number.isInteger(value)) return { problem: `The budget must be a whole number of ${unit}.` };
  if (value < min || value > max) return { problem: `The budget must be between ${min.toLocaleString('en')} and ${max.toLocaleString('en')} ${unit}.` };
  return { value };
}

/**
 * The replicas to search as twins, or why they cannot be: each a replica of the scenario's n and no liar (the twins
 * rule, src/sim/twins.ts). No side: each schedule draws the side their second instances talk to.
 */
export function readSearchTwins(text: string, scenario: Scenario): { twins: NodeId[] } | { problem: string } {
  if (text.trim() === '') return { twins: [] };
  if (text.includes('/')) return { problem: 'Give only the replicas to run as twins (e.g. 0,1): the search draws, for each schedule, the side their second instances talk to.' };
  const read = readTwins(text, replicaCount(scenario), scenario.malicious);
  if (read.problems.length > 0) return { problem: `Twins: ${twinsProblemText(read.problems[0])}.` };
  return { twins: read.twins?.replicas ?? [] };
}

function defaultWorkers(): number {
  const cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 2;
  // One core stays with the page and the simulation worker; two workers at least, so it is a pool even on two cores.
  return Math.max(2, Math.min(8, cores - 1));
}

export function createAttackStore(options: AttackStoreOptions): AttackStore {
  const clock = options.clock ?? (() => performance.now());
  let current: AttackRun | null = null;
  return createStore<AttackState>()((set, get) => {
    const update = (patch: Partial<AttackSearch>) => {
      const search = get().search;
      if (search) set({ search: { ...search, ...patch } });
    };
    const actions: AttackActions = {
      setGoal(goal) {
        if (GOALS.includes(goal)) set((s) => ({ form: { ...s.form, goal } }));
      },
      setBudgetKind(budgetKind) {
        const { form } = get();
        if (form.budgetKind === budgetKind) return;
        set({ form: { ...form, budgetKind, budget: String(BUDGET_RANGE[budgetKind].default) }, problem: null });
      },
      setBudget(budget) {
        // The message follows the text as it is corrected; the text itself is never thrown away.
        const problem = get().problem === null ? null : (() => {
          const r = readBudget(get().form.budgetKind, budget);
          return 'problem' in r ? r.problem : null;
        })();
        set((s) => ({ form: { ...s.form, budget }, problem }));
      },
      setTwins(twins) {
        set((s) => ({ form: { ...s.form, twins }, twinsProblem: null }));
      },
      setLiars(liars) {
        set((s) => ({ form: { ...s.form, liars } }));
      },
      start(scenario) {
        const { form } = get();
        const read = readBudget(form.budgetKind, form.budget);
        const twinsRead = readSearchTwins(form.twins, scenario);
        const twinsProblem = 'problem' in twinsRead ? twinsRead.problem : null;
        if ('problem' in read || twinsProblem !== null) {
          set({ problem: 'problem' in read ? read.problem : null, twinsProblem });
          return false;
        }
        const twins = 'twins' in twinsRead ? twinsRead.twins : [];
        current?.cancel();
        const run = startAttackPool(
          {
            scenario,
            goal: form.goal,
            // The scenario's own seed: the same scenario and goal find the same attack, on any machine.
            seed: scenario.seed,
            ...(twins.length > 0 ? { twins } : {}),
            ...(form.liars === 'any' ? { liars: form.liars } : {}),
            budget: form.budgetKind === 'schedules' ? { schedules: read.value } : { ms: read.value * 1000 },
          },
          {
            connect: options.connect,
            workers: options.workers ?? defaultWorkers(),
            clock,
            onProgress: (schedulesTried, schedulesPerSec) => {
              if (current === run) update({ schedulesTried, schedulesPerSec });
            },
          },
        );
        current = run;
        set({
          problem: null,
          twinsProblem: null,
          search: {
            status: 'running',
            scenario,
            goal: form.goal,
            budgetKind: form.budgetKind,
            budget: read.value,
            twins,
            liars: form.liars,
            schedulesTried: 0,
            schedulesPerSec: 0,
            startedAt: clock(),
            workers: run.workers,
            schedule: null,
            violation: null,
            opened: null,
            foundScenario: null,
            error: null,
          },
        });
        void run.finished.then((end) => {
          if (current !== run) return;
          current = null;
          const found: FoundAttack | null = end.status === 'found' ? end.found : null;
          update({
            status: end.status,
            schedulesTried: end.schedulesTried,
            schedulesPerSec: end.schedulesPerSec,
            schedule: found?.schedule ?? null,
            violation: found?.violation ?? null,
            opened: found?.opened ?? null,
            foundScenario: found?.scenario ?? null,
            error: end.status === 'error' ? end.message : null,
          });
        });
        return true;
      },
      cancel() {
        current?.cancel();
      },
      dispose() {
        current?.cancel();
        current = null;
      },
    };
    return {
      form: { goal: 'agreement', budgetKind: 'schedules', budget: String(BUDGET_RANGE.schedules.default), twins: '', liars: 'as-given' },
      problem: null,
      twinsProblem: null,
      search: null,
      actions,
    };
  });
}
