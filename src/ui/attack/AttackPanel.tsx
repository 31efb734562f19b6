import { useEffect, useState, type FormEvent } from 'react';
import type { Scenario, TimedIntervention } from '../../sim/types';
import { useAttack, useAttackActions } from '../../store/attackContext';
import { BUDGET_RANGE, type AttackSearch, type BudgetKind, type Goal } from '../../store/attackStore';
import { useLab, useLabActions } from '../../store/context';
import { interventionWords } from '../../store/describe';
import '../hand/hand.css';

const GOAL_WORDS: Record<Goal, { label: string; what: string }> = {
  agreement: { label: 'Break agreement', what: 'two honest replicas execute different requests at one sequence number' },
  fool: { label: 'Fool the client', what: 'the client accepts a result no honest replica computed' },
  stall: { label: 'Stall', what: 'a request is not accepted within a bound after the network is calm' },
};

/** One step of a schedule in words (`scenario` names a twin's second instance's timer as the twin's). */
export function stepWords(step: TimedIntervention, scenario?: Scenario): string {
  return `t=${step.at.toFixed(1)}: ${interventionWords(step.intervention, scenario)}`;
}

/** The scenario in one line: what the search takes as given. */
function scenarioWords(s: Scenario): string {
  const n = s.n ?? 3 * s.f + 1;
  const liars = Object.entries(s.malicious).map(([id, b]) => `${id}: ${b.kind}`);
  const twins = s.twins ? `; twins ${s.twins.replicas.join(', ')} (their second instances talk to ${s.twins.side.join(', ') || 'no replica'})` : '';
  return `n = ${n}, f = ${s.f}, seed ${s.seed}, ${s.requests} request${s.requests === 1 ? '' : 's'}; ${liars.length === 0 ? 'no malicious replica' : `malicious ${liars.join(', ')}`}${twins}`;
}

function Progress({ search }: { search: AttackSearch }) {
  const [now, setNow] = useState(search.startedAt);
  useEffect(() => {
    // A time budget's bar moves with the clock, between the workers' reports.
    if (search.status !== 'running' || search.budgetKind !== 'seconds') return;
    const handle = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(handle);
  }, [search.status, search.budgetKind]);
  const running = search.status === 'running';
  const done = search.budgetKind === 'schedules' ? search.schedulesTried / search.budget : Math.min(1, (now - search.startedAt) / (search.budget * 1000));
  return (
    <div className="attack-progress">
      <progress aria-label="Search progress" max={1} value={running ? Math.min(1, done) : 1} />
      <p className="hint" aria-live="polite">
        {search.schedulesTried.toLocaleString('en')} schedules tried · {search.schedulesPerSec.toLocaleString('en')} schedules/s · {search.workers} worker{search.workers === 1 ? '' : 's'}
      </p>
    </div>
  );
}

function Result({ search }: { search: AttackSearch }) {
  const { openSchedule, setDrawer } = useLabActions();
  const tried = search.schedulesTried.toLocaleString('en');
  if (search.status === 'running') return null;
  if (search.status === 'none') {
    return (
      <p className="attack-result" role="status">
        No attack found in {tried} schedules.
      </p>
    );
  }
  if (search.status === 'cancelled') return <p className="attack-result" role="status">Cancelled after {tried} schedules; nothing found before.</p>;
  if (search.status === 'error')
    return (
      <p className="attack-result problem" role="alert">
        The search failed: {search.error}
      </p>
    );
  const schedule = search.schedule ?? [];
  // A Twins search drew the twins' side for this schedule: the run opens, and its steps read, on that scenario.
  const scenario = search.foundScenario ?? search.scenario;
  const open = () => {
    if (!search.opened) return;
    openSchedule(scenario, search.opened, { goal: search.goal, violation: search.violation });
    setDrawer(null);
  };
  return (
    <div className="attack-result" role="status">
      <p>
        <strong>Attack found</strong> after {tried} schedules: {search.violation?.message ?? GOAL_WORDS[search.goal].what}.
      </p>
      {search.twins.length > 0 && scenario.twins && (
        <p>
          Twins {scenario.twins.replicas.join(', ')}: their second instances talked to {scenario.twins.side.length === 0 ? 'no replica' : `replica${scenario.twins.side.length === 1 ? '' : 's'} ${scenario.twins.side.join(', ')}`}, their first
          instances to the rest.
        </p>
      )}
      <p>
        {schedule.length === 0
          ? 'Shrunk to no intervention at all: the liars need only the network as it is, then calm.'
          : `Shrunk to ${schedule.length} intervention${schedule.length === 1 ? '' : 's'} (removing any one of them, the attack fails), then the network is calm:`}
      </p>
      {schedule.length > 0 && (
        <ol aria-label="The shrunk schedule">
          {schedule.map((step, k) => (
            <li key={k}>{stepWords(step, scenario)}</li>
          ))}
        </ol>
      )}
      <button type="button" onClick={open}>
        Open in the visualizer
      </button>
    </div>
  );
}

