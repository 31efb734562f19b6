import { useId, useState, type FormEvent } from 'react';
import { BEHAVIOUR_PARAM, PARAMS } from '../../sim/params';
import { protocolOf } from '../../sim/protocols';
import { BEHAVIOUR_DESCRIPTIONS, replicaCount } from '../../sim/scenario';
import { BEHAVIOURS, type BehaviourKind, type ProtocolMode, type Scenario } from '../../sim/types';
import { useCompare, useCompareActions } from '../../store/compareContext';
import { defaultKnob, draftOf, modesWhereApplies, replicaChoices, scenarioFromDraft, visualizerScenario, type CompareDraft, type DraftErrors, type DraftField, type LiarDraft } from '../../store/compareScenario';
import { useLabActions } from '../../store/context';

const nameOf = (mode: ProtocolMode) => (mode === 'seed' ? 'Seed article' : protocolOf(mode).name);

/** "replica 3 silent", "replica 2 omit (30 %)": a liar as the summary line says it. */
function liarText(id: string, b: Scenario['malicious'][number]): string {
  const param = BEHAVIOUR_PARAM[b.kind];
  const value = param ? (b as unknown as Record<string, number | undefined>)[param.key] : undefined;
  return `replica ${id} ${b.kind}${param && value !== undefined ? ` (${+(value * param.scale).toFixed(6)} ${param.unit})` : ''}`;
}

/** The shared scenario in one line: what every column runs. */
export function scenarioLine(scenario: Scenario): string {
  const n = replicaCount(scenario);
  const liars = Object.entries(scenario.malicious);
  return (
    `n = ${n} (f = ${scenario.f}), seed ${scenario.seed}, delays ${scenario.minDelayMs}–${scenario.maxDelayMs} ms` +
    `${scenario.dropRate > 0 ? `, ${+(scenario.dropRate * 100).toFixed(6)} % lost` : ''}` +
    `${scenario.reorderRate > 0 ? `, ${+(scenario.reorderRate * 100).toFixed(6)} % reordered` : ''}, ` +
    (liars.length === 0 ? 'no liars' : liars.map(([id, b]) => liarText(id, b)).join(', '))
  );
}

/** A behaviour as the selects list it: said when it means nothing in some of the compared protocols. */
function behaviourLabel(kind: BehaviourKind, modes: readonly ProtocolMode[]): string {
  const where = modesWhereApplies(kind, modes);
  if (where.length === modes.length) return kind;
  if (where.length === 0) return `${kind} — means nothing in ${modes.map(nameOf).join(' or ')}`;
  return `${kind} — honest in ${modes.filter((m) => !where.includes(m)).map(nameOf).join(' and ')}`;
}

function FieldError({ id, error }: { id: string; error: string | undefined }) {
  if (!error) return null;
  return (
    <p id={id} className="field-error">
      <span aria-hidden="true">⚠ </span>
      {error}
    </p>
  );
}

interface BoxProps {
  field: Exclude<DraftField, 'n' | `liar-${number}`>;
  label: string;
  unit: string;
  integer?: boolean;
  draft: CompareDraft;
  errors: DraftErrors;
  onChange(field: BoxProps['field'], value: string): void;
}

