import { BEHAVIOUR_DESCRIPTIONS } from '../../sim/scenario';
import { BEHAVIOURS, type BehaviourKind } from '../../sim/types';
import { useLab, useLabActions } from '../../store/context';
import { Slider } from './Slider';

/** Chooses what the next replica you click turns into. */
export function AdversaryControls() {
  const choice = useLab((s) => s.behaviourChoice);
  const { chooseBehaviour } = useLabActions();
  return (
    <>
      <div className="field">
        <label htmlFor="behaviour-select">Behaviour</label>
        <select
          id="behaviour-select"
          value={choice.kind}
          onChange={(e) => chooseBehaviour({ kind: e.currentTarget.value as BehaviourKind })}
          aria-describedby="behaviour-hint"
        >
          {BEHAVIOURS.map((kind) => (
            <option key={kind} value={kind}>
              {kind}
            </option>
          ))}
        </select>
      </div>
      {choice.kind === 'omit' && (
        <Slider
          label="Omit probability"
          value={Math.round(choice.omitProbability * 100)}
          min={0}
          max={100}
          onChange={(v) => chooseBehaviour({ omitProbability: v / 100 })}
          display={`${Math.round(choice.omitProbability * 100)} %`}
        />
      )}
      {choice.kind === 'slow' && (
        <Slider
          label="Extra delay"
          value={choice.extraDelayMs}
          min={0}
          max={1000}
          step={5}
          onChange={(v) => chooseBehaviour({ extraDelayMs: v })}
          display={`${choice.extraDelayMs} ms`}
        />
      )}
      <p id="behaviour-hint" className="hint">
        {BEHAVIOUR_DESCRIPTIONS[choice.kind]} <strong>Click a replica</strong> (or focus it and press Enter) to make it
        malicious; again to make it honest.
      </p>
    </>
  );
}
