import { useLab, useLabActions } from '../../store/context';
import { Icon } from './icons';

/** The lecturer's remote: big buttons, one per verb. */
export function PlaybackBar() {
  const playing = useLab((s) => s.playback.playing);
  const failed = useLab((s) => s.error !== null);
  const { play, pause, step, reset, newRequest } = useLabActions();
  return (
    <div className="playback" role="toolbar" aria-label="Playback">
      <button type="button" className="primary-action" onClick={play} disabled={playing || failed}>
        <Icon name="play" />
        Play
      </button>
      <button type="button" onClick={pause} disabled={!playing || failed}>
        <Icon name="pause" />
        Pause
      </button>
      <button type="button" onClick={step} disabled={failed} title="Process the next scheduled event">
        <Icon name="step" />
        Step
      </button>
      <button type="button" onClick={reset} disabled={failed} title="Start this scenario again from t = 0">
        <Icon name="reset" />
        Reset
      </button>
      <button type="button" onClick={newRequest} disabled={failed} title="The client sends one more request now">
        <Icon name="plus" />
        New request
      </button>
    </div>
  );
}
