import { useId, type FormEvent, type ReactNode } from 'react';
import { PARAMS, type NumberParam } from '../../sim/params';
import { BEHAVIOUR_DESCRIPTIONS } from '../../sim/scenario';
import type { BehaviourKind } from '../../sim/types';
import { useExperiment, useExperimentActions } from '../../store/experimentContext';
import { describeMValues, parseMValues, validateForm, type ExperimentForm as Form, type FormField, type ModeChoice, type Selection } from '../../store/experimentForm';
import { MODE_LABEL } from './chartData';

/** A field's message once the user has touched it, or for every field once Run was pressed. */
function useFieldError(field: FormField): string | undefined {
  return useExperiment((s) => (s.touched[field] || s.attempted ? validateForm(s.form).errors[field] : undefined));
}

type BoxField = Exclude<FormField, 'behaviour' | 'selection' | 'mode'>;

interface NumberFieldProps {
  /** The table's entry gives the field, its label, unit and step; `label` overrides the label. */
  param: (NumberParam & { form: BoxField }) | { form: BoxField; label: string; unit?: undefined; integer?: undefined };
  label?: string;
  hint?: ReactNode;
  text?: boolean;
}

function NumberField({ param, label = param.label, hint, text = false }: NumberFieldProps) {
  const field = param.form;
  const unit = param.unit || undefined;
  const step = param.integer === false ? 'any' : 1;
  const id = useId();
  const value = useExperiment((s) => s.form[field]);
  const error = useFieldError(field);
  const { setField } = useExperimentActions();
  return (
    <FormField id={id} label={label} hint={hint} error={error} unit={unit}>
      <input
        id={id}
        name={field}
        // Number boxes step with the arrow keys; the m list is text ("0-n", "0,3,5,7").
        type={text ? 'text' : 'number'}
        inputMode={text ? 'text' : 'decimal'}
        step={text ? undefined : step}
        spellCheck={false}
        autoComplete="off"
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        onChange={(e) => setField(field, e.currentTarget.value)}
      />
    </FormField>
  );
}

