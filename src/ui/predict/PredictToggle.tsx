import { useLab, useLabActions } from '../../store/context';
import { Icon } from '../controls/icons';
import './toggle.css';

/** Predict mode on or off: a toggle in the playback bar, so it is there in presentation mode and in embed mode too. */
export function PredictToggle() {
  const on = useLab((s) => s.predict.on);
  const { togglePredict } = useLabActions();
  return (
    <button
      type="button"
      className={`predict-toggle${on ? ' on' : ''}`}
      aria-pressed={on}
      onClick={togglePredict}
      title="Predict: before each phase the room answers a question, then Reveal plays the phase and says who was right (Q)"
    >
      <Icon name="predict" />
      Predict
    </button>
  );
}
