import { PARAMS } from '../../sim/params';
import { BEHAVIOUR_DESCRIPTIONS } from '../../sim/scenario';
import { protocolOf } from '../../sim/protocols';
import { BEHAVIOURS, type BehaviourKind } from '../../sim/types';
import { notApplicable } from '../../store/scenarioSlice';
import { useLab, useLabActions } from '../../store/context';
import { ParamSlider } from './SimulationControls';

/** Chooses what the next replica you click turns into. */
export function AdversaryControls() {
  const choice = useLab((s) => s.behaviourChoice);
  const { chooseBehaviour } = useLabActions();
  const protocol = protocolOf(useLab((s) => s.scenario.mode));
  const applies = (kind: BehaviourKind) => protocol.behaviours.includes(kind);
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
            // Shown, not hidden, so the list is the same under every protocol; the hint below says why.
            <option key={kind} value={kind} disabled={!applies(kind)}>
              {applies(kind) ? kind : `${kind} — not applicable to ${protocol.name}`}
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
      {!applies(choice.kind) && (
        <p className="hint not-applicable" role="note">
          <strong>Not applicable:</strong> {notApplicable(choice.kind, protocol.mode)}
        </p>
      )}
      <p id="behaviour-hint" className="hint">
        {BEHAVIOUR_DESCRIPTIONS[choice.kind]} <strong>Click a replica</strong> (or focus it and press Enter) to make it
        malicious; again to make it honest.
      </p>
    </>
  );
}