function Box({ field, label, unit, integer = false, draft, errors, onChange }: BoxProps) {
  const id = useId();
  const error = errors[field];
  return (
    <div className={`compare-field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{unit ? `${label} (${unit})` : label}</label>
      <input
        id={id}
        name={field}
        type="number"
        inputMode="decimal"
        step={integer ? 1 : 'any'}
        autoComplete="off"
        value={draft[field]}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(field, e.currentTarget.value)}
      />
      <FieldError id={`${id}-error`} error={error} />
    </div>
  );
}

function BehaviourSelect({ id, value, modes, onChange, label }: { id: string; value: BehaviourKind; modes: readonly ProtocolMode[]; onChange(kind: BehaviourKind): void; label?: string }) {
  return (
    <select id={id} value={value} aria-label={label} onChange={(e) => onChange(e.currentTarget.value as BehaviourKind)} title={BEHAVIOUR_DESCRIPTIONS[value]}>
      {BEHAVIOURS.map((kind) => (
        <option key={kind} value={kind} disabled={modesWhereApplies(kind, modes).length === 0}>
          {behaviourLabel(kind, modes)}
        </option>
      ))}
    </select>
  );
}

/** One liar: what it does (and its knob, when its behaviour takes one), or honest again. */
function LiarRow({ liar, modes, error, onChange, onRemove }: { liar: LiarDraft; modes: readonly ProtocolMode[]; error: string | undefined; onChange(l: LiarDraft): void; onRemove(): void }) {
  const id = useId();
  const param = BEHAVIOUR_PARAM[liar.kind];
  return (
    <li className={`compare-liar${error ? ' has-error' : ''}`}>
      <label htmlFor={`${id}-kind`}>Replica {liar.id}</label>
      <BehaviourSelect id={`${id}-kind`} value={liar.kind} modes={modes} onChange={(kind) => onChange({ ...liar, kind, knob: defaultKnob(kind) })} />
      {param && (
        <span className="compare-knob">
          <label htmlFor={`${id}-knob`}>
            {param.label} ({param.unit})
          </label>
          <input
            id={`${id}-knob`}
            type="number"
            inputMode="decimal"
            step="any"
            value={liar.knob}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            onChange={(e) => onChange({ ...liar, knob: e.currentTarget.value })}
          />
        </span>
      )}
      <button type="button" className="small" onClick={onRemove} aria-label={`Make replica ${liar.id} honest`}>
        Make honest
      </button>
      <FieldError id={`${id}-error`} error={error} />
    </li>
  );
}

/** Adds a liar: an honest replica of the chosen n, and what it does. */
function AddLiar({ draft, modes, onAdd }: { draft: CompareDraft; modes: readonly ProtocolMode[]; onAdd(l: LiarDraft): void }) {
  const id = useId();
  const honest = Array.from({ length: draft.n }, (_, k) => k).filter((k) => !draft.liars.some((l) => l.id === k));
  const [replica, setReplica] = useState<number | null>(null);
  const [kind, setKind] = useState<BehaviourKind>('silent');
  const chosen = replica !== null && honest.includes(replica) ? replica : (honest[0] ?? null);
  if (chosen === null) return <p className="hint">Every replica lies.</p>;
  return (
    <div className="compare-add-liar">
      <label htmlFor={`${id}-replica`}>New liar</label>
      <select id={`${id}-replica`} value={chosen} onChange={(e) => setReplica(Number(e.currentTarget.value))}>
        {honest.map((k) => (
          <option key={k} value={k}>
            Replica {k}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-kind`}>Behaviour</label>
      <BehaviourSelect id={`${id}-kind`} value={kind} modes={modes} onChange={setKind} />
      <button type="button" className="small" disabled={modesWhereApplies(kind, modes).length === 0} onClick={() => onAdd({ id: chosen, kind, knob: defaultKnob(kind) })}>
        Add liar
      </button>
    </div>
  );
}

/**
 * The scenario every column runs, changed here for all of them at once: n, the seed, the network and the liars. Applying
 * it starts every run again from t = 0 on the one clock, and makes it the visualizer's scenario too — the one the
 * address carries, so a link to #compare reopens this comparison. What is typed stays until it is applied or undone; a
 * value that cannot be used is said next to its box and changes nothing.
 */
export function ScenarioForm() {
  const scenario = useCompare((s) => s.scenario);
  if (!scenario) return null;
  // A new scenario from outside (the view opening on the visualizer's) starts the form afresh; the same one again (a
  // protocol added or left out restarts the runs) keeps what is being typed.
  return <ScenarioFields key={JSON.stringify(draftOf(scenario))} scenario={scenario} />;
}