/**
 * Find an attack: the machine searches the scenario as it stands (n, who lies and how, the network) for a schedule —
 * delivery orders, drops, duplicates, timer firings, the liars' choices (and, if ticked, switches of their behaviour) —
 * that breaks the goal, in a pool of workers.
 */
export function AttackPanel() {
  const scenario = useLab((s) => s.scenario);
  const form = useAttack((s) => s.form);
  const problem = useAttack((s) => s.problem);
  const twinsProblem = useAttack((s) => s.twinsProblem);
  const search = useAttack((s) => s.search);
  const a = useAttackActions();
  const running = search?.status === 'running';
  const range = BUDGET_RANGE[form.budgetKind];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (running) return;
    a.start(scenario);
  };
  return (
    <section className="panel attack-panel" aria-labelledby="attack-heading">
      <h2 id="attack-heading">Find an attack</h2>
      <p className="hint">Searches this scenario: {scenarioWords(scenario)}. Change it in the Scenario drawer.</p>
      <form onSubmit={submit} noValidate>
        <fieldset className="attack-goals">
          <legend>Goal</legend>
          {(Object.keys(GOAL_WORDS) as Goal[]).map((goal) => (
            <label key={goal} title={GOAL_WORDS[goal].what}>
              <span>
                <input type="radio" name="attack-goal" value={goal} checked={form.goal === goal} onChange={() => a.setGoal(goal)} disabled={running} /> {GOAL_WORDS[goal].label}
              </span>
            </label>
          ))}
        </fieldset>
        <label>
          Budget in
          <select value={form.budgetKind} onChange={(e) => a.setBudgetKind(e.currentTarget.value as BudgetKind)} disabled={running}>
            <option value="schedules">schedules</option>
            <option value="seconds">seconds</option>
          </select>
        </label>
        <label>
          Budget ({form.budgetKind})
          <input
            type="text"
            inputMode="numeric"
            value={form.budget}
            onChange={(e) => a.setBudget(e.currentTarget.value)}
            aria-invalid={problem !== null}
            aria-describedby={problem ? 'attack-budget-problem' : undefined}
            disabled={running}
            size={9}
            title={`${range.min.toLocaleString('en')} to ${range.max.toLocaleString('en')}`}
          />
        </label>
        <label>
          Twins
          <input
            type="text"
            inputMode="numeric"
            placeholder="none"
            value={form.twins}
            onChange={(e) => a.setTwins(e.currentTarget.value)}
            aria-invalid={twinsProblem !== null}
            aria-describedby={twinsProblem ? 'attack-twins-problem attack-twins-hint' : 'attack-twins-hint'}
            disabled={running}
            size={6}
          />
        </label>
        <label title="In each schedule the search may switch a liar to any behaviour of this protocol, at moments it draws; unticked, each liar keeps the behaviour the scenario gives it">
          <span>
            <input type="checkbox" checked={form.liars === 'any'} onChange={(e) => a.setLiars(e.currentTarget.checked ? 'any' : 'as-given')} disabled={running} /> Liars may switch behaviour mid-run
          </span>
        </label>
        {running ? (
          <button type="button" onClick={a.cancel}>
            Cancel
          </button>
        ) : (
          <button type="submit">Search</button>
        )}
      </form>
      {problem && (
        <p id="attack-budget-problem" className="hint problem" role="alert">
          {problem}
        </p>
      )}
      {twinsProblem && (
        <p id="attack-twins-problem" className="hint problem" role="alert">
          {twinsProblem}
        </p>
      )}
      <p className="hint" id="attack-twins-hint">
        Twins (Bano et al., 2020): each replica listed (e.g. 0,1) runs as two honest instances with the same identity, each
        schedule drawing which replicas the second instance talks to. A twin counts as faulty: with liars and twins together
        at most f, nothing should break.
      </p>
      <p className="hint">{GOAL_WORDS[form.goal].label}: {GOAL_WORDS[form.goal].what}.</p>
      {search && <Progress search={search} />}
      {search && <Result search={search} />}
    </section>
  );
}
