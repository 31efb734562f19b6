import { useLab, useLabActions } from '../../store/context';
import { PredictToggle } from '../predict/PredictToggle';
import { Icon } from './icons';

/** The lecturer's remote: big buttons, one per verb; the shortcut is in each tooltip. */
export function PlaybackBar() {
  const playing = useLab((s) => s.playback.playing);
  const failed = useLab((s) => s.error !== null);
  const atStart = useLab((s) => s.cursor === 0);
  const { play, pause, step, back, reset, newRequest, nextPhase } = useLabActions();
  return (
    <div className="playback" role="toolbar" aria-label="Playback">
      <button type="button" className="primary-action" onClick={play} disabled={playing || failed} title="Play (Space)">
        <Icon name="play" />
        Play
      </button>
      <button type="button" onClick={pause} disabled={!playing || failed} title="Pause (Space)">
        <Icon name="pause" />
        Pause
      </button>
      <button type="button" onClick={back} disabled={failed || atStart} title="Back one step (←)">
        <Icon name="back" />
        Back
      </button>
      <button type="button" onClick={() => step('event')} disabled={failed} title="Process the next scheduled event (→)">
        <Icon name="step" />
        Step
      </button>
      {/* In Predict mode Next phase asks first: with a question open it reveals the answer (src/store/predictSlice.ts). */}
      <button type="button" onClick={nextPhase} disabled={failed} title="Until every message of the current phase has arrived (Shift+→)">
        <Icon name="phase" />
        Next phase
      </button>
      <button type="button" onClick={() => step('request')} disabled={failed} title="Until the client accepts the next result (R or Ctrl+→)">
        <Icon name="request" />
        Next request
      </button>
      <button type="button" className="aside" onClick={reset} disabled={failed} title="Start this scenario again from t = 0">
        <Icon name="reset" />
        Reset
      </button>
      <button type="button" onClick={newRequest} disabled={failed} title="The client sends one more request now (N)">
        <Icon name="plus" />
        New request
      </button>
      <PredictToggle />
    </div>
  );
}
