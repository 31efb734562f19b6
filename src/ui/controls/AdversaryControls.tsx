import { PARAMS } from '../../sim/params';
import { BEHAVIOUR_DESCRIPTIONS } from '../../sim/scenario';
import { BEHAVIOURS, type BehaviourKind } from '../../sim/types';
import { useLab, useLabActions } from '../../store/context';
import { ParamSlider } from './SimulationControls';

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
        <ParamSlider param={PARAMS.omitProbability} value={choice.omitProbability} onChange={(v) => chooseBehaviour({ omitProbability: v })} />
      )}
      {choice.kind === 'slow' && (
        <ParamSlider param={PARAMS.extraDelayMs} value={choice.extraDelayMs} step={5} onChange={(v) => chooseBehaviour({ extraDelayMs: v })} />
      )}
      <p id="behaviour-hint" className="hint">
        {BEHAVIOUR_DESCRIPTIONS[choice.kind]} <strong>Click a replica</strong> (or focus it and press Enter) to make it
        malicious; again to make it honest.
      </p>
    </>
  );
}