/** What a box's aria-describedby names: its error and its hint, when it has them. */
export function describedBy(id: string, error: unknown, hint: unknown): string | undefined {
  return [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
}

/** One labelled box of an experiment form, with its unit, its hint and its error (the box itself is `children`). */
export function FormField({ id, label, hint, error, unit, children }: { id: string; label: ReactNode; hint?: ReactNode; error?: string | null; unit?: string; children: ReactNode }) {
  return (
    <div className={`exp-field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className="exp-input">
        {children}
        {unit && <span className="exp-unit">{unit}</span>}
      </div>
      {hint && (
        <p id={`${id}-hint`} className="exp-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      )}
    </div>
  );
}

function MValuesHint() {
  const m = useExperiment((s) => s.form.m);
  const n = useExperiment((s) => s.form.n);
  const parsed = parseMValues(m, /^\d+$/.test(n.trim()) ? Number(n) : null);
  return typeof parsed === 'string' ? null : <>{describeMValues(parsed)}. Lists and ranges; n stands for the replica count.</>;
}

function BehaviourField() {
  const id = useId();
  const value = useExperiment((s) => s.form.behaviour);
  const { setField } = useExperimentActions();
  return (
    <div className="exp-field">
      <label htmlFor={id}>{PARAMS.behaviour.label}</label>
      <select id={id} value={value} onChange={(e) => setField('behaviour', e.currentTarget.value as BehaviourKind)} aria-describedby={`${id}-hint`}>
        {PARAMS.behaviour.choices.map((kind) => (
          <option key={kind} value={kind}>
            {kind}
          </option>
        ))}
      </select>
      <p id={`${id}-hint`} className="exp-hint">
        {BEHAVIOUR_DESCRIPTIONS[value]}
      </p>
    </div>
  );
}

function SelectionField() {
  const id = useId();
  const value = useExperiment((s) => s.form.selection);
  const { setField } = useExperimentActions();
  return (
    <div className="exp-field">
      <label htmlFor={id}>{PARAMS.selection.label}</label>
      <select id={id} value={value} onChange={(e) => setField('selection', e.currentTarget.value as Selection)}>
        <option value="random">m at random</option>
        <option value="primary">the primary + m − 1 at random</option>
      </select>
    </div>
  );
}

const MODE_CHOICES: Array<{ value: ModeChoice; label: string; hint: string }> = [
  { value: 'seed', label: `Seed mode`, hint: 'the article’s protocol: fixed primary, no view change — a faulty primary means a time-out' },
  { value: 'pbft', label: MODE_LABEL.pbft, hint: 'the full protocol, with view change and checkpoints' },
  { value: 'both', label: 'Both', hint: 'the same trials (same seeds, same liars) in each, plotted together' },
];

function ModeField() {
  const value = useExperiment((s) => s.form.mode);
  const { setField } = useExperimentActions();
  const name = useId();
  return (
    <fieldset className="exp-modes">
      <legend>{PARAMS.sweepMode.label}</legend>
      {MODE_CHOICES.map((c) => (
        <label key={c.value} className="exp-radio">
          <input type="radio" name={name} value={c.value} checked={value === c.value} onChange={() => setField('mode', c.value)} />
          <span>
            <strong>{c.label}</strong> — {c.hint}
          </span>
        </label>
      ))}
    </fieldset>
  );
}

/** The experiment's settings. Pressing Enter in any box runs it, like the Run button above. */
export function ExperimentForm({ id }: { id: string }) {
  const { run } = useExperimentActions();
  const form = useExperiment((s) => s.form);
  const running = useExperiment((s) => s.run?.status === 'running');
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    // Run is only aria-disabled while a run goes on (so it keeps focus); Cancel first.
    if (running || run()) return;
    // Take the keyboard to the first thing to fix.
    const first = firstInvalid(form);
    if (first) e.currentTarget.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
  };
  return (
    <form id={id} className="exp-form panel" aria-label="Experiment settings" noValidate onSubmit={onSubmit}>
      <ErrorSummary />
      <fieldset>
        <legend>Replicas and liars</legend>
        <NumberField param={PARAMS.n} label="n (replicas)" hint="f = ⌊(n − 1) / 3⌋ liars are tolerated; quorums are ⌈(n + f + 1) / 2⌉." />
        <NumberField param={{ form: 'm', label: PARAMS.mValues.label }} text hint={<MValuesHint />} />
        <BehaviourField />
        <SelectionField />
      </fieldset>
      <ModeField />
      <fieldset>
        <legend>Trials</legend>
        <NumberField param={PARAMS.trials} />
        <NumberField param={PARAMS.trialRequests} />
        <NumberField param={PARAMS.timeoutMs} hint="Virtual time each trial may take; it fails if not done by then." />
        <NumberField param={PARAMS.seed} hint="Trial k at m draws its seed and its liars from (seed, n, m, k) alone." />
      </fieldset>
      <fieldset>
        <legend>Network</legend>
        <NumberField param={PARAMS.minDelayMs} />
        <NumberField param={PARAMS.maxDelayMs} />
        <NumberField param={PARAMS.dropRate} />
        <NumberField param={PARAMS.reorderRate} />
      </fieldset>
      <fieldset>
        <legend>Computer</legend>
        <NumberField param={PARAMS.workers} hint="Trials run off the page, split across this many threads; the results are the same for any number." />
      </fieldset>
    </form>
  );
}

const FIELD_ORDER: FormField[] = ['n', 'm', 'behaviour', 'selection', 'mode', 'trials', 'requests', 'timeoutMs', 'seed', 'minDelayMs', 'maxDelayMs', 'dropPercent', 'reorderPercent', 'workers'];

function firstInvalid(form: Form): FormField | undefined {
  const { errors } = validateForm(form);
  return FIELD_ORDER.find((f) => errors[f]);
}

/** After a refused Run: how many fields to fix, announced once. */
function ErrorSummary() {
  const count = useExperiment((s) => (s.attempted ? Object.keys(validateForm(s.form).errors).length : 0));
  if (count === 0) return null;
  return (
    <p className="form-error-summary" role="alert">
      {count === 1 ? 'One setting needs fixing' : `${count} settings need fixing`} before the experiment can run (see the messages below).
    </p>
  );
}