function ScenarioFields({ scenario }: { scenario: Scenario }) {
  const modes = useCompare((s) => s.modes);
  const { openWith } = useCompareActions();
  const { openSchedule } = useLabActions();
  const formId = useId();
  const [start] = useState(() => draftOf(scenario));
  const [draft, setDraft] = useState<CompareDraft>(start);
  const [errors, setErrors] = useState<DraftErrors>({});

  const change = (next: CompareDraft) => {
    setDraft(next);
    // A message stays until what it is about changes: then the box is checked again on the next Apply.
    if (Object.keys(errors).length > 0) {
      const again = scenarioFromDraft(scenario, next, modes);
      setErrors(again.errors ?? {});
    }
  };
  const setBox = (field: BoxProps['field'], value: string) => change({ ...draft, [field]: value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const result = scenarioFromDraft(scenario, draft, modes);
    if (result.errors) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    const shared = visualizerScenario(result.scenario, modes);
    openWith(shared);
    openSchedule(shared, []);
  };
  const count = Object.keys(errors).length;
  const changed = JSON.stringify(draft) !== JSON.stringify(start);
  return (
    <form className="compare-form" aria-label="Scenario for every column" onSubmit={submit} noValidate>
      <div className="compare-field">
        <label htmlFor={`${formId}-n`}>Replicas</label>
        <select
          id={`${formId}-n`}
          value={draft.n}
          aria-invalid={errors.n ? true : undefined}
          aria-describedby={errors.n ? `${formId}-n-error` : undefined}
          onChange={(e) => change({ ...draft, n: Number(e.currentTarget.value) })}
        >
          {replicaChoices(scenario).map((n) => (
            <option key={n} value={n}>
              n = {n} (f = {Math.floor((n - 1) / 3)})
            </option>
          ))}
        </select>
        <FieldError id={`${formId}-n-error`} error={errors.n} />
      </div>
      <Box field="seed" label={PARAMS.seed.label} unit="" integer draft={draft} errors={errors} onChange={setBox} />
      <Box field="minDelayMs" label={PARAMS.minDelayMs.label} unit={PARAMS.minDelayMs.unit} draft={draft} errors={errors} onChange={setBox} />
      <Box field="maxDelayMs" label={PARAMS.maxDelayMs.label} unit={PARAMS.maxDelayMs.unit} draft={draft} errors={errors} onChange={setBox} />
      <Box field="dropPercent" label={PARAMS.dropRate.label} unit={PARAMS.dropRate.unit} draft={draft} errors={errors} onChange={setBox} />
      <Box field="reorderPercent" label={PARAMS.reorderRate.label} unit={PARAMS.reorderRate.unit} draft={draft} errors={errors} onChange={setBox} />
      <fieldset className="compare-liars">
        <legend>Liars</legend>
        {draft.liars.length === 0 ? (
          <p className="hint">None: every replica is honest.</p>
        ) : (
          <ul>
            {draft.liars.map((liar, k) => (
              <LiarRow
                key={liar.id}
                liar={liar}
                modes={modes}
                error={errors[`liar-${liar.id}`]}
                onChange={(l) => change({ ...draft, liars: draft.liars.map((x, j) => (j === k ? l : x)) })}
                onRemove={() => change({ ...draft, liars: draft.liars.filter((_, j) => j !== k) })}
              />
            ))}
          </ul>
        )}
        <AddLiar draft={draft} modes={modes} onAdd={(l) => change({ ...draft, liars: [...draft.liars, l].sort((a, b) => a.id - b.id) })} />
      </fieldset>
      <div className="compare-form-actions">
        <button type="submit" className="primary-action">
          Run all with this scenario
        </button>
        <button
          type="button"
          disabled={!changed}
          onClick={() => {
            setDraft(start);
            setErrors({});
          }}
        >
          Undo changes
        </button>
        {count > 0 && (
          <p className="form-error-summary" role="alert">
            {count === 1 ? 'One value needs fixing' : `${count} values need fixing`}; the runs go on with the scenario they have.
          </p>
        )}
      </div>
    </form>
  );
}
